package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// writePack writes files (slash path → contents) under a new directory.
func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(context.Background(), args, &out, &errb)
	return status, out.String(), errb.String()
}

// goodPack builds clean: its profile requires nothing.
var goodPack = map[string]string{
	"govpack.toml": "title = \"T\"\nprofile = \"p.toml\"\n",
	"p.toml":       "id = \"p\"\ntitle = \"P\"\n",
	"charter/a.md": "# A\n\nSee [b](b.md).\n",
	"charter/b.md": "# B\n",
}

func TestBuildWritesSite(t *testing.T) {
	pack := writePack(t, goodPack)
	status, stdout, stderr := runCmd("build", pack)
	if status != 0 {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(pack, "public")) {
		t.Errorf("build does not say where the site is: %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(pack, "public", "charter", "a.html")); err != nil {
		t.Error(err)
	}
	// A second build replaces the first, and public/ is not read as a source.
	if status, _, stderr := runCmd("build", pack); status != 0 {
		t.Fatalf("second build: status %d, stderr:\n%s", status, stderr)
	}
}

func TestBuildErrorLeavesPreviousSite(t *testing.T) {
	pack := writePack(t, goodPack)
	out := filepath.Join(t.TempDir(), "site")
	if status, _, stderr := runCmd("build", "-o", out, pack); status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "charter", "a.html"))
	os.WriteFile(filepath.Join(pack, "charter", "a.md"), []byte("# A\n\nSee [c](c.md).\n"), 0o644)
	status, _, stderr := runCmd("build", pack, "-o", out)
	if status != 1 {
		t.Fatalf("status %d, want 1; stderr:\n%s", status, stderr)
	}
	want := `charter/a.md:3:5: error: reference "c.md" does not resolve: no document "charter/c.md" [ref/unresolved]`
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "not written") {
		t.Errorf("stderr:\n%s\nwant it to hold:\n%s", stderr, want)
	}
	after, _ := os.ReadFile(filepath.Join(out, "charter", "a.html"))
	if len(before) == 0 || !bytes.Equal(before, after) {
		t.Errorf("the previous site changed after a failed build")
	}
}

func TestExitStatus(t *testing.T) {
	good := writePack(t, goodPack)
	broken := writePack(t, map[string]string{"govpack.toml": "title = \"T\"\ntitel = 1\n"})
	notPack := writePack(t, map[string]string{"a.md": "# A\n"})
	dangling := writePack(t, goodPack)
	if err := os.Symlink("nowhere.toml", filepath.Join(dangling, "data.toml")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"check", good}, 0, ""},
		{[]string{"check", broken}, 1, `govpack.toml:2:1: error: unknown key "titel"`},
		{[]string{"check", notPack}, 1, "govpack.toml is missing"},
		{[]string{"check", dangling}, 2, "data.toml: error: cannot read"},
		{[]string{"check", filepath.Join(good, "nope")}, 2, "no such file"},
		{[]string{"build", good, "-o", good}, 2, "is the pack itself"},
		{[]string{"build", good, "-o", filepath.Join(good, "charter")}, 2, "inside the pack's sources"},
		{[]string{"build", good, "extra"}, 2, "too many arguments"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{}, 2, "Usage"},
		{[]string{"build", "--help"}, 0, ""},
		{[]string{"check", "-h"}, 0, ""},
		{[]string{"--help"}, 0, ""},
	} {
		status, stdout, stderr := runCmd(c.args...)
		if status != c.status || !strings.Contains(stdout+stderr, c.want) {
			t.Errorf("govpack %s: status %d, stderr:\n%s\nwant status %d and %q (stdout %q)", strings.Join(c.args, " "), status, stderr, c.status, c.want, stdout)
		}
	}
}

