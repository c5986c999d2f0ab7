package markdown

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// programPattern is a rule pattern that compiles to a program, with the
// flags its lexer gives it.
type programPattern struct {
	pattern, flags string
	program        *program
}

// programPatterns returns the rule patterns of all of chroma's lexers
// that compile to programs, in a fixed order.
func programPatterns(t testing.TB) []programPattern {
	seen := map[[2]string]bool{}
	var out []programPattern
	for _, c := range everyLexer() {
		filtered := c.filtered
		if c.err != nil || filtered == nil {
			continue
		}
		for state, rules := range filtered.rules {
			for i, r := range rules {
				key := [2]string{r.Pattern, filtered.flags}
				if prog := filtered.plans[state][i].program; prog != nil && !seen[key] {
					seen[key] = true
					out = append(out, programPattern{r.Pattern, filtered.flags, prog})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].pattern+"\x00"+out[i].flags < out[j].pattern+"\x00"+out[j].flags
	})
	if len(out) < 1000 {
		t.Fatalf("only %d patterns compile to programs", len(out))
	}
	return out
}

// sameAsRegexp2 returns what differs between the program's match of
// text at pos and regexp2's, "" for nothing; a program that leaves the
// try to regexp2 differs in nothing.
func sameAsRegexp2(p programPattern, re *regexp2.Regexp, m *matcher, text []rune, pos int) string {
	end, caps, o := m.match(p.program, text, pos)
	if o == undecided {
		return ""
	}
	want, err := re.FindRunesMatchStartingAt(text, pos)
	if err != nil {
		return "" // regexp2 timed out: chroma would not match either
	}
	if want == nil || want.RuneIndex != pos {
		if o == matched {
			return fmt.Sprintf("matched %q, regexp2 did not", string(text[pos:end]))
		}
		return ""
	}
	if o != matched {
		return fmt.Sprintf("did not match, regexp2 matched %q", want.String())
	}
	got := make([]string, p.program.groups)
	for g := range got {
		if caps[2*g] >= 0 && caps[2*g+1] >= 0 {
			got[g] = string(text[caps[2*g]:caps[2*g+1]])
		}
	}
	var groups []string
	for _, g := range want.Groups() {
		groups = append(groups, g.String())
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", groups) {
		return fmt.Sprintf("groups %q, regexp2 %q", got, groups)
	}
	return ""
}

// programTexts are code-like texts whose every position the programs are
// tried at.
var programTexts = []string{
	"func (c *Contract) Transfer(ctx Context, id string) error {\n\tif x != nil && y <= 0x1F { return fmt.Errorf(\"a %s\\n\", id) }\n}\n",
	"routes:\n  - path: /api/v1 # c\n    methods: [GET, POST]\n    key: 'v' // x\n---\n",
	"{\n  \"a\": [1, 2.5e3, -0x1F, true, null],\n  // c\n  /* d */ \"b\\\"c\": {}\n}\n",
	"<p a='1'>x &amp; y</p> -- SELECT * FROM t WHERE a = 'x';\n#!/bin/sh\necho \"$HOME\" | grep -v '^#' > /dev/null 2>&1\n",
	"[[node]]\nid = \"peer-0\" # n\nport = 7050\ntls = true\ndate = 1979-05-27T07:32:00Z\n@decorator\ndef f(*a, **k): return a[1:2] ** 2 if a else `x`\n",
}

func TestProgramsMatchAsRegexp2(t *testing.T) {
	t.Parallel()
	var m matcher
	for _, p := range programPatterns(t) {
		re := regexp2.MustCompile(`\G(?` + p.flags + `)(?:` + p.pattern + `)`)
		re.MatchTimeout = 250 * time.Millisecond
		for _, text := range programTexts {
			runes := []rune(text)
			for pos := range runes {
				if diff := sameAsRegexp2(p, re, &m, runes, pos); diff != "" {
					t.Fatalf("%q (%s) at %d of %q: %s", p.pattern, p.flags, pos, text, diff)
				}
			}
		}
	}
}

func TestCompileProgram(t *testing.T) {
	for _, c := range []struct {
		pattern string
		ok      bool
	}{
		{`([a-zA-Z_]\w*)(\s*)(\()`, true}, {`(a|b)\b(\()`, true}, {`((?:(?!//)[^"\n{#])*?)(:)( )`, true},
		{`"(\\\\|\\"|[^"])*"`, true}, {`^\s*#.*$`, true}, {`a{2,3}?b`, true}, {`(?i)select\b`, true},
		{`(a)\1`, false}, {`(?<n>a)`, false}, {`(?<=a)b`, false}, {`(?>a)`, false}, {`(a*)*`, false},
		{`\Gx`, false}, {`(?=(a))`, false}, {`a{20}`, false}, {`(?x) a`, false}, {`a**`, false},
	} {
		if got := compileProgram(c.pattern, "m", map[string]asciiSet{}) != nil; got != c.ok {
			t.Errorf("%q: compiled %v, want %v", c.pattern, got, c.ok)
		}
	}
}

// FuzzProgram holds every pattern's program to regexp2 on any text.
func FuzzProgram(f *testing.F) {
	patterns := programPatterns(f)
	for i, text := range programTexts {
		f.Add(uint16(i*97), text, uint8(i))
	}
	res := make([]*regexp2.Regexp, len(patterns))
	var m matcher
	f.Fuzz(func(t *testing.T, i uint16, text string, pos uint8) {
		p := patterns[int(i)%len(patterns)]
		runes := []rune(strings.ToValidUTF8(text, "?"))
		if int(pos) > len(runes) {
			return
		}
		re := res[int(i)%len(patterns)]
		if re == nil {
			re = regexp2.MustCompile(`\G(?` + p.flags + `)(?:` + p.pattern + `)`)
			re.MatchTimeout = 250 * time.Millisecond
			res[int(i)%len(patterns)] = re
		}
		if diff := sameAsRegexp2(p, re, &m, runes, int(pos)); diff != "" {
			t.Fatalf("%q (%s) at %d of %q: %s", p.pattern, p.flags, pos, text, diff)
		}
	})
}
