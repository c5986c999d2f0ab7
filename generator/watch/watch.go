// Package watch reports changes to the files of a pack. fsnotify is not
// recursive, so every directory is watched, directories created later are
// added with their files, and removed ones are dropped. Bursts of events —
// an editor's write-to-temp-then-rename, a git checkout — are debounced
// into one batch. Where a watch cannot be added (the inotify limit, a file
// system without notifications) that part of the tree is polled instead,
// and the watcher says so once: nothing is ever silently unwatched.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options adjust a Watcher.
type Options struct {
	// Ignore reports whether a path (slash-separated, relative to the root)
	// is not a source; IgnoreDefault is used when nil.
	Ignore func(rel string) bool
	// Debounce is how long the tree must stay quiet before a batch is sent.
	Debounce time.Duration
	// Poll forces polling everywhere; PollInterval is its period.
	Poll         bool
	PollInterval time.Duration

	beforeSend func() // a test's pause between taking a batch and sending it
}

// Rescan is a batch entry meaning "anything may have changed": events were
// lost and everything must be read again.
const Rescan = "*"

// Watcher sends batches of changed paths.
type Watcher struct {
	root    string
	opts    Options
	fsw     *fsnotify.Watcher
	batches chan []string
	notes   chan string
	done    chan struct{}
	wg      sync.WaitGroup

	// sendMu keeps batches in the order of their changes: the debounce
	// timer can start a flush while an earlier one still waits to send,
	// and a later batch overtaking it would announce a change (a marker, a
	// save) before the ones made earlier.
	sendMu sync.Mutex

	// watched holds the directories given to fsnotify, to take back when
	// they move or go. Only New and run touch it, one after the other.
	watched map[string]bool

	mu      sync.Mutex
	pending map[string]bool
	timer   *time.Timer
	polled  map[string]bool      // directories polled instead of watched
	snap    map[string]time.Time // polled files → modification time
	sizes   map[string]int64
}

// IgnoreDefault leaves out dot-files and dot-directories, public/, and the
// swap and backup files editors write beside the files they save.
func IgnoreDefault(rel string) bool {
	if rel == "public" || strings.HasPrefix(rel, "public/") {
		return true
	}
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return true
		}
	}
	base := rel[strings.LastIndex(rel, "/")+1:]
	return strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") ||
		strings.HasSuffix(base, ".swo") || strings.HasSuffix(base, ".tmp") || base == "4913" ||
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#")
}

// New watches the tree at root.
func New(root string, opts Options) (*Watcher, error) {
	if opts.Ignore == nil {
		opts.Ignore = IgnoreDefault
	}
	if opts.Debounce == 0 {
		opts.Debounce = 5 * time.Millisecond
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	w := &Watcher{
		root: root, opts: opts,
		batches: make(chan []string, 16), notes: make(chan string, 16), done: make(chan struct{}),
		pending: map[string]bool{}, polled: map[string]bool{}, snap: map[string]time.Time{}, sizes: map[string]int64{},
		watched: map[string]bool{},
	}
	if !opts.Poll {
		fsw, err := fsnotify.NewWatcher()
		if err != nil {
			w.note(fmt.Sprintf("file notifications are unavailable (%v); polling every %v instead", err, opts.PollInterval))
		} else {
			w.fsw = fsw
		}
	}
	if err := w.addTree(root, false); err != nil {
		w.Close()
		return nil, err
	}
	if w.fsw != nil {
		w.wg.Add(1)
		go w.run()
	}
	w.wg.Add(1)
	go w.poll()
	return w, nil
}

// Batches delivers the paths changed since the last batch, sorted; a batch
// holding Rescan means everything must be read again.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Notes delivers what the user should know about the watching itself, such
// as a part of the tree that is polled rather than watched.
func (w *Watcher) Notes() <-chan string { return w.notes }

// Close stops watching.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	var err error
	if w.fsw != nil {
		err = w.fsw.Close()
	}
	w.wg.Wait()
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
	return err
}

func (w *Watcher) note(s string) {
	select {
	case w.notes <- s:
	default: // nobody listens; never block the watcher on a note
	}
}

