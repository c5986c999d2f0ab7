package markdown

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// A chroma RegexLexer tries, at each position, every rule of its state in
// turn until one matches; each try is a call into a backtracking regular
// expression engine, and most tries fail at the first character. That was
// nine tenths of highlighting. filteredLexer runs the same rules and
// regular expressions in the same order, and so makes the same tokens,
// but skips the rules whose pattern cannot start with the character at
// the position: it is chroma's lexing loop (LexerState.Iterator) with a
// first-character test before each try. The rules it does try are matched
// without regexp2 where their patterns are plain enough (runPattern,
// wordsPattern, program), which decide as regexp2 does.
type filteredLexer struct {
	*chroma.RegexLexer
	rules chroma.CompiledRules
	// plans holds, per state and rule, how the rule is tried.
	plans map[string][]rulePlan
	// candidates holds, per state, the rules each ASCII character can
	// start: a match tries those alone rather than test every rule's
	// starting set. Unused where mutators rewrite the rules.
	candidates map[string]*ruleCandidates
	flags      string // regexp2's options for every rule, as chroma sets them
	// rewritesRules says that a mutator of the lexer may do more than
	// push and pop states: Raku's put rules of their own making in place
	// of others while lexing. Each tokenisation then gets its own rules.
	rewritesRules bool
	// scratch holds the *lexScratch of finished tokenisations, for the
	// next to use again.
	scratch sync.Pool
}

// lexScratch is what a tokenisation grows: the text as runes (four times
// a block's bytes), the matcher's stack and captures, groups and tokens.
type lexScratch struct {
	runes   []rune
	matcher matcher
	groups  []string
	pending []chroma.Token
}

// rulePlan is how a rule is tried at a position.
type rulePlan struct {
	// rule is the rule planned for; a rule put in its place while lexing
	// is tried by regexp2 alone.
	rule *chroma.CompiledRule
	// starts holds the ASCII characters a match can start with; nil when
	// the rule must always be tried.
	starts *asciiSet
	// direct, when set, matches the rule without regexp2 (see runPattern
	// and wordsPattern): the length it matches at the start of text, -1
	// for none; known is false when regexp2 must decide. captured says
	// that the match is also the rule's one numbered group.
	direct   func(text []rune) (n int, known bool)
	captured bool
	// program, when set, matches the rule without regexp2 where it can
	// decide (see program).
	program *program
	// token is the type of the one token the rule makes from its whole
	// match, when nothing else reads the match: its type is a plain
	// TokenType and its mutator, if any, pushes or pops states. Such a
	// match needs neither its groups nor an emitter.
	token *chroma.TokenType
	// byNumber says that the rule's emitter and mutator read the match's
	// numbered groups only, as chroma's own do, and at once: its named
	// groups, a map made for every match, are then left unmade, and its
	// groups are cut into a slice used again.
	byNumber bool
	// groupTokens, when set, are the token types of the groups of a rule
	// whose emitter is ByGroups of token types (nil for a group left
	// out): its tokens are made from the match directly, not by chroma's
	// emitters, a closure or two for every group.
	groupTokens []*chroma.TokenType
}

// groups returns the groups and named groups of a direct match of text,
// as regexp2's match would give them; none named when nothing reads them.
func (p *rulePlan) groups(it *filteredIterator, text string) ([]string, map[string]string) {
	switch {
	case p.byNumber && p.captured:
		groups := it.groupRoom(p, 2)
		groups[0], groups[1] = text, text
		return groups, nil
	case p.byNumber:
		groups := it.groupRoom(p, 1)
		groups[0] = text
		return groups, nil
	case p.captured:
		return []string{text, text}, map[string]string{"0": text, "1": text}
	}
	return []string{text}, map[string]string{"0": text}
}

// groupRoom returns room for the n groups of a match of plan's rule, for
// the caller to set every one: the iterator's slice, used again, when
// nothing keeps them.
func (it *filteredIterator) groupRoom(plan *rulePlan, n int) []string {
	if !plan.byNumber {
		return make([]string, n)
	}
	if cap(it.groups) < n {
		it.groups = make([]string, n)
	}
	return it.groups[:n]
}

// plainToken returns the token type of a rule that makes one token of its
// whole match and whose mutator reads nothing of the match, else nil.
func plainToken(r *chroma.CompiledRule) *chroma.TokenType {
	t, ok := r.Type.(chroma.TokenType)
	if !ok {
		return nil
	}
	if r.Mutator != nil {
		m, ok := r.Mutator.(chroma.SerialisableMutator)
		if !ok || m.MutatorKind() != "push" && m.MutatorKind() != "pop" {
			return nil
		}
	}
	return &t
}

