package mediastore_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/mediastore"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestSignerRefusesShortKeys(t *testing.T) {
	if _, err := mediastore.NewSigner([]byte("short"), "https://bot.example"); err == nil {
		t.Fatal("want an error for a short key")
	}
}

func TestVerify(t *testing.T) {
	s, err := mediastore.NewSigner(key, "https://bot.example/")
	if err != nil {
		t.Fatal(err)
	}
	link := s.URL("abc", time.Now().Add(time.Hour))
	if !strings.HasPrefix(link, "https://bot.example/media/abc?exp=") {
		t.Fatalf("link %q", link)
	}
	u, _ := url.Parse(link)
	exp, sig := u.Query().Get("exp"), u.Query().Get("sig")
	other, _ := mediastore.NewSigner(bytes.Repeat([]byte("k"), 32), "https://bot.example")
	otherLink, _ := url.Parse(other.URL("abc", time.Now().Add(time.Hour)))
	past, _ := url.Parse(s.URL("abc", time.Now().Add(-time.Second)))
	cases := []struct {
		name, id, exp, sig string
		ok                 bool
	}{
		{"valid", "abc", exp, sig, true},
		{"another file", "abd", exp, sig, false},
		{"expiry pushed back", "abc", exp + "0", sig, false},
		{"signed under another key", "abc", exp, otherLink.Query().Get("sig"), false},
		{"expired", "abc", past.Query().Get("exp"), past.Query().Get("sig"), false},
		{"no signature", "abc", exp, "", false},
		{"not hex", "abc", exp, "zz" + sig[2:], false},
		{"no expiry", "abc", "", sig, false},
		{"no id", "", exp, sig, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Verify(c.id, c.exp, c.sig)
			if (err == nil) != c.ok || (err != nil && !errors.Is(err, mediastore.ErrInvalidLink)) {
				t.Fatalf("err %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func TestDirAndHandler(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "media")
	files, err := mediastore.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := mediastore.NewSigner(key, "http://bot.local")
	ogg := []byte("OggS voice reply")
	live, err := files.Put(ctx, "whatsapp:+15551234567", ogg, "audio/ogg", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := files.Put(ctx, "whatsapp:+15551234567", ogg, "audio/ogg", time.Now().Add(-time.Minute))
	other, _ := files.Put(ctx, "whatsapp:+34600111222", ogg, "audio/ogg", time.Now().Add(time.Hour))
	h := mediastore.Handler(s, files)
	get := func(method, link string) *httptest.ResponseRecorder {
		u, _ := url.Parse(link)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, u.RequestURI(), nil))
		return rec
	}
	rec := get(http.MethodGet, s.URL(live, time.Now().Add(time.Hour)))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), ogg) || rec.Header().Get("Content-Type") != "audio/ogg" {
		t.Fatalf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	for name, link := range map[string]string{
		"link expired":         s.URL(live, time.Now().Add(-time.Second)),
		"file expired":         s.URL(expired, time.Now().Add(time.Hour)),
		"forged":               strings.Replace(s.URL(live, time.Now().Add(time.Hour)), "sig=", "sig=00", 1),
		"unknown id":           s.URL("0123456789abcdef0123456789abcdef", time.Now().Add(time.Hour)),
		"a path, signed":       s.URL("../mediastore_test.go", time.Now().Add(time.Hour)),
		"the description file": s.URL(live+".json", time.Now().Add(time.Hour)),
	} {
		if rec := get(http.MethodGet, link); rec.Code != 404 {
			t.Errorf("%s: status %d, want 404", name, rec.Code)
		}
	}
	if rec := get(http.MethodPost, s.URL(live, time.Now().Add(time.Hour))); rec.Code != 405 {
		t.Errorf("POST: status %d", rec.Code)
	}

	if n, err := files.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("Sweep removed %d (%v), want the expired file", n, err)
	}
	if err := files.DeleteThread(ctx, "whatsapp:+15551234567"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := files.Open(ctx, live); !errors.Is(err, mediastore.ErrNotFound) {
		t.Fatalf("after DeleteThread: %v", err)
	}
	if _, _, err := files.Open(ctx, other); err != nil {
		t.Fatalf("another thread's file: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 2 {
		t.Fatalf("files left %v, want the other thread's two", left)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", fi.Mode().Perm())
	}
}
