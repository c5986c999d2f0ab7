package markdown

import (
	"strings"
	"unicode/utf8"
)

// A program matches a rule's pattern without regexp2, for the patterns
// that the run and word matchers do not cover but that are still plain:
// sequences, alternation, numbered groups, greedy and lazy quantifiers,
// anchors, word boundaries and lookaheads over single-character atoms
// (whose ASCII sets are regexp2's own, see startParser.atom). It is a
// backtracking matcher like regexp2, trying alternatives in order and
// quantifiers greedy first (lazy last), so where it decides it decides as
// regexp2 does: same match, same groups. It does not decide, leaving the
// rule to regexp2, at a non-ASCII character, or past a step budget.
// Patterns with anything else (backreferences, lookbehinds, named or
// atomic groups, conditionals, repeats of what can match nothing) are not
// compiled.
type program struct {
	insts  []inst
	groups int // numbered groups, the whole match (group 0) included
}

type opcode uint8

const (
	opSet    opcode = iota // one character of set
	opSplit                // go on at x; on failure, at y (at once, when guarded and the character is not of set)
	opJump                 // go on at x
	opSave                 // record the position in capture slot x
	opAssert               // an anchor or boundary (x is its kind) holds
	opLook                 // look holds (or, with neg, does not) here
	opMatch                // the pattern matched
	// opStar takes as many characters of set as there are and goes on;
	// as what follows fails, it gives them back one at a time — unless
	// possessive, where what follows cannot start with a character of
	// set, so giving one back cannot help. A greedy repeat of one atom,
	// with one frame on the stack, or none, rather than one a character.
	opStar
)

// Kinds of opAssert.
const (
	atTextStart     = iota // \A, or ^ without the m flag
	atLineStart            // ^ with m
	atTextEnd              // \z
	atEndOrFinalLF         // \Z, or $ without m
	atLineEnd              // $ with m
	atWordBoundary         // \b
	notWordBoundary        // \B
)

type inst struct {
	op         opcode
	x, y       int
	set        asciiSet
	look       *program
	neg        bool
	possessive bool // opStar
	guarded    bool // opSplit
}

// outcome of running a program.
type outcome uint8

const (
	noMatch outcome = iota
	matched
	undecided // regexp2 must decide
)

// maxSteps bounds the work of one try; past it regexp2 decides (and its
// time-out applies).
const maxSteps = 1 << 14

// regexNode is a parsed pattern.
type regexNode struct {
	kind     nodeKind
	set      asciiSet
	subs     []*regexNode // sequence and alternation
	min, max int          // repeat; max < 0 for no bound
	lazy     bool
	index    int // group
	assert   int // assertion kind
	neg      bool
}

type nodeKind uint8

const (
	nodeSet nodeKind = iota
	nodeSeq
	nodeAlt
	nodeGroup // numbered, subs[0] inside
	nodeRepeat
	nodeAssert
	nodeLook // subs[0] inside
)

// maxCopies bounds the copies a counted repeat {n,m} is compiled into.
const maxCopies = 16

// compileProgram returns the program of pattern under flags, or nil when
// the pattern holds what programs do not follow.
func compileProgram(pattern, flags string, atoms map[string]asciiSet) *program {
	if strings.Contains(flags, "n") || strings.Contains(flags, "x") {
		return nil
	}
	p := &programParser{startParser: startParser{pattern: pattern, flags: flags, atoms: atoms}}
	root := p.alternation()
	if p.failed || p.i != len(p.pattern) {
		return nil
	}
	prog := &program{groups: p.groups + 1}
	prog.emit(&regexNode{kind: nodeGroup, index: 0, subs: []*regexNode{root}}, follow{})
	prog.insts = append(prog.insts, inst{op: opMatch})
	return prog
}

// programParser reads a pattern into regexNodes.
type programParser struct {
	startParser
	groups int  // numbered groups so far
	inLook bool // inside a lookahead, where a group would be captured
}

func (p *programParser) alternation() *regexNode {
	flags := p.flags // an inline (?i) lasts to the end of its group
	defer func() { p.flags = flags }()
	alt := &regexNode{kind: nodeAlt}
	for !p.failed {
		alt.subs = append(alt.subs, p.sequence())
		if p.i >= len(p.pattern) || p.pattern[p.i] != '|' {
			break
		}
		p.i++
	}
	if len(alt.subs) == 1 {
		return alt.subs[0]
	}
	return alt
}

func (p *programParser) sequence() *regexNode {
	seq := &regexNode{kind: nodeSeq}
	for !p.failed && p.i < len(p.pattern) && p.pattern[p.i] != '|' && p.pattern[p.i] != ')' {
		if n := p.element(); n != nil {
			seq.subs = append(seq.subs, n)
		}
	}
	return seq
}

