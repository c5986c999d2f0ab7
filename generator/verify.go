package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// MaxManifestSize bounds manifest.json: a site of a few hundred thousand
// files fits, and a hostile site cannot make verify read without end.
const MaxManifestSize = 64 << 20

// Discrepancy is one way a published site differs from its manifest, or
// from a rebuild of its pack.
type Discrepancy struct {
	Kind     string // "modified", "removed", "added" or "manifest"
	Path     string
	Expected string // sha256 and size the manifest (or the rebuild) records
	Actual   string // sha256 and size found, or why the file was not read
	Problem  string // for "manifest": what is wrong with it
}

func (d Discrepancy) String() string {
	switch d.Kind {
	case "modified":
		return fmt.Sprintf("modified  %s\n          expected %s\n          actual   %s", d.Path, d.Expected, d.Actual)
	case "manifest":
		if d.Path != "" {
			return fmt.Sprintf("manifest  %s: %s", d.Path, d.Problem)
		}
		return "manifest  " + d.Problem
	}
	return fmt.Sprintf("%-9s %s", d.Kind, d.Path)
}

// Verification is the result of checking a site against its manifest.
type Verification struct {
	Manifest      Manifest
	Files         int // files the manifest (or the rebuild) lists
	Discrepancies []Discrepancy
}

// Verify checks the site in the directory dir against its manifest.json:
// every listed file must exist with the recorded SHA-256 and size, and no
// other file may exist (besides the manifest and the site marker). It
// reads only, through an os.Root, so nothing outside dir can be reached;
// it reads a file only when it is a regular file, and never more than its
// listed size and one byte. A malformed manifest is a discrepancy, never
// a pass.
func Verify(dir string) (*Verification, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open site: %w", err)
	}
	defer root.Close()
	v := &Verification{}
	if !v.readManifest(root) {
		return v, nil
	}
	listed := map[string]bool{}
	for _, e := range v.Manifest.Files {
		v.Files++
		if problem := entryProblem(e, listed); problem != "" {
			v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Path: e.Path, Problem: problem})
			continue
		}
		listed[e.Path] = true
		if d, ok := compareFile(root, e.Path, strings.ToLower(e.SHA256), int64(e.Size)); !ok {
			v.Discrepancies = append(v.Discrepancies, d)
		}
	}
	if err := v.findAdded(root, listed); err != nil {
		return nil, err
	}
	v.sort()
	return v, nil
}

// VerifyBuild compares the site in dir with out, the site rebuilt from its
// pack: builds are byte-identical, so every file, manifest.json included,
// must be the rebuilt one, and the site may hold no other file (besides
// the site marker). A site whose manifest was forged along with its pages
// passes Verify but not this. Files are read as Verify reads them.
func VerifyBuild(dir string, out Output) (*Verification, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open site: %w", err)
	}
	defer root.Close()
	v := &Verification{Files: len(out)}
	// The manifest's pack digest, when it parses, tells which pack the site
	// claims; the comparison below decides.
	var scratch Verification
	if scratch.readManifest(root) {
		v.Manifest = scratch.Manifest
	}
	names := make([]string, 0, len(out))
	for name := range out {
		names = append(names, name)
	}
	sort.Strings(names)
	listed := map[string]bool{}
	for _, name := range names {
		listed[name] = true
		sum := sha256.Sum256(out[name])
		if d, ok := compareFile(root, name, hex.EncodeToString(sum[:]), int64(len(out[name]))); !ok {
			v.Discrepancies = append(v.Discrepancies, d)
		}
	}
	if err := v.findAdded(root, listed); err != nil {
		return nil, err
	}
	v.sort()
	return v, nil
}

// readManifest reads and parses manifest.json, recording what is wrong
// with it; it reports whether the manifest can be used.
func (v *Verification) readManifest(root *os.Root) bool {
	raw, problem := readBounded(root, ManifestFile, MaxManifestSize)
	if problem != "" {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: problem})
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&v.Manifest)
	if err == nil && dec.More() {
		err = errors.New("data after the manifest")
	}
	if err != nil {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: fmt.Sprintf("manifest.json is not a valid manifest: %v", err)})
		return false
	}
	if !strings.HasPrefix(v.Manifest.PackDigest, "sha256:") || len(v.Manifest.PackDigest) != len("sha256:")+64 {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: fmt.Sprintf("pack digest %q is not a sha256 digest", v.Manifest.PackDigest)})
	}
	return true
}

