package evolution_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks"
	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
)

func TestSender(t *testing.T) {
	fake := evolutiontest.NewServer(t, instance, apiKey)
	s, err := evolution.NewSender(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		to, number string
	}{
		{group, group},
		{"whatsapp:120363012345678901@g.us", group},
		{member, member},
		{"whatsapp:+15551234567", "15551234567"},
		{"+447700900123", "447700900123"},
	}
	for _, tc := range tests {
		id, err := s.Send(ctx, tc.to, "hi there")
		if err != nil {
			t.Fatalf("Send(%q): %v", tc.to, err)
		}
		got := fake.Messages()
		last := got[len(got)-1]
		if last.ID != id || last.Number != tc.number || last.Text != "hi there" {
			t.Fatalf("Send(%q) sent %+v, returned %q", tc.to, last, id)
		}
	}
}

func TestSendVoice(t *testing.T) {
	fake := evolutiontest.NewServer(t, instance, apiKey)
	s, err := evolution.NewSender(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ogg := append([]byte("OggS"), bytes.Repeat([]byte{7}, 300)...)
	id, err := s.SendVoice(ctx, "whatsapp:+15551234567", webhooks.VoiceNote{Audio: ogg, ContentType: "audio/ogg"})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].ID != id || got[0].Number != "15551234567" || !bytes.Equal(got[0].Audio, ogg) || got[0].Text != "" {
		t.Fatalf("sent %+v, returned %q", got, id)
	}
	for _, c := range []struct {
		to    string
		audio []byte
	}{{"whatsapp:+1555x", ogg}, {member, nil}} {
		var se *evolution.SendError
		if _, err := s.SendVoice(ctx, c.to, webhooks.VoiceNote{Audio: c.audio}); !errors.As(err, &se) || !se.Permanent {
			t.Fatalf("SendVoice(%q, %d bytes): %v, want a permanent SendError", c.to, len(c.audio), err)
		}
	}
	fake.SetFailure(func(int, string, string) *evolutiontest.Failure { return &evolutiontest.Failure{Status: 503} })
	var se *evolution.SendError
	if _, err := s.SendVoice(ctx, member, webhooks.VoiceNote{Audio: ogg}); !errors.As(err, &se) || se.Permanent || se.Status != 503 {
		t.Fatalf("a 503: %v, want a transient SendError", err)
	}
}

func TestSenderFailures(t *testing.T) {
	fake := evolutiontest.NewServer(t, instance, apiKey)
	s, err := evolution.NewSender(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name      string
		failure   evolutiontest.Failure
		permanent bool
		reason    string
	}{
		{"not on WhatsApp", evolutiontest.Failure{NotOnWhatsApp: true}, true, "not on WhatsApp"},
		{"bad request", evolutiontest.Failure{Status: 400, Message: "Invalid number"}, true, "Invalid number"},
		{"not found", evolutiontest.Failure{Status: 404}, true, "Not Found"},
		{"rate limited", evolutiontest.Failure{Status: 429}, false, "Too Many Requests"},
		{"timeout", evolutiontest.Failure{Status: 408}, false, "Request Timeout"},
		{"server error", evolutiontest.Failure{Status: 500, Message: "Connection Closed"}, false, "Connection Closed"},
		{"unavailable", evolutiontest.Failure{Status: 503}, false, "Service Unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake.SetFailure(func(int, string, string) *evolutiontest.Failure { return &tc.failure })
			_, err := s.Send(ctx, member, "x")
			var se *evolution.SendError
			if !errors.As(err, &se) || se.Permanent != tc.permanent || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("err = %v, want a SendError permanent=%v mentioning %q", err, tc.permanent, tc.reason)
			}
			if strings.Contains(err.Error(), "5551234567") {
				t.Fatalf("error reveals the number: %v", err)
			}
		})
	}
	fake.SetFailure(nil)

	t.Run("wrong key", func(t *testing.T) {
		c := fake.Config()
		c.APIKey = "wrong"
		s, _ := evolution.NewSender(c)
		var se *evolution.SendError
		if _, err := s.Send(ctx, member, "x"); !errors.As(err, &se) || !se.Permanent || se.Status != 401 {
			t.Fatalf("err = %v, want a permanent 401", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		c := fake.Config()
		c.URL = "http://127.0.0.1:1"
		s, _ := evolution.NewSender(c)
		var se *evolution.SendError
		if _, err := s.Send(ctx, member, "x"); !errors.As(err, &se) || se.Permanent {
			t.Fatalf("err = %v, want a transient SendError", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		release := fake.Hold()
		defer release()
		ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		var se *evolution.SendError
		if _, err := s.Send(ctx, member, "x"); !errors.As(err, &se) || se.Permanent || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a transient SendError wrapping the deadline", err)
		}
	})
	t.Run("bad recipient", func(t *testing.T) {
		var se *evolution.SendError
		if _, err := s.Send(ctx, "whatsapp:call-me", "x"); !errors.As(err, &se) || !se.Permanent {
			t.Fatalf("err = %v, want a permanent SendError", err)
		}
	})
	t.Run("redirect is not followed", func(t *testing.T) {
		var leaked atomic.Bool
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			leaked.Store(r.Header.Get("apikey") != "")
		}))
		defer other.Close()
		redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
		}))
		defer redirect.Close()
		c := fake.Config()
		c.URL = redirect.URL
		s, _ := evolution.NewSender(c)
		if _, err := s.Send(ctx, member, "x"); err == nil || leaked.Load() {
			t.Fatalf("err = %v, key sent elsewhere: %v", err, leaked.Load())
		}
	})
	if _, err := evolution.NewSender(evolution.Config{}); err == nil {
		t.Fatal("NewSender accepted an empty config")
	}
}

