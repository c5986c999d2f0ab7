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