// TestHelpOnce: --help prints the usage once, on stdout; a bad flag prints
// the error and the usage once, on stderr.
func TestHelpOnce(t *testing.T) {
	for _, cmd := range []string{"build", "check", "serve", "pdf", "digest", "verify", "schema"} {
		status, stdout, stderr := runCmd(cmd, "--help")
		if status != 0 || strings.Count(stdout, "Usage: govpack "+cmd) != 1 || stderr != "" {
			t.Errorf("govpack %s --help: status %d, stdout:\n%s\nstderr:\n%s", cmd, status, stdout, stderr)
		}
		status, stdout, stderr = runCmd(cmd, "--no-such-flag")
		if status != 2 || strings.Count(stderr, "Usage: govpack "+cmd) != 1 || !strings.Contains(stderr, "no-such-flag") || stdout != "" {
			t.Errorf("govpack %s --no-such-flag: status %d, stdout:\n%s\nstderr:\n%s", cmd, status, stdout, stderr)
		}
	}
}

func TestForeignOutputIsNotReplaced(t *testing.T) {
	pack := writePack(t, goodPack)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	status, _, stderr := runCmd("build", pack, "-o", out)
	if status != 2 || !strings.Contains(stderr, "refusing to replace") {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "notes.txt")); string(b) != "mine" {
		t.Fatal("user file touched")
	}
}

func TestCheckFormats(t *testing.T) {
	files := map[string]string{}
	for k, v := range goodPack {
		files[k] = v
	}
	files["data.toml"] = "[[waiver]]\nrule = \"concentration/veto\"\nreason = \"kept for the test\"\n"
	files["charter/b.md"] = "# B\n\n[x](member:nobody)\n"
	pack := writePack(t, files)

	status, stdout, _ := runCmd("check", pack, "--format", "json")
	if status != 1 {
		t.Fatalf("json: status %d", status)
	}
	var out struct {
		Diagnostics []struct {
			File, Severity, Message, Rule string
			Line, Column                  int
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, stdout)
	}
	if len(out.Diagnostics) != 2 || out.Summary["errors"] != 1 || out.Summary["warnings"] != 1 {
		t.Errorf("json: %+v", out)
	}
	d := out.Diagnostics[0]
	if d.File != "charter/b.md" || d.Line != 3 || d.Column != 1 || d.Rule != "ref/unresolved" || d.Severity != "error" {
		t.Errorf("json diagnostic: %+v", d)
	}

	status, stdout, _ = runCmd("check", pack, "--format", "sarif")
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatalf("sarif output does not parse: %v\n%s", err, stdout)
	}
	if status != 1 || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 || log.Runs[0].Tool.Driver.Name != "govpack" {
		t.Fatalf("sarif: status %d, %+v", status, log)
	}
	r := log.Runs[0].Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "ref/unresolved" || r.Level != "error" || loc.ArtifactLocation.URI != "charter/b.md" || loc.Region.StartLine != 3 {
		t.Errorf("sarif result: %+v", r)
	}
	if len(log.Runs[0].Tool.Driver.Rules) < 20 {
		t.Errorf("sarif lists %d rules; every rule should be described", len(log.Runs[0].Tool.Driver.Rules))
	}

	status, stdout, _ = runCmd("check", pack, "--format", "xml")
	if status != 2 {
		t.Errorf("unknown format: status %d", status)
	}
}

func TestStrictMakesWarningsErrors(t *testing.T) {
	files := map[string]string{}
	for k, v := range goodPack {
		files[k] = v
	}
	files["data.toml"] = "[[waiver]]\nrule = \"concentration/veto\"\nreason = \"kept for the test\"\n"
	pack := writePack(t, files)
	if status, stdout, _ := runCmd("check", pack); status != 0 || !strings.Contains(stdout, "warning: waiver of rule") || strings.Contains(stdout, "\x1b[") {
		t.Errorf("without --strict: status %d, output:\n%q", status, stdout)
	}
	if status, stdout, _ := runCmd("check", "--strict", pack); status != 1 || !strings.Contains(stdout, "error: waiver of rule") {
		t.Errorf("with --strict: status %d, output:\n%s", status, stdout)
	}
	if status, _, stderr := runCmd("build", "--strict", pack); status != 1 || !strings.Contains(stderr, "not written") {
		t.Errorf("build --strict: status %d, stderr:\n%s", status, stderr)
	}
}

