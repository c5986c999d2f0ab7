package generator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"govpack/generator/diag"
)

// PackFS reads a pack's directory and nothing outside it: every name is
// opened through an os.Root, which follows a symbolic link only while it
// stays below the directory and refuses one that leaves it, even when the
// link is swapped while the pack is read.
//
// Only regular files and directories are opened: a named pipe or a
// device in place of a source would hang the build or never end.
type PackFS struct {
	root *os.Root
	fsys fs.FS // root.FS(), for its sorted directory listings
}

// OpenPack opens the pack in dir. The caller closes it when done.
func OpenPack(dir string) (*PackFS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &PackFS{root: r, fsys: r.FS()}, nil
}

// Close releases the directory.
func (p *PackFS) Close() error { return p.root.Close() }

// errNotRegular is why a source that is neither a file nor a directory is
// not read.
var errNotRegular = errors.New("not a regular file")

// Open opens name for reading.
func (p *PackFS) Open(name string) (fs.File, error) {
	f, _, err := p.open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// open opens name and describes it. O_NONBLOCK lets a named pipe open at
// once, so that it is refused here instead of waiting for a writer
// forever; it changes nothing for files and directories.
func (p *PackFS) open(name string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := p.root.OpenFile(name, os.O_RDONLY|openNonBlock, 0)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		var leaves *leavesPack
		if _, rerr := resolveInPack(p, name); errors.As(rerr, &leaves) {
			err = &fs.PathError{Op: "open", Path: name, Err: leaves} // the Root's own error does not say which link
		}
	}
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: errNotRegular}
	}
	return f, fi, nil
}

// ReadFile reads a whole file, with one allocation where its size holds.
func (p *PackFS) ReadFile(name string) ([]byte, error) {
	f, fi, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	// The pack keeps every source it reads: room for more than the file
	// would stay allocated for the whole build.
	b := make([]byte, 0, fi.Size()+1) // +1: the read that meets the end
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: unwrapPath(err)}
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, 512) // the file grew since it was opened
		}
	}
}

// ReadDir lists a directory, sorted by name; links keep their link type.
func (p *PackFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(p.fsys, name) }

// Stat describes name, following links that stay in the pack.
func (p *PackFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(p.fsys, name) }

// Lstat describes name itself, a link as a link.
func (p *PackFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(p.fsys, name) }

// ReadLink returns the target a link is written with.
func (p *PackFS) ReadLink(name string) (string, error) { return fs.ReadLink(p.fsys, name) }

// maxLinks is how many links one name may go through: as many as an
// os.Root follows.
const maxLinks = 8

// leavesPack is the error of a name whose links lead out of the pack.
type leavesPack struct {
	name, link, target string // the name read; the link that leaves, and where to
}

func (e *leavesPack) Error() string {
	if e.link == e.name {
		return fmt.Sprintf("symbolic link leaves the pack (-> %s)", e.target)
	}
	return fmt.Sprintf("symbolic link %s leaves the pack (-> %s)", e.link, e.target)
}

