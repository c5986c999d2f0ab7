package markdown

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
)

// A HighlightStore keeps highlighted code blocks from one run to the next
// in a file: chroma is half of a large build's time, and little code
// changes between builds. Blocks are keyed by a hash of the highlighter's
// version, the language and the code, so a stored block is exactly what
// highlighting would write. Saving keeps only the blocks the last build
// used, so the file holds one pack's code and never grows past it.
//
// The blocks stay on disk: the store holds where each is, in the file it
// opened or in a temporary file of the blocks highlighted since, and reads
// one when a document needs it. A large pack's code would otherwise sit in
// memory twice over, as read and as to be saved.
type HighlightStore struct {
	mu      sync.Mutex
	version [sha256.Size]byte
	dir     string                      // where the store's file is
	file    *os.File                    // the store opened; nil when there was none
	stored  map[[sha256.Size]byte]block // in file
	made    *os.File                    // blocks highlighted since opening
	madeEnd int64
	used    map[[sha256.Size]byte]block // taken or made since
	changed bool                        // used differs from stored
}

// block is a highlighted code block: where it is in a file, or its HTML
// when no temporary file could be made.
type block struct {
	f    *os.File
	at   int64
	n    int
	html []byte
}

func (b block) read() ([]byte, error) {
	if b.f == nil {
		return b.html, nil
	}
	html := make([]byte, b.n)
	_, err := b.f.ReadAt(html, b.at)
	return html, err
}

// storeFormat changes whenever the HTML a block highlights to changes
// for reasons other than chroma's version (see writeCode).
const storeFormat = "govpack highlight store 1"

// storeMagic opens every store file.
const storeMagic = "govpack-highlights\n"

// highlighterVersion names what highlighting depends on: the format and
// the chroma module the program was built with ("unknown" in binaries
// without module information, such as tests).
func highlighterVersion() [sha256.Size]byte {
	chroma := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/alecthomas/chroma/v2" {
				chroma = d.Version + " " + d.Sum
			}
		}
	}
	return sha256.Sum256([]byte(storeFormat + "\x00" + chroma))
}

// OpenHighlightStore opens the store in file. A missing, unreadable or
// damaged file, or one written by another version, gives an empty store:
// the store only ever saves work, so it never fails a build. Close it when
// done.
func OpenHighlightStore(file string) *HighlightStore {
	s := &HighlightStore{version: highlighterVersion(), dir: filepath.Dir(file), stored: map[[sha256.Size]byte]block{}, used: map[[sha256.Size]byte]block{}}
	f, err := os.Open(file)
	if err != nil {
		return s
	}
	blocks, err := indexStore(bufio.NewReaderSize(f, 256<<10), s.version)
	if err != nil {
		f.Close()
		return s
	}
	for k, b := range blocks {
		b.f = f
		blocks[k] = b
	}
	s.file, s.stored = f, blocks
	return s
}

// indexStore reads a store file — the magic line, the version hash, then
// blocks of a key, a length and the HTML — and says where each block is.
func indexStore(r *bufio.Reader, version [sha256.Size]byte) (map[[sha256.Size]byte]block, error) {
	var head [len(storeMagic) + sha256.Size]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:len(storeMagic)]) != storeMagic || [sha256.Size]byte(head[len(storeMagic):]) != version {
		return nil, errors.New("not a store of this version")
	}
	at := int64(len(head))
	blocks := map[[sha256.Size]byte]block{}
	for {
		var key [sha256.Size]byte
		if _, err := io.ReadFull(r, key[:]); err == io.EOF {
			return blocks, nil
		} else if err != nil {
			return nil, errors.New("truncated key")
		}
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 1<<30 {
			return nil, errors.New("truncated block")
		}
		size := int64(sha256.Size + uvarintLen(n))
		if d, err := r.Discard(int(n)); err != nil || d != int(n) {
			return nil, errors.New("truncated block")
		}
		blocks[key] = block{at: at + size, n: int(n)}
		at += size + int64(n)
	}
}

func uvarintLen(n uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], n)
}

func (s *HighlightStore) key(lang, code string) [sha256.Size]byte {
	h := sha256.New()
	h.Write(s.version[:])
	h.Write([]byte(lang))
	h.Write([]byte{0})
	h.Write([]byte(code))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// get returns the stored HTML of the code in lang; a block that cannot be
// read back is highlighted again.
func (s *HighlightStore) get(lang, code string) ([]byte, bool) {
	k := s.key(lang, code)
	s.mu.Lock()
	b, ok := s.used[k]
	if !ok {
		b, ok = s.stored[k]
		if ok {
			s.used[k] = b
		}
	}
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	html, err := b.read()
	return html, err == nil
}

// put records the HTML of the code in lang.
func (s *HighlightStore) put(lang, code string, html []byte) {
	k := s.key(lang, code)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used[k], s.changed = s.keep(html), true
}

// keep writes html to the file of blocks made since opening and says
// where; without that file the block stays in memory.
func (s *HighlightStore) keep(html []byte) block {
	if s.made == nil {
		f, err := os.CreateTemp(s.dir, ".highlights-made-*")
		if err != nil {
			// The store's directory is made on saving.
			if f, err = os.CreateTemp("", "govpack-highlights-made-*"); err != nil {
				return block{html: html}
			}
		}
		os.Remove(f.Name()) // read through f alone; gone with it, whatever happens
		s.made = f
	}
	if _, err := s.made.WriteAt(html, s.madeEnd); err != nil {
		return block{html: html}
	}
	b := block{f: s.made, at: s.madeEnd, n: len(html)}
	s.madeEnd += int64(len(html))
	return b
}

// Save writes the blocks used since the store was opened to file, through
// a temporary file renamed into place, so that a build running beside
// this one reads a whole store or none. It writes nothing when the file
// already holds exactly those blocks.
func (s *HighlightStore) Save(file string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.changed && len(s.used) == len(s.stored) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".highlights-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	w.WriteString(storeMagic)
	w.Write(s.version[:])
	var n [binary.MaxVarintLen64]byte
	for k, b := range s.used {
		html, err := b.read()
		if err != nil {
			continue // left out: highlighted again next time
		}
		w.Write(k[:])
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(html)))])
		w.Write(html)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("highlight store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("highlight store: %w", err)
	}
	// The file this store read stays readable through its open handle.
	return os.Rename(tmp.Name(), file)
}

// Close lets go of the store's files; a nil store has none.
func (s *HighlightStore) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.file != nil {
		err = s.file.Close()
	}
	if s.made != nil {
		if cerr := s.made.Close(); err == nil {
			err = cerr
		}
	}
	s.file, s.made = nil, nil
	s.stored, s.used = map[[sha256.Size]byte]block{}, map[[sha256.Size]byte]block{}
	return err
}
