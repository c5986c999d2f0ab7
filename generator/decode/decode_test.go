package decode

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"govpack/generator/diag"
)

// The targets below use every supported field kind.

type pack struct {
	Meta      `toml:"-"`
	Title     string            `toml:"title,required"`
	Quorum    float64           `toml:"quorum"`
	Open      bool              `toml:"open"`
	Count     int               `toml:"count"`
	Big       int64             `toml:"big"`
	Effective Date              `toml:"effective"`
	Tags      []string          `toml:"tags"`
	Labels    map[string]string `toml:"labels"`
	Theme     *theme            `toml:"theme"`
	Consensus consensus         `toml:"consensus"`
	Members   []member          `toml:"member"`
	Untagged  string            // not a TOML key: left alone
	Skipped   string            `toml:"-"`
}

type theme struct {
	Meta   `toml:"-"`
	Accent string `toml:"accent"`
	Footer string `toml:"footer"`
}

type consensus struct {
	Meta      Meta   `toml:"-"` // a named Meta field works too
	Algorithm string `toml:"algorithm,required"`
}

type member struct {
	Meta    `toml:"-"`
	ID      string   `toml:"id,required"`
	Name    string   `toml:"name"`
	Joined  Date     `toml:"joined"`
	Holders []string `toml:"holders"`
	Weight  int      `toml:"weight"`
	Seats   []seat   `toml:"seat"`
}

type seat struct {
	Meta  `toml:"-"`
	Body  string `toml:"body,required"`
	Chair bool   `toml:"chair"`
}

func decodePack(t *testing.T, src string) pack {
	t.Helper()
	var p pack
	if diags := Decode("p.toml", []byte(src), &p); len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", diags)
	}
	return p
}