// asciiSet is a set of ASCII characters.
type asciiSet [2]uint64

func (s *asciiSet) add(c rune)             { s[c>>6] |= 1 << (c & 63) }
func (s *asciiSet) has(c rune) bool        { return s[c>>6]&(1<<(c&63)) != 0 }
func (s *asciiSet) union(o *asciiSet)      { s[0] |= o[0]; s[1] |= o[1] }
func (s *asciiSet) meets(o *asciiSet) bool { return s[0]&o[0] != 0 || s[1]&o[1] != 0 }

// unfiltered reports whether c is a character at which every rule is
// tried: the starting sets hold ASCII characters only.
func unfiltered(c rune) bool { return c >= utf8.RuneSelf }

// newFilteredLexer compiles the rules of lexer as chroma does (same
// patterns, flags, time-out, includes and combined states) and works out
// each rule's starting characters. It returns nil for a lexer that is not
// a RegexLexer.
func newFilteredLexer(lexer chroma.Lexer) (*filteredLexer, error) {
	rl, ok := lexer.(*chroma.RegexLexer)
	if !ok {
		return nil, nil
	}
	raw, err := rl.Rules()
	if err != nil {
		return nil, err
	}
	config := rl.Config()
	flags := ""
	if !config.NotMultiline {
		flags += "m"
	}
	if config.CaseInsensitive {
		flags += "i"
	}
	if config.DotAll {
		flags += "s"
	}
	rules := chroma.CompiledRules{}
	for state, rs := range raw {
		rules[state] = nil // a state without rules is still a state
		for i, r := range rs {
			cr := &chroma.CompiledRule{Rule: r}
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			if cr.Regexp, err = regexp2.Compile(`\G` + pattern); err != nil {
				return nil, fmt.Errorf("%s: rule %s.%d: %w", config.Name, state, i, err)
			}
			cr.Regexp.MatchTimeout = 250 * time.Millisecond
			rules[state] = append(rules[state], cr)
		}
	}
	// Includes and combined states rewrite the rules, each rewrite may
	// add rules and copy other includes, so the scan starts again after
	// one, as chroma's does.
restart:
	for state, rs := range rules {
		for i, r := range rs {
			if m, ok := r.Mutator.(chroma.LexerMutator); ok {
				if err := m.MutateLexer(rules, state, i); err != nil {
					return nil, fmt.Errorf("%s: %w", config.Name, err)
				}
				goto restart
			}
		}
	}
	plans := map[string][]rulePlan{}
	atoms := map[string]asciiSet{}
	rewrites := false
	for state, rs := range rules {
		plans[state] = make([]rulePlan, len(rs))
		for i, r := range rs {
			rewrites = rewrites || r.Mutator != nil && !movesStates(r.Mutator)
			plan := rulePlan{rule: r, starts: patternStarts(r.Pattern, flags, atoms), token: plainToken(r),
				byNumber: emitsByNumber(r.Type) && (r.Mutator == nil || movesStates(r.Mutator))}
			if plan.byNumber {
				plan.groupTokens = groupTokens(r.Type)
			}
			if run := newRunPattern(r.Pattern, flags, atoms); run != nil {
				plan.direct = run.match
			} else if words := newWordsPattern(r.Pattern, flags); words != nil {
				plan.direct, plan.captured = words.match, words.group
			} else {
				plan.program = compileProgram(r.Pattern, flags, atoms)
			}
			plans[state][i] = plan
		}
	}
	candidates := make(map[string]*ruleCandidates, len(plans))
	for state, ps := range plans {
		candidates[state] = candidatesOf(ps)
	}
	return &filteredLexer{RegexLexer: rl, rules: rules, plans: plans, candidates: candidates, flags: flags, rewritesRules: rewrites}, nil
}

// ruleCandidates lists, for each ASCII character, the rules of a state
// that can start with it, in order.
type ruleCandidates [utf8.RuneSelf][]int32

func candidatesOf(plans []rulePlan) *ruleCandidates {
	var c ruleCandidates
	for i, plan := range plans {
		for ch := range rune(utf8.RuneSelf) {
			if plan.starts == nil || plan.starts.has(ch) {
				c[ch] = append(c[ch], int32(i))
			}
		}
	}
	return &c
}

// movesStates reports whether m only pushes and pops states, as chroma's
// own mutators do; a function of a lexer's may do anything.
func movesStates(m chroma.Mutator) bool {
	s, ok := m.(chroma.SerialisableMutator)
	if !ok {
		return false
	}
	switch s.MutatorKind() {
	case "push", "pop":
		return true
	case "mutators":
		// chroma.Mutators(...)
		list, ok := exportedField[[]chroma.Mutator](m, "Mutators")
		return ok && !slices.ContainsFunc(list, func(m chroma.Mutator) bool { return !movesStates(m) })
	}
	return false
}

