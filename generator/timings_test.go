package generator_test

import (
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"govpack/generator"
)

// timedPack builds clean: its profile requires nothing.
func timedPack() fstest.MapFS {
	return fstest.MapFS{
		"govpack.toml": {Data: []byte("title = \"T\"\nprofile = \"p.toml\"\n")},
		"p.toml":       {Data: []byte("id = \"p\"\ntitle = \"P\"\n")},
		"charter/a.md": {Data: []byte("# A\n\nSee [b](b.md).\n\n```go\npackage a\n```\n")},
		"charter/b.md": {Data: []byte("# B\n")},
	}
}

// stagesOf returns the stages of res's timings, in order, and fails t on
// a negative duration.
func stagesOf(t *testing.T, what string, res *generator.Result) []generator.Stage {
	t.Helper()
	var stages []generator.Stage
	for _, st := range res.Timings {
		if st.Duration < 0 {
			t.Errorf("%s: stage %s took %v", what, st.Stage, st.Duration)
		}
		stages = append(stages, st.Stage)
	}
	return stages
}

// Every build reports the stages it ran, once each and in order: a check
// stops after check, a build that writes as it renders says so, and a
// Builder's rebuild runs every stage as a first build does.
func TestTimingsNameTheStagesInOrder(t *testing.T) {
	checked := []generator.Stage{generator.StageLoad, generator.StageLink, generator.StageCheck}
	built := append(slices.Clone(checked), generator.StageRender)
	streamed := append(slices.Clone(checked), generator.StageRenderWrite)

	site, err := generator.CreateSiteDir(filepath.Join(t.TempDir(), "site"))
	if err != nil {
		t.Fatal(err)
	}
	defer site.Abort()
	b := generator.NewBuilder(timedPack(), generator.Options{Preview: true})
	broken := timedPack()
	broken["charter/b.md"] = &fstest.MapFile{Data: []byte("# B\n\nSee [x](missing.md).\n")}
	for _, c := range []struct {
		what   string
		res    *generator.Result
		errors bool
		want   []generator.Stage
	}{
		{"build", generator.Build(timedPack(), generator.Options{}), false, built},
		{"build to files", generator.Build(timedPack(), generator.Options{Files: site}), false, streamed},
		{"check", generator.Check(timedPack(), generator.Options{}), false, checked},
		{"builder", b.Build(nil), false, built},
		{"builder rebuild", b.Build([]string{"charter/a.md"}), false, built},
		{"build with errors", generator.Build(broken, generator.Options{}), true, checked},
		{"not a pack", generator.Build(fstest.MapFS{}, generator.Options{}), true, []generator.Stage{generator.StageLoad}},
	} {
		if got := c.res.Diagnostics.HasErrors(); got != c.errors {
			t.Fatalf("%s: errors %v, want %v:\n%s", c.what, got, c.errors, c.res.Diagnostics)
		}
		if got := stagesOf(t, c.what, c.res); !slices.Equal(got, c.want) {
			t.Errorf("%s: stages %q, want %q", c.what, got, c.want)
		}
	}
}
