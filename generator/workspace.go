package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strings"

	"govpack/generator/decode"
	"govpack/generator/diag"
	"govpack/generator/markdown"
)

// WorkspaceFile lists the packs of a workspace: a consultancy's clients,
// built and checked together, optionally on a shared base pack.
const WorkspaceFile = "govpack.work.toml"

// Workspace is govpack.work.toml.
type Workspace struct {
	decode.Meta `toml:"-"`
	// Base is a pack whose documents, data, static files, theme and
	// settings every pack of the workspace inherits and may override.
	Base  string   `toml:"base"`
	Packs []string `toml:"packs,required"` // pack directories, relative to the workspace file
}

// ParseWorkspace decodes a workspace file and checks its paths: relative,
// inside the workspace, each pack listed once.
func ParseWorkspace(src []byte) (*Workspace, diag.List) {
	var w Workspace
	diags := decode.Decode(WorkspaceFile, src, &w)
	check := func(key, p string) bool {
		switch {
		case strings.TrimSpace(p) == "":
			diags.Errorf(w.At(key), diag.RuleTOMLValue, "%s: an empty path", key)
		case strings.Contains(p, `\`) || path.IsAbs(p) || !fs.ValidPath(path.Clean(p)) || path.Clean(p) == ".":
			diags.Errorf(w.At(key), diag.RuleTOMLValue, "%s %q must be a directory below the workspace, written with forward slashes", key, p)
		default:
			return true
		}
		return false
	}
	if w.Base != "" {
		check("base", w.Base)
	}
	seen := map[string]bool{}
	for i, p := range w.Packs {
		key := fmt.Sprintf("packs[%d]", i)
		if !check(key, p) {
			continue
		}
		if seen[path.Clean(p)] {
			diags.Errorf(w.At(key), diag.RuleTOMLDuplicateID, "pack %q is listed twice", p)
		}
		seen[path.Clean(p)] = true
	}
	diags.Sort()
	return &w, diags
}

// Overlay is a pack over a base pack: the pack as its own directory
// shows it, plus every file of the base it does not have.
//
// The merge rules:
//   - a file of the pack replaces the base's file of the same path, whole:
//     a document, a data file, a static file, a theme file;
//   - govpack.toml merges key by key: each key the pack sets wins, each
//     it leaves out comes from the base's govpack.toml, the keys of
//     [theme] likewise one by one;
//   - in the data files, an entity of the pack replaces the base's
//     entity of the same kind and id (amendments by version), in the
//     base entity's place; [consensus] replaces the base's; waivers add up;
//   - the base's ratifications.toml, history/ and public/ are never
//     inherited: they belong to the base's own versions.
//
// Every other conflict is what it would be in one pack: two documents
// with the same id or output page, or an id defined twice within the
// pack's own files, is reported at both places.
type Overlay struct {
	pack, base fs.FS
	basePath   string // the base's directory relative to the pack's, for diagnostics
}

// NewOverlay returns pack over base. basePath is the base's directory
// relative to the pack's (such as "../base"); diagnostics name the
// inherited files by it.
func NewOverlay(pack, base fs.FS, basePath string) *Overlay {
	return &Overlay{pack: pack, base: base, basePath: basePath}
}

// hiddenInBase reports whether a base file is left out of the overlay.
func hiddenInBase(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	return name == SettingsFile || top == HistoryDir || top == "public" || path.Base(name) == RatificationsFile
}

// Open opens name in the pack, or else in the base. A directory lists the
// merged entries.
func (o *Overlay) Open(name string) (fs.File, error) {
	f, err := o.pack.Open(name)
	if o.fallBack(name, err) {
		f, err = o.base.Open(name)
	}
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		return f, err
	}
	entries, err := o.ReadDir(name)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &mergedDir{File: f, entries: entries}, nil
}

// Close closes the pack's and the base's file systems, where they can be.
func (o *Overlay) Close() error {
	var errs []error
	for _, fsys := range []fs.FS{o.pack, o.base} {
		if c, ok := fsys.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// Lstat describes name in the pack, or else in the base, a link as a link.
func (o *Overlay) Lstat(name string) (fs.FileInfo, error) {
	fi, err := fs.Lstat(o.pack, name)
	if o.fallBack(name, err) {
		fi, err = fs.Lstat(o.base, name)
	}
	return fi, err
}

// ReadLink returns the target of the link name in the pack, or else in
// the base.
func (o *Overlay) ReadLink(name string) (string, error) {
	target, err := fs.ReadLink(o.pack, name)
	if o.fallBack(name, err) {
		target, err = fs.ReadLink(o.base, name)
	}
	return target, err
}

// fallBack reports whether name, which the pack failed to give with err,
// is looked for in the base.
func (o *Overlay) fallBack(name string, err error) bool {
	return err != nil && errors.Is(err, fs.ErrNotExist) && fs.ValidPath(name) && !hiddenInBase(name)
}

// mergedDir is a directory of an Overlay.
type mergedDir struct {
	fs.File
	entries []fs.DirEntry
	off     int
}

func (d *mergedDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}

// ReadDir lists the pack's entries of a directory and the base's it lacks,
// sorted by name, so fs.WalkDir walks the merged tree.
func (o *Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	own, ownErr := fs.ReadDir(o.pack, name)
	if ownErr != nil && !errors.Is(ownErr, fs.ErrNotExist) {
		return nil, ownErr
	}
	var inherited []fs.DirEntry
	if !hiddenInBase(name) || name == "." {
		var err error
		inherited, err = fs.ReadDir(o.base, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if ownErr != nil && inherited == nil {
		return nil, ownErr
	}
	have := map[string]bool{}
	for _, e := range own {
		have[e.Name()] = true
	}
	out := own
	for _, e := range inherited {
		if !have[e.Name()] && !hiddenInBase(path.Join(name, e.Name())) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// Inherited reports whether the file name comes from the base. A link
// counts where it is, even one that cannot be followed, so that what is
// said of it names the right pack.
func (o *Overlay) Inherited(name string) bool {
	if _, err := fs.Lstat(o.pack, name); !errors.Is(err, fs.ErrNotExist) || hiddenInBase(name) {
		return false
	}
	_, err := fs.Lstat(o.base, name)
	return err == nil
}

// Where names file name for a reader: relative to the pack's directory,
// through the base's path when the file is inherited.
func (o *Overlay) Where(name string) string {
	if o.Inherited(name) {
		return path.Join(o.basePath, name)
	}
	return name // the pack's own, or already the base's settings path
}

// baseSettings is the name under which the base's govpack.toml appears
// in diagnostics and the pack digest.
func (o *Overlay) baseSettings() string { return path.Join(o.basePath, SettingsFile) }

// inheritSettings fills the settings the pack leaves unset from the base's
// govpack.toml, key by key.
func inheritSettings(o *Overlay, p *Pack, diags *diag.List) {
	name := o.baseSettings()
	src, err := fs.ReadFile(o.base, SettingsFile)
	if err != nil {
		diags.Errorf(diag.Pos{File: name}, diag.RuleIORead, "cannot read the base pack's settings: %v", unwrapPath(err))
		p.incomplete = true
		return
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	var base Settings
	baseDiags := decode.Decode(name, src, &base)
	*diags = append(*diags, baseDiags...)
	if baseDiags.HasErrors() {
		p.incomplete = true
	}
	p.files[name] = src // the inherited settings are part of what members sign
	fillUnset(reflect.ValueOf(&p.Settings).Elem(), reflect.ValueOf(&base).Elem())
}

// fillUnset copies into struct dst each key that src sets and dst does
// not, with its position; a table both set is merged the same way.
func fillUnset(dst, src reflect.Value) {
	dstMeta := dst.FieldByName("Meta").Addr().Interface().(*decode.Meta)
	srcMeta := src.FieldByName("Meta").Interface().(decode.Meta)
	if dstMeta.Keys == nil {
		dstMeta.Keys = map[string]diag.Pos{}
	}
	for _, k := range decode.Keys(dst.Type()) {
		i, name := k.Index, k.Name
		srcPos, inSrc := srcMeta.Keys[name]
		if !inSrc {
			continue
		}
		_, inDst := dstMeta.Keys[name]
		f := dst.Field(i)
		switch {
		case !inDst:
			f.Set(src.Field(i))
			dstMeta.Keys[name] = srcPos
		case f.Kind() == reflect.Struct && f.Type() != reflect.TypeFor[decode.Date]():
			fillUnset(f, src.Field(i))
		}
	}
}

// inherit puts the base's entities under d's: an entity of d replaces the
// base's of the same kind and id, in its place; d's others follow.
func (d *Data) inherit(base *Data) {
	d.Members = inheritByID(base.Members, d.Members, func(x *Member) string { return x.ID })
	d.Bodies = inheritByID(base.Bodies, d.Bodies, func(x *Body) string { return x.ID })
	d.Roles = inheritByID(base.Roles, d.Roles, func(x *Role) string { return x.ID })
	d.Rights = inheritByID(base.Rights, d.Rights, func(x *Right) string { return x.ID })
	d.Responsibilities = inheritByID(base.Responsibilities, d.Responsibilities, func(x *Right) string { return x.ID })
	d.Decisions = inheritByID(base.Decisions, d.Decisions, func(x *Decision) string { return x.ID })
	d.Nodes = inheritByID(base.Nodes, d.Nodes, func(x *Node) string { return x.ID })
	d.DataClasses = inheritByID(base.DataClasses, d.DataClasses, func(x *DataClass) string { return x.ID })
	d.Terms = inheritByID(base.Terms, d.Terms, func(x *Term) string {
		if x.ID != "" {
			return x.ID
		}
		return markdown.Slug(x.Name)
	})
	d.Amendments = inheritByID(base.Amendments, d.Amendments, func(x *Amendment) string { return x.Version })
	d.Waivers = append(base.Waivers, d.Waivers...)
	if d.Consensus == nil {
		d.Consensus = base.Consensus
	}
}

func inheritByID[T any](base, own []T, id func(*T) string) []T {
	byID := map[string]int{}
	for i := range own {
		if _, dup := byID[id(&own[i])]; !dup {
			byID[id(&own[i])] = i
		}
	}
	used := make([]bool, len(own))
	out := make([]T, 0, len(base)+len(own))
	for i := range base {
		if j, ok := byID[id(&base[i])]; ok {
			if !used[j] {
				out = append(out, own[j])
				used[j] = true
			}
			continue
		}
		out = append(out, base[i])
	}
	for j := range own {
		if !used[j] {
			out = append(out, own[j])
		}
	}
	return out
}
