package markdown

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// writeCode writes the tokens of it as HTML: byte for byte what chroma's
// HTML formatter writes with classes and no other option (a pre, a span
// per line and per code line, a span per token that has a class). The
// formatter collects every token, splits them into lines, and makes two
// strings and three fmt calls per token; that was a fifth of highlighting.
func writeCode(buf *bytes.Buffer, it chroma.Iterator) {
	buf.WriteString(`<pre class="chroma"><code>`)
	var line []chroma.Token
	for t := it(); t != chroma.EOF; t = it() {
		for {
			i := strings.IndexByte(t.Value, '\n')
			if i < 0 {
				line = append(line, t)
				break
			}
			head := t
			head.Value = t.Value[:i+1]
			writeLine(buf, append(line, head))
			line = line[:0]
			if t.Value = t.Value[i+1:]; t.Value == "" {
				break // an empty tail is not a token of the next line
			}
		}
	}
	// The formatter drops a last line that holds one empty token.
	if len(line) > 0 && !(len(line) == 1 && line[0].Value == "") {
		writeLine(buf, line)
	}
	buf.WriteString(`</code></pre>`)
}

func writeLine(buf *bytes.Buffer, tokens []chroma.Token) {
	buf.WriteString(`<span class="line"><span class="cl">`)
	for _, t := range tokens {
		if cls := tokenClass(t.Type); cls != "" {
			buf.WriteString(`<span class="`)
			buf.WriteString(cls)
			buf.WriteString(`">`)
			writeEscaped(buf, t.Value)
			buf.WriteString(`</span>`)
		} else {
			writeEscaped(buf, t.Value)
		}
	}
	buf.WriteString(`</span></span>`)
}

// tokenClass is the class chroma gives a token type: its own, or that of
// the nearest type above it that has one.
func tokenClass(t chroma.TokenType) string {
	for ; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
	}
	return chroma.StandardTypes[0]
}

// escapedBytes are the bytes html.EscapeString replaces.
var escapedBytes = [256]bool{'&': true, '\'': true, '<': true, '>': true, '"': true}

// writeEscaped writes s escaped as html.EscapeString escapes it.
func writeEscaped(buf *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !escapedBytes[s[i]] {
			continue // most bytes: one load, where a switch took several branches
		}
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		buf.WriteString(s[last:i])
		buf.WriteString(esc)
		last = i + 1
	}
	buf.WriteString(s[last:])
}