func TestCheckSample(t *testing.T) {
	status, stdout, stderr := runCmd("check", "../../content")
	if status != 0 {
		t.Fatalf("sample: status %d\n%s%s", status, stdout, stderr)
	}
	for _, want := range []string{"profile alliance: 20 items covered, 0 waived, 0 missing", "Technical specifications", "0 errors, 0 warnings"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestVerify(t *testing.T) {
	pack := writePack(t, goodPack)
	site := filepath.Join(t.TempDir(), "site")
	if status, _, stderr := runCmd("build", pack, "-o", site); status != 0 {
		t.Fatal(stderr)
	}
	if status, stdout, _ := runCmd("verify", site, "--pack", pack); status != 0 || !strings.Contains(stdout, "verifies") {
		t.Fatalf("fresh site: status %d\n%s", status, stdout)
	}

	page := filepath.Join(site, "charter", "a.html")
	b, _ := os.ReadFile(page)
	b[len(b)/2] ^= 1 // one byte
	os.WriteFile(page, b, 0o644)
	os.Remove(filepath.Join(site, "governance", "rights.html"))
	os.WriteFile(filepath.Join(site, "charter", "extra.js"), []byte("alert(1)"), 0o644)
	status, stdout, _ := runCmd("verify", site)
	if status != 1 {
		t.Fatalf("tampered site: status %d\n%s", status, stdout)
	}
	for _, want := range []string{"modified  charter/a.html\n          expected sha256 ", "\n          actual   sha256 ", "removed   governance/rights.html", "added     charter/extra.js", "3 discrepancies"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify output lacks %q:\n%s", want, stdout)
		}
	}

	// The pack changed since the site was built.
	os.WriteFile(filepath.Join(pack, "charter", "b.md"), []byte("# B\n\nChanged.\n"), 0o644)
	if _, stdout, _ := runCmd("verify", site, "--pack", pack); !strings.Contains(stdout, "the site was built from pack digest sha256:") {
		t.Errorf("a changed pack is not reported:\n%s", stdout)
	}
}

func TestVerifyBadManifests(t *testing.T) {
	for name, manifest := range map[string]string{
		"truncated":     `{"pack_digest": "sha256:00`,
		"outside":       `{"pack_digest": "sha256:` + strings.Repeat("0", 64) + `", "files": [{"path": "../etc/passwd", "sha256": "00", "size": 1}]}`,
		"absolute":      `{"pack_digest": "sha256:` + strings.Repeat("0", 64) + `", "files": [{"path": "/etc/passwd", "sha256": "00", "size": 1}]}`,
		"unknown field": `{"pack_digest": "sha256:` + strings.Repeat("0", 64) + `", "files": [], "trust_me": true}`,
		"bad digest":    `{"pack_digest": "md5:abc", "files": []}`,
	} {
		site := t.TempDir()
		os.WriteFile(filepath.Join(site, "manifest.json"), []byte(manifest), 0o644)
		status, stdout, _ := runCmd("verify", site)
		if status != 1 || !strings.Contains(stdout, "manifest  ") {
			t.Errorf("%s manifest: status %d\n%s", name, status, stdout)
		}
	}
	if status, stdout, _ := runCmd("verify", t.TempDir()); status != 1 || !strings.Contains(stdout, "no manifest.json") {
		t.Errorf("no manifest: status %d\n%s", status, stdout)
	}
}

// The same sources give the same bytes whatever the directory, time zone
// and number of cores.
func TestBuildIsReproducibleAcrossMachines(t *testing.T) {
	build := func(tz string, procs int) map[string]string {
		t.Setenv("TZ", tz)
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		pack := filepath.Join(t.TempDir(), "somewhere", "pack")
		if err := os.CopyFS(pack, os.DirFS("../../content")); err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(filepath.Join(pack, "public"))
		site := filepath.Join(t.TempDir(), "site")
		if status, _, stderr := runCmd("build", pack, "-o", site); status != 0 {
			t.Fatal(stderr)
		}
		files := map[string]string{}
		filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(site, p)
				files[rel] = string(b)
			}
			return err
		})
		return files
	}
	a := build("UTC", 1)
	b := build("Asia/Singapore", 4)
	if len(a) != len(b) || len(a) < 50 {
		t.Fatalf("%d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs between the two builds", name)
		}
	}
}

