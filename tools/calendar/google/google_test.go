package google_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/option"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/calendartest"
	"github.com/switchboardhq/switchboard/tools/calendar/google"
	"github.com/switchboardhq/switchboard/tools/calendar/google/googletest"
)

func newBackend(t testing.TB, srv *googletest.Server, ts oauth2.TokenSource) *google.Backend {
	t.Helper()
	loc, err := time.LoadLocation(calendartest.Zone)
	if err != nil {
		t.Fatal(err)
	}
	b, err := google.New(context.Background(), google.Config{Endpoint: srv.URL, Location: loc}, option.WithTokenSource(ts))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func valid() oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "valid-token", Expiry: time.Now().Add(time.Hour)})
}

func TestConformance(t *testing.T) {
	calendartest.Run(t, calendartest.Harness{
		New: func(t *testing.T) calendar.Backend { return newBackend(t, googletest.New(t), valid()) },
	})
}

func TestPagingAndNotifications(t *testing.T) {
	ctx := context.Background()
	srv := googletest.New(t)
	srv.SetPageSize(4)
	b := newBackend(t, srv, valid())
	start := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	var last calendar.Event
	for i := range 9 {
		s := start.Add(time.Duration(i) * time.Hour)
		e, err := b.Create(ctx, "", calendar.Event{Summary: fmt.Sprint("e", i), Start: s, End: s.Add(30 * time.Minute), Attendees: []string{"sarah@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		last = e
	}
	got, err := b.List(ctx, "", start, start.Add(24*time.Hour))
	if err != nil || len(got) != 9 {
		t.Fatalf("List = %d events, %v; want 9 across 3 pages", len(got), err)
	}
	last.Start = last.Start.Add(time.Hour)
	last.End = last.End.Add(time.Hour)
	if _, err := b.Update(ctx, "", last); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "", last.ID); err != nil {
		t.Fatal(err)
	}
	pages, sends := 0, map[string]string{}
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/events") {
			pages++
			if r.Query["singleEvents"][0] != "true" || r.Query["orderBy"][0] != "startTime" {
				t.Errorf("list query = %v", r.Query)
			}
		}
		if r.Method != "GET" {
			sends[r.Method] = strings.Join(r.Query["sendUpdates"], ",")
		}
	}
	if pages != 3 {
		t.Errorf("list made %d page requests, want 3 (page size 4, 9 events)", pages)
	}
	for _, m := range []string{"POST", "PATCH", "DELETE"} {
		if sends[m] != "all" {
			t.Errorf("%s sent sendUpdates=%q, want all", m, sends[m])
		}
	}
	if !b.NotifiesAttendees() {
		t.Error("the Google backend must report that it notifies attendees")
	}
}

