package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"govpack/generator"
	"govpack/generator/serve"
)

// govpack pdf prints the site's print.html with headless Chromium, driven
// over the DevTools protocol: Page.printToPDF is the one way to get a
// running header, page numbers and working internal links out of the
// browser, and only the protocol lets us read the first print back, fill
// in the page numbers of the table of contents and print again.

// chromeNotFound is the advice given when no browser can be found.
const chromeNotFound = "no Chromium found: install Debian's chromium package (apt-get install chromium) or give --chrome"

// maxPrintPasses bounds the passes that settle the table of contents:
// filling in page numbers cannot move a part (the numbers have a fixed
// width), so the second pass normally confirms the first.
const maxPrintPasses = 3

func runPDF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdf", flag.ContinueOnError)
	out := fs.String("o", "", "write the PDF to `FILE` (required)")
	chrome := fs.String("chrome", "", "the Chromium or Chrome executable `PATH` (default: chromium, chromium-browser or google-chrome on the PATH)")
	perDoc := fs.Bool("per-document", false, "also write one PDF per document, into the folder FILE names without .pdf")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack pdf [PACK] -o FILE [--chrome PATH] [--per-document] [--strict]\n\nChecks the pack in PACK (default: the current directory) and prints its\nprint.html — the whole pack in reading order — to FILE with headless\nChromium: a title page, a table of contents with page numbers, a running\nheader with the consortium and version, page numbers, and links that work\ninside the PDF. --per-document also writes one PDF per document.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parsePack(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if *out == "" {
		fmt.Fprintf(stderr, "govpack pdf: -o FILE is required\n")
		return exitUsage
	}
	exe, err := findChrome(*chrome)
	if err != nil {
		fmt.Fprintf(stderr, "govpack pdf: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	res, status := buildSite("pdf", pack, filepath.Join(pack, "public"), "the PDF", *strict, stderr)
	if res == nil {
		return status
	}

	var docNames []string
	if *perDoc {
		// Every name is checked before anything is printed.
		if docNames, err = docPDFNames(strings.TrimSuffix(*out, filepath.Ext(*out)), res.Pack.Docs); err != nil {
			fmt.Fprintf(stderr, "govpack pdf: %v\n", err)
			return exitUsage
		}
	}
	if err := printPDFs(ctx, exe, res, *out, docNames, stdout); err != nil {
		fmt.Fprintf(stderr, "govpack pdf: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "done in %v\n", time.Since(start).Round(time.Millisecond))
	return exitOK
}

// printPDFs prints the built site res to the PDF out with the browser
// exe, and each document to its name in docNames when there are any.
func printPDFs(ctx context.Context, exe string, res *generator.Result, out string, docNames []string, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "govpack-pdf-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	base, stopSite, err := serveSite(res.Output)
	if err != nil {
		return err
	}
	defer stopSite()

	b, closeBrowser, err := startChrome(ctx, exe, filepath.Join(tmp, "profile"), os.Geteuid() != 0)
	if err != nil {
		return err
	}
	defer closeBrowser()
	p := printer{settings: res.Pack.Settings, page: base + generator.PrintURL}
	pdf, layout, passes, err := p.whole(b)
	if err == nil {
		err = writeFile(out, pdf)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d pages, table of contents settled in %d passes\n", out, layout.Pages, passes)
	if docNames == nil {
		return nil
	}
	for i, d := range res.Pack.Docs {
		pdf, err := p.part(b, d.URL)
		if err == nil {
			err = writeFile(docNames[i], pdf)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", d.Path, err)
		}
	}
	fmt.Fprintf(stdout, "wrote %d documents to %s\n", len(res.Pack.Docs), strings.TrimSuffix(out, filepath.Ext(out)))
	return nil
}

// findChrome returns the browser to print with: the one given, or the
// first of Chromium's usual names on the PATH.
func findChrome(given string) (string, error) {
	if given != "" {
		p, err := exec.LookPath(given)
		if err != nil {
			return "", fmt.Errorf("--chrome %s: %v", given, errors.Unwrap(err))
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New(chromeNotFound)
}

// docPDFNames returns where --per-document writes the PDF of each
// document: its pack path inside dir, as .pdf. A path that is not a clean
// local one is refused, so that no name can leave dir, whatever let the
// document through.
func docPDFNames(dir string, docs []*generator.Document) ([]string, error) {
	names := make([]string, len(docs))
	for i, d := range docs {
		rel := strings.TrimSuffix(d.Path, ".md") + ".pdf"
		if !fs.ValidPath(rel) || strings.ContainsAny(rel, "\\\x00") || !filepath.IsLocal(filepath.FromSlash(rel)) {
			return nil, fmt.Errorf("document %q: no PDF is written for a path that is not a clean one inside the pack", d.Path)
		}
		names[i] = filepath.Join(dir, filepath.FromSlash(rel))
	}
	return names, nil
}

// serveSite serves the site's files from memory to the browser that
// prints them, on a loopback port of its own, until stop is called. Loaded
// over HTTP rather than from file://, the print page cannot frame, embed
// or fetch a file of this machine, whatever raw HTML a pack with
// unsafe_html holds; the server answers loopback hosts only (no DNS
// rebinding) and holds nothing but the site. Its pages may load only from
// it, data: URLs and https: (remote images a document shows), so raw HTML
// cannot pull another loopback service's pages into the PDF either.
func serveSite(site generator.Output) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listening on 127.0.0.1 for the browser: %w", err)
	}
	files := serve.Files(site, serve.Hosts{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", printPolicy)
		files.ServeHTTP(w, r)
	})
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String() + "/", func() { hs.Close() }, nil
}

// printPolicy is the Content-Security-Policy of the pages govpack pdf
// prints: the theme's inline scripts and styles, the site's own files,
// data: and https: URLs, nothing else.
const printPolicy = "default-src 'self' 'unsafe-inline' data: https:"

// startChrome starts a headless browser with a fresh profile in dir, and
// nothing that reaches the network by itself. The browser's sandbox is
// left off only when sandbox is false: as root, where Chromium refuses to
// start with it (CI and containers run as root).
func startChrome(ctx context.Context, exe, dir string, sandbox bool) (context.Context, func(), error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		// Said either way: unsaid, chromedp leaves it off for root.
		chromedp.Flag("no-sandbox", !sandbox),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	b, cancel := chromedp.NewContext(alloc)
	stop := func() { cancel(); cancelAlloc() }
	// Starting the browser is the first action: report a failure as such.
	if err := chromedp.Do(b); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting %s: %v", exe, err)
	}
	return b, stop, nil
}

// printer prints the print page of one site.
type printer struct {
	settings generator.Settings
	page     string // URL of print.html
}

// whole prints the whole print page, filling in the page numbers of the
// table of contents from where the parts landed, until a print confirms
// them. It returns the PDF, its layout and the passes it took.
func (p printer) whole(b context.Context) ([]byte, pdfLayout, int, error) {
	if err := p.load(b); err != nil {
		return nil, pdfLayout{}, 0, err
	}
	parts, err := chromedp.Run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".print-toc a")].map(a => a.getAttribute("href").slice(1))`))
	if err != nil {
		return nil, pdfLayout{}, 0, fmt.Errorf("reading the table of contents: %v", err)
	}
	shown := map[string]int{}
	for pass := 1; pass <= maxPrintPasses; pass++ {
		pdf, err := chromedp.Run(b, p.print())
		if err != nil {
			return nil, pdfLayout{}, pass, fmt.Errorf("printing: %v", err)
		}
		layout, err := readPDFLayout(pdf)
		if err != nil {
			return nil, pdfLayout{}, pass, fmt.Errorf("reading back the PDF Chromium printed: %v", err)
		}
		landed := map[string]int{}
		settled := true
		for _, id := range parts {
			n, ok := layout.Dests[id]
			if !ok {
				return nil, pdfLayout{}, pass, fmt.Errorf("the PDF has no destination for part %q of the table of contents", id)
			}
			landed[id] = n
			settled = settled && shown[id] == n
		}
		if settled {
			return pdf, layout, pass, nil
		}
		js, _ := json.Marshal(landed)
		fill := `((pages) => { for (const a of document.querySelectorAll(".print-toc a")) { a.querySelector(".print-toc-page").textContent = String(pages[a.getAttribute("href").slice(1)]); } return true; })(` + string(js) + `)`
		if _, err := chromedp.Run(b, chromedp.Evaluate[bool](fill)); err != nil {
			return nil, pdfLayout{}, pass, fmt.Errorf("filling in page numbers: %v", err)
		}
		shown = landed
	}
	return nil, pdfLayout{}, maxPrintPasses, fmt.Errorf("the table of contents did not settle in %d passes", maxPrintPasses)
}

// part prints the part made of the site page at url alone, on the page
// load opened: the other parts, the title page and the table of contents
// are hidden, and links into them are plain text for the print. The page
// is put back as it was afterwards, so that one load serves every part.
func (p printer) part(b context.Context, url string) ([]byte, error) {
	urlJS, _ := json.Marshal(url)
	isolate := `((url) => {
		const keep = [...document.querySelectorAll(".print-part")].find(el => el.dataset.url === url);
		if (!keep) return false;
		if (!document.getElementById("govpack-one")) {
			document.head.insertAdjacentHTML("beforeend", "<style id=govpack-one>.govpack-one .print-title, .govpack-one .print-toc, .govpack-one .print-part:not(.govpack-kept) { display: none; }</style>");
		}
		document.body.classList.add("govpack-one");
		keep.classList.add("govpack-kept");
		for (const a of document.querySelectorAll('a[href^="#"]')) {
			const target = document.getElementById(a.getAttribute("href").slice(1));
			if (!target || !keep.contains(target)) { a.dataset.govpackHref = a.getAttribute("href"); a.removeAttribute("href"); }
		}
		return true;
	})(` + string(urlJS) + `)`
	const restore = `(() => {
		document.body.classList.remove("govpack-one");
		for (const el of document.querySelectorAll(".govpack-kept")) el.classList.remove("govpack-kept");
		for (const a of document.querySelectorAll("a[data-govpack-href]")) { a.setAttribute("href", a.dataset.govpackHref); delete a.dataset.govpackHref; }
		return true;
	})()`
	found, err := chromedp.Run(b, chromedp.Evaluate[bool](isolate))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("the print page has no part for %s", url)
	}
	pdf, err := chromedp.Run(b, p.print())
	if err != nil {
		return nil, err
	}
	_, err = chromedp.Run(b, chromedp.Evaluate[bool](restore))
	return pdf, err
}

// load opens the print page afresh and readies it for print: links to
// pages of the site that the print page leaves out would point at the
// loopback server, gone once printed, so they point at base_url when the
// pack sets one and are shown as plain text otherwise.
func (p printer) load(b context.Context) error {
	if err := chromedp.Do(b, chromedp.Navigate(p.page)); err != nil {
		return fmt.Errorf("opening %s: %v", p.page, err)
	}
	base, _ := json.Marshal(p.settings.BaseURL)
	ready := `((base) => {
		for (const a of document.querySelectorAll("a[href]")) {
			const href = a.getAttribute("href");
			if (href.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
			a.dataset.siteUrl = href;
			if (base) a.href = new URL(href, base).href; else a.removeAttribute("href");
		}
		return document.fonts.ready.then(() => true);
	})(` + string(base) + `)`
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool](ready, chromedp.EvalAwaitPromise)); err != nil {
		return fmt.Errorf("preparing %s: %v", p.page, err)
	}
	return nil
}

// print prints the loaded page: A4 from the print stylesheet, backgrounds,
// a running header with the consortium and version, page numbers in the
// footer, and the headings as the PDF's outline.
func (p printer) print() chromedp.Action[[]byte] {
	s := p.settings
	left := html.EscapeString(s.Consortium)
	if left == "" {
		left = html.EscapeString(s.Title)
	}
	right := ""
	if s.Version != "" {
		right = "Governance version " + html.EscapeString(s.Version)
	}
	const style = `font-family: system-ui, sans-serif; font-size: 8pt; color: #4a4f55; width: 100%; margin: 0 18mm; display: flex; justify-content: space-between;`
	header := `<div style="` + style + `"><span>` + left + `</span><span>` + right + `</span></div>`
	footer := `<div style="` + style + ` justify-content: center;"><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
	return chromedp.PrintToPDF(
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(header),
		chromedp.PDFFooterTemplate(footer),
		chromedp.PDFOutlineAndTagged(),
	)
}

// writeFile writes a PDF, creating its folder.
func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}
