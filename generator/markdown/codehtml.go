package markdown

import (
	"bytes"
	"strings"

	"github.com/alecthomas/chroma/v2"

	"govpack/generator/escape"
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
			escape.HTML(buf, t.Value)
			buf.WriteString(`</span>`)
		} else {
			escape.HTML(buf, t.Value)
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
