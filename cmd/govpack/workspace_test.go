package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// workspace is a consultancy's workspace: a shared base pack and three
// client packs on it, one of which has an error.
var workspace = map[string]string{
	"govpack.work.toml":                "base = \"shared\"\npacks = [\"clients/harbour\", \"clients/nordic\", \"clients/broken\"]\n",
	"shared/govpack.toml":              "title = \"Shared\"\nconsortium = \"Trade Alliance\"\nprofile = \"p.toml\"\n[theme]\naccent = \"#8b1f3d\"\n",
	"shared/p.toml":                    "id = \"p\"\ntitle = \"P\"\n",
	"shared/charter/common.md":         "# Common rules\n\nEvery client keeps these.\n",
	"shared/data/members.toml":         "[[member]]\nid = \"bank-a\"\nname = \"Bank A\"\nkind = \"founding\"\n",
	"clients/harbour/govpack.toml":     "title = \"Harbour governance\"\n[theme]\nclient = \"Harbour Bank\"\n",
	"clients/harbour/charter/own.md":   "# Harbour's own\n\nSee [](member:bank-a).\n",
	"clients/nordic/govpack.toml":      "title = \"Nordic governance\"\n",
	"clients/nordic/data/members.toml": "[[member]]\nid = \"bank-a\"\nname = \"Nordic name of A\"\nkind = \"founding\"\n",
	"clients/broken/govpack.toml":      "title = \"Broken\"\n",
	"clients/broken/charter/bad.md":    "# Bad\n\nSee [x](member:nobody).\n",
}

