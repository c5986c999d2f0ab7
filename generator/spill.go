package generator

import (
	"bytes"
	"os"
	"slices"
	"sync/atomic"
	"unsafe"
)

// bodySpill keeps the rendered bodies of a build that streams its files
// in a temporary file until the pages and the print page have used them:
// on a large pack the bodies are a third of what a build holds at once,
// and each is read back twice, one page at a time.
type bodySpill struct {
	f   *os.File
	end atomic.Int64 // where the next body goes
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

// put writes body to the spill and says where it is; false when it
// could not be written, and the body stays in memory (its room in the
// file is left unused). Each body's room is taken first and written by
// offset, so the cores write their bodies at the same time: one after
// another under a lock, they waited for each other.
func (s *bodySpill) put(body []byte) (spilledBody, bool) {
	b := spilledBody{s.end.Add(int64(len(body))) - int64(len(body)), len(body)}
	n, err := s.f.WriteAt(body, b.at)
	return b, err == nil && n == len(body)
}

// getInto reads a body back into the room of buf rather than into bytes
// of its own (a streamed build reads a large pack's bodies back twice,
// half a gigabyte): the string shares buf, and is good until buf is used
// again.
func (s *bodySpill) getInto(b spilledBody, buf *bytes.Buffer) (string, error) {
	buf.Reset()
	buf.Grow(b.n)
	_, body, err := s.appendTo(b, buf.AvailableBuffer())
	return body, err
}

// appendTo reads a body back onto the end of buf and returns buf and the
// body, which shares buf's array: with room made beforehand, a run of
// bodies is read into one array, good until it is used again.
func (s *bodySpill) appendTo(b spilledBody, buf []byte) ([]byte, string, error) {
	if b.n == 0 {
		return buf, "", nil
	}
	start := len(buf)
	buf = slices.Grow(buf, b.n)[:start+b.n]
	if _, err := s.f.ReadAt(buf[start:], b.at); err != nil {
		return buf[:start], "", err
	}
	return buf, unsafe.String(&buf[start], b.n), nil
}

func (s *bodySpill) close() {
	if s != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
