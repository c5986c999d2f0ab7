package diag

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRulesSorted keeps the table in the order docs/checks.md lists it, one
// row a rule, each with something to say.
func TestRulesSorted(t *testing.T) {
	rules := Rules()
	for i, r := range rules {
		if r.ID == "" || r.Description == "" {
			t.Errorf("row %d %+v: a rule needs an id and a description", i+1, r)
		}
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("row %d %q follows %q: keep the ids sorted, each once", i+1, r.ID, rules[i-1].ID)
		}
	}
}

// TestRulesMatchDocs holds the "## Rules" table of docs/checks.md to the
// rows of Rules, in the same order and with the same words.
func TestRulesMatchDocs(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(moduleRoot(t), checksPage))
	if err != nil {
		t.Fatal(err)
	}
	got, err := docRules(string(src))
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules()
	for i := range max(len(got), len(rules)) {
		want := ""
		if i < len(rules) {
			want = docRow(rules[i])
		}
		if i >= len(got) || got[i] != want {
			t.Errorf("%s's rules table, row %d:\n got: %s\nwant: %s", checksPage, i+1, at(got, i), want)
		}
	}
}

// at is row i of rows, or "" past its end.
func at(rows []string, i int) string {
	if i < len(rows) {
		return rows[i]
	}
	return ""
}

// checksPage is the page that lists every rule, from the module root.
const checksPage = "docs/checks.md"

// docRules returns the rows of the table under "## Rules", a line each.
func docRules(page string) ([]string, error) {
	_, section, ok := strings.Cut(page, "\n## Rules\n")
	if !ok {
		return nil, errors.New(checksPage + ` has no "## Rules" section`)
	}
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "| `"):
			rows = append(rows, line)
		case line == "" && len(rows) == 0, strings.HasPrefix(line, "| rule "), strings.HasPrefix(line, "|---"):
		default:
			return rows, nil
		}
	}
	return rows, nil
}

func docRow(r Rule) string { return "| `" + r.ID + "` | " + r.Description + " |" }

// moduleRoot is the directory of go.mod, two above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module govpack\n") {
		t.Fatalf("%s is not the govpack module: %v", root, err)
	}
	return root
}

// TestSARIFDescribesRules checks that a SARIF log names every rule of the
// table with its description, in the table's order.
func TestSARIFDescribesRules(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, nil, Tool{Name: "govpack"}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						ShortDescription struct{ Text string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif log: %v\n%s", err, b.String())
	}
	var got []Rule
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		got = append(got, Rule{r.ID, r.ShortDescription.Text})
	}
	if !slices.Equal(got, Rules()) {
		t.Errorf("sarif rules:\n%v\nwant the table:\n%v", got, Rules())
	}
}
