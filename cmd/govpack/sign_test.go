package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keyedPack is goodPack at version with the members bank-a and bank-b,
// declaring keys, and a rule that asks for the ratification of both.
func keyedPack(version string, keys map[string][]string) map[string]string {
	files := map[string]string{}
	for k, v := range goodPack {
		files[k] = v
	}
	files["govpack.toml"] += fmt.Sprintf("version = %q\n", version)
	var data strings.Builder
	for _, m := range []string{"bank-a", "bank-b"} {
		quoted := make([]string, len(keys[m]))
		for i, k := range keys[m] {
			quoted[i] = fmt.Sprintf("%q", k)
		}
		fmt.Fprintf(&data, "[[member]]\nid = %q\nname = %q\nkind = \"founding\"\nsigning_keys = [%s]\n\n", m, m, strings.Join(quoted, ", "))
	}
	files["data.toml"] = data.String() + "[[body]]\nid = \"assembly\"\nname = \"Assembly\"\nmembers = \"all\"\n\n" +
		"[[decision]]\nid = \"ratify\"\ntitle = \"Ratify a version\"\nbody = \"assembly\"\nthreshold = 1.0\nbasis = \"all\"\nratification = true\n"
	return files
}

func TestSignKeyFileNotFound(t *testing.T) {
	_, pub := newKey(t, "bank-a")
	pack := writePack(t, keyedPack("1.0.0", map[string][]string{"bank-a": {pub}}))
	missing := filepath.Join(t.TempDir(), "id_ed25519")
	status, _, stderr := runCmd("sign", pack, "--member", "bank-a", "--key", missing)
	if status != exitUsage || stderr != "govpack sign: key file "+missing+" not found\n" {
		t.Errorf("a missing key file: status %d\n%s", status, stderr)
	}
}

// A key added in this version cannot ratify it: sign refuses it, and
// accepts the key the previous version declared.
func TestSignRefusesKeyNewInThisVersion(t *testing.T) {
	oldKey, oldPub := newKey(t, "bank-a")
	newKeyFile, newPub := newKey(t, "bank-a-2026")
	bKey, bPub := newKey(t, "bank-b")
	files := keyedPack("1.1.0", map[string][]string{"bank-a": {oldPub, newPub}, "bank-b": {bPub}})
	for name, data := range keyedPack("1.0.0", map[string][]string{"bank-a": {oldPub}, "bank-b": {bPub}}) {
		files["history/1.0.0/"+name] = data
	}
	pack := writePack(t, files)
	status, _, stderr := runCmd("sign", pack, "--member", "bank-a", "--key", newKeyFile)
	if status != exitErrors || !strings.Contains(stderr, "is new in this version; it counts once a version declaring it is ratified with the member's earlier keys; ratifications.toml was not changed") {
		t.Fatalf("a key new in this version: status %d\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(pack, "ratifications.toml")); err == nil {
		t.Fatal("a refused signature was written")
	}
	for member, key := range map[string]string{"bank-a": oldKey, "bank-b": bKey} {
		if status, stdout, stderr := runCmd("sign", pack, "--member", member, "--key", key); status != 0 {
			t.Fatalf("the previous version's key: status %d\n%s%s", status, stdout, stderr)
		}
	}
	if status, stdout, _ := runCmd("check", pack); status != 0 || strings.Contains(stdout, "[ratify/threshold]") || !strings.Contains(stdout, "[ratify/new-key]") {
		t.Errorf("ratified with the previous version's key: status %d\n%s", status, stdout)
	}
}

// sign replaces ratifications.toml by renaming a new file over it: a link
// planted in its place is replaced, and what it points to is not written.
// A link that leaves the pack is refused before anything is signed.
func TestSignDoesNotWriteThroughLink(t *testing.T) {
	key, pub := newKey(t, "bank-a")
	pack := writePack(t, keyedPack("1.0.0", map[string][]string{"bank-a": {pub}}))
	outside := filepath.Join(t.TempDir(), "elsewhere.toml")
	os.WriteFile(outside, []byte("# not the pack's\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(pack, "ratifications.toml")); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := runCmd("sign", pack, "--member", "bank-a", "--key", key); status != 2 || !strings.Contains(stderr, "ratifications.toml: error: symbolic link leaves the pack") {
		t.Fatalf("sign with ratifications.toml linked out of the pack: status %d\n%s", status, stderr)
	}
	inside := filepath.Join(pack, "notes", "elsewhere.toml")
	os.MkdirAll(filepath.Dir(inside), 0o755)
	os.WriteFile(inside, []byte("# not the pack's\n"), 0o644)
	os.Remove(filepath.Join(pack, "ratifications.toml"))
	if err := os.Symlink(filepath.Join("notes", "elsewhere.toml"), filepath.Join(pack, "ratifications.toml")); err != nil {
		t.Fatal(err)
	}
	if status, stdout, stderr := runCmd("sign", pack, "--member", "bank-a", "--key", key); status != 0 {
		t.Fatalf("sign: status %d\n%s%s", status, stdout, stderr)
	}
	for _, f := range []string{outside, inside} {
		if b, _ := os.ReadFile(f); string(b) != "# not the pack's\n" {
			t.Errorf("sign wrote through a link to %s:\n%s", f, b)
		}
	}
	if info, err := os.Lstat(filepath.Join(pack, "ratifications.toml")); err != nil {
		t.Error(err)
	} else if !info.Mode().IsRegular() || info.Mode().Perm() != 0o644 {
		t.Errorf("ratifications.toml after sign is %v, not a regular file of mode 0644", info.Mode())
	}
	entries, _ := os.ReadDir(pack)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ratifications") {
			t.Errorf("a temporary file is left behind: %s", e.Name())
		}
	}
}
