package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchemaCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schemas")
	status, stdout, stderr := runCmd("schema", "-o", dir)
	if status != 0 || strings.Count(stdout, "wrote ") != 3 {
		t.Fatalf("schema: status %d\n%s%s", status, stdout, stderr)
	}
	for _, name := range []string{"govpack.schema.json", "govpack-data.schema.json", "govpack-profile.schema.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &s); err != nil || len(s.Properties) == 0 {
			t.Errorf("%s: %v, %d properties", name, err, len(s.Properties))
		}
	}
	// The data schema lists every entity kind with its description.
	b, _ := os.ReadFile(filepath.Join(dir, "govpack-data.schema.json"))
	for _, kind := range []string{`"member"`, `"data_class"`, `"ratification"`, `"waiver"`, "Lowercase slug, unique among members."} {
		if !strings.Contains(string(b), kind) {
			t.Errorf("the data schema lacks %s", kind)
		}
	}
	if status, _, _ := runCmd("schema", "extra"); status != 2 {
		t.Errorf("schema with an argument: status %d", status)
	}
}

// A schema file that differs from govpack's is the user's: it is kept and
// nothing is written unless --force; an identical one is kept quietly; a
// symbolic link is never written through.
func TestSchemaKeepsChangedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schemas")
	if status, _, stderr := runCmd("schema", "-o", dir); status != 0 {
		t.Fatal(stderr)
	}
	mine := filepath.Join(dir, "govpack-data.schema.json")
	if err := os.WriteFile(mine, []byte("{\"mine\": true}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "govpack.schema.json")
	os.Remove(other)
	status, stdout, stderr := runCmd("schema", "-o", dir)
	if status != 2 || !strings.Contains(stderr, mine+" exists and differs") || stdout != "" {
		t.Errorf("status %d\n%s%s", status, stdout, stderr)
	}
	if b, _ := os.ReadFile(mine); string(b) != "{\"mine\": true}\n" {
		t.Errorf("a changed schema was overwritten: %q", b)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a schema was written although another was refused: %v", err)
	}
	status, stdout, stderr = runCmd("schema", "-o", dir, "--force")
	if status != 0 || strings.Count(stdout, "wrote ") != 2 || strings.Count(stdout, "kept ") != 1 {
		t.Errorf("--force: status %d\n%s%s", status, stdout, stderr)
	}
	if b, _ := os.ReadFile(mine); strings.Contains(string(b), "mine") {
		t.Error("--force did not replace the changed schema")
	}
	target := filepath.Join(t.TempDir(), "elsewhere")
	os.WriteFile(target, []byte("keep"), 0o644)
	os.Remove(mine)
	if err := os.Symlink(target, mine); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := runCmd("schema", "-o", dir, "--force"); status != 2 || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("a symbolic link: status %d\n%s", status, stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("written through a symbolic link: %q", b)
	}
}
