package setup_test

import (
	"context"
	"database/sql"
	"errors"
	"github.com/switchboardhq/switchboard/config"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/oauth2"
	_ "modernc.org/sqlite"

	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/google"
	"github.com/switchboardhq/switchboard/tools/calendar/google/googletest"
	"github.com/switchboardhq/switchboard/tools/calendar/setup"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	srv := googletest.New(t)
	tokenFile := filepath.Join(t.TempDir(), "token.json")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	googleEnv := map[string]string{
		"CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+1", "GOOGLE_OAUTH_CLIENT_ID": "id", "GOOGLE_OAUTH_CLIENT_SECRET": "s",
		"GOOGLE_OAUTH_TOKEN_URL": srv.TokenURL(), "GOOGLE_CALENDAR_ENDPOINT": srv.URL, "GOOGLE_TOKEN_FILE": tokenFile,
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		before  func()
		wantErr error
		owners  int // tools a stranger gets
	}{
		{name: "local", env: map[string]string{}, owners: 5},
		{name: "google before auth", env: googleEnv, wantErr: calendar.ErrAuth},
		{name: "google after auth", env: googleEnv, before: func() {
			if err := (google.FileTokenStore{Path: tokenFile}).Save(&oauth2.Token{RefreshToken: "refresh-token", Expiry: time.Now().Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before()
			}
			cfg, err := configFromEnv(func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			cal, err := setup.Open(ctx, cfg, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(cal.ToolsFor("whatsapp:+2")); n != tc.owners {
				t.Fatalf("a stranger gets %d tools, want %d", n, tc.owners)
			}
			_, err = cal.Backend().List(ctx, "whatsapp:+1", time.Now(), time.Now().Add(time.Hour))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("List = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// configFromEnv reads the calendar settings the way the assistant does: through
// the config package, the one reader of the environment.
func configFromEnv(getenv func(string) string) (calendar.Config, error) {
	c, err := config.Load(getenv)
	return c.Tools.Calendar, err
}