// logBuffer collects log lines.
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestExpiredTokenTellsUserAndOperator(t *testing.T) {
	for _, tc := range []struct {
		name    string
		source  func(t *testing.T, srv *googletest.Server) oauth2.TokenSource
		breakIt func(srv *googletest.Server)
	}{
		{
			name:    "access token rejected with 401",
			source:  func(*testing.T, *googletest.Server) oauth2.TokenSource { return valid() },
			breakIt: (*googletest.Server).ExpireAccessTokens,
		},
		{
			name: "refresh token revoked",
			source: func(t *testing.T, srv *googletest.Server) oauth2.TokenSource {
				store := google.FileTokenStore{Path: filepath.Join(t.TempDir(), "token.json")}
				if err := store.Save(&oauth2.Token{AccessToken: "old", RefreshToken: "refresh-token", Expiry: time.Now().Add(-time.Hour)}); err != nil {
					t.Fatal(err)
				}
				cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL()}}
				return google.TokenSource(context.Background(), cfg, store, nil)
			},
			breakIt: (*googletest.Server).RevokeAll,
		},
		{
			name: "no token stored",
			source: func(t *testing.T, srv *googletest.Server) oauth2.TokenSource {
				cfg := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL()}}
				return google.TokenSource(context.Background(), cfg, google.FileTokenStore{Path: filepath.Join(t.TempDir(), "none.json")}, nil)
			},
			breakIt: func(*googletest.Server) {},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := googletest.New(t)
			b := newBackend(t, srv, tc.source(t, srv))
			tc.breakIt(srv)
			_, err := b.List(context.Background(), "", time.Now(), time.Now().Add(time.Hour))
			if !errors.Is(err, calendar.ErrAuth) {
				t.Fatalf("List = %v, want an error wrapping ErrAuth", err)
			}
			logger, logs := logBuffer()
			c, err := calendar.New(b, calendar.Options{Shared: true, Owners: []string{calendartest.Owner}, Logger: logger})
			if err != nil {
				t.Fatal(err)
			}
			msg := tools.Must(tools.NewSet(c.ToolsFor(calendartest.Owner)...)).RunOne(context.Background(),
				llm.ToolCall{ID: "1", Name: calendar.ToolList, Arguments: `{"from":"2026-04-01","to":"2026-04-02"}`})
			if !msg.IsError || !strings.Contains(msg.Content, "disconnected") || !strings.Contains(msg.Content, "reconnect") {
				t.Fatalf("the model was told %q", msg.Content)
			}
			if !strings.Contains(logs.String(), "run `assistant calendar auth`") || !strings.Contains(logs.String(), "level=ERROR") {
				t.Fatalf("operator log = %q", logs.String())
			}
		})
	}
}

func TestRefreshedTokenIsPersisted(t *testing.T) {
	ctx := context.Background()
	srv := googletest.New(t)
	path := filepath.Join(t.TempDir(), "token.json")
	store := google.FileTokenStore{Path: path}
	if err := store.Save(&oauth2.Token{AccessToken: "stale", RefreshToken: "refresh-token", Expiry: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL()}}
	b := newBackend(t, srv, google.TokenSource(ctx, cfg, store, nil))
	for range 3 {
		if _, err := b.List(ctx, "", time.Now(), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Issued(); n != 1 {
		t.Fatalf("the token endpoint issued %d tokens, want 1 (reuse until expiry)", n)
	}
	saved, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if saved.AccessToken != "access-1" || saved.RefreshToken != "refresh-token" || !saved.Expiry.After(time.Now()) {
		t.Fatalf("saved token = %+v, want the refreshed access token and the kept refresh token", saved)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
}

func TestUpdateKeepsAttendeeState(t *testing.T) {
	ctx := context.Background()
	srv := googletest.New(t)
	b := newBackend(t, srv, valid())
	start := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	e, err := b.Create(ctx, "", calendar.Event{Summary: "Review", Description: "agenda", Start: start, End: start.Add(time.Hour), Attendees: []string{"a@example.com", "b@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	e.Attendees = []string{"a@example.com"}
	e.Description = ""
	if _, err := b.Update(ctx, "", e); err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Event("primary", e.ID)
	raw, _ := json.Marshal(stored)
	var got struct {
		Description *string `json:"description"`
		Attendees   []struct {
			Email, ResponseStatus string
		}
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Description != nil && *got.Description != "" {
		t.Fatalf("description = %q, want cleared", *got.Description)
	}
	if len(got.Attendees) != 1 || got.Attendees[0].Email != "a@example.com" || got.Attendees[0].ResponseStatus != "needsAction" {
		t.Fatalf("attendees = %+v", got.Attendees)
	}
}

func Example() {
	// A stand-in for Google, and a backend on it.
	srv := googletest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	b, err := google.New(ctx, google.Config{Endpoint: srv.URL, CalendarID: "primary"},
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "valid-token"})))
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	e, err := b.Create(ctx, "", calendar.Event{Summary: "Meeting with Sarah", Start: start, End: start.Add(time.Hour), Attendees: []string{"sarah@example.com"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Summary, e.Start.Format(time.Kitchen), e.Attendees)
	// Output: Meeting with Sarah 3:00PM [sarah@example.com]
}