func TestSplitFitsMaxMessageLength(t *testing.T) {
	long := strings.Repeat("Sets, reps and rest. ", 600) // ~12,600 chars
	parts := webhooks.Split(long, evolution.MaxMessageLength)
	if len(parts) != 4 {
		t.Fatalf("%d parts, want 4", len(parts))
	}
}

func TestMediaFetcher(t *testing.T) {
	fake := evolutiontest.NewServer(t, instance, apiKey)
	f := evolution.NewMediaFetcher(fake.Config())
	ctx := context.Background()
	voice := fake.AddMedia("3A0F1C2D3E4F", "audio/ogg; codecs=opus", []byte("OggS-fake-voice"))
	if voice != "evolution://gym-bot/3A0F1C2D3E4F" {
		t.Fatalf("media URL = %q", voice)
	}
	data, ct, err := f.Fetch(ctx, voice)
	if err != nil || string(data) != "OggS-fake-voice" || ct != "audio/ogg; codecs=opus" {
		t.Fatalf("Fetch = %q %q %v", data, ct, err)
	}
	big := fake.AddMedia("BIG", "video/mp4", bytes.Repeat([]byte("x"), evolution.MaxMediaBytes+10))
	exact := fake.AddMedia("EXACT", "image/jpeg", bytes.Repeat([]byte("y"), evolution.MaxMediaBytes))

	tests := []struct {
		name string
		url  string
		want error // nil: any error
	}{
		{"https URL", "https://mmg.whatsapp.net/v/t62.7117-24/1234.enc", evolution.ErrNotMediaURL},
		{"file URL", "file:///etc/passwd", evolution.ErrNotMediaURL},
		{"other instance", evolution.MediaURL("someone-else", "3A0F1C2D3E4F"), evolution.ErrNotMediaURL},
		{"no id", "evolution://gym-bot/", evolution.ErrNotMediaURL},
		{"extra path", "evolution://gym-bot/a/b", evolution.ErrNotMediaURL},
		{"unknown message", evolution.MediaURL(instance, "NOPE"), nil},
		{"too large", big, evolution.ErrMediaTooLarge},
	}
	calls := fake.MediaCalls()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := f.Fetch(ctx, tc.url)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("Fetch(%q) = %v, want %v", tc.url, err, tc.want)
			}
		})
	}
	if got := fake.MediaCalls() - calls; got != 2 {
		t.Fatalf("%d calls reached the API, want 2 (only this instance's URLs)", got)
	}
	if data, _, err := f.Fetch(ctx, exact); err != nil || len(data) != evolution.MaxMediaBytes {
		t.Fatalf("16 MB exactly: %d bytes, %v", len(data), err)
	}
	c := fake.Config()
	c.APIKey = "wrong"
	if _, _, err := evolution.NewMediaFetcher(c).Fetch(ctx, voice); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestMediaFetcherAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		data   string
		reason string
	}{
		{"ok 200", 200, `{"mediaType":"imageMessage","mimetype":"image/png","base64":"` + base64.StdEncoding.EncodeToString([]byte("PNG")) + `"}`, "PNG", ""},
		{"data URL", 201, `{"mimetype":"image/png","base64":"data:image/png;base64,` + base64.StdEncoding.EncodeToString([]byte("PNG")) + `"}`, "PNG", ""},
		{"bad base64", 201, `{"mimetype":"image/png","base64":"***"}`, "", "base64"},
		{"no base64", 201, `{"mimetype":"image/png"}`, "", "without base64"},
		{"not JSON", 201, `<html>`, "", "unreadable"},
		{"error", 400, `{"status":400,"error":"Bad Request","response":{"message":["Error: Message not found"]}}`, "", "Message not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var in struct {
					Message struct {
						Key struct{ ID string } `json:"key"`
					} `json:"message"`
				}
				if r.URL.Path != "/chat/getBase64FromMediaMessage/"+instance || r.Header.Get("apikey") != apiKey ||
					json.NewDecoder(r.Body).Decode(&in) != nil || in.Message.Key.ID != "M1" {
					http.Error(w, "bad call", http.StatusTeapot)
					return
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			f := evolution.NewMediaFetcher(evolution.Config{URL: srv.URL, APIKey: apiKey, Instance: instance})
			data, _, err := f.Fetch(context.Background(), evolution.MediaURL(instance, "M1"))
			if tc.reason == "" && (err != nil || string(data) != tc.data) {
				t.Fatalf("Fetch = %q, %v", data, err)
			}
			if tc.reason != "" && (err == nil || !strings.Contains(err.Error(), tc.reason)) {
				t.Fatalf("Fetch error = %v, want one mentioning %q", err, tc.reason)
			}
		})
	}
}

