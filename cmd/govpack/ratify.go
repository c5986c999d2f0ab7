package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"govpack/generator"
	"govpack/generator/diag"
	"govpack/generator/profile"
	"govpack/generator/sshsig"
)

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	pack := fs.String("pack", "", "rebuild the site from the pack in `DIR` and compare every file with it")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack verify SITE [--pack PACK]\n\nRecomputes the SHA-256 of every file of the site in SITE and compares them\nwith its manifest.json: files modified, removed or added are reported with\nthe expected and actual hashes. With --pack, the site is rebuilt from PACK in\nmemory and every file, manifest.json included, must be the rebuilt one: a\nmanifest forged along with the pages passes the first check, not this one.\nOnly regular files inside SITE are read. Exit status 0 only when everything\nmatches.\n\n")
		fs.PrintDefaults()
	}
	site, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if status, ok := checkPackDir(site, stderr); !ok {
		return status
	}
	var v *generator.Verification
	if *pack != "" {
		v, status = verifyRebuild(site, *pack, stderr)
	} else {
		v, status = verifyManifest(site, stderr)
	}
	if v == nil {
		return status
	}
	for _, d := range v.Discrepancies {
		fmt.Fprintln(stdout, d)
	}
	if len(v.Discrepancies) > 0 {
		against := "listed"
		if *pack != "" {
			against = "rebuilt"
		}
		fmt.Fprintf(stdout, "%s does not verify: %d discrepancies in %d %s files\n", site, len(v.Discrepancies), v.Files, against)
		return exitErrors
	}
	if *pack != "" {
		fmt.Fprintf(stdout, "%s verifies: %d files match a rebuild of %s (pack digest %s)\n", site, v.Files, *pack, v.Manifest.PackDigest)
		return exitOK
	}
	fmt.Fprintf(stdout, "%s verifies: %d files match manifest.json (pack digest %s)\n", site, v.Files, v.Manifest.PackDigest)
	return exitOK
}

// verifyManifest checks the site against its own manifest.
func verifyManifest(site string, stderr io.Writer) (*generator.Verification, int) {
	v, err := generator.Verify(site)
	if err != nil {
		fmt.Fprintf(stderr, "govpack verify: %v\n", err)
		return nil, exitUsage
	}
	return v, exitOK
}

// verifyRebuild rebuilds the site from pack in memory, as govpack build
// would publish it, and compares the site with it file by file: a manifest
// can be forged along with the pages it lists, a rebuild cannot.
func verifyRebuild(site, pack string, stderr io.Writer) (*generator.Verification, int) {
	if status, ok := checkPackDir(pack, stderr); !ok {
		return nil, status
	}
	skip, err := generator.OutputDir(pack, site)
	if err != nil {
		fmt.Fprintf(stderr, "govpack verify: %v\n", err)
		return nil, exitUsage
	}
	res := generator.Build(packFS(pack), options(generator.Options{SkipDir: skip}))
	if res.Diagnostics.HasErrors() || res.Output == nil {
		diag.WriteText(stderr, res.Diagnostics, useColor(stderr))
		fmt.Fprintf(stderr, "govpack verify: the pack %s has errors; no site to compare with\n", pack)
		return nil, exitErrors
	}
	v, err := generator.VerifyBuild(site, res.Output)
	if err != nil {
		fmt.Fprintf(stderr, "govpack verify: %v\n", err)
		return nil, exitUsage
	}
	if v.Manifest.PackDigest != "" && v.Manifest.PackDigest != res.Pack.Digest {
		v.Discrepancies = append([]generator.Discrepancy{{Kind: "manifest", Problem: fmt.Sprintf("the site was built from pack digest %s; the pack %s has %s", v.Manifest.PackDigest, pack, res.Pack.Digest)}}, v.Discrepancies...)
	}
	v.Manifest.PackDigest = res.Pack.Digest
	return v, exitOK
}

// loadDigest checks the pack enough to compute its digest.
func loadDigest(pack string, stderr io.Writer) (*generator.Result, int, bool) {
	if status, ok := checkPackDir(pack, stderr); !ok {
		return nil, status, false
	}
	res := generator.Check(packFS(pack), options(generator.Options{}))
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error && !profile.Governs(d.Rule) {
			diag.WriteText(stderr, res.Diagnostics, useColor(stderr))
			fmt.Fprintf(stderr, "govpack: %s does not load cleanly; its digest would not mean what it says\n", pack)
			return nil, exitStatus(res.Diagnostics), false
		}
	}
	return res, exitOK, true
}

