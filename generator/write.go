package generator

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// SiteMarker is the file govpack keeps in every site it writes. A
// directory without it was not written by govpack and is never replaced.
const SiteMarker = ".govpack-site"

// errAborted is what a write after SiteDir.Abort fails with.
var errAborted = errors.New("the site being written was abandoned")

// ErrNotOurs is returned when the output directory holds files govpack
// did not write.
var ErrNotOurs = errors.New("directory was not written by govpack")

// OutputDir validates the output directory of a build of the pack in
// packDir. The output may not be the pack, hold the pack, or lie inside
// the pack anywhere but public/ (it would be read as sources next time).
// It returns the output as a slash path inside the pack ("" when outside),
// which the build must skip.
func OutputDir(packDir, outDir string) (skip string, err error) {
	pack, err := filepath.Abs(packDir)
	if err != nil {
		return "", err
	}
	out, err := filepath.Abs(outDir)
	if err != nil {
		return "", err
	}
	pack, out = resolveLinks(pack), resolveLinks(out)
	if out == pack {
		return "", fmt.Errorf("output directory %s is the pack itself", outDir)
	}
	if rel, err := filepath.Rel(out, pack); err == nil && filepath.IsLocal(rel) {
		return "", fmt.Errorf("output directory %s contains the pack; replacing it would delete the sources", outDir)
	}
	rel, err := filepath.Rel(pack, out)
	if err != nil || !filepath.IsLocal(rel) {
		return "", nil
	}
	rel = filepath.ToSlash(rel)
	if rel != "public" && !strings.HasPrefix(rel, "public/") && !strings.HasPrefix(rel, ".") {
		return "", fmt.Errorf("output directory %s lies inside the pack's sources; use public/ or a directory outside the pack", outDir)
	}
	return rel, nil
}

// resolveLinks follows symbolic links in as much of p as exists, so that
// two spellings of one directory compare equal.
func resolveLinks(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// Write writes the site to dir. It writes into a new directory beside
// dir and swaps it in only when every file is written, so a failed or
// interrupted write leaves the previous site whole. An existing dir is
// replaced only when govpack wrote it (it holds SiteMarker) or is empty.
func Write(out Output, dir string) error {
	site, err := CreateSiteDir(dir)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(out)) {
		if err := site.WriteFile(name, out[name]); err != nil {
			site.Abort()
			return err
		}
	}
	return site.Commit()
}

// A SiteDir is a site being written to a directory: its files go into a
// new directory beside it, which Commit swaps in and Abort removes. A
// build can write a large site's files as it makes them (Options.Files)
// instead of holding them all. Its methods are safe for concurrent use.
type SiteDir struct {
	dir, tmp string
	prev     string // the site being replaced, "" when there is none

	// exchange swaps two directories' names atomically; see Commit.
	exchange func(a, b string) error

	mu      sync.Mutex
	made    map[string]bool // directories created
	aborted bool            // Abort was called: nothing more is written

	chunks sync.Pool // *[]byte that files of the previous site are compared in
}

// CreateSiteDir starts writing a site to dir. It fails when dir may not
// be replaced (see Write).
func CreateSiteDir(dir string) (*SiteDir, error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	exists, err := replaceable(dir)
	if err != nil {
		return nil, err
	}
	removeStale(parent, base)

	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	// The marker goes in first: a leftover of an interrupted write is then
	// recognisably ours and removed by the next write.
	if err := os.WriteFile(filepath.Join(tmp, SiteMarker), []byte("written by govpack; the directory is replaced on every build\n"), 0o644); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("write %s: %w", SiteMarker, err)
	}
	s := &SiteDir{dir: dir, tmp: tmp, made: map[string]bool{tmp: true}, exchange: exchange}
	if exists {
		s.prev = dir
	}
	return s, nil
}

// mkdirFor creates the directory of the file at p.
func (s *SiteDir) mkdirFor(p string) error {
	d := filepath.Dir(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return errAborted
	}
	if s.made[d] {
		return nil
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", d, err)
	}
	s.made[d] = true
	return nil
}