func TestDecodeValues(t *testing.T) {
	for _, c := range []struct {
		name, src string
		got       func(p pack) any
		want      any
	}{
		{"string", `title = "T"`, func(p pack) any { return p.Title }, "T"},
		{"literal string", `title = 'C:\x'`, func(p pack) any { return p.Title }, `C:\x`},
		{"multi-line string", "title = \"\"\"\nline = 1\n[[member]]\n# no comment\"\"\"", func(p pack) any { return p.Title }, "line = 1\n[[member]]\n# no comment"},
		{"bool", "title = \"T\"\nopen = true", func(p pack) any { return p.Open }, true},
		{"int", "title = \"T\"\ncount = -3", func(p pack) any { return p.Count }, -3},
		{"int64", "title = \"T\"\nbig = 0x7fff_ffff_ffff", func(p pack) any { return p.Big }, int64(0x7fffffffffff)},
		{"float", "title = \"T\"\nquorum = 0.5", func(p pack) any { return p.Quorum }, 0.5},
		{"float from integer", "title = \"T\"\nquorum = 1", func(p pack) any { return p.Quorum }, 1.0},
		{"date", "title = \"T\"\neffective = 2026-03-01", func(p pack) any { return p.Effective }, Date{2026, time.March, 1}},
		{"string list", "title = \"T\"\ntags = [\"a\", 'b',\n  \"c\", # comment\n]", func(p pack) any { return p.Tags }, []string{"a", "b", "c"}},
		{"single string as list", "title = \"T\"\ntags = \"all\"", func(p pack) any { return p.Tags }, []string{"all"}},
		{"empty list", "title = \"T\"\ntags = []", func(p pack) any { return p.Tags }, []string{}},
		{"map", "title = \"T\"\nlabels = { a = \"x\", \"b c\" = \"y\" }", func(p pack) any { return p.Labels }, map[string]string{"a": "x", "b c": "y"}},
		{"map as table", "title = \"T\"\n[labels]\na = \"x\"", func(p pack) any { return p.Labels }, map[string]string{"a": "x"}},
		{"optional table absent", `title = "T"`, func(p pack) any { return p.Theme == nil }, true},
		{"optional table", "title = \"T\"\n[theme]\naccent = \"#123\"", func(p pack) any { return p.Theme.Accent }, "#123"},
		{"inline table", "title = \"T\"\ntheme = { accent = \"#123\", footer = \"F\" }", func(p pack) any { return p.Theme.Accent + p.Theme.Footer }, "#123F"},
		{"multi-line inline table", "title = \"T\"\ntheme = {\n  accent = \"#123\", # TOML 1.1\n  footer = \"F\",\n}", func(p pack) any { return p.Theme.Accent + p.Theme.Footer }, "#123F"},
		{"dotted keys", "title = \"T\"\ntheme.accent = \"#123\"\nconsensus.algorithm = \"raft\"", func(p pack) any { return p.Theme.Accent + p.Consensus.Algorithm }, "#123raft"},
		{"nested table", "title = \"T\"\n[consensus]\nalgorithm = \"pbft\"", func(p pack) any { return p.Consensus.Algorithm }, "pbft"},
		{"array of tables", "title = \"T\"\n[[member]]\nid = \"a\"\n[[member]]\nid = \"b\"\njoined = 2020-01-02", func(p pack) any {
			return fmt.Sprintf("%d %s %s %s", len(p.Members), p.Members[0].ID, p.Members[1].ID, p.Members[1].Joined)
		}, "2 a b 2020-01-02"},
		{"inline array of tables", "title = \"T\"\nmember = [{ id = \"a\" }, { id = \"b\", holders = \"x\" }]", func(p pack) any {
			return fmt.Sprintf("%d %s %s %v", len(p.Members), p.Members[0].ID, p.Members[1].ID, p.Members[1].Holders)
		}, "2 a b [x]"},
		{"nested array of tables", "title = \"T\"\n[[member]]\nid = \"a\"\n[[member.seat]]\nbody = \"x\"\n[[member.seat]]\nbody = \"y\"\nchair = true\n[[member]]\nid = \"b\"\n[[member.seat]]\nbody = \"z\"", func(p pack) any {
			return fmt.Sprintf("%v %s", p.Members[0].Seats, p.Members[1].Seats[0].Body)
		}, "[{{p.toml:4:1 map[body:p.toml:5:1]} x false} {{p.toml:6:1 map[body:p.toml:7:1 chair:p.toml:8:1]} y true}] z"},
		{"untagged fields are left alone", "title = \"T\"", func(p pack) any { return p.Untagged + p.Skipped }, ""},
		{"BOM and CRLF", "\uFEFFtitle = \"T\"\r\ntags = [\r\n  \"a\",\r\n]\r\n", func(p pack) any { return p.Title + strings.Join(p.Tags, ",") }, "Ta"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := decodePack(t, c.src)
			if got := c.got(p); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	const src = "" +
		"title = \"T\"\n" + // 1
		"  tags = [ \"a\",\n" + // 2
		"\t\"b\" ]\n" + // 3
		"theme.accent = \"x\"\n" + // 4
		"notes = \"\"\"\n" + // 5: a multi-line string that looks like TOML
		"[[member]]\n" + // 6
		"id = \"fake\"\n" + // 7
		"\"\"\"\n" + // 8
		"\n" + // 9
		"[[member]] # first\n" + // 10
		"id = \"a\"\n" + // 11
		"[[member]]\n" + // 12
		"id = \"b\"\n" + // 13
		"holders = [\n" + // 14
		"  \"x\", # comment, with [brackets]\n" + // 15
		"  'y'\n" + // 16
		"]\n" + // 17
		"  [[member]]\n" + // 18
		"  'id' = \"c\"\n" + // 19
		"  [[member.seat]]\n" + // 20
		"  body = \"s\"\n" + // 21
		"[consensus]\n" + // 22
		"algorithm = \"raft\"\n" // 23
	// notes is no key of pack: its one diagnostic shows the lookalike
	// lines inside the string were not taken for keys.
	var p pack
	diags := Decode("p.toml", []byte(src), &p)
	if got, want := diags.String(), "p.toml:5:1: error: unknown key \"notes\" [toml/unknown-key]\n"; got != want {
		t.Fatalf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range []struct {
		what string
		got  diag.Pos
		want string
	}{
		{"root", p.Pos, "p.toml:1:1"},
		{"title", p.At("title"), "p.toml:1:1"},
		{"tags", p.At("tags"), "p.toml:2:3"},
		{"tags[0]", p.At("tags[0]"), "p.toml:2:12"},
		{"tags[1] after a tab", p.At("tags[1]"), "p.toml:3:2"},
		{"tags[9] falls back to tags", p.At("tags[9]"), "p.toml:2:3"},
		{"missing key falls back to the table", p.At("nothing"), "p.toml:1:1"},
		{"dotted table", p.At("theme"), "p.toml:4:1"},
		{"dotted table's own position", p.Theme.Pos, "p.toml:4:1"},
		{"dotted key part", p.Theme.At("accent"), "p.toml:4:7"},
		{"array of tables key: its first header", p.At("member"), "p.toml:10:1"},
		{"array of tables elements", p.At("member[2]"), "p.toml:18:3"},
		{"first member", p.Members[0].Pos, "p.toml:10:1"},
		{"first member id", p.Members[0].At("id"), "p.toml:11:1"},
		{"second member", p.Members[1].Pos, "p.toml:12:1"},
		{"holders", p.Members[1].At("holders"), "p.toml:14:1"},
		{"holders[0]", p.Members[1].At("holders[0]"), "p.toml:15:3"},
		{"holders[1]", p.Members[1].At("holders[1]"), "p.toml:16:3"},
		{"third member", p.Members[2].Pos, "p.toml:18:3"},
		{"quoted key", p.Members[2].At("id"), "p.toml:19:3"},
		{"nested array of tables", p.Members[2].Seats[0].Pos, "p.toml:20:3"},
		{"nested key", p.Members[2].Seats[0].At("body"), "p.toml:21:3"},
		{"table", p.Consensus.Meta.Pos, "p.toml:22:1"},
		{"table key", p.Consensus.Meta.At("algorithm"), "p.toml:23:1"},
	} {
		if got := c.got.String(); got != c.want {
			t.Errorf("%s at %s, want %s", c.what, got, c.want)
		}
	}
	if len(p.Members) != 3 || p.Members[2].ID != "c" {
		t.Errorf("members: %+v", p.Members)
	}
}

func TestDiagnostics(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"syntax", "title = \"T\"\n[[member]\n",
			"x.toml:2:9: error: expected end of table array name delimiter ']', but got '\\n' instead [toml/syntax]\n"},
		{"syntax on the first line", "[[node]\nid = 1\n",
			"x.toml:1:7: error: expected end of table array name delimiter ']', but got '\\n' instead [toml/syntax]\n"},
		{"syntax after CRLF", "title = \"T\"\r\nquorum = \r\n",
			"x.toml:2:10: error: expected value but found '\\r' instead [toml/syntax]\n"},
		{"syntax after BOM", "\uFEFFtitle = \"T\nx = 1\n",
			"x.toml:1:11: error: strings cannot contain newlines [toml/syntax]\n"},
		{"duplicate key", "title = \"T\"\ntitle = \"U\"\n",
			"x.toml:2:1: error: key 'title' has already been defined [toml/syntax]\n"},
		{"UTF-16", "\xff\xfet\x00",
			"x.toml:1:1: error: file starts with a UTF-16 byte order mark; TOML files must be UTF-8 [toml/syntax]\n"},

		{"unknown key with suggestion in the third member", "title = \"T\"\n[[member]]\nid = \"a\"\n[[member]]\nid = \"b\"\n[[member]]\nid = \"c\"\n  nmae = \"C\"\n",
			"x.toml:8:3: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n"},
		{"unknown key without suggestion", "title = \"T\"\nzzzzzzzz = 1\n",
			"x.toml:2:1: error: unknown key \"zzzzzzzz\" [toml/unknown-key]\n"},
		{"short unknown key gets no wild guess", "title = \"T\"\nx = 1\n",
			"x.toml:2:1: error: unknown key \"x\" [toml/unknown-key]\n"},
		{"unknown table", "title = \"T\"\n[themes]\naccent = \"x\"\n",
			"x.toml:2:1: error: unknown key \"themes\"; did you mean \"theme\"? [toml/unknown-key]\n"},
		{"unknown super-table", "title = \"T\"\n[themes.dark]\naccent = \"x\"\n",
			"x.toml:2:1: error: unknown key \"themes\"; did you mean \"theme\"? [toml/unknown-key]\n"},
		{"unknown array of tables", "title = \"T\"\n\n[[membr]]\nid = \"a\"\n",
			"x.toml:3:1: error: unknown key \"membr\"; did you mean \"member\"? [toml/unknown-key]\n"},
		{"unknown key in a table", "title = \"T\"\n[consensus]\nalgorithm = \"raft\"\nalgo = 1\n",
			"x.toml:4:1: error: unknown key \"algo\" in [consensus] [toml/unknown-key]\n"},
		{"unknown key in a nested array of tables", "title = \"T\"\n[[member]]\nid = \"a\"\n[[member.seat]]\nbdy = \"x\"\n",
			"x.toml:4:1: error: [[member.seat]] is missing required key \"body\" [toml/missing-key]\n" +
				"x.toml:5:1: error: unknown key \"bdy\" in [[member.seat]]; did you mean \"body\"? [toml/unknown-key]\n"},
		{"unknown dotted key points at its own part", "title = \"T\"\ntheme.accnt = \"x\"\n\"q q\" = 1\n",
			"x.toml:2:7: error: unknown key \"accnt\" in [theme]; did you mean \"accent\"? [toml/unknown-key]\n" +
				"x.toml:3:1: error: unknown key \"q q\" [toml/unknown-key]\n"},
		{"unknown key in an inline table", "title = \"T\"\nmember = [\n  { id = \"a\" },\n  { id = \"b\", nmae = \"B\" },\n]\n",
			"x.toml:4:15: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n"},
		{"multi-line strings hide keys", "title = \"\"\"\nnmae = \"x\"\n[[member]]\n\"\"\"\nzzz = '''\n]]'''\n",
			"x.toml:5:1: error: unknown key \"zzz\" [toml/unknown-key]\n"},
		{"quoted key with escapes", "title = \"T\"\n\"caf\\u00e9\" = 1\n",
			"x.toml:2:1: error: unknown key \"café\" [toml/unknown-key]\n"},
		{"quoted key with a dot", "title = \"T\"\n[theme]\n\"accent.x\" = 1\n",
			"x.toml:3:1: error: unknown key \"accent.x\" in [theme]; did you mean \"accent\"? [toml/unknown-key]\n"},

		{"wrong types", "title = 3\nquorum = \"half\"\nopen = 1\ncount = 1.5\nbig = true\neffective = 2026-03-01T10:00:00Z\ntags = [\"x\", 2, [3]]\nlabels = { a = 1 }\ntheme = 3\nconsensus = [1]\nmember = 1\n",
			"x.toml:1:1: error: key \"title\" must be a string, not an integer [toml/type]\n" +
				"x.toml:2:1: error: key \"quorum\" must be a number, not a string [toml/type]\n" +
				"x.toml:3:1: error: key \"open\" must be a boolean, not an integer [toml/type]\n" +
				"x.toml:4:1: error: key \"count\" must be an integer, not a number [toml/type]\n" +
				"x.toml:5:1: error: key \"big\" must be an integer, not a boolean [toml/type]\n" +
				"x.toml:6:1: error: key \"effective\" must be a date such as 2026-03-01, not a date-time [toml/type]\n" +
				"x.toml:7:14: error: element 2 of key \"tags\" must be a string, not an integer [toml/type]\n" +
				"x.toml:7:17: error: element 3 of key \"tags\" must be a string, not an array [toml/type]\n" +
				"x.toml:8:12: error: key \"a\" in [labels] must be a string, not an integer [toml/type]\n" +
				"x.toml:9:1: error: key \"theme\" must be a table, not an integer [toml/type]\n" +
				"x.toml:10:1: error: key \"consensus\" must be a table, not an array [toml/type]\n" +
				"x.toml:11:1: error: key \"member\" must be an array of tables, written [[member]], not an integer [toml/type]\n"},
		{"more wrong types", "title = \"T\"\neffective = \"2026-03-01\"\nquorum = nan\ntags = 1\n[[member]]\nid = \"a\"\njoined = 10:00:00\nweight = 1e3\nholders = { a = \"b\" }\n",
			"x.toml:2:1: error: key \"effective\" must be a date such as 2026-03-01, not a string [toml/type]\n" +
				"x.toml:3:1: error: key \"quorum\" must be a finite number, not a number [toml/type]\n" +
				"x.toml:4:1: error: key \"tags\" must be a string or an array of strings, not an integer [toml/type]\n" +
				"x.toml:7:1: error: key \"joined\" in [[member]] must be a date such as 2026-03-01, not a time [toml/type]\n" +
				"x.toml:8:1: error: key \"weight\" in [[member]] must be an integer, not a number [toml/type]\n" +
				"x.toml:9:1: error: key \"holders\" in [[member]] must be a string or an array of strings, not a table [toml/type]\n"},
		{"table where an array of tables belongs", "title = \"T\"\n[member]\nid = \"a\"\n",
			"x.toml:2:1: error: key \"member\" must be an array of tables, written [[member]], not a table [toml/type]\n"},
		{"array of tables where a table belongs", "title = \"T\"\n[[theme]]\naccent = \"a\"\n",
			"x.toml:2:1: error: key \"theme\" must be a table, not an array of tables [toml/type]\n"},
		{"non-table element keeps later indices", "title = \"T\"\nmember = [1, { id = \"b\", nmae = \"x\" }]\n",
			"x.toml:2:11: error: element 1 of key \"member\" must be a table, not an integer [toml/type]\n" +
				"x.toml:2:26: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n"},
		{"integer too large for int", "title = \"T\"\nbig = 9223372036854775807\ncount = 9223372036854775807\n", ""},

		{"missing keys", "quorum = 0.5\n[[member]]\nname = \"A\"\n[[member]]\nid = \"\"\n[[member]]\nid = \"  \"\n[consensus]\n",
			"x.toml:1:1: error: missing required key \"title\" [toml/missing-key]\n" +
				"x.toml:2:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:5:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:7:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:8:1: error: [consensus] is missing required key \"algorithm\" [toml/missing-key]\n"},
		{"missing key in an empty file", "",
			"x.toml:1:1: error: missing required key \"title\" [toml/missing-key]\n"},
		{"missing key in an inline table", "title = \"T\"\nconsensus = {}\n",
			"x.toml:2:1: error: [consensus] is missing required key \"algorithm\" [toml/missing-key]\n"},
		{"missing key in an inline array element", "title = \"T\"\nmember = [\n  { id = \"a\" },\n  { name = \"b\" },\n]\n",
			"x.toml:4:3: error: [[member]] is missing required key \"id\" [toml/missing-key]\n"},
		{"root sits at its first key", "\n\n# comment\nquorum = 1\n",
			"x.toml:4:1: error: missing required key \"title\" [toml/missing-key]\n"},

		{"every problem, not the first", "titel = \"T\"\n[[member]]\nnmae = \"A\"\nweight = \"heavy\"\n[[member]]\nid = \"b\"\nholders = [\"x\", 1]\n",
			"x.toml:1:1: error: missing required key \"title\" [toml/missing-key]\n" +
				"x.toml:1:1: error: unknown key \"titel\"; did you mean \"title\"? [toml/unknown-key]\n" +
				"x.toml:2:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:3:1: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n" +
				"x.toml:4:1: error: key \"weight\" in [[member]] must be an integer, not a string [toml/type]\n" +
				"x.toml:7:17: error: element 2 of key \"holders\" in [[member]] must be a string, not an integer [toml/type]\n"},
		{"CRLF positions", "title = \"T\"\r\n[[member]]\r\nid = \"a\"\r\n  nmae = \"\"\"\r\nx = 1\r\n\"\"\"\r\n\r\n[[member]]\r\n\tnmae = 1\r\n",
			"x.toml:4:3: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n" +
				"x.toml:8:1: error: [[member]] is missing required key \"id\" [toml/missing-key]\n" +
				"x.toml:9:2: error: unknown key \"nmae\" in [[member]]; did you mean \"name\"? [toml/unknown-key]\n"},
		{"deep nesting is fine up to the limit", "title = \"T\"\nx = " + strings.Repeat("[", 199) + strings.Repeat("]", 199) + "\n" + strings.Repeat("y.", 199) + "z = 1\n",
			"x.toml:2:1: error: unknown key \"x\" [toml/unknown-key]\n" +
				"x.toml:3:1: error: unknown key \"y\" [toml/unknown-key]\n"},
		{"deeper arrays are refused", "title = \"T\"\nx = " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n",
			"x.toml:2:204: error: keys and values nest more than 200 levels deep [toml/syntax]\n"},
		{"longer dotted keys are refused", "title = \"T\"\n" + strings.Repeat("y.", 200) + "z = 1\n",
			"x.toml:2:401: error: keys and values nest more than 200 levels deep [toml/syntax]\n"},
		{"longer table names are refused", "title = \"T\"\n[" + strings.Repeat("y.", 200) + "z]\n",
			"x.toml:2:402: error: keys and values nest more than 200 levels deep [toml/syntax]\n"},
		{"deeper inline tables are refused", "title = \"T\"\n" + "x = " + strings.Repeat("{a = ", 200) + "1" + strings.Repeat("}", 200) + "\n",
			"x.toml:2:" + fmt.Sprint(6+5*199) + ": error: keys and values nest more than 200 levels deep [toml/syntax]\n"},
		{"BOM does not shift columns", "\uFEFFzzzzzz = 1\ntitle = \"T\"\n", "x.toml:1:1: error: unknown key \"zzzzzz\" [toml/unknown-key]\n"},
		{"a BOM past the start is no BOM", "title = \"T\"\n\uFEFF = 1\n", "x.toml:2:1: error: expected '.' or '=', but got '\\ufeff' instead [toml/syntax]\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p pack
			diags := Decode("x.toml", []byte(c.src), &p)
			diags.Sort()
			if got := diags.String(); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestMetaAt(t *testing.T) {
	m := Meta{
		Pos:  diag.Pos{File: "f", Line: 1, Col: 1},
		Keys: map[string]diag.Pos{"a": {File: "f", Line: 2, Col: 1}, "a[1]": {File: "f", Line: 3, Col: 5}},
	}
	for key, want := range map[string]string{"a": "f:2:1", "a[1]": "f:3:5", "a[0]": "f:2:1", "b": "f:1:1", "b[0]": "f:1:1", "[": "f:1:1", "a[": "f:1:1"} {
		if got := m.At(key).String(); got != want {
			t.Errorf("At(%q) = %s, want %s", key, got, want)
		}
	}
	if got := (Meta{}).At("x"); got != (diag.Pos{}) {
		t.Errorf("zero Meta At = %v", got)
	}
}

func TestDate(t *testing.T) {
	if s := (Date{2026, time.March, 1}).String(); s != "2026-03-01" {
		t.Errorf("String = %q", s)
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero String = %q", s)
	}
	if !(Date{}).IsZero() || (Date{Year: 1}).IsZero() {
		t.Error("IsZero")
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"id", "name", "joined", "holders", "description", "member", "members"}
	for s, want := range map[string]string{
		"nmae":        "name", // transposition: one edit
		"nam":         "name",
		"di":          "id",
		"x":           "", // every byte rewritten
		"ab":          "",
		"jioned":      "joined",
		"descriptoin": "description",
		"dscrptn":     "", // 4 edits is too many for 7 bytes
		"membr":       "member",
		"memberz":     "member", // tie with members goes to the first in byte order
		"zzzzzzzz":    "",
	} {
		if got := Nearest(s, keys); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", s, got, want)
		}
	}
	// Ties do not depend on candidate order.
	if a, b := Nearest("ab", []string{"aX", "aY"}), Nearest("ab", []string{"aY", "aX"}); a != "aX" || b != "aX" {
		t.Errorf("ties: %q, %q", a, b)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"name", "nmae", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"abc", "abc", 0},
	} {
		if d := editDistance(c.a, c.b); d != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}

// A bad Go struct panics whatever the input, so tests catch it at once.
func TestBadTargetsPanic(t *testing.T) {
	type unsupported struct {
		X []int `toml:"x"`
	}
	type nested struct {
		Inner []struct {
			F float32 `toml:"f"`
		} `toml:"inner"`
	}
	type option struct {
		X string `toml:"x,omitempty"`
	}
	type twice struct {
		A string `toml:"a"`
		B string `toml:"a"`
	}
	type unexported struct {
		x string `toml:"x"`
	}
	var s string
	for name, v := range map[string]any{
		"unsupported": &unsupported{}, "nested": &nested{}, "option": &option{}, "twice": &twice{}, "unexported": &unexported{},
		"not a pointer": unsupported{}, "not a struct": &s, "nil": (*pack)(nil),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			Decode("f.toml", nil, v)
		})
	}
	_ = unexported{}.x
}

// Recursive types are checked without looping.
func TestRecursiveTarget(t *testing.T) {
	type node struct {
		Name     string `toml:"name"`
		Children []node `toml:"child"`
		Next     *node  `toml:"next"`
	}
	var n node
	diags := Decode("f.toml", []byte("name = \"a\"\n[[child]]\nname = \"b\"\n[[child.child]]\nname = \"c\"\n[next]\nnme = 1\n"), &n)
	if got, want := diags.String(), "f.toml:7:1: error: unknown key \"nme\" in [next]; did you mean \"name\"? [toml/unknown-key]\n"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if n.Children[0].Children[0].Name != "c" || n.Next == nil {
		t.Errorf("decoded %+v", n)
	}
}

// Decoding into a struct replaces what its slices held, as decoding into
// a fresh value would.
func TestDecodeReplacesSlices(t *testing.T) {
	p := pack{Tags: []string{"old"}, Members: []member{{ID: "old"}}}
	if diags := Decode("f.toml", []byte("title = \"T\"\ntags = [\"new\"]\n[[member]]\nid = \"new\"\n"), &p); len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(p.Tags) != 1 || p.Tags[0] != "new" || len(p.Members) != 1 || p.Members[0].ID != "new" {
		t.Errorf("decoded %+v", p)
	}
}

func TestParseMessage(t *testing.T) {
	for in, want := range map[string]string{
		"toml: Key 'a' has already been defined.": "key 'a' has already been defined",
		"UTF-8 is required":                       "UTF-8 is required",
		"":                                        "invalid TOML",
		"first line\nsecond line":                 "first line",
	} {
		if got := parseMessage(in); got != want {
			t.Errorf("parseMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClampPos(t *testing.T) {
	src := []byte("ab\ncdef\n")
	for _, c := range []struct {
		line, col int
		want      string
	}{
		{0, 0, "f:1:1"}, {2, 3, "f:2:3"}, {2, 99, "f:2:5"}, {99, 99, "f:3:1"}, {-1, -1, "f:1:1"},
	} {
		if got := clampPos("f", src, c.line, c.col).String(); got != c.want {
			t.Errorf("clampPos(%d, %d) = %s, want %s", c.line, c.col, got, c.want)
		}
	}
}

// TestParseSimpleReadsFrontMatter checks that a document's usual front
// matter takes the short way: parseSimple saying no to everything would
// pass FuzzParseSimple and save nothing.
func TestParseSimpleReadsFrontMatter(t *testing.T) {
	src := "#++\ntitle = \"Decision-making\" # shown in the navigation\nweight = -2\ncovers = [\"decision-rules\", \"quorum\",]\ndraft = false\n\n"
	got, ok := parseSimple([]byte(src))
	want := map[string]any{"title": "Decision-making", "weight": int64(-2), "covers": []any{"decision-rules", "quorum"}, "draft": false}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("parseSimple = %#v, %v; want %#v", got, ok, want)
	}
}
