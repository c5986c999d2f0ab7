package generator

import "testing"

// A plain theme runs every template whole: no skeleton, no splice, no
// root partial made once (each hangs on ownTemplates).
func TestPlainThemeRunsTemplatesWhole(t *testing.T) {
	if th, diags := loadTheme(nil, false); diags.HasErrors() || !th.ownTemplates {
		t.Fatalf("the default theme is not spliced: %v", diags)
	}
	if th, diags := loadTheme(nil, true); diags.HasErrors() || th.ownTemplates || th.shell != nil {
		t.Fatalf("a plain theme splices: %v", diags)
	}
}
