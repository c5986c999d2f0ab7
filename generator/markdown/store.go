package markdown

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
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
type HighlightStore struct {
	mu      sync.Mutex
	version [sha256.Size]byte
	stored  map[[sha256.Size]byte][]byte // read from the file
	used    map[[sha256.Size]byte][]byte // taken or made since
	changed bool                         // used differs from stored
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

// OpenHighlightStore reads the store in file. A missing, unreadable or
// damaged file, or one written by another version, gives an empty store:
// the store only ever saves work, so it never fails a build.
func OpenHighlightStore(file string) *HighlightStore {
	s := &HighlightStore{version: highlighterVersion(), stored: map[[sha256.Size]byte][]byte{}, used: map[[sha256.Size]byte][]byte{}}
	b, err := os.ReadFile(file)
	if err != nil {
		return s
	}
	if blocks, err := decodeStore(b, s.version); err == nil {
		s.stored = blocks
	}
	return s
}

// decodeStore reads a store file: the magic line, the version hash, then
// blocks of a key, a length and the HTML.
func decodeStore(b []byte, version [sha256.Size]byte) (map[[sha256.Size]byte][]byte, error) {
	rest, ok := bytes.CutPrefix(b, []byte(storeMagic))
	if !ok || len(rest) < sha256.Size || !bytes.Equal(rest[:sha256.Size], version[:]) {
		return nil, errors.New("not a store of this version")
	}
	rest = rest[sha256.Size:]
	blocks := map[[sha256.Size]byte][]byte{}
	for len(rest) > 0 {
		if len(rest) < sha256.Size {
			return nil, errors.New("truncated key")
		}
		key := [sha256.Size]byte(rest[:sha256.Size])
		rest = rest[sha256.Size:]
		n, size := binary.Uvarint(rest)
		if size <= 0 || n > uint64(len(rest)-size) {
			return nil, errors.New("truncated block")
		}
		rest = rest[size:]
		blocks[key] = rest[:n:n]
		rest = rest[n:]
	}
	return blocks, nil
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

// get returns the stored HTML of the code in lang.
func (s *HighlightStore) get(lang, code string) ([]byte, bool) {
	k := s.key(lang, code)
	s.mu.Lock()
	defer s.mu.Unlock()
	if html, ok := s.used[k]; ok {
		return html, true
	}
	html, ok := s.stored[k]
	if ok {
		s.used[k] = html
	}
	return html, ok
}

// put records the HTML of the code in lang.
func (s *HighlightStore) put(lang, code string, html []byte) {
	k := s.key(lang, code)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used[k] = html
	s.changed = true
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
	for k, html := range s.used {
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
	return os.Rename(tmp.Name(), file)
}
