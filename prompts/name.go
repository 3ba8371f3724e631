package prompts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes bounds a person's name as prompts show it. WhatsApp display
// names are chosen by whoever sends the message, so they are data: shown
// in quotes, on one line, without anything that could close the quotes or
// start a new instruction.
const MaxNameRunes = 40

// Name returns a sender-chosen name fit to quote in a prompt: control and
// invisible formatting characters (newlines, bidirectional overrides, zero
// widths) removed, quotes and backticks replaced by apostrophes, runs of
// spaces collapsed, cut to MaxNameRunes.
func Name(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		if n == MaxNameRunes {
			b.WriteString("…")
			break
		}
		switch {
		case unicode.IsSpace(r): // newlines included: the name stays on one line
			space = b.Len() > 0
			continue
		case r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case r == '"' || r == '`' || r == '“' || r == '”' || r == '«' || r == '»':
			r = '\''
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// quoteSafe keeps a quoted message from closing its triple quotes.
func quoteSafe(s string) string {
	return strings.ReplaceAll(s, `"""`, `"`)
}
