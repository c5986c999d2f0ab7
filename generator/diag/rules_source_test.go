package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// rulesFile is where the rule ids are written down, the one place.
const rulesFile = "generator/diag/rules.go"

// ruleSource is what rulesFile declares.
type ruleSource struct {
	ids   map[string]string // constant → rule id
	names []string          // the constants, as declared
	table []string          // the constants the rows of Rules name, in order
}

// TestRuleConstantsInTable holds each constant to one row of the table and
// one id of its own, named after the id so the code reads as the output.
func TestRuleConstantsInTable(t *testing.T) {
	src := parseRules(t)
	rows := map[string]int{}
	for _, name := range src.table {
		rows[name]++
		if _, ok := src.ids[name]; !ok {
			t.Errorf("the table names %s, which is not a rule constant of %s", name, rulesFile)
		}
	}
	owner := map[string]string{}
	for _, name := range src.names {
		id := src.ids[name]
		if rows[name] != 1 {
			t.Errorf("%s (%q) is in the table %d times; every rule has one row", name, id, rows[name])
		}
		if prev, ok := owner[id]; ok {
			t.Errorf("%s and %s are both %q", prev, name, id)
		}
		owner[id] = name
		if want := constName(id); name != want {
			t.Errorf("the constant of %q is %s; name it %s", id, name, want)
		}
	}
	if len(src.table) != len(Rules()) {
		t.Errorf("read %d rows of Rules from %s, Rules() has %d", len(src.table), rulesFile, len(Rules()))
	}
}

// TestRuleIDsOnlyInRulesFile fails on a string literal that spells a rule
// id outside rulesFile, so that every diagnostic names its rule by a
// constant the table describes.
func TestRuleIDsOnlyInRulesFile(t *testing.T) {
	ids := map[string]string{}
	for name, id := range parseRules(t).ids {
		ids[id] = name
	}
	fset, files := parseModule(t)
	for _, file := range slices.Sorted(maps.Keys(files)) {
		if file == rulesFile {
			continue
		}
		ast.Inspect(files[file], func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.BasicLit:
				s, err := strconv.Unquote(n.Value)
				if name, ok := ids[s]; ok && n.Kind == token.STRING && err == nil {
					t.Errorf("%s: rule id %q written as a string; use diag.%s", fset.Position(n.Pos()), s, name)
				}
			}
			return true
		})
	}
}

// TestRuleConstantsUsed fails on a rule no code reports: a row of
// the table in docs/checks.md and of SARIF output that no diagnostic can carry.
func TestRuleConstantsUsed(t *testing.T) {
	src := parseRules(t)
	_, files := parseModule(t)
	uses := map[string]int{}
	for file, f := range files {
		if file != rulesFile {
			countUses(f, file, src.ids, uses)
		}
	}
	for _, name := range src.names {
		if uses[name] == 0 {
			t.Errorf("%s (%q) is used nowhere outside %s; remove it and its row, or report it", name, src.ids[name], rulesFile)
		}
	}
}

// countUses adds up the references f makes to the rule constants: bare
// names inside this package, diag.Name elsewhere.
func countUses(f *ast.File, file string, ids map[string]string, uses map[string]int) {
	local := path.Dir(file) == path.Dir(rulesFile)
	qualifier := ""
	for _, im := range f.Imports {
		if im.Path.Value == strconv.Quote("govpack/generator/diag") {
			qualifier = "diag"
			if im.Name != nil {
				qualifier = im.Name.Name
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && qualifier != "" && x.Name == qualifier {
				if _, ok := ids[n.Sel.Name]; ok {
					uses[n.Sel.Name]++
				}
				return false
			}
		case *ast.Ident:
			if _, ok := ids[n.Name]; ok && local {
				uses[n.Name]++
			}
		}
		return true
	})
}

// parseRules reads the constants and the table's rows from rulesFile.
func parseRules(t *testing.T) ruleSource {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(moduleRoot(t), filepath.FromSlash(rulesFile)), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	src := ruleSource{ids: map[string]string{}}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			if d.Tok == token.CONST {
				src.constants(t, d)
			}
		case *ast.FuncDecl:
			if d.Name.Name == "Rules" {
				src.rows(t, d)
			}
		}
	}
	if len(src.names) == 0 || len(src.table) == 0 {
		t.Fatalf("%s declares %d rule constants and %d rows; expected both", rulesFile, len(src.names), len(src.table))
	}
	return src
}

// constants records the string constants of d.
func (src *ruleSource) constants(t *testing.T, d *ast.GenDecl) {
	for _, spec := range d.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, name := range vs.Names {
			lit, ok := vs.Values[i].(*ast.BasicLit)
			id, err := "", error(nil)
			if ok {
				id, err = strconv.Unquote(lit.Value)
			}
			if !ok || err != nil {
				t.Errorf("%s: %s must be a string literal, the rule id", rulesFile, name.Name)
				continue
			}
			src.ids[name.Name] = id
			src.names = append(src.names, name.Name)
		}
	}
}

// rows records the constant each row of the []Rule literal in fn names.
func (src *ruleSource) rows(t *testing.T, fn *ast.FuncDecl) {
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if arr, ok := lit.Type.(*ast.ArrayType); !ok || !isIdent(arr.Elt, "Rule") {
			return true
		}
		for _, elt := range lit.Elts {
			row, ok := elt.(*ast.CompositeLit)
			if !ok || len(row.Elts) == 0 {
				t.Errorf("%s: a row of Rules that is not {ID, Description}", rulesFile)
				continue
			}
			id := row.Elts[0]
			if kv, ok := id.(*ast.KeyValueExpr); ok {
				id = kv.Value
			}
			name, ok := id.(*ast.Ident)
			if !ok {
				t.Errorf("%s: a row of Rules whose id is not a rule constant", rulesFile)
				continue
			}
			src.table = append(src.table, name.Name)
		}
		return false
	})
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// constName is the constant a rule id is written as: "toml/bad-id" is
// RuleTOMLBadID.
func constName(id string) string {
	upper := map[string]string{"id": "ID", "io": "IO", "toml": "TOML", "utf8": "UTF8"}
	name := "Rule"
	for _, word := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' }) {
		if u, ok := upper[word]; ok {
			name += u
		} else {
			name += strings.ToUpper(word[:1]) + word[1:]
		}
	}
	return name
}

// parseModule parses the non-test Go files of the module, keyed by their
// slash path from the module root. Test data and dot-directories are not
// part of the module's packages.
func parseModule(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	err := filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if file != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || hasGoMod(file)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, file)
		if err != nil {
			return err
		}
		text, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, rel, text, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files[rel] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files[rulesFile] == nil {
		t.Fatalf("found no %s under %s", rulesFile, root)
	}
	return fset, files
}

// hasGoMod reports whether dir is the root of another module.
func hasGoMod(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}