// emitsByNumber reports whether e reads nothing of a match but its
// numbered groups: a token type, or chroma's emitters that pass groups
// on by number. ByGroupNames and a lexer's own functions may read the
// named groups.
func emitsByNumber(e chroma.Emitter) bool {
	switch e := e.(type) {
	case nil, chroma.TokenType:
		return true
	case chroma.SerialisableEmitter:
		switch e.EmitterKind() {
		case "using", "usingself":
			return true
		case "bygroups", "usingbygroup":
			list, ok := exportedField[chroma.Emitters](e, "Emitters")
			return ok && !slices.ContainsFunc(list, func(e chroma.Emitter) bool { return !emitsByNumber(e) })
		}
	}
	return false
}

// groupTokens returns the token types of e's groups when e is ByGroups
// of token types and nothing else, else nil.
func groupTokens(e chroma.Emitter) []*chroma.TokenType {
	s, ok := e.(chroma.SerialisableEmitter)
	if !ok || s.EmitterKind() != "bygroups" {
		return nil
	}
	list, ok := exportedField[chroma.Emitters](e, "Emitters")
	if !ok {
		return nil
	}
	types := make([]*chroma.TokenType, len(list))
	for i, e := range list {
		switch e := e.(type) {
		case nil:
		case chroma.TokenType:
			types[i] = &e
		default:
			return nil
		}
	}
	return types
}

// exportedField returns the field name of the struct that v points to: a
// list chroma keeps in an exported field of an unexported type.
func exportedField[T any](v any, name string) (T, bool) {
	var zero T
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return zero, false
	}
	f := rv.Elem().FieldByName(name)
	if !f.IsValid() || !f.CanInterface() {
		return zero, false
	}
	t, ok := f.Interface().(T)
	return t, ok
}

// stateRules returns the rules a tokenisation lexes with: the lexer's,
// or a copy of them that its mutators may rewrite.
func (l *filteredLexer) stateRules() chroma.CompiledRules {
	if !l.rewritesRules {
		return l.rules
	}
	own := make(chroma.CompiledRules, len(l.rules))
	for state, rs := range l.rules {
		own[state] = slices.Clone(rs)
	}
	return own
}

// patternStarts returns the ASCII characters a match of pattern (in
// regexp2's syntax, under flags) can start with, or nil when that is not
// known for sure: the pattern can match the empty string, or starts with
// a construct the reading below does not follow (lookarounds,
// backreferences, conditionals, extended syntax). The pattern's
// structure — alternation, groups, quantifiers — is read here; what each
// single-character atom (a literal, an escape, a class, the dot) matches
// is asked of regexp2 itself, character by character, so that its
// reading of classes and case folding is the one that counts. atoms
// caches those answers.
func patternStarts(pattern, flags string, atoms map[string]asciiSet) *asciiSet {
	p := &startParser{pattern: pattern, flags: flags, atoms: atoms}
	set, empty := p.alternation()
	if p.failed || empty || p.i != len(p.pattern) {
		return nil
	}
	return &set
}

// startParser reads the start of a pattern.
type startParser struct {
	pattern string
	i       int
	flags   string // in effect at i
	atoms   map[string]asciiSet
	failed  bool
	// lenient counts the sequences being read past an element that
	// cannot be empty: what follows it does not change where a match
	// starts, so a backreference or a lookaround there is read through
	// rather than failing the reading.
	lenient int
}

// alternation reads alternatives up to the end of the group, and returns
// the characters any can start with and whether any can be empty.
func (p *startParser) alternation() (set asciiSet, empty bool) {
	flags := p.flags // an inline (?i) lasts to the end of its group
	defer func() { p.flags = flags }()
	for !p.failed {
		s, e := p.sequence()
		set.union(&s)
		empty = empty || e
		if p.i >= len(p.pattern) || p.pattern[p.i] != '|' {
			break
		}
		p.i++
	}
	return set, empty
}

// sequence reads one alternative: its elements up to the first that
// cannot be empty can start a match.
func (p *startParser) sequence() (set asciiSet, empty bool) {
	empty = true
	for !p.failed && p.i < len(p.pattern) && p.pattern[p.i] != '|' && p.pattern[p.i] != ')' {
		s, e := p.element()
		if empty {
			set.union(&s)
			if empty = e; !empty {
				p.lenient++
				defer func() { p.lenient-- }()
			}
		}
	}
	return set, empty
}

