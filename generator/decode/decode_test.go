package decode

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type member struct {
	Meta    `toml:"-"`
	ID      string   `toml:"id,required"`
	Name    string   `toml:"name"`
	Joined  Date     `toml:"joined"`
	Holders []string `toml:"holders"`
	Weight  int      `toml:"weight"`
}

type settings struct {
	Meta      Meta `toml:"-"`
	Title     string
	TitleKey  string            `toml:"title,required"`
	Quorum    float64           `toml:"quorum"`
	Open      bool              `toml:"open"`
	Theme     *theme            `toml:"theme"`
	Members   []member          `toml:"member"`
	Labels    map[string]string `toml:"labels"`
	Consensus struct {
		Meta      `toml:"-"`
		Algorithm string `toml:"algorithm"`
	} `toml:"consensus"`
}

type theme struct {
	Meta   `toml:"-"`
	Accent string `toml:"accent"`
}

func TestDecodeValues(t *testing.T) {
	src := "\uFEFFtitle = \"T\"\r\nquorum = 1\r\nopen = true\r\nlabels = { a = \"x\" }\r\n\r\n[theme]\r\naccent = \"#123\"\r\n\r\n[[member]]\r\nid = \"a\"\r\njoined = 2026-03-01\r\nholders = \"all\"\r\n\r\n[[member]]\r\nid = \"b\"\r\nholders = [\r\n  \"x\",\r\n  \"y\", # comment\r\n]\r\n[consensus]\r\nalgorithm = \"raft\"\r\n"
	var s settings
	if diags := Decode("s.toml", []byte(src), &s); len(diags) > 0 {
		t.Fatal(diags)
	}
	if s.TitleKey != "T" || s.Quorum != 1 || !s.Open || s.Theme == nil || s.Theme.Accent != "#123" || s.Labels["a"] != "x" || s.Consensus.Algorithm != "raft" {
		t.Errorf("decoded %+v", s)
	}
	if len(s.Members) != 2 || s.Members[0].Joined.String() != "2026-03-01" || strings.Join(s.Members[0].Holders, ",") != "all" || strings.Join(s.Members[1].Holders, ",") != "x,y" {
		t.Errorf("members %+v", s.Members)
	}
	for key, want := range map[string]string{"id": "s.toml:15:1", "holders[1]": "s.toml:18:3", "holders": "s.toml:16:1"} {
		if got := s.Members[1].At(key).String(); got != want {
			t.Errorf("member[1].At(%q) = %s, want %s", key, got, want)
		}
	}
	if got := s.Members[1].Pos.String(); got != "s.toml:14:1" {
		t.Errorf("member[1] header at %s", got)
	}
	if got := s.Theme.At("accent").String(); got != "s.toml:7:1" {
		t.Errorf("theme accent at %s", got)
	}
	if got := s.Meta.At("quorum").String(); got != "s.toml:2:1" {
		t.Errorf("quorum at %s", got)
	}
}

func TestDecodeDiagnostics(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"syntax", "title = \"T\"\n[[member]\n", "x.toml:2:9: error: expected end of table array name delimiter ']', but got '\\n' instead [toml/syntax]\n"},
		{"unknown key with suggestion", "title = \"T\"\n[[member]]\nid = \"a\"\n[[member]]\nid = \"b\"\n[[member]]\nid = \"c\"\n  nmae = \"C\"\n",
			"x.toml:8:3: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n"},
		{"unknown key without suggestion", "title = \"T\"\nzzzzzzzz = 1\n", "x.toml:2:1: error: unknown key \"zzzzzzzz\" [toml/unknown-key]\n"},
		{"unknown table", "title = \"T\"\n[themes]\naccent = \"x\"\n", "x.toml:2:1: error: unknown key \"themes\"; did you mean \"theme\"? [toml/unknown-key]\n"},
		{"wrong types", "title = 3\nquorum = \"half\"\n[[member]]\nid = \"a\"\njoined = 2026-03-01T10:00:00Z\nweight = 1.5\nholders = [\"x\", 2]\n",
			"x.toml:1:1: error: key \"title\" must be a string, not an integer [toml/type]\n" +
				"x.toml:2:1: error: key \"quorum\" must be a number, not a string [toml/type]\n" +
				"x.toml:5:1: error: key \"joined\" in [[member]] must be a date such as 2026-03-01, not a date-time [toml/type]\n" +
				"x.toml:6:1: error: key \"weight\" in [[member]] must be an integer, not a number [toml/type]\n" +
				"x.toml:7:17: error: element 2 of key \"holders\" in [[member]] must be a string, not an integer [toml/type]\n"},
		{"missing keys", "quorum = 0.5\n[[member]]\nname = \"A\"\n[[member]]\nid = \"\"\n",
			"x.toml:1:1: error: missing required key \"title\" [toml/missing-key]\n" +
				"x.toml:2:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:5:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n"},
		{"table where a value belongs", "title = \"T\"\ntheme = 3\n", "x.toml:2:1: error: key \"theme\" must be a table, not an integer [toml/type]\n"},
		{"multi-line strings hide keys", "title = \"\"\"\nnmae = \"x\"\n[[member]]\n\"\"\"\nzzz = '''\n]]'''\n", "x.toml:5:1: error: unknown key \"zzz\" [toml/unknown-key]\n"},
		{"dotted and quoted keys", "title = \"T\"\ntheme.accnt = \"x\"\n\"qq\" = 1\n", "x.toml:2:1: error: unknown key \"accnt\" in [theme]; did you mean \"accent\"? [toml/unknown-key]\nx.toml:3:1: error: unknown key \"qq\" [toml/unknown-key]\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s settings
			diags := Decode("x.toml", []byte(c.src), &s)
			diags.Sort()
			if got := diags.String(); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// FuzzDecode decodes arbitrary TOML: no panic, and every position lies
// inside the file.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"title = \"T\"\n[[member]]\nid = \"a\"\nholders = [\"x\", 'y']\n[theme]\naccent = \"#fff\"\n",
		"title = \"\"\"\nmulti\n\"\"\"\nlabels = { a = \"b\", c = \"d\" }\nmember = [{ id = \"x\" }]\n",
		"a.b.c = 1\n[x.y]\n[[x.y.z]]\n'q' = 2\n",
		"title = [\n 1, # c\n [2, 3],\n]\n",
		"[[member]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", src)) })
		defer watchdog.Stop()
		var s settings
		diags := Decode("f.toml", src, &s)
		_ = diags.String()
		body := trimBOM(src)
		lines := strings.Split(string(body), "\n")
		for _, d := range diags {
			if d.Pos.Line < 1 || d.Pos.Line > len(lines) {
				t.Fatalf("%s: line outside the file (%d lines)", d, len(lines))
			}
			if d.Pos.Col < 1 || d.Pos.Col > len(lines[d.Pos.Line-1])+1 {
				t.Fatalf("%s: column outside line %q", d, lines[d.Pos.Line-1])
			}
		}
	})
}