// element reads an atom, anchor or group and its quantifier; nil for an
// inline option, which matches nothing.
func (p *programParser) element() *regexNode {
	start := p.i
	var n *regexNode
	switch c := p.pattern[p.i]; c {
	case '(':
		var option bool
		if n, option = p.group(); option || n == nil {
			return nil
		}
	case '[':
		p.class()
		n = &regexNode{kind: nodeSet, set: p.atom(p.pattern[start:p.i])}
	case '\\':
		if kind, ok := escapedAssertion(p.pattern[p.i+1:]); ok {
			if kind < 0 {
				p.failed = true // \G: the start of the try, which chroma adds in front
				return nil
			}
			p.i += 2
			n = &regexNode{kind: nodeAssert, assert: kind}
			break
		}
		set, _ := p.escape()
		n = &regexNode{kind: nodeSet, set: set}
	case '^', '$':
		p.i++
		multiline := strings.Contains(p.flags, "m")
		kind := atTextStart
		switch {
		case c == '^' && multiline:
			kind = atLineStart
		case c == '$' && multiline:
			kind = atLineEnd
		case c == '$':
			kind = atEndOrFinalLF
		}
		n = &regexNode{kind: nodeAssert, assert: kind}
	case '*', '+', '?', ')':
		p.failed = true
		return nil
	default:
		_, size := utf8.DecodeRuneInString(p.pattern[p.i:])
		p.i += size
		n = &regexNode{kind: nodeSet, set: p.atom(p.pattern[start:p.i])}
	}
	if p.failed {
		return nil
	}
	return p.quantified(n)
}

// escapedAssertion returns the assertion kind of the escape whose letter
// starts rest, -1 for \G; ok is false for an escape that is not one.
func escapedAssertion(rest string) (kind int, ok bool) {
	if rest == "" {
		return 0, false
	}
	switch rest[0] {
	case 'b':
		return atWordBoundary, true
	case 'B':
		return notWordBoundary, true
	case 'A':
		return atTextStart, true
	case 'z':
		return atTextEnd, true
	case 'Z':
		return atEndOrFinalLF, true
	case 'G':
		return -1, true
	}
	return 0, false
}

// quantified reads the quantifier after n, if any.
func (p *programParser) quantified(n *regexNode) *regexNode {
	least, most, lazy, ok := p.quantifier()
	if !ok {
		return n
	}
	r := &regexNode{kind: nodeRepeat, subs: []*regexNode{n}, min: least, max: most, lazy: lazy}
	switch {
	case n.kind == nodeAssert || n.kind == nodeLook:
		p.failed = true // a repeated assertion: rare, and regexp2's reading is its own
	case p.i < len(p.pattern) && strings.IndexByte("*+?{", p.pattern[p.i]) >= 0:
		p.failed = true // a quantifier of a quantifier
	case least > maxCopies || most > maxCopies || (most >= 0 && most < least):
		p.failed = true
	case (most < 0 || most > 1) && matchesEmpty(n):
		p.failed = true // regexp2 stops an iteration that matched nothing; programs would loop
	}
	return r
}

// group reads a parenthesized group; option says it was an inline option
// such as (?i), which changes the flags for the rest of the enclosing
// group.
func (p *programParser) group() (n *regexNode, option bool) {
	p.i++ // (
	rest := p.pattern[p.i:]
	var look *regexNode
	outer := p.flags
	switch {
	case !strings.HasPrefix(rest, "?"):
		if p.inLook {
			p.failed = true // regexp2 keeps a lookahead's captures
			return nil, false
		}
		p.groups++
		n = &regexNode{kind: nodeGroup, index: p.groups}
	case strings.HasPrefix(rest, "?:"):
		p.i += 2
	case strings.HasPrefix(rest, "?="), strings.HasPrefix(rest, "?!"):
		p.i += 2
		look = &regexNode{kind: nodeLook, neg: rest[1] == '!'}
	default:
		end := strings.IndexAny(rest, ":)")
		if end < 0 || strings.Trim(rest[1:end], "ims-") != "" {
			p.failed = true // named, atomic, lookbehind, conditional, comment, n or x option
			return nil, false
		}
		p.i += end + 1
		p.flags = p.withOptions(rest[1:end])
		if rest[end] == ')' {
			return nil, true
		}
	}
	wasInLook := p.inLook
	p.inLook = p.inLook || look != nil
	inner := p.alternation()
	p.inLook = wasInLook
	p.flags = outer
	if p.failed || p.i >= len(p.pattern) || p.pattern[p.i] != ')' {
		p.failed = true
		return nil, false
	}
	p.i++
	switch {
	case look != nil:
		look.subs = []*regexNode{inner}
		return look, false
	case n != nil:
		n.subs = []*regexNode{inner}
		return n, false
	}
	return inner, false
}