// resolveInPack returns the path name names once every symbolic link on
// the way is followed, as the pack's own file system follows them, or a
// *leavesPack when one leads out. The pack's Root is what keeps reads
// inside; resolving here only says where a link goes, for diagnostics
// and for walking each linked directory once.
func resolveInPack(fsys fs.FS, name string) (string, error) {
	todo := strings.Split(name, "/")
	var done []string
	link, target := "", ""
	for n := 0; len(todo) > 0; {
		part := todo[0]
		todo = todo[1:]
		switch {
		case part == "." || part == "":
			continue
		case part == ".." && len(done) == 0:
			return "", &leavesPack{name: name, link: link, target: target}
		case part == "..":
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(append(done, part)...)
		fi, err := fs.Lstat(fsys, cur)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, part)
			continue
		}
		if n++; n > maxLinks {
			return "", &fs.PathError{Op: "open", Path: name, Err: syscall.ELOOP}
		}
		link = cur
		if target, err = fs.ReadLink(fsys, cur); err != nil {
			return "", err
		}
		if path.IsAbs(target) || strings.HasPrefix(target, `\`) {
			return "", &leavesPack{name: name, link: link, target: target} // a Root never follows one
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return path.Join(append([]string{"."}, done...)...), nil
}

// packLinks follows the symbolic links one walk of a pack meets.
//
// A link is followed only when it stays in the pack and leads to a
// source: a link that leaves, dangles or leads to what the walk never
// reads (a dot-file, the output) is reported once, at the link, and
// skipped. Links could make a small pack walk forever or exponentially
// long, so a directory link is walked only when it does not lead back to
// a directory the walk is in, and no other link leads into the same
// directories: each directory is then reached at most once in place and
// once through each link on the way to it.
type packLinks struct {
	fsys     fs.FS
	hidden   func(resolved string) bool // what the walk itself never reads
	walked   []linkedDir                // directory links followed, by where each is
	inside   []string                   // the directories the walk is in, through links
	reported map[string]bool            // links reported, by where each is
}

// linkedDir is a directory link, by where it is once the links above it
// are followed, and the directory it leads to.
type linkedDir struct{ link, target string }

// place is where the link the walk meets at name is in the pack, once
// the links above it are followed: a link met again through a linked
// directory is reported once, where it is.
func (l *packLinks) place(name string) string {
	parent, err := resolveInPack(l.fsys, path.Dir(name))
	if err != nil {
		return name
	}
	return path.Join(parent, path.Base(name))
}

// errorf reports a problem of the link at, once.
func (l *packLinks) errorf(diags *diag.List, at, format string, args ...any) {
	if l.reported == nil {
		l.reported = map[string]bool{}
	}
	if !l.reported[at] {
		l.reported[at] = true
		diags.Errorf(diag.Pos{File: at}, diag.RuleIORead, format, args...)
	}
}

// follow reports on the link at name and returns what it leads to and
// where, or false when it is not to be read.
func (l *packLinks) follow(name string, diags *diag.List) (fs.DirEntry, string, bool) {
	at := l.place(name)
	target, err := fs.ReadLink(l.fsys, name)
	if err != nil {
		l.errorf(diags, at, "cannot read: %v", unwrapPath(err))
		return nil, "", false
	}
	resolved, err := resolveInPack(l.fsys, name)
	var fi fs.FileInfo
	if err == nil {
		fi, err = fs.Stat(l.fsys, name)
	}
	var leaves *leavesPack
	switch {
	case errors.As(err, &leaves):
		l.errorf(diags, at, "%v", leaves)
		return nil, "", false
	case errors.Is(err, fs.ErrNotExist):
		l.errorf(diags, at, "cannot read: symbolic link to nothing (-> %s)", target)
		return nil, "", false
	case err != nil:
		l.errorf(diags, at, "cannot read: %v", unwrapPath(err))
		return nil, "", false
	case l.hidden(resolved):
		l.errorf(diags, at, "symbolic link leads to %q, which is never a source (-> %s)", resolved, target)
		return nil, "", false
	}
	return fs.FileInfoToDirEntry(fi), resolved, true
}

// enter starts the walk of directory resolved through the link at name,
// unless it must not be walked; leave ends it.
func (l *packLinks) enter(name, resolved string, diags *diag.List) bool {
	at := l.place(name)
	parent := path.Dir(at)
	for _, dir := range append(l.inside, parent) {
		if inDir(dir, resolved) {
			target, _ := fs.ReadLink(l.fsys, name)
			l.errorf(diags, at, "symbolic link leads back to a directory that holds it (-> %s)", target)
			return false
		}
	}
	seen := false
	for _, w := range l.walked {
		if w.link == at {
			seen = true // the same link, reached through another
		} else if inDir(w.target, resolved) || inDir(resolved, w.target) {
			l.errorf(diags, at, "symbolic link leads into %q, where %s already leads; link each directory once", resolved, w.link)
			return false
		}
	}
	if !seen {
		l.walked = append(l.walked, linkedDir{link: at, target: resolved})
	}
	l.inside = append(l.inside, parent, resolved)
	return true
}

func (l *packLinks) leave() { l.inside = l.inside[:len(l.inside)-2] }

// inDir reports whether p is dir or below it.
func inDir(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// notSource reports whether the walk of a pack leaves a path out: a
// dot-file or dot-directory at any depth, public/ or the output directory.
func notSource(name, skipDir string) bool {
	if name == "." {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return inDir(name, "public") || skipDir != "" && inDir(name, skipDir)
}