// WriteFile writes the site file at slash path name. A file whose bytes
// the previous site already holds is linked to it instead: it keeps its
// modification time, and deploys copy only what changed.
func (s *SiteDir) WriteFile(name string, b []byte) error {
	if err := checkSiteName(name); err != nil {
		return err
	}
	p := filepath.Join(s.tmp, filepath.FromSlash(name))
	if err := s.mkdirFor(p); err != nil {
		return err
	}
	if s.prev != "" {
		old := filepath.Join(s.prev, filepath.FromSlash(name))
		chunk, _ := s.chunks.Get().(*[]byte)
		if chunk == nil {
			chunk = new([]byte)
			*chunk = make([]byte, 64<<10)
		}
		same := sameFile(old, b, *chunk)
		s.chunks.Put(chunk)
		if same && os.Link(old, p) == nil {
			return nil
		}
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// Create creates the site file at slash path name, for a file too large
// to make in memory first.
func (s *SiteDir) Create(name string) (io.WriteCloser, error) {
	if err := checkSiteName(name); err != nil {
		return nil, err
	}
	p := filepath.Join(s.tmp, filepath.FromSlash(name))
	if err := s.mkdirFor(p); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return f, nil
}

// Abort removes what was written; the previous site stays. It is safe
// to call while files are being written, as on a signal: every later
// write fails, and no directory is made again.
func (s *SiteDir) Abort() {
	s.mu.Lock()
	s.aborted = true
	s.mu.Unlock()
	os.RemoveAll(s.tmp)
}

// Commit swaps the written site in for the previous one. Where the system
// can, the two directories trade names in one step, so that no crash
// leaves the output missing; elsewhere the previous site is moved aside
// first.
func (s *SiteDir) Commit() error {
	tmp, dir := s.tmp, s.dir
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("chmod %s: %w", tmp, err)
	}
	if s.prev == "" {
		if err := os.Rename(tmp, dir); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("move site into place: %w", err)
		}
		return nil
	}
	err := s.exchange(tmp, dir)
	switch {
	case err == nil:
		// tmp now holds the previous site.
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("remove previous site %s: %w", tmp, err)
		}
		return nil
	case errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EINVAL):
		return s.swapByRenames()
	}
	os.RemoveAll(tmp)
	return fmt.Errorf("move site into place: %w", err)
}

// swapByRenames moves the previous site aside, the new one in, and then
// removes the previous one: for systems without an atomic exchange.
func (s *SiteDir) swapByRenames() error {
	tmp, dir := s.tmp, s.dir
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	old := filepath.Join(parent, "."+base+".old-"+filepath.Base(tmp)[len(base)+6:])
	if err := os.Rename(dir, old); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("move previous site aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("move site into place: %w (previous site kept at %s: %v)", err, old, rerr)
		}
		os.RemoveAll(tmp)
		return fmt.Errorf("move site into place: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove previous site %s: %w", old, err)
	}
	return nil
}

// replaceable reports whether dir exists, and fails when it exists but may
// not be replaced.
func replaceable(dir string) (bool, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("output directory: %w", err)
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("output %s is a file, not a directory", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, SiteMarker)); err == nil {
		return true, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("output directory: %w", err)
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("refusing to replace %s: %w (it has no %s file); remove it yourself or choose another output directory", dir, ErrNotOurs, SiteMarker)
	}
	return true, nil
}

// removeStale removes what interrupted writes left beside the output:
// directories named like ours that hold the marker.
func removeStale(parent, base string) {
	for _, pattern := range []string{"." + base + ".tmp-*", "." + base + ".old-*"} {
		matches, _ := filepath.Glob(filepath.Join(parent, pattern))
		for _, m := range matches {
			if _, err := os.Stat(filepath.Join(m, SiteMarker)); err == nil {
				os.RemoveAll(m)
			}
		}
	}
}

// sameFile reports whether the regular file at p holds exactly b.
func sameFile(p string, b, chunk []byte) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(b)) {
		return false
	}
	// A chunk at a time: a rebuild compares every file of the site, and
	// reading each whole would allocate the site again.
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	for off := 0; ; {
		n, err := f.Read(chunk)
		if n > len(b)-off || !bytes.Equal(chunk[:n], b[off:off+n]) {
			return false
		}
		off += n
		if err == io.EOF {
			return off == len(b)
		}
		if err != nil {
			return false
		}
	}
}

// zipTime is the time every zip entry carries, so that the same site gives
// the same zip bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the site as a zip archive to file, every entry under the
// folder root, so that unpacking it gives one folder that opens from the
// file system. The archive is written beside file and renamed into place.
// Every entry name is a plain relative path, so that no unpacker writes
// outside the folder.
func WriteZip(out Output, file, root string) error {
	if err := checkSiteName(root); err != nil || strings.Contains(root, "/") {
		return fmt.Errorf("zip %s: refusing folder name %q: not a single plain name", file, root)
	}
	for name := range out {
		if err := checkSiteName(name); err != nil {
			return fmt.Errorf("zip %s: %w", file, err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-")
	if err != nil {
		return fmt.Errorf("create %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	zw := zip.NewWriter(tmp)
	for _, name := range slices.Sorted(maps.Keys(out)) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Join(root, name), Method: zip.Deflate, Modified: zipTime})
		if err == nil {
			_, err = w.Write(out[name])
		}
		if err != nil {
			tmp.Close()
			return fmt.Errorf("zip %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("zip: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}

// siteWriteError is a failure to write a site file, told apart from a
// template's failure on the same stream: the disk, not the theme, is at
// fault.
type siteWriteError struct{ err error }

func (e *siteWriteError) Error() string { return e.err.Error() }
func (e *siteWriteError) Unwrap() error { return e.err }

// fileWriter keeps the first error of the file it writes to.
type fileWriter struct {
	w   io.Writer
	err error
}

func (f *fileWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}
