//go:build linux

package synth

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"govpack/generator"
	"govpack/generator/markdown"
)

// The benchmarks run on packs of 1,000 and 10,000 documents, in memory
// and on disk (a RAM disk when there is one, so the figures measure the
// generator rather than the drive). Names carry the document count and
// the medium, so that cmd/benchtable can set each build beside the floor
// of the same files: Build/docs=10000/shm against Floor/docs=10000/shm.

var sizes = []int{1000, 10000}

// benchPack is a generated pack, in memory and written to disk.
type benchPack struct {
	fsys   fstest.MapFS
	dir    string   // a temporary directory: the pack in pack/, sites beside it
	medium string   // "shm" on a RAM disk, "tmp" on the temp dir
	docs   []string // the documents' paths, sorted
}

func newBenchPack(b *testing.B, n int) *benchPack {
	root, medium := "/dev/shm", "shm"
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		root, medium = os.TempDir(), "tmp"
		b.Logf("no /dev/shm: the disk benchmarks write to %s", root)
	}
	dir, err := os.MkdirTemp(root, "govpack-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	p := &benchPack{fsys: Pack(n), dir: dir, medium: medium}
	if err := Write(p.fsys, filepath.Join(dir, "pack")); err != nil {
		b.Fatal(err)
	}
	for name := range p.fsys {
		if strings.HasSuffix(name, ".md") {
			p.docs = append(p.docs, name)
		}
	}
	slices.Sort(p.docs)
	return p
}

func (p *benchPack) packDir() string { return filepath.Join(p.dir, "pack") }

// forSizes runs bench on a pack of each size.
func forSizes(b *testing.B, bench func(b *testing.B, p *benchPack)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) { bench(b, newBenchPack(b, n)) })
	}
}

// cpuTime returns the CPU time this process has used, in all its threads.
// On a machine shared with other work, CPU time per operation is steadier
// than wall time and says what the build costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs op b.N times and reports the CPU seconds per operation.
func loop(b *testing.B, op func()) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		op()
	}
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkCheck loads, checks and links the pack in memory.
func BenchmarkCheck(b *testing.B) {
	forSizes(b, func(b *testing.B, p *benchPack) {
		loop(b, func() {
			if res := generator.Check(p.fsys, generator.Options{}); res.Diagnostics.HasErrors() {
				b.Fatal(res.Diagnostics)
			}
		})
	})
}

// BenchmarkBuild builds the site from memory to memory, and from disk to
// disk as govpack build does (Build, then Write).
func BenchmarkBuild(b *testing.B) {
	forSizes(b, func(b *testing.B, p *benchPack) {
		b.Run("memory", func(b *testing.B) {
			loop(b, func() {
				if res := generator.Build(p.fsys, generator.Options{}); res.Output == nil {
					b.Fatal(res.Diagnostics)
				}
			})
		})
		b.Run(p.medium, func(b *testing.B) {
			out := filepath.Join(p.dir, "site")
			loop(b, func() {
				res := generator.Build(os.DirFS(p.packDir()), generator.Options{})
				if res.Output == nil {
					b.Fatal(res.Diagnostics)
				}
				if err := generator.Write(res.Output, out); err != nil {
					b.Fatal(err)
				}
			})
		})
	})
}

// BenchmarkBuildWarm builds from memory to memory with the code blocks a
// previous build of the same pack highlighted and saved, as every build
// of a pack after its first does (markdown.HighlightStore).
func BenchmarkBuildWarm(b *testing.B) {
	forSizes(b, func(b *testing.B, p *benchPack) {
		b.Run("memory", func(b *testing.B) {
			file := filepath.Join(p.dir, "highlights")
			build := func() {
				store := markdown.OpenHighlightStore(file)
				if res := generator.Build(p.fsys, generator.Options{Highlights: store}); res.Output == nil {
					b.Fatal(res.Diagnostics)
				}
				if err := store.Save(file); err != nil {
					b.Fatal(err)
				}
			}
			build() // the first build, which fills the store
			loop(b, build)
		})
	})
}

// measureEnv makes the test binary run the command in its arguments and
// print the command's peak resident memory and CPU time. On Linux a
// child's ru_maxrss counts the memory of the process that started it (exec
// records the old address space's peak), which for a benchmark holding a
// built site is more than govpack's own: a small parent measures right.
const measureEnv = "GOVPACK_BENCH_MEASURE"

func TestMain(m *testing.M) {
	if os.Getenv(measureEnv) != "" {
		cmd := exec.Command(os.Args[1], os.Args[2:]...)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		fmt.Printf("%d %d\n", ru.Maxrss, ru.Utime.Nano()+ru.Stime.Nano()) // kilobytes, nanoseconds
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// BenchmarkProcess runs govpack build as a process, from disk to disk,
// and govpack check, and reports their peak resident memory (what a
// user's machine needs) and CPU time.
func BenchmarkProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "govpack")
	if out, err := exec.Command(goTool(), "build", "-o", bin, "govpack/cmd/govpack").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	forSizes(b, func(b *testing.B, p *benchPack) {
		// The first build of a pack, which highlights every code block,
		// and the builds after it, which take them from the store the
		// first one saved.
		for _, run := range []struct{ name, cache string }{{p.medium, "off"}, {p.medium + "-warm", filepath.Join(p.dir, "cache")}} {
			if run.cache != "off" {
				cmd := exec.Command(bin, "build", p.packDir(), "-o", filepath.Join(p.dir, "site"))
				cmd.Env = append(os.Environ(), "GOVPACK_CACHE="+run.cache)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("govpack build: %v\n%s", err, out)
				}
			}
			b.Run(run.name, func(b *testing.B) {
				measureProcess(b, self, run.cache, bin, "build", p.packDir(), "-o", filepath.Join(p.dir, "site"))
			})
		}
		// govpack check, as CI runs it on every push.
		b.Run(p.medium+"-check", func(b *testing.B) {
			measureProcess(b, self, "off", bin, "check", p.packDir())
		})
	})
}