func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// addTree watches dir and every directory below it. With report set, the
// files found are reported as changed: they may have been written before
// the watch existed (a folder moved in, a git checkout).
func (w *Watcher) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) && report {
				return nil // gone again before we looked
			}
			if p == dir && !report {
				return err
			}
			return nil
		}
		rel := w.rel(p)
		if rel != "." && w.opts.Ignore(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if report {
				w.changed(rel)
			}
			return nil
		}
		if w.fsw == nil {
			w.startPolling(p, false)
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			w.startPolling(p, true)
			w.note(fmt.Sprintf("cannot watch %s (%v); polling it every %v instead", rel, err, w.opts.PollInterval))
			return nil
		}
		w.watched[p] = true
		return nil
	})
}

func (w *Watcher) startPolling(dir string, quiet bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.polled[dir] = true
	w.scanLocked(dir, false)
}

// run turns fsnotify events into pending changes.
func (w *Watcher) run() {
	defer w.wg.Done()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			rel := w.rel(ev.Name)
			if w.opts.Ignore(rel) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if isDir(ev.Name) {
					w.addTree(ev.Name, true)
					continue
				}
			}
			if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
				w.moved(ev.Name)
			}
			// The files under a directory moved or removed are reported by
			// the rebuild that follows.
			w.changed(rel)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.note("too many changes at once; reading the whole pack again")
				w.changed(Rescan)
				continue
			}
			w.note(fmt.Sprintf("watching: %v", err))
		}
	}
}

// moved takes back the watches of a directory that moved or went, and
// watches what is at its path now. fsnotify keeps a watch's path when its
// directory moves, so a directory moved within the pack would report its
// subdirectories' files under the old path; and on the move-self event it
// drops the watch by path, which can be a directory just moved in (the
// kernel sends move-self after move-to, so the new directory may be
// watched in between) or one that took the old one's place.
func (w *Watcher) moved(dir string) {
	if !w.watched[dir] {
		return
	}
	for p := range w.watched {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			w.fsw.Remove(p) // gone already when fsnotify dropped it
			delete(w.watched, p)
		}
	}
	if isDir(dir) {
		w.addTree(dir, true) // changes while it was unwatched are reported
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// changed records a change and (re)starts the debounce timer.
func (w *Watcher) changed(rel string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending[rel] = true
	if w.timer == nil {
		w.timer = time.AfterFunc(w.opts.Debounce, w.flush)
	} else {
		w.timer.Reset(w.opts.Debounce)
	}
}

func (w *Watcher) flush() {
	w.sendMu.Lock()
	defer w.sendMu.Unlock()
	w.mu.Lock()
	batch := make([]string, 0, len(w.pending))
	for p := range w.pending {
		batch = append(batch, p)
	}
	w.pending = map[string]bool{}
	w.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	sort.Strings(batch)
	if w.opts.beforeSend != nil {
		w.opts.beforeSend()
	}
	select {
	case w.batches <- batch:
	case <-w.done:
	}
}

// poll rescans the polled directories.
func (w *Watcher) poll() {
	defer w.wg.Done()
	t := time.NewTicker(w.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
			w.mu.Lock()
			dirs := make([]string, 0, len(w.polled))
			for d := range w.polled {
				dirs = append(dirs, d)
			}
			var changes []string
			for _, d := range dirs {
				changes = append(changes, w.scanLocked(d, true)...)
			}
			w.mu.Unlock()
			for _, c := range changes {
				w.changed(c)
			}
		}
	}
}

// scanLocked compares the files directly in dir with the last scan and
// returns what changed; new subdirectories are polled too. w.mu is held.
func (w *Watcher) scanLocked(dir string, report bool) []string {
	var changes []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		delete(w.polled, dir)
		if report {
			changes = append(changes, w.rel(dir))
		}
		return changes
	}
	seen := map[string]bool{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		rel := w.rel(p)
		if w.opts.Ignore(rel) {
			continue
		}
		if e.IsDir() {
			if !w.polled[p] {
				w.polled[p] = true
				changes = append(changes, w.scanLocked(p, report)...)
			}
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		seen[p] = true
		if t, ok := w.snap[p]; !ok || !t.Equal(info.ModTime()) || w.sizes[p] != info.Size() {
			w.snap[p], w.sizes[p] = info.ModTime(), info.Size()
			if report {
				changes = append(changes, rel)
			}
		}
	}
	for p := range w.snap {
		if filepath.Dir(p) == dir && !seen[p] {
			delete(w.snap, p)
			delete(w.sizes, p)
			if report {
				changes = append(changes, w.rel(p))
			}
		}
	}
	return changes
}
