package generator

import (
	"os"
	"sync"
)

// bodySpill keeps the rendered bodies of a build that streams its files
// in a temporary file until the pages and the print page have used them:
// on a large pack the bodies are a third of what a build holds at once,
// and each is read back twice, one page at a time.
type bodySpill struct {
	f   *os.File
	mu  sync.Mutex
	end int64
}

// spilledBody is where a body is in the spill.
type spilledBody struct {
	at int64
	n  int
}

// newBodySpill returns a spill, or nil when no temporary file can be made
// (the bodies then stay in memory).
func newBodySpill() *bodySpill {
	f, err := os.CreateTemp("", "govpack-bodies-*")
	if err != nil {
		return nil
	}
	return &bodySpill{f: f}
}

// put appends body and says where it is; false when it could not be
// written, and the body stays in memory.
func (s *bodySpill) put(body string) (spilledBody, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Sequential writes at the end, so the body is written without a
	// copy; reads go by offset (ReadAt) and do not move it.
	n, err := s.f.WriteString(body)
	b := spilledBody{s.end, len(body)}
	s.end += int64(n) // where the next one goes, even after a short write
	return b, err == nil && n == len(body)
}

func (s *bodySpill) get(b spilledBody) (string, error) {
	buf := make([]byte, b.n)
	if _, err := s.f.ReadAt(buf, b.at); err != nil {
		return "", err
	}
	return string(buf), nil
}

func (s *bodySpill) close() {
	if s != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