// measureProcess runs the command in args through the test binary (see
// TestMain) b.N times and reports its peak resident memory and CPU time.
func measureProcess(b *testing.B, self, cache string, args ...string) {
	var peakKB, cpu int64
	for b.Loop() {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), measureEnv+"=1", "GOVPACK_CACHE="+cache)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("govpack %s: %v", args[1], err)
		}
		var kb, ns int64
		if _, err := fmt.Sscan(string(out), &kb, &ns); err != nil {
			b.Fatalf("measuring govpack %s: %v: %q", args[1], err, out)
		}
		peakKB, cpu = max(peakKB, kb), cpu+ns
	}
	b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MB")
	b.ReportMetric(time.Duration(cpu).Seconds()/float64(b.N), "cpu-s/op")
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// The floor is the irreducible work of a static site generator on the
// same documents, as a plain program would do it: read each file, convert
// its Markdown with goldmark (govpack's extensions, heading ids) and
// chroma (CSS classes), execute one trivial template, write the page, in
// parallel over every core. No checks, no links, no navigation.

func BenchmarkFloor(b *testing.B)      { benchmarkFloor(b, true) }
func BenchmarkFloorPlain(b *testing.B) { benchmarkFloor(b, false) } // without highlighting, for reference

func benchmarkFloor(b *testing.B, highlight bool) {
	f := newFloor(highlight)
	forSizes(b, func(b *testing.B, p *benchPack) {
		b.Run("memory", func(b *testing.B) {
			pages := make([][]byte, len(p.docs))
			loop(b, func() {
				err := f.run(len(p.docs),
					func(i int) ([]byte, error) { return p.fsys[p.docs[i]].Data, nil },
					func(i int, page []byte) error { pages[i] = bytes.Clone(page); return nil })
				if err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(p.medium, func(b *testing.B) {
			// Each run rewrites the same files, as a build into an
			// existing output directory does.
			out := filepath.Join(p.dir, "floor")
			for _, s := range sections {
				if err := os.MkdirAll(filepath.Join(out, s), 0o755); err != nil {
					b.Fatal(err)
				}
			}
			loop(b, func() {
				err := f.run(len(p.docs),
					func(i int) ([]byte, error) { return os.ReadFile(filepath.Join(p.packDir(), p.docs[i])) },
					func(i int, page []byte) error {
						return os.WriteFile(filepath.Join(out, strings.TrimSuffix(p.docs[i], ".md")+".html"), page, 0o644)
					})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	})
}

type floor struct {
	md   goldmark.Markdown
	page *template.Template
}

func newFloor(highlight bool) *floor {
	var opts []renderer.Option
	if highlight {
		opts = append(opts, renderer.WithNodeRenderers(util.Prioritized(codeRenderer{chromahtml.New(chromahtml.WithClasses(true))}, 100)))
	}
	return &floor{
		md: goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote, extension.DefinitionList),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
			goldmark.WithRendererOptions(opts...),
		),
		page: template.Must(template.New("page").Parse(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title><link rel="stylesheet" href="../style.css"></head><body><main>{{.Body}}</main></body></html>
`)),
	}
}

// run converts documents 0..n-1 on GOMAXPROCS workers.
func (f *floor) run(n int, read func(int) ([]byte, error), write func(int, []byte) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Go(func() {
			var body, page bytes.Buffer
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				src, err := read(i)
				if err != nil {
					errs[w] = err
					return
				}
				var front struct{ Title string }
				rest := src
				if fm, md, ok := bytes.Cut(bytes.TrimPrefix(src, []byte("+++\n")), []byte("\n+++\n")); ok {
					if _, err := toml.Decode(string(fm), &front); err != nil {
						errs[w] = err
						return
					}
					rest = md
				}
				body.Reset()
				page.Reset()
				if err := f.md.Convert(rest, &body); err != nil {
					errs[w] = err
					return
				}
				if err := f.page.Execute(&page, struct {
					Title string
					Body  template.HTML
				}{front.Title, template.HTML(body.String())}); err != nil {
					errs[w] = err
					return
				}
				if err := write(i, page.Bytes()); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// codeRenderer highlights fenced code blocks with chroma, CSS classes.
type codeRenderer struct{ formatter *chromahtml.Formatter }

func (r codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		block := n.(*ast.FencedCodeBlock)
		lexer := lexers.Get(string(block.Language(src)))
		if lexer == nil {
			lexer = lexers.Fallback
		}
		var code strings.Builder
		for i := 0; i < block.Lines().Len(); i++ {
			seg := block.Lines().At(i)
			code.Write(seg.Value(src))
		}
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
		if err != nil {
			return ast.WalkStop, err
		}
		return ast.WalkSkipChildren, r.formatter.Format(w, styles.Fallback, it)
	})
}