func runDigest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack digest [PACK]\n\nPrints the pack digest: the SHA-256 of the governance sources that members\nsign to ratify a version (docs/ratification.md shows how to recompute it).\n")
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	res, status, ok := loadDigest(pack, stderr)
	if !ok {
		return status
	}
	fmt.Fprintln(stdout, res.Pack.Digest)
	return exitOK
}

func runSign(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	member := fs.String("member", "", "the member ratifying (its id)")
	key := fs.String("key", "", "the member's private SSH key `FILE`, as ssh-keygen -f takes it")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "the date of the ratification, `YYYY-MM-DD`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govpack sign [PACK] --member ID --key KEY [--date YYYY-MM-DD]\n\nRatifies the pack for a member: signs the pack digest with\n  ssh-keygen -Y sign -f KEY -n govpack\nand records the signature in PACK/ratifications.toml. The private key never\nleaves ssh-keygen. Anyone can check the signature with ssh-keygen -Y verify.\n\n")
		fs.PrintDefaults()
	}
	pack, status, ok := parse(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if *member == "" || *key == "" {
		fmt.Fprintf(stderr, "govpack sign: --member and --key are required\n")
		return exitUsage
	}
	day, err := time.Parse("2006-01-02", *date)
	if err != nil {
		fmt.Fprintf(stderr, "govpack sign: --date %q is not a date such as 2026-03-01\n", *date)
		return exitUsage
	}
	res, status, ok := loadDigest(pack, stderr)
	if !ok {
		return status
	}
	known := false
	for _, m := range res.Pack.Data.Members {
		known = known || m.ID == *member
	}
	if !known {
		fmt.Fprintf(stderr, "govpack sign: no member %q in %s\n", *member, pack)
		return exitUsage
	}
	if _, err := os.Stat(*key); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "govpack sign: key file %s not found\n", *key)
		return exitUsage
	}
	r, status, ok := sshSign(*key, *member, res.Pack.Digest, stderr)
	if !ok {
		return status
	}
	r.Date.Year, r.Date.Month, r.Date.Day = day.Date()
	// A signature that would not count must not replace one that does.
	if problem := generator.VerifyRatification(packFS(pack), res.Pack, &r); problem != "" {
		fmt.Fprintf(stderr, "govpack sign: the signature would not ratify %s for %q: %s; %s was not changed\n", pack, *member, problem, generator.RatificationsFile)
		return exitErrors
	}
	file := filepath.Join(pack, generator.RatificationsFile)
	old, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "govpack sign: %v\n", err)
		return exitUsage
	}
	updated, diags := generator.UpdateRatifications(old, r)
	if diags.HasErrors() {
		diag.WriteText(stderr, diags, useColor(stderr))
		return exitErrors
	}
	if err := writeAtomically(file, updated); err != nil {
		fmt.Fprintf(stderr, "govpack sign: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s ratified %s (%s) in %s\n", *member, pack, res.Pack.Digest, file)
	return exitOK
}

// sshSign signs digest with the private key in file through ssh-keygen,
// which keeps the key to itself, and returns the ratification by member.
func sshSign(file, member, digest string, stderr io.Writer) (generator.Ratification, int, bool) {
	var r generator.Ratification
	pub, err := exec.Command("ssh-keygen", "-y", "-f", file).Output()
	if err != nil {
		hint := ""
		if errors.Is(err, exec.ErrNotFound) {
			hint = " (is openssh-client installed?)"
		}
		fmt.Fprintf(stderr, "govpack sign: ssh-keygen -y -f %s: %v%s\n", file, err, hint)
		return r, exitUsage, false
	}
	cmd := exec.Command("ssh-keygen", "-Y", "sign", "-f", file, "-n", sshsig.Namespace)
	cmd.Stdin = strings.NewReader(digest)
	var sig, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &sig, &errb
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "govpack sign: ssh-keygen -Y sign: %v\n%s", err, errb.String())
		return r, exitUsage, false
	}
	return generator.Ratification{Member: member, Digest: digest, PublicKey: strings.TrimSpace(string(pub)), Signature: sig.String()}, exitOK, true
}

// writeAtomically replaces file with data: a temporary file in the same
// directory, renamed over it, so a reader or a crash never sees half of it.
func writeAtomically(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}