// newKey makes an ed25519 key with ssh-keygen and returns the private key
// file and the public key line.
func newKey(t *testing.T, name string) (string, string) {
	t.Helper()
	key := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen (install openssh-client): %v\n%s", err, out)
	}
	pub, _ := os.ReadFile(key + ".pub")
	return key, strings.TrimSpace(string(pub))
}

func TestRatification(t *testing.T) {
	keys := map[string][2]string{}
	var members strings.Builder
	for _, m := range []string{"bank-a", "bank-b", "bank-c"} {
		k, pub := newKey(t, m)
		keys[m] = [2]string{k, pub}
		fmt.Fprintf(&members, "[[member]]\nid = %q\nname = %q\nkind = \"founding\"\nsigning_keys = [%q]\n\n", m, m, pub)
	}
	files := map[string]string{}
	for k, v := range goodPack {
		files[k] = v
	}
	files["data.toml"] = members.String() + "[[body]]\nid = \"assembly\"\nname = \"Assembly\"\nmembers = \"all\"\n\n" +
		"[[decision]]\nid = \"ratify\"\ntitle = \"Ratify a version\"\nbody = \"assembly\"\nthreshold = 1.0\nbasis = \"all\"\nratification = true\n"
	pack := writePack(t, files)

	sign := func(member, key string) {
		t.Helper()
		if status, stdout, stderr := runCmd("sign", pack, "--member", member, "--key", key, "--date", "2026-03-01"); status != 0 {
			t.Fatalf("sign %s: status %d\n%s%s", member, status, stdout, stderr)
		}
	}
	sign("bank-a", keys["bank-a"][0])
	status, stdout, _ := runCmd("check", pack)
	if status != 0 || !strings.Contains(stdout, `warning: the current version is ratified by 1 of 3 members of "assembly"; "ratify" needs 3; not yet ratified: bank-b, bank-c [ratify/threshold]`) {
		t.Fatalf("after one ratification: status %d\n%s", status, stdout)
	}
	sign("bank-b", keys["bank-b"][0])
	sign("bank-c", keys["bank-c"][0])
	if status, stdout, _ := runCmd("check", pack); status != 0 || !strings.Contains(stdout, "0 errors, 0 warnings") {
		t.Fatalf("after all ratified: status %d\n%s", status, stdout)
	}

	// Standard tools check a ratification without govpack.
	_, digest, _ := runCmd("digest", pack)
	digest = strings.TrimSpace(digest)
	ratifications, _ := os.ReadFile(filepath.Join(pack, "ratifications.toml"))
	sigStart := strings.Index(string(ratifications), "-----BEGIN SSH SIGNATURE-----")
	sigEnd := strings.Index(string(ratifications), "-----END SSH SIGNATURE-----") + len("-----END SSH SIGNATURE-----")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sig"), []byte(string(ratifications)[sigStart:sigEnd]+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "allowed"), []byte("bank-a "+keys["bank-a"][1]+"\n"), 0o644)
	verify := exec.Command("ssh-keygen", "-Y", "verify", "-f", filepath.Join(dir, "allowed"), "-I", "bank-a", "-n", "govpack", "-s", filepath.Join(dir, "sig"))
	verify.Stdin = strings.NewReader(digest)
	if out, err := verify.CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y verify rejects govpack's ratification: %v\n%s", err, out)
	}

	// A change to the text makes every ratification stale.
	os.WriteFile(filepath.Join(pack, "charter", "b.md"), []byte("# B\n\nAmended.\n"), 0o644)
	status, stdout, _ = runCmd("check", pack)
	if status != 0 || strings.Count(stdout, "[ratify/stale]") != 3 || !strings.Contains(stdout, "ratified by 0 of 3") {
		t.Fatalf("after an amendment: status %d\n%s", status, stdout)
	}

	// A signature with a key the member did not declare is refused, and the
	// member's earlier ratification stays.
	stranger, strangerPub := newKey(t, "stranger")
	before, _ := os.ReadFile(filepath.Join(pack, "ratifications.toml"))
	status, _, stderr := runCmd("sign", pack, "--member", "bank-a", "--key", stranger)
	if status != 1 || !strings.Contains(stderr, `the signature would not ratify `+pack+` for "bank-a": key SHA256:`) || !strings.Contains(stderr, `is not among the signing_keys of member "bank-a"; ratifications.toml was not changed`) {
		t.Fatalf("a stranger's key: status %d\n%s", status, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(pack, "ratifications.toml")); string(after) != string(before) {
		t.Fatalf("a refused signature changed ratifications.toml:\n%s", after)
	}
	// Written by hand, such a record is invalid all the same: check reads
	// no ratification as valid that sign would refuse.
	_, current, _ := runCmd("digest", pack)
	current = strings.TrimSpace(current)
	strangerSign := exec.Command("ssh-keygen", "-Y", "sign", "-f", stranger, "-n", "govpack")
	strangerSign.Stdin = strings.NewReader(current)
	strangerSig, err := strangerSign.Output()
	if err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v", err)
	}
	forged := strings.Replace(string(before), string(ratifications)[sigStart:sigEnd], strings.TrimSpace(string(strangerSig)), 1)
	forged = strings.Replace(forged, strings.Fields(keys["bank-a"][1])[1], strings.Fields(strangerPub)[1], 1)
	forged = strings.Replace(forged, digest, current, 1)
	os.WriteFile(filepath.Join(pack, "ratifications.toml"), []byte(forged), 0o644)
	status, stdout, _ = runCmd("check", pack)
	if status != 1 || !strings.Contains(stdout, `ratification by "bank-a" is invalid: key SHA256:`) || !strings.Contains(stdout, `is not among the signing_keys of member "bank-a" [ratify/invalid]`) {
		t.Fatalf("a record signed with a stranger's key: status %d\n%s", status, stdout)
	}
	os.WriteFile(filepath.Join(pack, "ratifications.toml"), before, 0o644)

	// A forged record: a valid signature put under another digest.
	sign("bank-b", keys["bank-b"][0])
	b, _ := os.ReadFile(filepath.Join(pack, "ratifications.toml"))
	_, newDigest, _ := runCmd("digest", pack)
	tampered := strings.ReplaceAll(string(b), strings.TrimSpace(newDigest), digest)
	os.WriteFile(filepath.Join(pack, "ratifications.toml"), []byte(tampered), 0o644)
	if status, stdout, _ := runCmd("check", pack); status != 1 || !strings.Contains(stdout, `ratification by "bank-b" is invalid: the signature does not match`) {
		t.Fatalf("a signature moved onto another digest: status %d\n%s", status, stdout)
	}
}