// readBounded reads the regular file name of the site, refusing one larger
// than limit bytes; it returns why the file cannot be used, or "".
func readBounded(root *os.Root, name string, limit int64) ([]byte, string) {
	f, problem := openRegular(root, name)
	if f == nil {
		if problem == "" {
			return nil, "the site has no " + name
		}
		return nil, name + " is " + problem
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case err != nil:
		return nil, fmt.Sprintf("%s cannot be read: %v", name, err)
	case int64(len(b)) > limit:
		return nil, fmt.Sprintf("%s is larger than %d bytes", name, limit)
	}
	return b, ""
}

// entryProblem says why a manifest entry cannot be checked, or "": its
// path must name a file inside the site, plainly, once.
func entryProblem(e ManifestEntry, listed map[string]bool) string {
	switch {
	case checkSiteName(e.Path) != nil:
		return "the path is not a plain relative path inside the site"
	case listed[e.Path]:
		return "listed twice"
	case e.Path == ManifestFile || e.Path == SiteMarker:
		return "the manifest cannot list itself or the site marker"
	case e.Size < 0:
		return fmt.Sprintf("size %d is negative", e.Size)
	}
	return ""
}

// compareFile hashes the site's file name, reading at most size+1 bytes,
// and reports how it differs from the expected hex SHA-256 and size.
func compareFile(root *os.Root, name, sum string, size int64) (Discrepancy, bool) {
	d := Discrepancy{Kind: "modified", Path: name, Expected: fmt.Sprintf("sha256 %s  %d bytes", sum, size)}
	f, problem := openRegular(root, name)
	if f == nil {
		if problem == "" {
			return Discrepancy{Kind: "removed", Path: name}, false
		}
		d.Actual = problem
		return d, false
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, size+1))
	switch {
	case err != nil:
		d.Actual = fmt.Sprintf("cannot be read: %v", err)
	case n > size:
		d.Actual = fmt.Sprintf("more than %d bytes (not read further)", size)
	default:
		actual := hex.EncodeToString(h.Sum(nil))
		if actual == sum && n == size {
			return Discrepancy{}, true
		}
		d.Actual = fmt.Sprintf("sha256 %s  %d bytes", actual, n)
	}
	return d, false
}

// openRegular opens the site's file name when it is a regular file. It
// returns nil and "" when there is no such file, nil and what the file is
// instead (a symbolic link, a named pipe, a device, a directory, a path
// leading outside the site) when it cannot be read as one.
func openRegular(root *os.Root, name string) (*os.File, string) {
	info, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ""
	}
	if err != nil {
		return nil, fmt.Sprintf("cannot be read: %v", err)
	}
	if !info.Mode().IsRegular() {
		return nil, describeMode(info.Mode()) + ", not a regular file"
	}
	// Non-blocking, so a file swapped for a named pipe since the Lstat
	// cannot stall the open; the Stat of the open file decides.
	f, err := root.OpenFile(name, os.O_RDONLY|openNonBlock, 0)
	if err != nil {
		return nil, fmt.Sprintf("cannot be read: %v", err)
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, fmt.Sprintf("cannot be read: %v", err)
		}
		return nil, describeMode(info.Mode()) + ", not a regular file"
	}
	return f, ""
}

// describeMode names what a file that is not a regular file is.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// findAdded reports every file of the site that is not listed, besides the
// manifest and the site marker. The walk reads directories only.
func (v *Verification) findAdded(root *os.Root, listed map[string]bool) error {
	err := fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || name == ManifestFile || name == SiteMarker || listed[name] {
			return nil
		}
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "added", Path: name})
		return nil
	})
	if err != nil {
		return fmt.Errorf("walk the site: %w", err)
	}
	return nil
}

func (v *Verification) sort() {
	sort.SliceStable(v.Discrepancies, func(i, j int) bool { return v.Discrepancies[i].Path < v.Discrepancies[j].Path })
}