// element reads an atom or a group and its quantifier.
func (p *startParser) element() (set asciiSet, empty bool) {
	start := p.i
	switch c := p.pattern[p.i]; c {
	case '(':
		set, empty = p.group()
	case '[':
		p.class()
		set = p.atom(p.pattern[start:p.i])
	case '\\':
		set, empty = p.escape()
	case '^', '$':
		p.i++
		return set, true // no quantifier is meant for an anchor
	case '*', '+', '?':
		p.failed = true
		return set, false
	default:
		_, size := utf8.DecodeRuneInString(p.pattern[p.i:])
		p.i += size
		set = p.atom(p.pattern[start:p.i])
	}
	if least, _, _, ok := p.quantifier(); ok && least == 0 {
		empty = true
	}
	return set, empty
}

// group reads a parenthesized group.
func (p *startParser) group() (set asciiSet, empty bool) {
	p.i++ // (
	rest := p.pattern[p.i:]
	switch {
	case !strings.HasPrefix(rest, "?"): // a numbered group
	case strings.HasPrefix(rest, "?:"):
		p.i += 2
	case p.lenient > 0 && lookaround(rest) != "":
		p.i += len(lookaround(rest))
		p.alternation()
		if p.i >= len(p.pattern) || p.pattern[p.i] != ')' {
			p.failed = true
			return set, false
		}
		p.i++
		return asciiSet{}, true
	case strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!"),
		strings.HasPrefix(rest, "?'"), strings.HasPrefix(rest, "?P<"):
		end := strings.IndexAny(rest, ">'")
		if end < 0 {
			p.failed = true
			return set, false
		}
		p.i += end + 1
	default: // options, (?i) or (?i:…), or what the reading does not follow
		end := strings.IndexAny(rest, ":)")
		if end < 0 || strings.Trim(rest[1:end], "imsn-") != "" {
			p.failed = true // lookaround, atomic group, conditional, comment, x option
			return set, false
		}
		p.i += end + 1
		flags := p.withOptions(rest[1:end])
		if rest[end] == ')' {
			p.flags = flags
			return set, true
		}
		outer := p.flags
		p.flags = flags
		defer func() { p.flags = outer }()
	}
	set, empty = p.alternation()
	if p.i >= len(p.pattern) || p.pattern[p.i] != ')' {
		p.failed = true
		return set, false
	}
	p.i++
	return set, empty
}

// lookaround returns the opening of the lookaround or atomic group that
// rest (what follows a group's parenthesis) starts with, if any.
func lookaround(rest string) string {
	for _, open := range []string{"?=", "?!", "?<=", "?<!", "?>"} {
		if strings.HasPrefix(rest, open) {
			return open
		}
	}
	return ""
}

// withOptions returns the flags in effect after an inline option such as
// "i", "-i" or "is-m".
func (p *startParser) withOptions(options string) string {
	on, off, _ := strings.Cut(options, "-")
	flags := p.flags
	for _, c := range off {
		flags = strings.ReplaceAll(flags, string(c), "")
	}
	for _, c := range on {
		if !strings.ContainsRune(flags, c) {
			flags += string(c)
		}
	}
	return flags
}

// class reads a bracketed class, which may hold a subtracted class:
// [a-z-[aeiou]].
func (p *startParser) class() {
	depth := 0
	p.i++ // [
	if strings.HasPrefix(p.pattern[p.i:], "^") {
		p.i++
	}
	if strings.HasPrefix(p.pattern[p.i:], "]") {
		p.i++ // a ] first is a character of the class
	}
	for p.i < len(p.pattern) {
		switch p.pattern[p.i] {
		case '\\':
			p.i++
		case '[':
			if p.pattern[p.i-1] == '-' {
				depth++
			}
		case ']':
			if depth == 0 {
				p.i++
				return
			}
			depth--
		}
		p.i++
	}
	p.failed = true
}