// The sample's archived versions and the current one differ exactly as
// their amendments record: diff shows the redline and reports no mismatch.
func TestDiffSampleHistory(t *testing.T) {
	for _, c := range []struct{ old, new, want string }{
		{"../../content/history/2.0.0", "../../content/history/2.1.0", "at most [-30-] {+14+} days"},
		{"../../content/history/2.1.0", "../../content", "critical within [-72-] {+48+} h"},
		{"../../content/history/2.1.0", "../../content", "added    operations/incident-response.md#supplier-incidents"},
	} {
		status, stdout, stderr := runCmd("diff", c.old, c.new)
		if status != 0 || stderr != "" || !strings.Contains(stdout, c.want) {
			t.Errorf("diff %s %s: status %d, want 0 and %q\n%s%s", c.old, c.new, status, c.want, stdout, stderr)
		}
	}
}

func TestDiffGit(t *testing.T) {
	pack, git := gitPack(t)
	git("add", ".")
	git("commit", "-q", "-m", "first")
	os.WriteFile(filepath.Join(pack, "charter", "b.md"), []byte("# B\n\nAdded a sentence.\n"), 0o644)

	status, stdout, stderr := runCmd("diff", "--git", "HEAD", pack)
	if status != 1 || !strings.Contains(stdout, "changed  charter/b.md") || !strings.Contains(stdout, "{+Added a sentence.+}") {
		t.Fatalf("status %d\n%s%s", status, stdout, stderr)
	}
	if !strings.Contains(stderr, "no [[amendment]] records it") {
		t.Errorf("an unrecorded change is not reported:\n%s", stderr)
	}
	status, stdout, _ = runCmd("diff", "--git", "HEAD", pack, "--format", "html")
	if !strings.Contains(stdout, "<ins>Added a sentence.</ins>") {
		t.Errorf("html redline:\n%s", stdout)
	}
	if status, _, stderr := runCmd("diff", "--git", "no-such-rev", pack); status != 2 || !strings.Contains(stderr, "git archive no-such-rev") {
		t.Errorf("a bad revision: status %d\n%s", status, stderr)
	}
}

