package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"govpack/generator"
)

// A pack with unsafe_html that frames, embeds or shows a local file does
// not get that file into its PDF: the print page is loaded from a
// loopback server of the site's files, not from the file system.
func TestPDFCannotReadLocalFiles(t *testing.T) {
	chromium(t)
	const marker = "LOCAL-FILE-MARKER-5e1f"
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte(marker+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := (&url.URL{Scheme: "file", Path: filepath.ToSlash(secret)}).String()
	// Another service on this machine, which the page must not frame either.
	const loopbackMarker = "LOOPBACK-SERVICE-MARKER-9c2d"
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, loopbackMarker)
	}))
	defer other.Close()
	pack := writePack(t, map[string]string{
		"govpack.toml": "title = \"T\"\nprofile = \"p.toml\"\nunsafe_html = true\n",
		"p.toml":       "id = \"p\"\ntitle = \"P\"\n",
		"charter/a.md": "# A\n\nBefore the frame.\n\n" +
			`<iframe src="` + file + `" width="600" height="200"></iframe>` + "\n\n" +
			`<object data="` + file + `" type="text/plain" width="600" height="200"></object>` + "\n\n" +
			`<embed src="` + file + `" type="text/plain" width="600" height="200">` + "\n\n" +
			`<iframe src="` + other.URL + `/" width="600" height="200"></iframe>` + "\n",
		"charter/b.md": "# B\n",
	})
	out := filepath.Join(t.TempDir(), "pack.pdf")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if code := run(ctx, []string{"pdf", pack, "-o", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("govpack pdf exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	text := popplerRun(t, "pdftotext", out, "-")
	if !strings.Contains(text, "Before the frame.") {
		t.Fatalf("the PDF does not show the document:\n%s", text)
	}
	if strings.Contains(text, marker) {
		t.Errorf("the PDF shows a local file the pack framed:\n%s", text)
	}
	if strings.Contains(text, loopbackMarker) {
		t.Errorf("the PDF shows another loopback service the pack framed:\n%s", text)
	}
	if raw, _ := os.ReadFile(out); bytes.Contains(raw, []byte(marker)) {
		t.Error("the PDF holds the bytes of a local file the pack framed")
	}
}

// The browser keeps its sandbox unless told to leave it off, which
// govpack pdf does as root only.
func TestStartChromeSandbox(t *testing.T) {
	for _, sandbox := range []bool{true, false} {
		dir := t.TempDir()
		args := filepath.Join(dir, "args")
		exe := filepath.Join(dir, "chromium")
		script := "#!/bin/sh\necho \"$@\" > " + args + "\nexit 1\n"
		if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, stop, err := startChrome(context.Background(), exe, filepath.Join(dir, "profile"), sandbox); err == nil {
			stop()
			t.Fatal("a browser that exits at once started")
		}
		got, err := os.ReadFile(args)
		if err != nil {
			t.Fatal(err)
		}
		if off := strings.Contains(string(got), "--no-sandbox"); off == sandbox {
			t.Errorf("sandbox %v: the browser was started with %s", sandbox, got)
		}
	}
}

// --per-document writes each document's PDF at its path inside the
// folder, and refuses any path that would leave it.
func TestDocPDFNames(t *testing.T) {
	dir := filepath.Join("out", "pack")
	names, err := docPDFNames(dir, []*generator.Document{{Path: "charter/a.md"}, {Path: "b.md"}})
	if err != nil || len(names) != 2 || names[0] != filepath.Join(dir, "charter", "a.pdf") || names[1] != filepath.Join(dir, "b.pdf") {
		t.Errorf("names %q, error %v", names, err)
	}
	for _, bad := range []string{"../x.md", "a/../../x.md", "/etc/x.md", `a\..\..\x.md`, "a/./b.md", "a//b.md", "a/\x00.md"} {
		if _, err := docPDFNames(dir, []*generator.Document{{Path: "charter/a.md"}, {Path: bad}}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("%q: error %v, want one naming the document", bad, err)
		}
	}
}