func TestWorkspaceBuild(t *testing.T) {
	root := writePack(t, workspace)
	status, stdout, stderr := runCmd("build", root)
	if status != 1 {
		t.Fatalf("status %d, want 1 (one pack has errors)\n%s%s", status, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := []string{
		`^clients/harbour  ok      +0 errors +0 warnings +\d+ pages +\d+ ms$`,
		`^clients/nordic   ok      +0 errors +0 warnings +\d+ pages +\d+ ms$`,
		`^clients/broken   errors  +1 errors +0 warnings +0 pages +\d+ ms$`,
		`^3 packs: 2 ok, 1 failed$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("summary:\n%s", stdout)
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %q does not match %s", i+1, lines[i], re)
		}
	}
	if !strings.Contains(stderr, `clients/broken/charter/bad.md:3:5: error: reference "member:nobody" does not resolve`) {
		t.Errorf("the error is not reported at its place in the workspace:\n%s", stderr)
	}
	read := func(p string) string {
		b, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		return string(b)
	}
	// Each good pack has its site, with the base's documents, data and
	// settings under its own; the failing pack has none.
	for p, want := range map[string]string{
		"clients/harbour/public/charter/common.html":           "Every client keeps these.",
		"clients/harbour/public/charter/own.html":              "Bank A",
		"clients/harbour/public/index.html":                    "Harbour Bank",
		"clients/nordic/public/charter/common.html":            "--accent: #8b1f3d;",
		"clients/nordic/public/governance/members/bank-a.html": "Nordic name of A",
	} {
		if !strings.Contains(read(p), want) {
			t.Errorf("%s lacks %q", p, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "clients", "broken", "public")); !os.IsNotExist(err) {
		t.Error("the pack with errors has a site")
	}
	if _, err := os.Stat(filepath.Join(root, "shared", "public")); !os.IsNotExist(err) {
		t.Error("the base, which the workspace does not list, was built")
	}

	// One client pack on its own is still the pack over its base: the
	// same check, the same digest as the site the workspace built.
	harbour := filepath.Join(root, "clients", "harbour")
	if status, stdout, stderr := runCmd("check", harbour); status != 0 || !strings.Contains(stdout, "2 documents, 0 errors") {
		t.Errorf("check of one client pack: status %d\n%s%s", status, stdout, stderr)
	}
	_, digest, _ := runCmd("digest", harbour)
	if digest == "" || !strings.Contains(read("clients/harbour/public/manifest.json"), strings.TrimSpace(digest)) {
		t.Errorf("digest %q of the client pack is not the workspace-built site's", digest)
	}

	// One SARIF log for CI, its paths from the workspace's root; the
	// summary goes to stderr.
	status, stdout, stderr = runCmd("check", root, "--format", "sarif")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil || status != 1 || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 ||
		log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "clients/broken/charter/bad.md" || !strings.Contains(stderr, "3 packs: 2 ok, 1 failed") {
		t.Errorf("check --format sarif: status %d, %v\n%s\n%s", status, err, stdout, stderr)
	}

	// -o DIR puts each site under DIR/PACK.
	out := filepath.Join(t.TempDir(), "sites")
	runCmd("build", root, "-o", out)
	if _, err := os.Stat(filepath.Join(out, "clients", "nordic", "charter", "common.html")); err != nil {
		t.Error(err)
	}

	// check gives the same verdicts; once the broken pack is fixed, 0.
	if status, stdout, _ := runCmd("check", root); status != 1 || !strings.Contains(stdout, "3 packs: 2 ok, 1 failed") || !strings.Contains(stdout, "documents") {
		t.Errorf("check: status %d\n%s", status, stdout)
	}
	os.WriteFile(filepath.Join(root, "clients", "broken", "charter", "bad.md"), []byte("# Fixed\n\nSee [](member:bank-a).\n"), 0o644)
	if status, stdout, stderr := runCmd("check", root); status != 0 || !strings.Contains(stdout, "3 packs: 3 ok, 0 failed") {
		t.Errorf("after the fix: status %d\n%s%s", status, stdout, stderr)
	}
}

func TestWorkspaceProblems(t *testing.T) {
	// An error in an inherited document is reported in the base, for
	// every pack that inherits it.
	files := map[string]string{}
	for k, v := range workspace {
		files[k] = v
	}
	delete(files, "clients/broken/charter/bad.md")
	files["shared/charter/common.md"] = "# Common\n\nSee [](member:nobody).\n"
	root := writePack(t, files)
	status, stdout, stderr := runCmd("check", root)
	if status != 1 || strings.Count(stderr, "shared/charter/common.md:3:5: error:") != 3 || !strings.Contains(stdout, "3 packs: 0 ok, 3 failed") {
		t.Errorf("an error in the base: status %d\n%s%s", status, stdout, stderr)
	}

	// Checked on its own, the pack names the base's file from its directory.
	status, stdout, _ = runCmd("check", filepath.Join(root, "clients", "nordic"))
	if status != 1 || !strings.Contains(stdout, "../../shared/charter/common.md:3:5: error:") {
		t.Errorf("one pack with an error in the base: status %d\n%s", status, stdout)
	}

	// A listed pack that does not exist is an I/O failure: status 2, and
	// the other packs are still handled.
	files["govpack.work.toml"] = "packs = [\"clients/harbour\", \"clients/missing\"]\n"
	files["shared/charter/common.md"] = "# Common\n\nFine.\n"
	root = writePack(t, files)
	status, stdout, stderr = runCmd("check", root)
	if status != 2 || !strings.Contains(stdout, "clients/missing  failed") || !strings.Contains(stdout, "clients/harbour  errors") {
		t.Errorf("a missing pack: status %d\n%s%s", status, stdout, stderr)
	}

	// A malformed workspace file is reported at its key.
	root = writePack(t, map[string]string{"govpack.work.toml": "pakcs = [\"a\"]\n"})
	status, _, stderr = runCmd("build", root)
	if status != 1 || !strings.Contains(stderr, `govpack.work.toml:1:1: error: unknown key "pakcs"; did you mean "packs"?`) {
		t.Errorf("malformed workspace file: status %d\n%s", status, stderr)
	}
	if status, _, _ := runCmd("check", root, "--format", "json"); status != 2 {
		t.Errorf("check --format json of a workspace: status %d", status)
	}
}