func TestNewStarterPack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	if status, stdout, stderr := runCmd("new", dir, "--consortium", "Nordic Grain Alliance"); status != 0 {
		t.Fatalf("new: status %d\n%s%s", status, stdout, stderr)
	}
	status, stdout, _ := runCmd("check", dir)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var findings []string
	for _, l := range lines {
		if strings.Contains(l, "error:") || strings.Contains(l, "warning:") {
			findings = append(findings, l)
		}
	}
	if status != 1 || len(findings) != 20 {
		t.Fatalf("check of a starter pack: status %d, %d findings, want 1 and one per item (20):\n%s", status, len(findings), stdout)
	}
	for _, f := range findings {
		if !strings.Contains(f, ".md:6:1: error: profile item") || !strings.HasSuffix(f, "[coverage/placeholder]") {
			t.Errorf("finding %q is not a placeholder at the marker", f)
		}
	}
	settings, _ := os.ReadFile(filepath.Join(dir, "govpack.toml"))
	if !strings.Contains(string(settings), `consortium = "Nordic Grain Alliance"`) {
		t.Errorf("the consortium is not filled in:\n%s", settings)
	}
	if status, _, stderr := runCmd("new", dir); status != 2 || !strings.Contains(stderr, "is not empty") {
		t.Errorf("new into a non-empty directory: status %d, %s", status, stderr)
	}

	// A custom profile is copied into the pack and drives the stubs.
	prof := filepath.Join(t.TempDir(), "house.toml")
	os.WriteFile(prof, []byte("id = \"house\"\ntitle = \"House rules\"\n[[pillar]]\nid = \"rules\"\ntitle = \"Rules\"\n[[item]]\nid = \"voting\"\npillar = \"rules\"\ntitle = \"Voting\"\nexplain = \"how members vote\"\n[[item]]\nid = \"fees\"\npillar = \"rules\"\ntitle = \"Fees\"\nexplain = \"what members pay\"\n"), 0o644)
	custom := filepath.Join(t.TempDir(), "custom")
	if status, _, stderr := runCmd("new", custom, "--profile", prof); status != 0 {
		t.Fatal(stderr)
	}
	status, stdout, _ = runCmd("check", custom)
	if status != 1 || strings.Count(stdout, "[coverage/placeholder]") != 2 || !strings.Contains(stdout, "rules/voting.md:6:1") {
		t.Errorf("custom profile: status %d\n%s", status, stdout)
	}
}