// escape reads an escape: a character or a class of them, or an anchor.
func (p *startParser) escape() (set asciiSet, empty bool) {
	start := p.i
	p.i++ // \
	if p.i >= len(p.pattern) {
		p.failed = true
		return set, false
	}
	c := p.pattern[p.i]
	p.i++
	switch {
	case strings.IndexByte("bBAzZG", c) >= 0:
		return set, true
	case ('1' <= c && c <= '9' || c == 'k') && p.lenient > 0:
		// A backreference past the start: only its end matters.
		if c == 'k' {
			end := strings.IndexAny(p.pattern[p.i:], ">'")
			if end < 0 {
				p.failed = true
				return set, false
			}
			p.i += end + 1
		}
		for p.i < len(p.pattern) && '0' <= p.pattern[p.i] && p.pattern[p.i] <= '9' {
			p.i++
		}
		return set, true
	case '1' <= c && c <= '9' || c == 'k':
		p.failed = true // a backreference
		return set, false
	case c == 'p' || c == 'P':
		end := strings.IndexByte(p.pattern[p.i:], '}')
		if end < 0 {
			p.failed = true
			return set, false
		}
		p.i += end + 1
	case c == 'x':
		p.i = min(p.i+2, len(p.pattern))
	case c == 'u':
		p.i = min(p.i+4, len(p.pattern))
	case c == 'c':
		p.i = min(p.i+1, len(p.pattern))
	case c == '0':
		for n := 0; n < 2 && p.i < len(p.pattern) && '0' <= p.pattern[p.i] && p.pattern[p.i] <= '7'; n++ {
			p.i++
		}
	case c >= utf8.RuneSelf:
		_, size := utf8.DecodeRuneInString(p.pattern[p.i-1:])
		p.i += size - 1
	}
	return p.atom(p.pattern[start:p.i]), false
}

// quantifier reads a quantifier if one follows, and returns its least
// and most counts (most < 0 for no bound) and whether it is lazy.
// A { that does not start a well-formed {n}, {n,} or {n,m} is a literal,
// as in .NET, and left for the next element.
func (p *startParser) quantifier() (least, most int, lazy, ok bool) {
	if p.i >= len(p.pattern) {
		return 0, 0, false, false
	}
	most = -1
	switch p.pattern[p.i] {
	case '*':
		p.i++
	case '?':
		p.i++
		most = 1
	case '+':
		p.i++
		least = 1
	case '{':
		rest := p.pattern[p.i+1:]
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return 0, 0, false, false
		}
		lo, hi, comma := strings.Cut(rest[:end], ",")
		n, err := strconv.Atoi(lo)
		if err != nil || lo[0] == '+' || lo[0] == '-' {
			return 0, 0, false, false
		}
		least, most = n, n
		if comma {
			most = -1
		}
		if comma && hi != "" {
			if most, err = strconv.Atoi(hi); err != nil || hi[0] == '+' || hi[0] == '-' {
				return 0, 0, false, false
			}
		}
		p.i += end + 2
	default:
		return 0, 0, false, false
	}
	if p.i < len(p.pattern) && p.pattern[p.i] == '?' {
		p.i++
		lazy = true
	}
	return least, most, lazy, true
}

// atom returns the ASCII characters the single-character pattern atom
// matches under the flags in effect, as regexp2 matches them.
func (p *startParser) atom(atom string) asciiSet {
	key := p.flags + "\x00" + atom
	if set, ok := p.atoms[key]; ok {
		return set
	}
	var set asciiSet
	re, err := regexp2.Compile(`\A(?` + p.flags + `:` + atom + `)\z`)
	if err != nil {
		p.failed = true
		return set
	}
	for c := rune(0); c < utf8.RuneSelf; c++ {
		if ok, err := re.MatchString(string(c)); ok && err == nil {
			set.add(c)
		}
	}
	p.atoms[key] = set
	return set
}

// Tokenise is chroma's RegexLexer.Tokenise, with the filtered loop.
func (l *filteredLexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	if options.EnsureLF {
		text = ensureLF(text)
	}
	newlineAdded := false
	if !options.Nested && l.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	sc, _ := l.scratch.Get().(*lexScratch)
	if sc == nil {
		sc = &lexScratch{}
	}
	runes := slices.Grow(sc.runes[:0], len(text))
	for _, r := range text { // as []rune(text)
		runes = append(runes, r)
	}
	it := &filteredIterator{
		lexer:        l,
		initial:      options.State,
		newlineAdded: newlineAdded,
		state: &chroma.LexerState{
			Lexer:          l.RegexLexer, // what UsingSelf tokenises nested text with
			Registry:       lexers.GlobalLexerRegistry,
			Text:           runes,
			Stack:          []string{options.State},
			Rules:          l.stateRules(),
			MutatorContext: map[any]any{},
		},
		matcher: sc.matcher,
		groups:  sc.groups[:0],
		pending: sc.pending[:0],
	}
	if asciiOnly(text) {
		it.ascii = text
	}
	return it.next, nil
}

