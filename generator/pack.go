package generator

import (
	"fmt"

	"github.com/yuin/goldmark/ast"

	"govpack/generator/decode"
	"govpack/generator/diag"
	"govpack/generator/markdown"
	"govpack/generator/profile"
)

// Pack is everything loaded from a pack directory: its settings, the
// governance data merged from every TOML file and the parsed documents.
type Pack struct {
	Settings Settings
	Digest   string // the pack digest, "sha256:<hex>"; see packDigest
	Data     Data
	Docs     []*Document // sorted by path
	Static   []string    // files under static/, slash paths relative to static/
	Assets   []string    // other files beside the documents, copied as they are
	History  []string    // versions archived under history/, for redlines
	Theme    map[string][]byte

	files      map[string][]byte // every source file read, for positions and digests
	incomplete bool              // a source could not be read or parsed
	// ratifications is each member's standing for the current digest.
	ratifications map[string]RatificationStatus
}

// Settings is govpack.toml.
type Settings struct {
	decode.Meta `toml:"-"`
	Title       string      `toml:"title,required"`
	Consortium  string      `toml:"consortium"`
	Version     string      `toml:"version"`
	Effective   decode.Date `toml:"effective"`
	Profile     string      `toml:"profile"`
	Language    string      `toml:"language"`
	BaseURL     string      `toml:"base_url"`
	UnsafeHTML  bool        `toml:"unsafe_html"`
	MemberKinds []string    `toml:"member_kinds"`
	Theme       ThemeConfig `toml:"theme"`
	Limits      Limits      `toml:"limits"`
}

// Limits is the [limits] table: what one document may hold. A document
// past one is reported and left unparsed, so that no file can stall a
// build or fill its memory. A key left out keeps its default (see
// DefaultLimits).
type Limits struct {
	decode.Meta   `toml:"-"`
	DocumentBytes int `toml:"document_bytes"` // the file, front matter and all
	Depth         int `toml:"depth"`          // nesting of block quotes and list items
	Links         int `toml:"links"`          // links, images, footnote marks: every '['
	Footnotes     int `toml:"footnotes"`      // footnote references and definitions: every "[^"
	Definitions   int `toml:"definitions"`    // link reference definitions: every "]:"
}

// ThemeConfig is the [theme] table: the client's branding.
type ThemeConfig struct {
	decode.Meta `toml:"-"`
	Client      string `toml:"client"` // the client's name, shown in every page's header
	Logo        string `toml:"logo"`   // a file under static/
	Accent      string `toml:"accent"` // link and highlight colour in light mode, #rgb or #rrggbb
	// AccentDark is the accent in dark mode; without it dark mode keeps
	// the theme's own, as a brand colour made for white pages is rarely
	// readable on a dark one.
	AccentDark string `toml:"accent_dark"`
	Footer     string `toml:"footer"`
	CSS        string `toml:"css"` // an extra stylesheet under static/
}

// Data is the governance data of a pack: every entity kind, merged across
// the pack's TOML files in path order.
type Data struct {
	Members          []Member       `toml:"member"`
	Bodies           []Body         `toml:"body"`
	Roles            []Role         `toml:"role"`
	Rights           []Right        `toml:"right"`
	Responsibilities []Right        `toml:"responsibility"`
	Decisions        []Decision     `toml:"decision"`
	Consensus        *Consensus     `toml:"consensus"`
	Nodes            []Node         `toml:"node"`
	DataClasses      []DataClass    `toml:"data_class"`
	Terms            []Term         `toml:"term"`
	Amendments       []Amendment    `toml:"amendment"`
	Ratifications    []Ratification `toml:"ratification"`
	Waivers          []Waiver       `toml:"waiver"`
}

// Member is a party to the consortium.
type Member struct {
	decode.Meta  `toml:"-"`
	ID           string      `toml:"id,required"`
	Name         string      `toml:"name,required"`
	Kind         string      `toml:"kind,required"`
	Jurisdiction string      `toml:"jurisdiction"`
	Joined       decode.Date `toml:"joined"`
	Contact      string      `toml:"contact"`
	URL          string      `toml:"url"`
	Description  string      `toml:"description"`
	SigningKeys  []string    `toml:"signing_keys"` // SSH public keys the member ratifies with
}

// Body is a deciding body.
type Body struct {
	decode.Meta   `toml:"-"`
	ID            string   `toml:"id,required"`
	Name          string   `toml:"name,required"`
	Members       []string `toml:"members,required"` // member ids, or ["all"]
	Chair         string   `toml:"chair"`
	Purpose       string   `toml:"purpose"`
	EstablishedBy string   `toml:"established_by"`
}

