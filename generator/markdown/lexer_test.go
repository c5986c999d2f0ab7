package markdown

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// lexedLanguages are the languages the filtered lexer is compared with
// chroma's on every input: the ones packs quote most, and others whose
// lexers use every kind of rule (nested lexers, combined states, named
// groups, case-insensitive keywords).
var lexedLanguages = []string{"go", "toml", "yaml", "json", "bash", "python", "html", "sql", "diff",
	"solidity", "rust", "javascript", "typescript", "java", "c", "dockerfile", "makefile", "xml",
	"ini", "protobuf", "php", "ruby", "powershell", "hcl"}

// tokens returns the tokens of code, or the panic lexing it. It gives up
// on a lexer that makes a thousand tokens more than code has characters.
func tokens(lexer chroma.Lexer, code string) (ts []chroma.Token, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return nil, err
	}
	for t := it(); t != chroma.EOF; t = it() {
		if len(ts) > len(code)+1000 {
			return ts, "runaway"
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// sameTokens fails t unless the filtered lexer of lang lexes code as
// chroma's lexer does.
func sameTokens(t *testing.T, lang string, filtered *filteredLexer, code string) {
	t.Helper()
	if err := compareLexers(lexers.Get(lang), filtered, code); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
}

// compareLexers returns what tells the filtered lexer's tokens of code
// from chroma's. Where chroma's lexer never ends, the filtered one must
// end, with tokens that hold the code (see maxEmptyMatches).
func compareLexers(lexer chroma.Lexer, filtered *filteredLexer, code string) error {
	want, wantPanic := tokens(lexer, code)
	got, gotPanic := tokens(filtered, code)
	if wantPanic == "runaway" && gotPanic == nil {
		if text := chroma.Stringify(got...); text != ensureLF(code) {
			return fmt.Errorf("%q: tokens hold %q", code, text)
		}
		return nil
	}
	if fmt.Sprint(gotPanic) != fmt.Sprint(wantPanic) || !slices.Equal(got, want) {
		return fmt.Errorf("%q:\n got %v %v\nwant %v %v", code, got, gotPanic, want, wantPanic)
	}
	return nil
}

func mustFilter(t testing.TB, lang string) *filteredLexer {
	l, err := newFilteredLexer(lexers.Get(lang))
	if err != nil || l == nil {
		t.Fatalf("%s: no filtered lexer: %v", lang, err)
	}
	return l
}

// benchCode is code as the benchmark packs write it, one block a language.
var benchCode = map[string]string{
	"toml": "# Nodes of one operator.\n[[node]]\nid = \"peer-0\"\nhost = \"peer0.member-007.example\"\nport = 7050\ntls = true\nregion = \"region-0\"\n\n",
	"go":   "// Transfer moves record id.\nfunc (c *Contract) Transfer(ctx Context, id, to string) error {\n\trec, err := c.get(ctx, id)\n\tif err != nil {\n\t\treturn fmt.Errorf(\"record %s: %w\", id, err)\n\t}\n\trec.Owner, rec.Version = to, rec.Version+1\n\treturn c.put(ctx, id, rec)\n}\n",
	"yaml": "# Gateway.\nroutes:\n  - path: /api/v1/records/17\n    methods: [GET, POST]\n    tls:\n      client_auth: require\n    limits:\n      requests_per_minute: 60\n",
	"json": "[\n  {\n    \"record_id\": \"lc-2026-000001\",\n    \"amount\": { \"currency\": \"USD\", \"value\": \"1000.00\" },\n    \"parties\": [\"member-001\", \"member-002\"], \"ok\": true, \"n\": null\n  }\n]\n",
}

// TestFilteredLexerIsChromas lexes the sample pack's code blocks and the
// benchmark packs' in the languages packs quote, and each block in three
// more languages, for tokens that language does not expect.
func TestFilteredLexerIsChromas(t *testing.T) {
	t.Parallel()
	codes := sampleCode(t)
	for _, code := range benchCode {
		codes = append(codes, code)
	}
	filtered := map[string]*filteredLexer{}
	for _, lang := range lexedLanguages {
		filtered[lang] = mustFilter(t, lang)
	}
	for i, code := range codes {
		langs := []string{"go", "toml", "yaml", "json", "bash"}
		for j := range 3 {
			langs = append(langs, lexedLanguages[(3*i+j)%len(lexedLanguages)])
		}
		for _, lang := range langs {
			sameTokens(t, lang, filtered[lang], code)
		}
	}
}

// TestFilteredLexerFilters guards the point of the filter: most rules of
// the languages packs quote get a set of starting characters.
func TestFilteredLexerFilters(t *testing.T) {
	for _, lang := range []string{"go", "toml", "yaml", "json"} {
		rules, filtered := 0, 0
		for _, plans := range mustFilter(t, lang).plans {
			for _, plan := range plans {
				rules++
				if plan.starts != nil {
					filtered++
				}
			}
		}
		if filtered*4 < rules*3 {
			t.Errorf("%s: %d of %d rules filtered", lang, filtered, rules)
		}
	}
}

// TestEveryLexer compiles every lexer chroma has as a filtered lexer and
// compares a few inputs: the filter is not tuned to the languages above.
// compiledLexer is one of chroma's lexers and its filtered lexer (nil
// for one that is not a RegexLexer).
type compiledLexer struct {
	lexer    chroma.Lexer
	filtered *filteredLexer
	err      error
}

// everyLexer compiles every one of chroma's lexers, once for the tests
// that read them all: compiling is most of their time under -race.
var everyLexer = sync.OnceValue(func() []compiledLexer {
	var out []compiledLexer
	for _, lexer := range lexers.GlobalLexerRegistry.Lexers {
		filtered, err := newFilteredLexer(lexer)
		out = append(out, compiledLexer{lexer, filtered, err})
	}
	return out
})

func TestEveryLexer(t *testing.T) {
	t.Parallel()
	codes := []string{"<p a='1'>x &amp; y</p> -- SELECT * FROM t WHERE a = 'x';\n",
		"#!/bin/sh\necho \"$HOME\" | grep -v '^#' > /dev/null 2>&1\n", "{\n  \"a\": [1, 2.5e3, -0x1F],\n  // c\n  /* d */\n}\n",
		"# café — naïve\nlet s = \"日本\"; // ü\nx = 'é' + 1\n"} // not ASCII: tokens are copied, not cut
	n := 0
	for _, c := range everyLexer() {
		if c.err != nil {
			t.Errorf("%s: %v", c.lexer.Config().Name, c.err)
			continue
		}
		if c.filtered == nil {
			continue // not a RegexLexer: chroma's own is used
		}
		n++
		for _, code := range codes {
			if err := compareLexers(c.lexer, c.filtered, code); err != nil {
				t.Errorf("%s: %v", c.lexer.Config().Name, err)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d lexers compared", n)
	}
}

func TestPatternStarts(t *testing.T) {
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for _, c := range []struct {
		pattern, flags string
		want           string // the ASCII starting characters; "-" for no filter
	}{
		{`func\b`, "m", "f"},
		{`(?:true|false)\b`, "m", "ft"},
		{`select`, "mi", "Ss"},
		{`(?i)select|X`, "m", "SXsx"}, // the option lasts to the end of the group
		{`(?i:s)|x`, "m", "Ssx"},
		{`\d+`, "m", "0123456789"},
		{`[a-c_]\w*`, "m", "_abc"},
		{`\s+`, "m", "\t\n\v\f\r "}, // .NET's \s has the vertical tab
		{`[^\W\d]\w*`, "m", "0123456789" + letters[:26] + "_" + letters[26:]}, // regexp2 reads it so
		{`[a-z-[aeiou]]`, "m", "bcdfghjklmnpqrstvwxyz"},
		{`\x41|\u0042|\103?C|\.`, "m", "-"},    // \103 may be a backreference
		{`\x41|\u0042|\0103|\.`, "m", "\b.AB"}, // octal: \010 then 3
		{`a{0,2}b|c{2}`, "m", "abc"},
		{`{x}`, "m", "{"},
		{`\s*`, "m", "-"},    // matches the empty string
		{`$`, "m", "-"},      // an anchor alone
		{`(?=x)x`, "m", "-"}, // lookahead
		{`(a)\1`, "m", "a"},  // a backreference past the start is read through
		{`a(?=b)|c(?<!x)\k<n>`, "m", "ac"},
		{`(a|\1)`, "m", "-"},       // a backreference at the start of an alternative
		{`(a?)\1`, "m", "-"},       // a backreference at the start
		{`(?x) a`, "m", "-"},       // extended syntax
		{`\bfoo|bar?`, "m", "bf"},  // anchors consume nothing
		{`(x?)(y*)z`, "m", "xyz"},  // optional parts let later ones start
		{`K`, "mi", "Kk"},          // the Kelvin sign is not ASCII: never filtered
		{"\u212a", "mi", "Kk"},     // ignoring case, regexp2 matches it to k
		{"\u00e9t\u00e9", "m", ""}, // a non-ASCII start: no ASCII character
	} {
		set := patternStarts(c.pattern, c.flags, map[string]asciiSet{})
		got := "-"
		if set != nil {
			var b strings.Builder
			for r := rune(0); r < 128; r++ {
				if set.has(r) {
					b.WriteRune(r)
				}
			}
			got = b.String()
		}
		if got != c.want {
			t.Errorf("%q (%s): starts %q, want %q", c.pattern, c.flags, got, c.want)
		}
	}
}

func FuzzFilteredLexer(f *testing.F) {
	for i, lang := range lexedLanguages {
		if code, ok := benchCode[lang]; ok {
			f.Add(uint8(i), code)
		}
	}
	f.Add(uint8(0), "x := `raw\n` + \"\\u00e9\" // \u212a\v\n")
	f.Add(uint8(2), "a: |\n  b\n\tc: [d, {e: f}]\n")
	f.Add(uint8(6), "<script>var a = 1;</script><style>p{}</style>")
	filtered := map[string]*filteredLexer{}
	for _, lang := range lexedLanguages {
		filtered[lang] = mustFilter(f, lang)
	}
	f.Fuzz(func(t *testing.T, lang uint8, code string) {
		l := lexedLanguages[int(lang)%len(lexedLanguages)]
		sameTokens(t, l, filtered[l], code)
	})
}

// TestEmptyMatchesEnd lexes what makes chroma's JSONata lexer loop
// forever: the filtered lexer ends, and its tokens hold the code.
func TestEmptyMatchesEnd(t *testing.T) {
	code := "a | b\n"
	if _, p := tokens(lexers.Get("JSONata"), code); p != "runaway" {
		t.Fatalf("chroma's lexer ended (%v): the test no longer shows the guard", p)
	}
	ts, p := tokens(mustFilter(t, "JSONata"), code)
	if p != nil {
		t.Fatal(p)
	}
	if got := chroma.Stringify(ts...); got != code {
		t.Errorf("tokens hold %q, want %q", got, code)
	}
}

// TestLexerRewritingItsRules lexes Raku, whose mutators put rules of
// their own making in place of the lexer's while lexing (the closing
// delimiter of a quote or regex): the tokens are chroma's, every time,
// and the lexer's rules are as they were, so that another tokenisation
// (another code block, perhaps at the same time) and the rules' plans
// are not thrown off.
func TestLexerRewritingItsRules(t *testing.T) {
	t.Parallel()
	l := mustFilter(t, "raku")
	if !l.rewritesRules {
		t.Fatal("Raku's lexer is not known to rewrite its rules: the test no longer shows the copy")
	}
	before := map[string][]*chroma.CompiledRule{}
	for state, rs := range l.rules {
		before[state] = slices.Clone(rs)
	}
	code := "my $r = rx/ab+c/;\nsay 'x' ~~ m{y+};\nmy $s = q{a {b} c};\n$x ~~ s/a/b/;\nmy regex foo { <[a..z]>+ }\n"
	for range 2 {
		if err := compareLexers(lexers.Get("raku"), l, code); err != nil {
			t.Fatal(err)
		}
	}
	for state, rs := range l.rules {
		if !slices.Equal(rs, before[state]) {
			t.Errorf("state %s: rules changed by lexing", state)
		}
	}
	if mustFilter(t, "go").rewritesRules {
		t.Error("Go's lexer is taken to rewrite its rules: every code block would copy them")
	}
}

// matchesAsRegexp2 fails t unless match, a matcher of pattern, matches
// each text as regexp2 does at its start, or leaves a text with a
// non-ASCII character to regexp2.
func matchesAsRegexp2(t *testing.T, pattern, flags string, match func([]rune) (int, bool), texts ...string) {
	t.Helper()
	re := regexp2.MustCompile(`\G(?` + flags + `)(?:` + pattern + `)`)
	for _, text := range texts {
		n, known := match([]rune(text))
		if !known {
			if !strings.ContainsFunc(text, func(r rune) bool { return r >= 128 }) {
				t.Errorf("%q on %q: left to regexp2 without a non-ASCII character", pattern, text)
			}
			continue
		}
		want := -1
		if m, _ := re.FindRunesMatchStartingAt([]rune(text), 0); m != nil {
			want = len([]rune(m.String()))
		}
		if n != want {
			t.Errorf("%q on %q: matched %d, regexp2 %d", pattern, text, n, want)
		}
	}
}

func TestRunPattern(t *testing.T) {
	for _, c := range []struct {
		pattern string
		run     bool
	}{
		{`\s+`, true}, {`[.,=\[\]{}]`, true}, {`[^\W\d]\w*`, true}, {`::`, true}, {`#?x`, false},
		{`a?`, true}, {`\d\d-`, true}, {`a+b`, false}, {`(a)`, false}, {`a|b`, false}, {`\bx`, false},
		{`a*?`, false}, {`a{2}`, false}, {`a++`, false}, {`.`, true}, {`$`, false}, {`[x`, false},
	} {
		run := newRunPattern(c.pattern, "m", map[string]asciiSet{})
		if (run != nil) != c.run {
			t.Errorf("%q: run pattern %v, want %v", c.pattern, run != nil, c.run)
		}
		if run == nil {
			continue
		}
		matchesAsRegexp2(t, c.pattern, "m", run.match,
			"", " ", "  \tx", "\n\n", "a", "aa", "ab", ".,x", "x1_y z", "1x", "::", ":", "\u00e9", " \u00a0", "a\u00e9", "12-3", "1-", "\v")
	}
}

// BenchmarkLexers tokenises each benchmark language's block, about 2 KB,
// with chroma's lexer and with the filtered one.
func BenchmarkLexers(b *testing.B) {
	for _, lang := range []string{"go", "toml", "yaml", "json"} {
		code := strings.Repeat(benchCode[lang], 2048/len(benchCode[lang])+1)
		for _, l := range []struct {
			name  string
			lexer chroma.Lexer
		}{{"chroma", lexers.Get(lang)}, {"filtered", mustFilter(b, lang)}} {
			b.Run(lang+"/"+l.name, func(b *testing.B) {
				b.SetBytes(int64(len(code)))
				for b.Loop() {
					it, err := l.lexer.Tokenise(nil, code)
					if err != nil {
						b.Fatal(err)
					}
					for t := it(); t != chroma.EOF; t = it() {
					}
				}
			})
		}
	}
}

func TestWordsPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, flags string
		words          bool
	}{
		{`(break|case|go|goto)\b`, "m", true}, {`(?:true|false)\b`, "m", true}, {`(a_1|b)\b`, "ms", true},
		{`(select)\b`, "mi", false}, {`(a|b.c)\b`, "m", false}, {`(a|)\b`, "m", false}, {`(a|b)`, "m", false},
		{`(a|b)\b(\()`, "m", false}, {`\b(a|b)\b`, "m", false}, {`(é|b)\b`, "m", false},
	} {
		w := newWordsPattern(c.pattern, c.flags)
		if (w != nil) != c.words {
			t.Errorf("%q: words pattern %v, want %v", c.pattern, w != nil, c.words)
		}
		if w == nil {
			continue
		}
		matchesAsRegexp2(t, c.pattern, c.flags, w.match,
			"", "go", "goto", "gotox", "go to", "go_", "go1", "go.", "goé", "go\u00a0", "break(", "cas", "true", "truest", "false\n", "a_1", "a_1b", "b")
	}
}

// TestConverterUsesFilteredLexer guards against a silent fall back to
// chroma's own loop, which would make the same HTML, only slower.
func TestConverterUsesFilteredLexer(t *testing.T) {
	c := New(false)
	for _, lang := range []string{"go", "toml", "yaml", "json", "bash", "solidity"} {
		l := c.lexer(lang)
		inner := reflect.ValueOf(l).Elem().Field(0).Interface() // chroma.Coalesce's lexer
		if _, ok := inner.(*filteredLexer); !ok {
			t.Errorf("%s: highlighted with %T", lang, inner)
		}
	}
	if c.lexer("no-such-language") != nil {
		t.Error("an unknown language has a lexer")
	}
}

// Named groups are made for a match only where something may read them:
// chroma's ByGroupNames, or a lexer's own emitter or mutator; ByGroups
// of token types makes its tokens without chroma's emitters. A lexer
// with every kind lexes as chroma's does, a direct match, a program and
// regexp2 alike: groups left out or ignored, empty groups.
func TestNamedGroupsMadeWhereRead(t *testing.T) {
	t.Parallel()
	named := chroma.EmitterFunc(func(groups []string, state *chroma.LexerState) chroma.Iterator {
		return chroma.Literator(chroma.Token{Type: chroma.NameTag, Value: state.NamedGroups["0"]})
	})
	readsName := chroma.MutatorFunc(func(state *chroma.LexerState) error {
		if state.NamedGroups["key"] == "" {
			return fmt.Errorf("no named group at %d", state.Pos)
		}
		return nil
	})
	lexer := chroma.MustNewLexer(&chroma.Config{Name: "named"}, func() chroma.Rules {
		return chroma.Rules{"root": {
			{Pattern: `(?<key>[a-z]+)(=)`, Type: chroma.ByGroups(chroma.NameAttribute, chroma.Operator), Mutator: readsName},
			{Pattern: `([0-9]+)(;)`, Type: chroma.ByGroups(named, chroma.Punctuation)},
			{Pattern: `#+`, Type: named},
			{Pattern: `(\s+)`, Type: chroma.ByGroups(chroma.Whitespace)},
			{Pattern: `(let)( *)(=?)`, Type: chroma.ByGroups(chroma.Keyword, nil, chroma.Operator)},
			{Pattern: `(var)(\d*)(\.?)(?=;)`, Type: chroma.ByGroups(chroma.Keyword, chroma.Ignore, chroma.Punctuation)},
			{Pattern: `"(?:[^"\\]|\\.)*"`, Type: chroma.ByGroupNames(map[string]chroma.Emitter{"0": chroma.String})},
			{Pattern: `[^\s]`, Type: chroma.Text},
		}}
	})
	filtered, err := newFilteredLexer(lexer)
	if err != nil {
		t.Fatal(err)
	}
	var byNumber []bool
	for _, plan := range filtered.plans["root"] {
		byNumber = append(byNumber, plan.byNumber)
	}
	if want := []bool{false, false, false, true, true, true, false, true}; !slices.Equal(byNumber, want) {
		t.Errorf("rules taken to read groups by number only: %v, want %v", byNumber, want)
	}
	for _, i := range []int{3, 4, 5} {
		if filtered.plans["root"][i].groupTokens == nil {
			t.Errorf("rule %d: tokens made by chroma's emitters", i)
		}
	}
	for _, code := range []string{"ab=12; ### \"x\\\"y\" cd=3;\n", "let x\nlet  =1;\nlet=\nvar12.;var;var.;var3 \"é\" let\n"} {
		if err := compareLexers(lexer, filtered, code); err != nil {
			t.Error(err)
		}
	}
	// Go's calls: ByGroups with UsingSelf, matched by a program.
	call := `([a-zA-Z_]\w*)(\s*)(\()`
	i := slices.IndexFunc(mustFilter(t, "go").plans["root"], func(p rulePlan) bool { return p.rule.Pattern == call })
	if i < 0 || !mustFilter(t, "go").plans["root"][i].byNumber {
		t.Errorf("go: the rule %s (rule %d) is taken to read named groups", call, i)
	}
}