// filteredIterator is the state of one tokenisation.
type filteredIterator struct {
	lexer        *filteredLexer
	state        *chroma.LexerState
	initial      string // the state tokenising started in
	newlineAdded bool
	emitted      []chroma.Iterator
	// pending are the tokens of a rule's groups made directly (see
	// rulePlan.groupTokens), given before the next match; pendingAt is
	// the next to give.
	pending   []chroma.Token
	pendingAt int
	// groups holds the groups of the last match of a rule whose groups
	// nothing keeps (rulePlan.byNumber).
	groups []string
	// rulesOf and plansOf are the rules and plans of state rulesState,
	// looked up again only when the state changes, where no mutator
	// rewrites the rules.
	rulesState   string
	rulesOf      []*chroma.CompiledRule
	plansOf      []rulePlan
	candidatesOf *ruleCandidates
	// emptyAt and empties count the rules matched in a row without
	// consuming anything at one position.
	emptyAt, empties int
	matcher          matcher // runs the rules' programs
	// ascii is the text when it is all ASCII, where a rune's index is
	// its byte's: tokens and groups are then cut from it, not copied.
	ascii string
}

// asciiOnly reports whether every byte of s is ASCII: one rune each, and
// the same in UTF-8 (an invalid byte is one rune too, but U+FFFD).
func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// text returns the text of runes [from, to).
func (it *filteredIterator) text(from, to int) string {
	if it.ascii != "" {
		return it.ascii[from:to]
	}
	return string(it.state.Text[from:to])
}

// maxEmptyMatches bounds the rules matched in a row at one position
// without consuming text. Some of chroma's lexers have a rule that matches
// the empty string and leaves the state as it was: chroma then makes
// empty tokens forever (JSONata after "| "), and a build would never end.
// Past the bound the character is taken as unmatched, as when no rule
// matches; well-behaved lexers push and pop a few states at most.
const maxEmptyMatches = 100

// next is chroma's LexerState.Iterator but for the rules it tries.
func (it *filteredIterator) next() chroma.Token {
	l := it.state
	end := len(l.Text)
	if it.newlineAdded {
		end--
	}
	for l.Pos < end && len(l.Stack) > 0 {
		if t, ok := it.drain(); ok {
			return t
		}
		l.State = l.Stack[len(l.Stack)-1]
		if l.State != it.rulesState || it.rulesOf == nil || it.lexer.rewritesRules {
			rules, ok := l.Rules[l.State]
			if !ok {
				panic("unknown state " + l.State)
			}
			it.rulesState, it.rulesOf, it.plansOf = l.State, rules, it.lexer.plans[l.State]
			it.candidatesOf = nil
			if !it.lexer.rewritesRules {
				it.candidatesOf = it.lexer.candidates[l.State]
			}
		}
		rules, plans := it.rulesOf, it.plansOf
		index, rule, groups, named := it.match(rules, plans, it.candidatesOf)
		if groups != nil && groups[0] == "" {
			if l.Pos != it.emptyAt {
				it.emptyAt, it.empties = l.Pos, 0
			}
			if it.empties++; it.empties > maxEmptyMatches {
				it.empties = 0
				groups = nil
			}
		}
		if groups == nil {
			// As chroma (and Pygments): an unmatched newline outside the
			// initial state empties the stack and lexing goes on from
			// there, so that an unclosed string spoils one line only.
			if l.Text[l.Pos] == '\n' && l.State != it.initial {
				l.Stack = []string{it.initial}
				continue
			}
			l.Pos++
			return chroma.Token{Type: chroma.Error, Value: it.text(l.Pos-1, l.Pos)}
		}
		l.Rule = index
		l.Groups = groups
		l.NamedGroups = named
		l.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(l); err != nil {
				panic(err)
			}
		}
		if index < len(plans) && plans[index].rule == rule {
			if plan := &plans[index]; plan.token != nil {
				// What TokenType.Emit's iterator would give, given at once.
				if t := (chroma.Token{Type: *plan.token, Value: groups[0]}); t.Type != chroma.Ignore && t != chroma.EOF {
					return t
				}
				continue
			} else if plan.groupTokens != nil {
				it.pendGroups(plan.groupTokens, groups)
				continue
			}
		}
		if rule.Type != nil {
			it.emitted = append(it.emitted, rule.Type.Emit(l.Groups, l))
		}
	}
	if t, ok := it.drain(); ok {
		return t
	}
	if l.Pos != len(l.Text) && len(l.Stack) == 0 {
		value := it.text(l.Pos, len(l.Text))
		l.Pos = len(l.Text)
		return chroma.Token{Type: chroma.Error, Value: value}
	}
	if l.Text != nil {
		// Every token is made, and none shares what the tokenisation
		// grew: the next may have it, without the strings it held.
		clear(it.groups[:cap(it.groups)])
		clear(it.pending[:cap(it.pending)])
		it.matcher.stack = it.matcher.stack[:0]
		it.lexer.scratch.Put(&lexScratch{runes: l.Text[:0], matcher: it.matcher, groups: it.groups[:0], pending: it.pending[:0]})
		l.Text, l.Pos = nil, 0
	}
	return chroma.EOF
}

