package jsonhook_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
)

// FuzzDecode: Decode never panics, and what it accepts is within the
// limits: an id, a sender usable in a thread id, non-blank text.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		hello,
		`{"id":"1","from":"a","text":"hi"}`,
		`{"id":"1","from":"a","text":"hi","name":null}`,
		`{"id":1}`,
		`[]`,
		`{"id":"1","from":"a","text":"hi"} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := jsonhook.Decode(body)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if req.ID == "" || req.From == "" || strings.TrimSpace(req.Text) == "" {
			t.Fatalf("accepted %+v with a required field blank", req)
		}
		if utf8.RuneCountInString(req.Text) > jsonhook.MaxTextLength || len(req.ID) > 4*jsonhook.MaxIDLength ||
			len(req.From) > jsonhook.MaxFromLength || strings.ContainsAny(req.From, ": /") {
			t.Fatalf("accepted %+v outside the limits", req)
		}
	})
}
