package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"govpack/generator"
)

// poppler finds a poppler-utils tool; .ci/run installs the package. The
// PDF is checked with poppler rather than with govpack's own reader, so
// a test that fails here fails for a reason a reader of the PDF would see.
func poppler(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("no %s on PATH: install Debian's poppler-utils package (.ci/run does)", name)
	}
	return p
}

func popplerRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(poppler(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// pageText is the text of one page of the PDF, as pdftotext reads it.
func pageText(t *testing.T, pdf string, page int) string {
	n := strconv.Itoa(page)
	return popplerRun(t, "pdftotext", "-layout", "-f", n, "-l", n, pdf, "-")
}

var (
	tocLine   = regexp.MustCompile(`^\s*(\S.*?\S)\s{2,}(\d+)$`)
	destLine  = regexp.MustCompile(`^\s*(\d+) \[.*\] "(.*)"$`)
	linkDest  = regexp.MustCompile(`/Subtype /Link\n(?:/[^\n]*\n)*?/Dest /([^\s/<>\[\]()]+)`)
	uriAction = regexp.MustCompile(`/URI \(([^)]*)\)`)
)

// The sample pack prints to a PDF of the expected length, whose first page
// names the version it is, whose table of contents gives the pages where
// the parts really start, and whose internal links all land.
func TestPDFOfSample(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "meridian.pdf")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if code := run(ctx, []string{"pdf", "../../content", "-o", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("govpack pdf exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	t.Log(strings.TrimSpace(stdout.String()))

	info := popplerRun(t, "pdfinfo", out)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	t.Logf("the sample prints to %d pages", pages)
	// 43 documents and 23 generated pages, each starting a page, and
	// about 22,000 words: fewer pages means parts were lost, many more
	// means the print stylesheet broke.
	if pages < 100 || pages > 200 {
		t.Errorf("the PDF has %d pages, want between 100 and 200", pages)
	}
	if !strings.Contains(info, "A4") {
		t.Errorf("the PDF is not A4:\n%s", info)
	}

	res := generator.Build(os.DirFS("../../content"), generator.Options{})
	first := pageText(t, out, 1)
	settings := res.Pack.Settings
	for _, want := range []string{settings.Consortium, "Governance version", settings.Version, "Effective", settings.Effective.String(), res.Pack.Digest} {
		if !strings.Contains(first, want) {
			t.Errorf("the title page lacks %q:\n%s", want, first)
		}
	}

	// Where each part really starts, by poppler's reading of the
	// destinations Chromium wrote.
	destPage := map[string]int{}
	for _, line := range strings.Split(popplerRun(t, "pdfinfo", "-dests", out), "\n") {
		if m := destLine.FindStringSubmatch(line); m != nil {
			destPage[m[2]], _ = strconv.Atoi(m[1])
		}
	}
	page := string(res.Output[generator.PrintURL])
	parts := regexp.MustCompile(`<li class="print-toc-\d"><a href="#([^"]*)"><span class="print-toc-title">([^<]*)</span>`).FindAllStringSubmatch(page, -1)

	// The table of contents: every part with the page it starts on, which
	// is where its destination lies and where its title heads the page.
	var toc []string
	for p := 2; p <= 4 && len(toc) < len(parts); p++ {
		for _, line := range strings.Split(pageText(t, out, p), "\n") {
			if m := tocLine.FindStringSubmatch(line); m != nil && !strings.HasPrefix(strings.TrimSpace(line), "Page ") {
				toc = append(toc, m[1]+" "+m[2])
			}
		}
	}
	if len(toc) != len(parts) {
		t.Fatalf("the table of contents shows %d entries with page numbers, the print page has %d parts:\n%s", len(toc), len(parts), strings.Join(toc, "\n"))
	}
	for i, p := range parts {
		id, title := p[1], htmlText(p[2])
		shown, _ := strconv.Atoi(toc[i][strings.LastIndexByte(toc[i], ' ')+1:])
		if !strings.HasPrefix(toc[i], title+" ") && !strings.HasPrefix(title, strings.TrimSpace(toc[i][:strings.LastIndexByte(toc[i], ' ')])) {
			t.Errorf("entry %d of the table of contents reads %q, want %q", i, toc[i], title)
		}
		if destPage[id] != shown {
			t.Errorf("%s: the table of contents says page %d, its destination is on page %d", title, shown, destPage[id])
		}
		body := pageText(t, out, shown)
		if !strings.Contains(strings.Join(strings.Fields(body), " "), title) {
			t.Errorf("%s: page %d does not show the part:\n%s", title, shown, body)
		}
	}

	// Every internal link of the PDF goes to a destination that exists,
	// and no link points at the server the page was printed from.
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	links := linkDest.FindAllSubmatch(raw, -1)
	if len(links) < 1000 {
		t.Errorf("the PDF has %d internal links; the sample's cross-references alone are over a thousand", len(links))
	}
	for _, l := range links {
		if _, ok := destPage[pdfName(l[1])]; !ok {
			t.Errorf("internal link to %q, which is no destination of the PDF", pdfName(l[1]))
		}
	}
	for _, u := range uriAction.FindAllSubmatch(raw, -1) {
		if !bytes.HasPrefix(u[1], []byte("https://")) {
			t.Errorf("link to %s leaves the PDF for a place a reader cannot reach", u[1])
		}
	}

	// Links that leave the PDF show where they go.
	// (Spaces left out: a URL breaks anywhere in a narrow column.)
	all := strings.Join(strings.Fields(popplerRun(t, "pdftotext", out, "-")), "")
	for _, want := range []string{"<https://harbourbank.example>", "<governance/redlines/2.1.0.htmlonthesite>"} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF does not show %s", want)
		}
	}

	// The running header and the page numbers.
	p10 := pageText(t, out, 10)
	for _, want := range []string{settings.Consortium, "Governance version " + settings.Version, "Page 10 of " + strconv.Itoa(pages)} {
		if !strings.Contains(p10, want) {
			t.Errorf("page 10 lacks %q in its header or footer:\n%s", want, p10)
		}
	}

}

// --per-document writes one PDF per document, holding that document alone:
// links into the others are plain text.
func TestPDFPerDocument(t *testing.T) {
	chromium(t)
	pack := writePack(t, goodPack)
	out := filepath.Join(t.TempDir(), "pack.pdf")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if code := run(ctx, []string{"pdf", pack, "-o", out, "--per-document"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("govpack pdf exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	a := filepath.Join(filepath.Dir(out), "pack", "charter", "a.pdf")
	text := popplerRun(t, "pdftotext", "-layout", a, "-")
	if !strings.Contains(text, "See b") || strings.Contains(text, "Contents") || strings.Contains(text, "\nB\n") {
		t.Errorf("charter/a.pdf does not hold charter/a.md alone:\n%s", text)
	}
	if !strings.Contains(popplerRun(t, "pdfinfo", a), "Pages:           1") {
		t.Error("charter/a.pdf is not one page")
	}
	raw, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("/Subtype /Link")) {
		t.Error("charter/a.pdf links to a document it does not hold")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "pack", "charter", "b.pdf")); err != nil {
		t.Error(err)
	}
}

// htmlText undoes the escaping html/template applies to a title.
func htmlText(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#39;", "'", "&#34;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}

// Without a browser, govpack pdf says which package to install.
func TestPDFWithoutChromium(t *testing.T) {
	pack := writePack(t, goodPack)
	t.Setenv("PATH", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"pdf", pack, "-o", filepath.Join(t.TempDir(), "x.pdf")}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "apt-get install chromium") || !strings.Contains(stderr.String(), "--chrome") {
		t.Errorf("exit %d, stderr %q; want 2 and advice to install chromium or give --chrome", code, stderr.String())
	}
	stderr.Reset()
	code = run(context.Background(), []string{"pdf", pack, "-o", "x.pdf", "--chrome", "/nonexistent/chromium"}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--chrome /nonexistent/chromium") {
		t.Errorf("exit %d, stderr %q; want 2 and the --chrome path named", code, stderr.String())
	}
}

// The PDF reader refuses what it does not understand instead of guessing.
func TestReadPDFLayoutRejectsOtherPDFs(t *testing.T) {
	for _, pdf := range []string{"", "not a pdf", "%PDF-1.4\nstartxref\n99999\n%%EOF", "%PDF-1.7\n1 0 obj\n<</Type /XRef>>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF"} {
		if _, err := readPDFLayout([]byte(pdf)); err == nil {
			t.Errorf("readPDFLayout(%q) gave no error", pdf)
		}
	}
}

// On screen, the print page and the matrix page are no wider than the
// window: the matrix scrolls inside its box, hidden text included.
func TestPrintPageFitsTheWindow(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "../../content", "-o", site}, &stdout, &stderr); code != exitOK {
		t.Fatalf("build exited %d:\n%s", code, stderr.String())
	}
	b := browser(t)
	for _, page := range []string{generator.PrintURL, "governance/rights.html"} {
		if err := chromedp.Do(b, chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(site, page)))); err != nil {
			t.Fatal(err)
		}
		widths, err := chromedp.Run(b, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatal(err)
		}
		if widths[0] > widths[1] {
			t.Errorf("%s is %dpx wide in a %dpx window", page, widths[0], widths[1])
		}
	}
}

// A pack with errors is not printed, as it is not built.
func TestPDFOfBrokenPack(t *testing.T) {
	chromium(t)
	pack := writePack(t, goodPack)
	os.WriteFile(filepath.Join(pack, "charter", "a.md"), []byte("# A\n\nSee [c](c.md).\n"), 0o644)
	out := filepath.Join(t.TempDir(), "x.pdf")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"pdf", pack, "-o", out}, &stdout, &stderr)
	if code != exitErrors || !strings.Contains(stderr.String(), "charter/a.md:3:5: error:") || !strings.Contains(stderr.String(), "the PDF was not written") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1, the diagnostic and that the PDF was not written", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PDF was written for a pack with errors")
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"pdf", pack}, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "-o FILE is required") {
		t.Errorf("without -o: exit %d, stderr %q", code, stderr.String())
	}
}