// pendGroups makes the tokens chroma's ByGroups of types makes of groups.
func (it *filteredIterator) pendGroups(types []*chroma.TokenType, groups []string) {
	if len(types) != len(groups)-1 {
		it.pending = append(it.pending, chroma.Token{Type: chroma.Error, Value: groups[0]})
		return
	}
	for i, t := range types {
		if t != nil {
			it.pending = append(it.pending, chroma.Token{Type: *t, Value: groups[i+1]})
		}
	}
}

// drain returns the next token of the emitters waiting, if any.
func (it *filteredIterator) drain() (chroma.Token, bool) {
	for it.pendingAt < len(it.pending) {
		t := it.pending[it.pendingAt]
		it.pendingAt++
		if t.Type != chroma.Ignore && t != chroma.EOF {
			return t, true
		}
	}
	it.pending, it.pendingAt = it.pending[:0], 0
	for len(it.emitted) > 0 {
		n := len(it.emitted) - 1
		t := it.emitted[n]()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			it.emitted = it.emitted[:n]
			continue
		}
		return t, true
	}
	return chroma.Token{}, false
}

// match returns the first rule matching at the position, as chroma's
// matchRules, trying only the rules that can start there. A rule the
// lexer made while lexing has no plan and is tried by regexp2.
func (it *filteredIterator) match(rules []*chroma.CompiledRule, plans []rulePlan, candidates *ruleCandidates) (int, *chroma.CompiledRule, []string, map[string]string) {
	l := it.state
	c := l.Text[l.Pos]
	if candidates != nil && c < utf8.RuneSelf {
		for _, i := range candidates[c] {
			if groups, named, ok := it.try(rules[i], &plans[i]); ok {
				return int(i), rules[i], groups, named
			}
		}
		return 0, nil, nil, nil
	}
	var unplanned rulePlan
	for i, rule := range rules {
		plan := &unplanned
		if i < len(plans) && plans[i].rule == rule {
			plan = &plans[i]
		}
		if plan.starts != nil && !unfiltered(c) && !plan.starts.has(c) {
			continue
		}
		if groups, named, ok := it.try(rule, plan); ok {
			return i, rule, groups, named
		}
	}
	return 0, nil, nil, nil
}

// try matches rule at the position and returns its groups and named
// groups; ok is false when it does not match.
func (it *filteredIterator) try(rule *chroma.CompiledRule, plan *rulePlan) (groups []string, named map[string]string, ok bool) {
	l := it.state
	if plan.direct != nil {
		if n, known := plan.direct(l.Text[l.Pos:]); known {
			if n < 0 {
				return nil, nil, false
			}
			groups, named := plan.groups(it, it.text(l.Pos, l.Pos+n))
			return groups, named, true
		}
	}
	if plan.program != nil {
		end, caps, o := it.matcher.match(plan.program, l.Text, l.Pos)
		if o == noMatch {
			return nil, nil, false
		}
		if o == matched {
			if plan.token != nil {
				groups := it.groupRoom(plan, 1)
				groups[0] = it.text(l.Pos, end)
				return groups, nil, true
			}
			groups := it.groupRoom(plan, plan.program.groups)
			for g := range groups {
				groups[g] = ""
				if from, to := caps[2*g], caps[2*g+1]; from >= 0 && to >= 0 {
					groups[g] = it.text(from, to)
				}
			}
			if plan.byNumber {
				return groups, nil, true
			}
			named := make(map[string]string, len(groups))
			for g, group := range groups {
				named[strconv.Itoa(g)] = group
			}
			return groups, named, true
		}
	}
	m, err := rule.Regexp.FindRunesMatchStartingAt(l.Text, l.Pos)
	if m == nil || err != nil || m.RuneIndex != l.Pos {
		return nil, nil, false
	}
	if plan.token != nil {
		groups := it.groupRoom(plan, 1)
		groups[0] = m.String()
		return groups, nil, true
	}
	matched := m.Groups()
	groups = it.groupRoom(plan, len(matched))
	for g := range matched {
		groups[g] = matched[g].String()
	}
	if plan.byNumber {
		return groups, nil, true
	}
	named = map[string]string{}
	for _, g := range matched {
		named[g.Name] = g.String()
	}
	return groups, named, true
}

// runPattern is a pattern of single-character atoms of which only the
// last may repeat (greedily): "\s+", "[.,=]", "[^\W\d]\w*", "::". Such
// a pattern cannot backtrack, so it is matched by testing characters
// against the atoms' ASCII sets — the sets regexp2 itself gives — for as
// long as the characters are ASCII; a non-ASCII one is left to regexp2.
// Most of the tokens of the languages packs quote are matched so.
type runPattern struct {
	atoms  []asciiSet // the last is the one that may repeat
	repeat byte       // 0, '?', '*' or '+'
}

