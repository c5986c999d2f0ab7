package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samplePack copies the sample pack, whose history/2.0.0 declares every
// member's sample key and whose history/2.1.0 and current version all
// members ratified with them.
func samplePack(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pack")
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "public"))
	return dir
}

// swapKey replaces member's sample key in the members file of version dir
// (the pack, or one under history/) with keys.
func swapKey(t *testing.T, dir, member, keys string) {
	t.Helper()
	pub, err := os.ReadFile("../../testdata/sample-keys/" + member + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "data", "members.toml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := `signing_keys = ["` + strings.TrimSpace(string(pub)) + `"]`
	if !strings.Contains(string(src), line) {
		t.Fatalf("%s does not declare %s's sample key", file, member)
	}
	os.WriteFile(file, []byte(strings.Replace(string(src), line, "signing_keys = ["+keys+"]", 1)), 0o644)
}

// Whoever edits the pack cannot swap a member's key by editing the
// archived version the keys are trusted from as well: that archive's
// members ratified another text, so its keys are not carried forward.
func TestSwappedKeyInHistoryIsNotTrusted(t *testing.T) {
	pack := samplePack(t)
	forger, forgerPub := newKey(t, "forger")
	swapKey(t, filepath.Join(pack, "history", "2.1.0"), "alpenbank", `"`+forgerPub+`"`)
	swapKey(t, pack, "alpenbank", `"`+forgerPub+`"`)

	status, _, stderr := runCmd("sign", pack, "--member", "alpenbank", "--key", forger, "--date", "2026-03-01")
	if status != 1 || !strings.Contains(stderr, "is new in this version") {
		t.Fatalf("sign with the swapped key: status %d\n%s", status, stderr)
	}
	_, stdout, _ := runCmd("check", pack)
	if !strings.Contains(stdout, `of member "alpenbank" is new in this version (keys are trusted from history/2.0.0, which does not declare it)`) {
		t.Fatalf("check does not report the swapped key as untrusted:\n%s", stdout)
	}
}

// A key rotation counts once the version declaring the new key beside the
// old one is ratified with the old keys: here history/2.1.0 adds a second
// key for alpenbank and every member ratifies it again.
func TestRotatedKeyTrustedAfterRatification(t *testing.T) {
	pack := samplePack(t)
	archive := filepath.Join(pack, "history", "2.1.0")
	next, nextPub := newKey(t, "alpenbank-2027")
	old, _ := os.ReadFile("../../testdata/sample-keys/alpenbank.pub")
	both := `"` + strings.TrimSpace(string(old)) + `", "` + nextPub + `"`
	swapKey(t, archive, "alpenbank", both)
	swapKey(t, pack, "alpenbank", both)

	// Before the archive is ratified again, the new key is not trusted.
	if status, _, stderr := runCmd("sign", pack, "--member", "alpenbank", "--key", next, "--date", "2026-03-01"); status != 1 {
		t.Fatalf("sign with a key of an unratified version: status %d\n%s", status, stderr)
	}
	for _, member := range []string{"harbour-bank", "alpenbank", "banco-atlantico", "straits-commercial", "kowloon-merchant", "nordkredit", "rhein-handelsbank", "tidewater-logistics", "fmoo"} {
		key := "../../testdata/sample-keys/" + member
		os.Chmod(key, 0o600)
		if status, stdout, stderr := runCmd("sign", archive, "--member", member, "--key", key, "--date", "2026-01-01"); status != 0 {
			t.Fatalf("sign %s of history/2.1.0: status %d\n%s%s", member, status, stdout, stderr)
		}
	}
	if status, stdout, stderr := runCmd("sign", pack, "--member", "alpenbank", "--key", next, "--date", "2026-03-01"); status != 0 {
		t.Fatalf("sign with the rotated key: status %d\n%s%s", status, stdout, stderr)
	}
	// The others' ratifications sign the text before the rotation; the
	// new key's counts.
	_, stdout, _ := runCmd("check", pack)
	if strings.Contains(stdout, "[ratify/new-key]") || strings.Contains(stdout, "[ratify/invalid]") || !strings.Contains(stdout, "2.2.0 is ratified by 1 of 8 members") {
		t.Fatalf("check after the rotation:\n%s", stdout)
	}
}