// Role is a function some members hold, such as auditor.
type Role struct {
	decode.Meta `toml:"-"`
	ID          string   `toml:"id,required"`
	Name        string   `toml:"name,required"`
	Holders     []string `toml:"holders"`
	Description string   `toml:"description"`
}

// Right is a [[right]] or a [[responsibility]]: what holders may or must do.
type Right struct {
	decode.Meta `toml:"-"`
	ID          string   `toml:"id,required"`
	Title       string   `toml:"title,required"`
	Holders     []string `toml:"holders,required"` // typed references
	Source      string   `toml:"source"`
	Item        string   `toml:"item"` // responsibilities only: the profile item served
	Description string   `toml:"description"`
}

// Decision is a decision rule of a body.
type Decision struct {
	decode.Meta `toml:"-"`
	ID          string   `toml:"id,required"`
	Title       string   `toml:"title,required"`
	Body        string   `toml:"body,required"`
	Quorum      float64  `toml:"quorum"`
	Threshold   float64  `toml:"threshold,required"`
	Basis       string   `toml:"basis"` // "cast" (default) or "all"
	Veto        []string `toml:"veto"`
	Source      string   `toml:"source"`
	Description string   `toml:"description"`
	// Ratification makes the rule one of ratification: the threshold of
	// the body's members must have signed the current pack digest.
	Ratification bool `toml:"ratification"`
}

// Consensus is the [consensus] table.
type Consensus struct {
	decode.Meta `toml:"-"`
	Algorithm   string `toml:"algorithm,required"`
	Description string `toml:"description"`
}

// Node is a node of the chain and who runs it.
type Node struct {
	decode.Meta `toml:"-"`
	ID          string `toml:"id,required"`
	Operator    string `toml:"operator,required"`
	Type        string `toml:"type,required"`
	Region      string `toml:"region"`
	Description string `toml:"description"`
}

// DataClass is a class of data and how it may go on chain.
type DataClass struct {
	decode.Meta    `toml:"-"`
	ID             string `toml:"id,required"`
	Name           string `toml:"name,required"`
	Classification string `toml:"classification,required"`
	OnChain        string `toml:"on_chain,required"`
	Owner          string `toml:"owner,required"`
	Retention      string `toml:"retention"`
	LegalBasis     string `toml:"legal_basis"`
	Description    string `toml:"description"`
}

// Term is a glossary entry.
type Term struct {
	decode.Meta `toml:"-"`
	ID          string   `toml:"id"` // default: the slug of Name
	Name        string   `toml:"name,required"`
	Definition  string   `toml:"definition,required"`
	Aliases     []string `toml:"aliases"`
}

// Amendment is an entry of the amendment history.
type Amendment struct {
	decode.Meta `toml:"-"`
	Version     string      `toml:"version,required"`
	Date        decode.Date `toml:"date,required"`
	Decision    string      `toml:"decision"`
	Summary     string      `toml:"summary,required"`
	Changes     []string    `toml:"changes"`
}

// Ratification records that a member approved a version of the pack.
type Ratification struct {
	decode.Meta `toml:"-"`
	Member      string      `toml:"member,required"`
	Date        decode.Date `toml:"date,required"`
	Digest      string      `toml:"digest,required"`
	PublicKey   string      `toml:"public_key,required"`
	Signature   string      `toml:"signature,required"`
}

// Waiver states that a profile item or a rule does not apply.
type Waiver struct {
	decode.Meta `toml:"-"`
	Item        string `toml:"item"`
	Rule        string `toml:"rule"`
	Target      string `toml:"target"`
	Reason      string `toml:"reason,required"`
	AgreedBy    string `toml:"agreed_by"`
}

// Document is one Markdown file of the pack.
type Document struct {
	Path    string // slash path relative to the pack, with .md
	ID      string // front matter id, or Path without .md
	Section string // first path segment; "" for documents at the root
	URL     string // output path, e.g. charter/decision-making.html

	Front    FrontMatter
	Title    string
	Source   []byte   // the Markdown after the front matter
	Offset   int      // byte offset of Source within the file
	AST      ast.Node // see tree; links are rewritten in place by link
	Headings []Heading
	lines    *diag.LineIndex
	nuls     []int // where Source has U+FFFD for a NUL of the file

	// A single build lets each tree go once loading has taken what
	// checking needs (every tree at once is most of a large pack's
	// memory) and parses the source again where a stage needs the tree:
	// see tree. A Builder keeps its trees for the next build.
	conv        *markdown.Converter // the converter that parsed it
	titleFromH1 bool                // the title is a leading level-1 heading, left out of the tree

	// refs are the document's links and images as written. Linking sets
	// each from its written form, so a document can be linked again in a
	// later build without being parsed again.
	refs []docRef
	// What rendering made of the document, kept for the next build: the
	// body is rendered again only when linking changes a link.
	highlighted bool
	hlDiags     diag.List
	body        string
	spilled     *spilledBody // where body is when a streamed build spilled it
	bodyIDs     []string     // the ids in body, in order, for the print page
	rendered    bool         // body is the document as it is now
	undoRender  func()
	// Its outline (see outline) and the words of its covering sections
	// (see sectionContent), worked out once per parse.
	titleInContent bool      // Headings[0] repeats the title; see titleHeading
	toc            []Heading // the headings its page's table of contents shows
	sections       map[string]sectionWords
	// searchEntries are the document's entries in the search index,
	// made once per parse.
	searchEntries []searchEntry
	anchorIDs     map[string]int // see anchorSet
	firstItemOf   *profile.Profile
	firstItemAt   int // see firstItem
	// linked is what linking the document reported and filed.
	linked struct {
		gen       int // the cache's link generation it was linked in
		diags     diag.List
		backlinks []keyedBacklink
	}
}