// newRunPattern returns the runPattern of pattern, or nil if it is not
// one.
func newRunPattern(pattern, flags string, atoms map[string]asciiSet) *runPattern {
	p := &startParser{pattern: pattern, flags: flags, atoms: atoms}
	run := &runPattern{}
	for p.i < len(p.pattern) && !p.failed {
		if run.repeat != 0 {
			return nil // only the last atom may repeat
		}
		start := p.i
		switch p.pattern[p.i] {
		case '(', ')', '|', '^', '$', '*', '+', '?', '{':
			return nil
		case '[':
			p.class()
			run.atoms = append(run.atoms, p.atom(p.pattern[start:p.i]))
		case '\\':
			set, anchor := p.escape()
			if anchor {
				return nil
			}
			run.atoms = append(run.atoms, set)
		default:
			_, size := utf8.DecodeRuneInString(p.pattern[p.i:])
			p.i += size
			run.atoms = append(run.atoms, p.atom(p.pattern[start:p.i]))
		}
		if p.i < len(p.pattern) && strings.IndexByte("?*+", p.pattern[p.i]) >= 0 {
			run.repeat = p.pattern[p.i]
			p.i++
			if p.i < len(p.pattern) && strings.IndexByte("?*+{", p.pattern[p.i]) >= 0 {
				return nil // lazy, or a quantifier of a quantifier
			}
		}
	}
	if p.failed || len(run.atoms) == 0 {
		return nil
	}
	return run
}

// match returns the number of characters the pattern matches at the
// start of text, -1 for no match; known is false when a non-ASCII
// character must be decided by regexp2.
func (r *runPattern) match(text []rune) (n int, known bool) {
	fixed := r.atoms
	if r.repeat != 0 {
		fixed = fixed[:len(fixed)-1]
	}
	for _, set := range fixed {
		if n >= len(text) {
			return -1, true
		}
		if c := text[n]; unfiltered(c) {
			return 0, false
		} else if !set.has(c) {
			return -1, true
		}
		n++
	}
	if r.repeat == 0 {
		return n, true
	}
	last := &r.atoms[len(r.atoms)-1]
	count := 0
	for n < len(text) && (r.repeat != '?' || count == 0) {
		c := text[n]
		if unfiltered(c) {
			return 0, false
		}
		if !last.has(c) {
			break
		}
		n, count = n+1, count+1
	}
	if r.repeat == '+' && count == 0 {
		return -1, true
	}
	return n, true
}

// wordsPattern is a list of words that must end at a word boundary, as
// chroma.Words writes keywords: "(break|case|chan)\\b". Its first word that
// the text starts with, followed by a character that is not a letter,
// digit or underscore, is the match; a non-ASCII character after a word
// is left to regexp2, whose word characters are Unicode's.
type wordsPattern struct {
	words []string // in the pattern's order, which is the one tried
	group bool     // the words are in a numbered group
}

// newWordsPattern returns the wordsPattern of pattern, or nil if it is not
// one: words of ASCII letters, digits and underscores in a group, then
// \b, with case mattering.
func newWordsPattern(pattern, flags string) *wordsPattern {
	if strings.Contains(flags, "i") {
		return nil
	}
	body, ok := strings.CutSuffix(pattern, `)\b`)
	if !ok {
		return nil
	}
	w := &wordsPattern{}
	if body, ok = strings.CutPrefix(body, "(?:"); !ok {
		if body, ok = strings.CutPrefix(body, "("); !ok {
			return nil
		}
		w.group = true
	}
	w.words = strings.Split(body, "|")
	for _, word := range w.words {
		if word == "" || strings.IndexFunc(word, func(r rune) bool { return !isASCIIWordChar(r) }) >= 0 {
			return nil
		}
	}
	return w
}

func isASCIIWordChar(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// match returns the length of the match at the start of text, -1 for
// none; known is false when regexp2 must decide.
func (w *wordsPattern) match(text []rune) (n int, known bool) {
words:
	for _, word := range w.words {
		if len(word) > len(text) {
			continue
		}
		for i := 0; i < len(word); i++ {
			if text[i] != rune(word[i]) {
				continue words
			}
		}
		if len(word) == len(text) {
			return len(word), true
		}
		switch c := text[len(word)]; {
		case c >= utf8.RuneSelf:
			return 0, false
		case !isASCIIWordChar(c):
			return len(word), true
		}
	}
	return -1, true
}

// ensureLF replaces \r\n and lone \r with \n, as chroma does before
// lexing.
func ensureLF(text string) string {
	if !strings.Contains(text, "\r") {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}
