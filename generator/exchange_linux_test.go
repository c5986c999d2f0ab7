//go:build linux && (amd64 || arm64)

package generator

import (
	"os"
	"path/filepath"
	"testing"
)

// The previous site and the new one trade places in one step: the swap
// never moves the previous site aside, so no moment lacks the output.
func TestCommitExchanges(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := writeSite(t, dir, "one", nil); err != nil {
		t.Fatal(err)
	}
	exchanged := false
	err := writeSite(t, dir, "two", func(a, b string) error {
		if _, err := os.Stat(b); err != nil {
			t.Errorf("the output is missing before the swap: %v", err)
		}
		if err := exchange(a, b); err != nil {
			return err
		}
		exchanged = true
		if _, err := os.Stat(filepath.Join(a, SiteMarker)); err != nil {
			t.Errorf("the previous site is not where the new one was: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !exchanged {
		t.Error("the sites were not exchanged")
	}
	checkSite(t, dir, "two")
}