// first returns the characters a match of n can start with, and whether
// n can match the empty string (anchors and lookaheads do, and restrict
// what follows only further).
func first(n *regexNode) (set asciiSet, empty bool) {
	switch n.kind {
	case nodeSet:
		return n.set, false
	case nodeSeq:
		for _, s := range n.subs {
			f, e := first(s)
			set.union(&f)
			if !e {
				return set, false
			}
		}
		return set, true
	case nodeAlt:
		for _, s := range n.subs {
			f, e := first(s)
			set.union(&f)
			empty = empty || e
		}
		return set, empty
	case nodeGroup:
		return first(n.subs[0])
	case nodeRepeat:
		set, empty = first(n.subs[0])
		return set, empty || n.min == 0
	}
	return set, true
}

// matchesEmpty reports whether n can match the empty string.
func matchesEmpty(n *regexNode) bool {
	_, empty := first(n)
	return empty
}

// follow is what comes after a part of a pattern, as far as emit knows:
// when known, the match goes on with a character of set (what comes
// after cannot match the empty string).
type follow struct {
	set   asciiSet
	known bool
}

// followedBy is the follow of a part that rest, then next, come after.
func followedBy(rest []*regexNode, next follow) follow {
	var set asciiSet
	for _, n := range rest {
		f, empty := first(n)
		set.union(&f)
		if !empty {
			return follow{set, true}
		}
	}
	if !next.known {
		return follow{}
	}
	set.union(&next.set)
	return follow{set, true}
}

// emit appends the instructions of n, which next comes after.
func (prog *program) emit(n *regexNode, next follow) {
	add := func(in inst) int {
		prog.insts = append(prog.insts, in)
		return len(prog.insts) - 1
	}
	switch n.kind {
	case nodeSet:
		add(inst{op: opSet, set: n.set})
	case nodeSeq:
		for i, s := range n.subs {
			prog.emit(s, followedBy(n.subs[i+1:], next))
		}
	case nodeAlt:
		var jumps []int
		for i, s := range n.subs {
			if i == len(n.subs)-1 {
				prog.emit(s, next)
				break
			}
			// An alternative that cannot start with the character at hand
			// is passed over without a frame: in a list of keywords,
			// most are.
			f, empty := first(s)
			split := add(inst{op: opSplit, x: len(prog.insts) + 1, set: f, guarded: !empty})
			prog.emit(s, next)
			jumps = append(jumps, add(inst{op: opJump}))
			prog.insts[split].y = len(prog.insts)
		}
		for _, j := range jumps {
			prog.insts[j].x = len(prog.insts)
		}
	case nodeGroup:
		add(inst{op: opSave, x: 2 * n.index})
		prog.emit(n.subs[0], next)
		add(inst{op: opSave, x: 2*n.index + 1})
	case nodeAssert:
		add(inst{op: opAssert, x: n.assert})
	case nodeLook:
		look := &program{}
		look.emit(n.subs[0], follow{})
		look.insts = append(look.insts, inst{op: opMatch})
		add(inst{op: opLook, look: look, neg: n.neg})
	case nodeRepeat:
		body := n.subs[0]
		for range n.min {
			prog.emit(body, follow{})
		}
		if n.max < 0 && !n.lazy && body.kind == nodeSet {
			add(inst{op: opStar, set: body.set, possessive: next.known && !next.set.meets(&body.set)})
			return
		}
		// Each split goes on first with one more of the body (greedy) or
		// with what follows (lazy): guarded, it goes there only where
		// that can start.
		guard := follow{}
		if n.lazy {
			guard = next
		} else if f, empty := first(body); !empty {
			guard = follow{f, true}
		}
		split := func(at int) {
			if n.lazy {
				prog.insts[at].x, prog.insts[at].y = prog.insts[at].y, prog.insts[at].x
			}
			prog.insts[at].set, prog.insts[at].guarded = guard.set, guard.known
		}
		if n.max < 0 {
			// loop: split body, out; body; jump loop
			loop := add(inst{op: opSplit})
			prog.emit(body, follow{})
			add(inst{op: opJump, x: loop})
			prog.insts[loop].x, prog.insts[loop].y = loop+1, len(prog.insts)
			split(loop)
			return
		}
		var splits []int
		for range n.max - n.min {
			splits = append(splits, add(inst{op: opSplit, x: len(prog.insts) + 1}))
			prog.emit(body, follow{})
		}
		for _, s := range splits {
			prog.insts[s].y = len(prog.insts)
			split(s)
		}
	}
}

