package cli

import (
	"regexp"
	"strings"
	"testing"
)

// unmasked finds what a phone number or a group id looks like when it is
// not masked: a "+" and 7 or more digits, or a group JID's 7 or more
// digits before its "@" (masked ids keep at most 4 digits in a row).
var unmasked = regexp.MustCompile(`\+\d{7,}|\d{7,}(-\d+)?@`)

// unmaskedLines returns the log lines that carry an unmasked number.
func unmaskedLines(logs string) []string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if unmasked.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}

// checkLogsMasked fails the test for each log line of the server that
// carries an unmasked number: the README promises none does.
func checkLogsMasked(t *testing.T, logs string) {
	t.Helper()
	for _, line := range unmaskedLines(logs) {
		t.Errorf("log line with an unmasked number: %s", line)
	}
}

func TestUnmaskedLines(t *testing.T) {
	tests := []struct {
		line string
		leak bool
	}{
		{`{"msg":"turn answered","thread":"whatsapp:+1555***4567"}`, false},
		{`{"msg":"x","thread":"whatsapp:1203***8901@g.us"}`, false},
		{`{"msg":"x","time":"2026-12-06T16:00:00.1234567Z","duration_ms":1234567}`, false},
		{`{"msg":"x","thread":"whatsapp:+15551234567"}`, true},
		{`{"msg":"x","err":"graph: save thread whatsapp:+15551234567: boom"}`, true},
		{`{"msg":"x","to":"+15551234567"}`, true},
		{`{"msg":"x","thread":"whatsapp:120363012345678901@g.us"}`, true},
		{`{"msg":"x","member":"15551234567-1600000000@g.us"}`, true},
		{`{"msg":"x","member":"15551234567@s.whatsapp.net"}`, true},
	}
	for _, tt := range tests {
		if got := len(unmaskedLines(tt.line)) == 1; got != tt.leak {
			t.Errorf("leak in %s = %v, want %v", tt.line, got, tt.leak)
		}
	}
}
