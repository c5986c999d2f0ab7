package generator_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing/fstest"
)

// archive is a txtar archive: a comment, then files each introduced by a
// "-- name --" line. The format is the Go toolchain's script-test format.
type archive struct {
	Comment string
	Files   []archiveFile
}

type archiveFile struct {
	Name string
	Data []byte
}

// parseArchive parses a txtar archive.
func parseArchive(data []byte) *archive {
	a := &archive{}
	var cur *archiveFile
	var comment bytes.Buffer
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		trimmed := strings.TrimRight(string(line), "\r\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			a.Files = append(a.Files, archiveFile{Name: strings.TrimSpace(trimmed[3 : len(trimmed)-3])})
			cur = &a.Files[len(a.Files)-1]
			continue
		}
		if cur == nil {
			comment.Write(line)
		} else {
			cur.Data = append(cur.Data, line...)
		}
	}
	a.Comment = comment.String()
	return a
}

// format writes the archive back, for -update.
func (a *archive) format() []byte {
	var b bytes.Buffer
	b.WriteString(a.Comment)
	for _, f := range a.Files {
		b.WriteString("-- " + f.Name + " --\n")
		b.Write(f.Data)
		if len(f.Data) > 0 && f.Data[len(f.Data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// pack returns the archive's files outside want/ and grep/ as a file system.
func (a *archive) pack() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		// MapFS needs valid fs paths; a real directory cannot hold others.
		if strings.HasPrefix(f.Name, "want/") || strings.HasPrefix(f.Name, "grep/") || !fs.ValidPath(f.Name) {
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}