func TestMediaURLRoundTrip(t *testing.T) {
	for _, tc := range []struct{ instance, id string }{
		{"gym-bot", "3EB0C767D71D3A3B2D"},
		{"My Instance", "id with/slash?"},
		{"ünï", "ABC"},
	} {
		u := evolution.MediaURL(tc.instance, tc.id)
		inst, id, err := evolution.ParseMediaURL(u)
		if err != nil || inst != tc.instance || id != tc.id {
			t.Fatalf("ParseMediaURL(%q) = %q %q %v", u, inst, id, err)
		}
	}
}

func TestMatchChats(t *testing.T) {
	match, err := evolution.MatchChats([]string{" 120363012345678901@g.us", "whatsapp:+1 555 000 1111", "", "+447700900123"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		thread string
		want   bool
	}{
		{"whatsapp:120363012345678901@g.us", true},
		{"120363012345678901@g.us", true},
		{"whatsapp:+15550001111", true},
		{"15550001111@s.whatsapp.net", true},
		{"whatsapp:+447700900123", true},
		{"whatsapp:120363999999999999@g.us", false},
		{"whatsapp:+15550002222", false},
		{"", false},
		{"garbage", false},
	}
	for _, tc := range tests {
		if got := match(tc.thread); got != tc.want {
			t.Errorf("match(%q) = %v, want %v", tc.thread, got, tc.want)
		}
	}
	match, err = evolution.MatchChats([]string{"gym group", "120363012345678901@g.us"})
	if err == nil || !strings.Contains(err.Error(), `"gym group"`) || !match("whatsapp:120363012345678901@g.us") {
		t.Fatalf("bad entry: err = %v; the valid entry must still match", err)
	}
}

func ExampleMatchChats() {
	isGym, err := evolution.MatchChats([]string{"120363012345678901@g.us", "whatsapp:+15550001111"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(isGym("whatsapp:120363012345678901@g.us"))
	fmt.Println(isGym("whatsapp:+15550001111"))
	fmt.Println(isGym("whatsapp:+15559999999"))
	// Output:
	// true
	// true
	// false
}

func ExampleMediaURL() {
	u := evolution.MediaURL("gym-bot", "3EB0C767D71D3A3B2D")
	fmt.Println(u)
	inst, id, _ := evolution.ParseMediaURL(u)
	fmt.Println(inst, id)
	// Output:
	// evolution://gym-bot/3EB0C767D71D3A3B2D
	// gym-bot 3EB0C767D71D3A3B2D
}

func ExampleNumber() {
	for _, to := range []string{"120363012345678901@g.us", "whatsapp:+15551234567", "15551234567@s.whatsapp.net"} {
		n, _ := evolution.Number(to)
		fmt.Println(n)
	}
	// Output:
	// 120363012345678901@g.us
	// 15551234567
	// 15551234567@s.whatsapp.net
}