func TestBuildZip(t *testing.T) {
	pack := writePack(t, goodPack)
	file := filepath.Join(t.TempDir(), "client-handover.zip")
	if status, stdout, stderr := runCmd("build", pack, "--zip", file); status != 0 || !strings.Contains(stdout, "in the folder client-handover/") {
		t.Fatalf("status %d\n%s%s", status, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(pack, "public")); !os.IsNotExist(err) {
		t.Error("--zip alone also wrote a site directory")
	}
	first, _ := os.ReadFile(file)
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	// Unpacked, the site verifies against its own manifest.
	dir := t.TempDir()
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, b, 0o644)
	}
	if status, stdout, _ := runCmd("verify", filepath.Join(dir, "client-handover")); status != 0 {
		t.Errorf("the unpacked zip does not verify:\n%s", stdout)
	}
	// The same pack gives the same zip.
	runCmd("build", pack, "--zip", file)
	if second, _ := os.ReadFile(file); !bytes.Equal(first, second) {
		t.Error("two zips of the same pack differ")
	}
}

func TestProfileShowAndThemeExport(t *testing.T) {
	status, stdout, _ := runCmd("profile", "show")
	if status != 0 || !strings.Contains(stdout, `id = "alliance"`) || strings.Count(stdout, "[[item]]") != 20 {
		t.Fatalf("profile show: status %d\n%s", status, stdout)
	}
	// What profile show prints is a profile file a pack can use.
	files := map[string]string{}
	for k, v := range goodPack {
		files[k] = v
	}
	files["p.toml"] = stdout
	pack := writePack(t, files)
	if status, out, _ := runCmd("check", pack); status != 1 || !strings.Contains(out, "20 missing") {
		t.Errorf("a pack using the shown profile: status %d\n%s", status, out)
	}
	if status, _, _ := runCmd("profile", "show", "nope"); status != 2 {
		t.Errorf("unknown profile: status %d", status)
	}

	dir := filepath.Join(t.TempDir(), "theme")
	if status, _, stderr := runCmd("theme", "export", dir); status != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"templates/layout.html", "templates/document.html", "assets/style.css"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if status, _, _ := runCmd("theme", "export", dir); status != 2 {
		t.Errorf("export into a non-empty directory: status %d", status)
	}
}

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServe(t *testing.T) {
	pack := writePack(t, goodPack)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", pack, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 10 s; stdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	var url string
	waitFor("URL", func() bool {
		_, rest, ok := strings.Cut(stdout.String(), "at http://")
		url, _, _ = strings.Cut(rest, " ")
		return ok
	})
	page := func() string {
		resp, err := http.Get("http://" + url + "charter/a.html")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if !strings.Contains(page(), "<h1>A</h1>") {
		t.Fatalf("first page:\n%s", page())
	}
	os.WriteFile(filepath.Join(pack, "charter", "a.md"), []byte("# A\n\nEdited while serving.\n"), 0o644)
	waitFor("rebuilt page", func() bool { return strings.Contains(page(), "Edited while serving.") })
	os.WriteFile(filepath.Join(pack, "data.toml"), []byte("[[member]\n"), 0o644)
	waitFor("overlay", func() bool { return strings.Contains(page(), "data.toml:1:9: error:") })
	if !strings.Contains(stderr.String(), "data.toml:1:9: error:") {
		t.Errorf("the terminal does not show the diagnostics:\n%s", stderr.String())
	}
	os.Remove(filepath.Join(pack, "data.toml"))
	waitFor("overlay gone", func() bool { p := page(); return p != "" && !strings.Contains(p, "govpack-overlay") })
	if _, err := os.Stat(filepath.Join(pack, "public")); !os.IsNotExist(err) {
		t.Error("serve wrote to disk")
	}
	cancel()
	select {
	case status := <-done:
		if status != 0 {
			t.Errorf("serve ended with %d", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// --open starts the desktop's opener with the site's address, or says once
// that there is none.
func TestServeOpen(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the fake opener is a shell script named xdg-open")
	}
	for _, withOpener := range []bool{true, false} {
		bin := t.TempDir()
		opened := filepath.Join(t.TempDir(), "opened")
		if withOpener {
			script := "#!/bin/sh\necho \"$1\" > " + opened + "\n"
			if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		t.Setenv("PATH", bin)
		pack := writePack(t, goodPack)
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		done := make(chan int)
		go func() { done <- run(ctx, []string{"serve", pack, "--addr", "127.0.0.1:0", "--open"}, &stdout, &stderr) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			b, _ := os.ReadFile(opened)
			_, addr, served := strings.Cut(stdout.String(), "at http://")
			addr, _, _ = strings.Cut(addr, " ")
			if withOpener && served && strings.TrimSpace(string(b)) == "http://"+addr {
				break
			}
			if !withOpener && strings.Contains(stderr.String(), "--open: no xdg-open") {
				if n := strings.Count(stderr.String(), "--open"); n != 1 {
					t.Errorf("the missing opener is reported %d times", n)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("opener %v: nothing opened within 10 s; opened %q, stdout:\n%s\nstderr:\n%s", withOpener, b, stdout.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		if status := <-done; status != 0 {
			t.Errorf("serve ended with %d", status)
		}
	}
}

// Builds keep highlighted code for the next build of the same pack; the
// tests keep it in a directory of their own, never the user's cache.
func TestMain(m *testing.M) {
	// A test that needs govpack as a process of its own runs this binary
	// with the command line in asMainEnv.
	if args, ok := os.LookupEnv(asMainEnv); ok {
		os.Args = append([]string{"govpack"}, strings.Split(args, "\n")...)
		main()
	}
	dir, err := os.MkdirTemp("", "govpack-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(cacheEnv, dir)
	// The commands run in this process, whose heap is the tests': the
	// limit boundHeap would set for one small pack is not theirs.
	os.Setenv("GOMEMLIMIT", "off")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// A second build of a pack takes its highlighted code from the store the
// first one saved, and writes the same site; with the store off, nothing
// is kept.
func TestBuildKeepsHighlightedCode(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	pack := t.TempDir()
	if err := os.CopyFS(pack, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	build := func(out string) map[string]string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), []string{"build", pack, "-o", out}, &stdout, &stderr); status != exitOK {
			t.Fatalf("build: %d\n%s", status, stderr.String())
		}
		if stderr.Len() > 0 {
			t.Fatalf("build said: %s", stderr.String())
		}
		files := map[string]string{}
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			files[p[len(out):]] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	first := build(filepath.Join(t.TempDir(), "site"))
	stores, _ := filepath.Glob(filepath.Join(os.Getenv(cacheEnv), "highlights-*"))
	if len(stores) != 1 {
		t.Fatalf("the build left %d highlight stores, want 1", len(stores))
	}
	saved, err := os.Stat(stores[0])
	if err != nil || saved.Size() < 10000 {
		t.Fatalf("the store holds too little for the sample's code blocks: %v %v", saved, err)
	}
	second := build(filepath.Join(t.TempDir(), "site"))
	if again, err := os.Stat(stores[0]); err != nil || !again.ModTime().Equal(saved.ModTime()) {
		t.Errorf("a build that highlighted nothing new wrote the store again")
	}
	if len(first) != len(second) {
		t.Errorf("the build from the store wrote %d files, the first %d", len(second), len(first))
	}
	for name, b := range first {
		if second[name] != b {
			t.Errorf("%s: the build from the store differs from the first", name)
		}
	}

	// By default the store is in the user's cache directory; off keeps none.
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HOME", home)
	t.Setenv(cacheEnv, "off")
	build(filepath.Join(t.TempDir(), "site"))
	if _, err := os.Stat(filepath.Join(home, "govpack")); !os.IsNotExist(err) {
		t.Errorf("with %s=off the build kept highlighted code in the user's cache (%v)", cacheEnv, err)
	}
	t.Setenv(cacheEnv, "")
	build(filepath.Join(t.TempDir(), "site"))
	if stores, _ := filepath.Glob(filepath.Join(home, "govpack", "highlights-*")); len(stores) != 1 {
		t.Errorf("without %s the build kept %d stores in the user's cache directory, want 1", cacheEnv, len(stores))
	}
}
