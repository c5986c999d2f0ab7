package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Discrepancy is one way a published site differs from its manifest.
type Discrepancy struct {
	Kind     string // "modified", "removed", "added" or "manifest"
	Path     string
	Expected string // sha256 and size the manifest records
	Actual   string // sha256 and size found
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
	Files         int // files the manifest lists
	Discrepancies []Discrepancy
}

// Verify checks the site in fsys against its manifest.json: every listed
// file must exist with the recorded SHA-256 and size, and no other file may
// exist (besides the manifest and the site marker). It reads only; a
// malformed manifest is a discrepancy, never a pass.
func Verify(fsys fs.FS) (*Verification, error) {
	v := &Verification{}
	raw, err := fs.ReadFile(fsys, ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: "the site has no manifest.json"})
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ManifestFile, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v.Manifest); err != nil {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: fmt.Sprintf("manifest.json is not a valid manifest: %v", err)})
		return v, nil
	}
	if !strings.HasPrefix(v.Manifest.PackDigest, "sha256:") || len(v.Manifest.PackDigest) != len("sha256:")+64 {
		v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Problem: fmt.Sprintf("pack digest %q is not a sha256 digest", v.Manifest.PackDigest)})
	}
	listed := map[string]bool{}
	for _, e := range v.Manifest.Files {
		v.Files++
		switch {
		case !fs.ValidPath(e.Path) || e.Path == "." || strings.Contains(e.Path, "\\") || path.Clean(e.Path) != e.Path:
			v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Path: e.Path, Problem: "the path is not a plain relative path inside the site"})
			continue
		case listed[e.Path]:
			v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Path: e.Path, Problem: "listed twice"})
			continue
		case e.Path == ManifestFile || e.Path == SiteMarker:
			v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "manifest", Path: e.Path, Problem: "the manifest cannot list itself or the site marker"})
			continue
		}
		listed[e.Path] = true
		b, err := fs.ReadFile(fsys, e.Path)
		if errors.Is(err, fs.ErrNotExist) {
			v.Discrepancies = append(v.Discrepancies, Discrepancy{Kind: "removed", Path: e.Path})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Path, err)
		}
		sum := sha256.Sum256(b)
		actual := hex.EncodeToString(sum[:])
		if actual != strings.ToLower(e.SHA256) || len(b) != e.Size {
			v.Discrepancies = append(v.Discrepancies, Discrepancy{
				Kind: "modified", Path: e.Path,
				Expected: fmt.Sprintf("sha256 %s  %d bytes", e.SHA256, e.Size),
				Actual:   fmt.Sprintf("sha256 %s  %d bytes", actual, len(b)),
			})
		}
	}
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
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
		return nil, fmt.Errorf("walk the site: %w", err)
	}
	sort.SliceStable(v.Discrepancies, func(i, j int) bool { return v.Discrepancies[i].Path < v.Discrepancies[j].Path })
	return v, nil
}