// anchorSet returns the ids of the document's headings, each with the
// index in Headings of the first heading that has it, worked out once per
// parse: a rebuild links against every document's.
func (d *Document) anchorSet() map[string]int {
	if d.anchorIDs == nil {
		d.anchorIDs = make(map[string]int, len(d.Headings))
		for i := len(d.Headings) - 1; i >= 0; i-- {
			d.anchorIDs[d.Headings[i].ID] = i
		}
	}
	return d.anchorIDs
}

// restoreAST undoes what rendering did to the syntax tree (glossary links,
// the title heading's level), for a build that links and checks the same
// tree again.
func (d *Document) restoreAST() {
	if d.undoRender != nil {
		d.undoRender()
		d.undoRender = nil
	}
}

// releaseAST drops the syntax tree and every pointer into it: nodes link
// to their parents and siblings, so one kept node keeps the whole tree.
// tree parses it again when a later stage needs it.
func (d *Document) releaseAST() {
	d.AST, d.undoRender = nil, nil
	for i := range d.Headings {
		d.Headings[i].node = nil
	}
	for i := range d.refs {
		d.refs[i].node = nil
	}
}

// tree returns the document's syntax tree, parsing the source again if a
// single build let it go: the same parser gives the same tree, whose
// headings and links are found in the order loading recorded them, and
// each link is set as linking last set it.
func (d *Document) tree() ast.Node {
	if d.AST != nil {
		return d.AST
	}
	d.AST = d.conv.Parse(d.Source)
	d.attachTree()
	for _, r := range d.refs {
		if r.applied {
			r.set.apply(r)
		}
	}
	return d.AST
}

// attachTree points the document's headings and links at their nodes in
// d.AST, a tree Parse made of the source, which holds them in the order
// loading recorded them; a title taken from a leading level-1 heading
// leaves the tree.
func (d *Document) attachTree() {
	if d.titleFromH1 {
		d.AST.RemoveChild(d.AST, d.AST.FirstChild())
	}
	headings, refs := 0, 0
	markdown.WalkRefs(d.AST, func(h *ast.Heading) {
		d.Headings[headings].node = h
		headings++
	}, func(n ast.Node) {
		d.refs[refs].node = n
		refs++
	})
	if headings != len(d.Headings) || refs != len(d.refs) {
		panic(fmt.Sprintf("%s parsed again into %d headings and %d links, not %d and %d", d.Path, headings, refs, len(d.Headings), len(d.refs)))
	}
}

// docRef is a link or an image of a document.
type docRef struct {
	node      ast.Node // *ast.Link or *ast.Image; nil while the tree is let go
	at        int      // its offset in Source
	dest      string   // the destination as written
	heading   int      // index in Headings of the heading it follows; -1 before any
	emptyText bool     // a link written without text shows its target's title
	set       linkState
	applied   bool // set is what the node holds
}

// FrontMatter is the TOML between +++ lines at the top of a document.
type FrontMatter struct {
	decode.Meta `toml:"-"`
	Title       string   `toml:"title"`
	ID          string   `toml:"id"`
	Weight      int      `toml:"weight"`
	Covers      []string `toml:"covers"`
	Draft       bool     `toml:"draft"`
	Description string   `toml:"description"`
}

// Heading is a heading of a document, with its anchor.
type Heading struct {
	Level int
	ID    string
	Text  string
	Pos   diag.Pos
	node  *ast.Heading
}

// pos returns the position in the document's file of byte offset off in Source.
func (d *Document) pos(off int) diag.Pos {
	if off < 0 {
		return diag.Pos{File: d.Path, Line: 1, Col: 1}
	}
	return d.lines.Pos(d.Offset + markdown.OriginalOffset(off, d.nuls))
}
