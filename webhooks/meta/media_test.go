package meta_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// tokenSpy is a server that records whether the access token reached it.
type tokenSpy struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newTokenSpy(t *testing.T) *tokenSpy {
	s := &tokenSpy{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.got = append(s.got, r.Header.Get("Authorization"))
		s.mu.Unlock()
		_, _ = w.Write([]byte("stolen?"))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *tokenSpy) calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func TestFetchMedia(t *testing.T) {
	_, fake := newSender(t, "v23.0")
	f := meta.NewMediaFetcher(meta.Config{AccessToken: testToken, PhoneNumberID: testNumberID, GraphURL: fake.URL, GraphVersion: "v23.0"})
	ogg := append([]byte("OggS\x00\x02"), bytes.Repeat([]byte{1}, 200)...)
	fake.AddMedia("1003383421387256", "audio/ogg", ogg)
	fake.AddMedia("sniffed", "", []byte("\x89PNG\r\n\x1a\n"+string(make([]byte, 50))))
	ctx := context.Background()

	data, ct, err := f.Fetch(ctx, meta.MediaURL("1003383421387256"))
	if err != nil || !bytes.Equal(data, ogg) || ct != "audio/ogg" {
		t.Fatalf("got %d bytes %q, %v", len(data), ct, err)
	}
	if _, ct, err := f.Fetch(ctx, meta.MediaURL("sniffed")); err != nil || ct != "image/png" {
		t.Fatalf("content type %q (%v), want the sniffed image/png", ct, err)
	}
	if _, _, err := f.Fetch(ctx, meta.MediaURL("missing")); err == nil {
		t.Fatal("want an error for unknown media")
	}
	if _, _, err := f.Fetch(ctx, "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"); !errors.Is(err, meta.ErrNotMediaURL) {
		t.Fatalf("err %v, want ErrNotMediaURL: only meta:// URLs the webhook made are fetched", err)
	}
}

// TestFetchMediaNeverLeaksTheToken: a media URL on another host (or plain
// HTTP to Meta's media host) is refused before any request, and a redirect
// from the Graph API to another host is not followed.
func TestFetchMediaNeverLeaksTheToken(t *testing.T) {
	_, fake := newSender(t, "v23.0")
	spy := newTokenSpy(t)
	f := meta.NewMediaFetcher(meta.Config{AccessToken: testToken, PhoneNumberID: testNumberID, GraphURL: fake.URL, GraphVersion: "v23.0"})
	cases := map[string]string{
		"another host":         spy.URL + "/media.ogg",
		"media host over http": "http://" + meta.MediaHost + "/x",
		"media host, odd port": "https://" + meta.MediaHost + ":8443/x",
		"look-alike host":      "https://" + meta.MediaHost + ".evil.example/x",
		"userinfo trick":       "https://" + meta.MediaHost + "@evil.example/x",
		"not a URL":            "::",
	}
	for name, u := range cases {
		t.Run(name, func(t *testing.T) {
			fake.AddMedia("m", "audio/ogg", []byte("OggS"))
			fake.SetMediaURL("m", u)
			if _, _, err := f.Fetch(context.Background(), meta.MediaURL("m")); !errors.Is(err, meta.ErrUntrustedMediaHost) {
				t.Fatalf("err %v, want ErrUntrustedMediaHost", err)
			}
		})
	}
	t.Run("redirect to another host", func(t *testing.T) {
		redirector := httptest.NewServer(http.RedirectHandler(spy.URL+"/x", http.StatusFound))
		defer redirector.Close()
		f := meta.NewMediaFetcher(meta.Config{AccessToken: testToken, PhoneNumberID: testNumberID, GraphURL: redirector.URL})
		if _, _, err := f.Fetch(context.Background(), meta.MediaURL("m")); err == nil {
			t.Fatal("want an error")
		}
	})
	if calls := spy.calls(); len(calls) != 0 {
		t.Fatalf("the other host was called %d times (%q)", len(calls), calls)
	}
}

func TestFetchMediaTooLarge(t *testing.T) {
	_, fake := newSender(t, "v23.0")
	f := meta.NewMediaFetcher(meta.Config{AccessToken: testToken, PhoneNumberID: testNumberID, GraphURL: fake.URL, GraphVersion: "v23.0"})
	fake.AddMedia("big", "video/mp4", make([]byte, meta.MaxMediaBytes+1))
	if _, _, err := f.Fetch(context.Background(), meta.MediaURL("big")); !errors.Is(err, meta.ErrMediaTooLarge) {
		t.Fatalf("err %v, want ErrMediaTooLarge", err)
	}
}
