package generator

import "testing"

func TestRelURL(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"index.html", "charter/a.html", "charter/a.html"},
		{"charter/a.html", "charter/b.html#x", "b.html#x"},
		{"charter/a.html", "charter/a.html#x", "#x"},
		{"charter/a.html", "index.html", "../index.html"},
		{"governance/members/x.html", "governance/rights.html#r", "../rights.html#r"},
		{"governance/members/x.html", "charter/a.html", "../../charter/a.html"},
		{"charter/sub/a.html", "charter/b.html", "../b.html"},
		{"char/a.html", "charter/b.html", "../charter/b.html"},
		{"a.html", "a.html", "a.html"},
	} {
		if got := relURL(c.from, c.to); got != c.want {
			t.Errorf("relURL(%q, %q) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