// frame is a point to go back to: an alternative to try (slot
// alternative), an opStar's alternatives from pos down to old (slot
// starFrame), or a capture slot to restore (slot >= 0).
type frame struct{ pc, pos, slot, old int }

const (
	alternative = -1
	starFrame   = -2
)

// matcher runs programs, keeping its stack and captures between tries.
type matcher struct {
	stack []frame
	caps  []int
	steps int
}

// match runs prog at pos in text and returns the end of the match and
// the capture slots (two per group, -1 for a group that took no part).
func (m *matcher) match(prog *program, text []rune, pos int) (end int, caps []int, o outcome) {
	m.caps = m.caps[:0]
	for range 2 * prog.groups {
		m.caps = append(m.caps, -1)
	}
	m.steps = maxSteps
	end, o = m.run(prog, text, pos)
	return end, m.caps, o
}

// run is the backtracking loop. A lookahead runs in it with the frames
// above the caller's.
func (m *matcher) run(prog *program, text []rune, pos int) (int, outcome) {
	base := len(m.stack)
	defer func() { m.stack = m.stack[:base] }()
	m.stack = append(m.stack, frame{pc: 0, pos: pos, slot: alternative})
	for len(m.stack) > base {
		f := m.stack[len(m.stack)-1]
		m.stack = m.stack[:len(m.stack)-1]
		if f.slot >= 0 {
			m.caps[f.slot] = f.old
			continue
		}
		if f.slot == starFrame && f.pos > f.old {
			m.stack = append(m.stack, frame{pc: f.pc, pos: f.pos - 1, slot: starFrame, old: f.old})
		}
		pc, pos := f.pc, f.pos
	thread:
		for {
			if m.steps--; m.steps < 0 {
				return -1, undecided
			}
			in := &prog.insts[pc]
			switch in.op {
			case opSet:
				if pos >= len(text) {
					break thread
				}
				c := text[pos]
				if unfiltered(c) {
					return -1, undecided
				}
				if !in.set.has(c) {
					break thread
				}
				pos, pc = pos+1, pc+1
			case opSplit:
				if in.guarded && (pos == len(text) || !unfiltered(text[pos]) && !in.set.has(text[pos])) {
					pc = in.y
					continue
				}
				m.stack = append(m.stack, frame{pc: in.y, pos: pos, slot: alternative})
				pc = in.x
			case opStar:
				start := pos
				for pos < len(text) {
					c := text[pos]
					if unfiltered(c) {
						return -1, undecided
					}
					if !in.set.has(c) {
						break
					}
					pos++
				}
				if m.steps -= pos - start; m.steps < 0 {
					return -1, undecided
				}
				if pos > start && !in.possessive {
					m.stack = append(m.stack, frame{pc: pc + 1, pos: pos - 1, slot: starFrame, old: start})
				}
				pc++
			case opJump:
				pc = in.x
			case opSave:
				m.stack = append(m.stack, frame{slot: in.x, old: m.caps[in.x]})
				m.caps[in.x] = pos
				pc++
			case opAssert:
				holds, known := assertion(in.x, text, pos)
				if !known {
					return -1, undecided
				}
				if !holds {
					break thread
				}
				pc++
			case opLook:
				_, o := m.run(in.look, text, pos)
				if o == undecided {
					return -1, undecided
				}
				if (o == matched) == in.neg {
					break thread
				}
				pc++
			case opMatch:
				return pos, matched
			}
		}
	}
	return -1, noMatch
}

// assertion reports whether the assertion of kind holds at pos; known is
// false where a non-ASCII character decides a word boundary.
func assertion(kind int, text []rune, pos int) (holds, known bool) {
	switch kind {
	case atTextStart:
		return pos == 0, true
	case atLineStart:
		return pos == 0 || text[pos-1] == '\n', true
	case atTextEnd:
		return pos == len(text), true
	case atEndOrFinalLF:
		return pos == len(text) || pos == len(text)-1 && text[pos] == '\n', true
	case atLineEnd:
		return pos == len(text) || text[pos] == '\n', true
	}
	before, after := false, false
	if pos > 0 {
		c := text[pos-1]
		if unfiltered(c) {
			return false, false
		}
		before = isASCIIWordChar(c)
	}
	if pos < len(text) {
		c := text[pos]
		if unfiltered(c) {
			return false, false
		}
		after = isASCIIWordChar(c)
	}
	return (before != after) == (kind == atWordBoundary), true
}
