package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/config"
)

func env(kv map[string]string) config.Getenv {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.UsesPostgres() || c.DataDir != "./data" || c.PublicURL != "http://localhost:8080" ||
		c.Location != time.UTC || c.MaxIterations != 8 || c.BurstWindow != 3*time.Second || c.LogLevel != "info" ||
		c.BurstMaxWait != 20*time.Second || c.GymBurstWindow != 7*time.Second || c.Workers != 8 ||
		c.RateLimitPerMinute != 20 || c.HistoryMessages != 40 || len(c.GymChats) != 0 || c.DebugAddr != "" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestValid(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"DATABASE_URL":             "postgres://u:p@localhost/db",
		"PUBLIC_URL":               "https://bot.example.com/",
		"ASSISTANT_TIMEZONE":       "Europe/Madrid",
		"ASSISTANT_MAX_ITERATIONS": "3",
		"BURST_WINDOW":             "0",
		"LOG_LEVEL":                "DEBUG",
		"GYM_CHATS":                " 120363012345678901@g.us, whatsapp:+15550001111 ,",
		"DEBUG_ADDR":               "127.0.0.1:6060",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.UsesPostgres() || c.PublicURL != "https://bot.example.com" || c.Location.String() != "Europe/Madrid" ||
		c.MaxIterations != 3 || c.BurstWindow != 0 || c.LogLevel != "debug" || c.DebugAddr != "127.0.0.1:6060" ||
		strings.Join(c.GymChats, "|") != "120363012345678901@g.us|whatsapp:+15550001111" {
		t.Fatalf("config = %+v", c)
	}
}

func TestInvalidNamesTheVariable(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"ASSISTANT_TIMEZONE", "Mars/Olympus", "IANA time zone"},
		{"ASSISTANT_MAX_ITERATIONS", "0", "from 1 to 100"},
		{"ASSISTANT_MAX_ITERATIONS", "many", "from 1 to 100"},
		{"BURST_WINDOW", "3 seconds", "duration"},
		{"PUBLIC_URL", "bot.example.com", "absolute http(s) URL"},
		{"LOG_LEVEL", "loud", "one of"},
		{"LOG_MESSAGE_CONTENT", "sometimes", "true or false"},
		{"DATABASE_URL", "mysql://secret@host/db", "postgres:// URL"},
		{"WORKERS", "0", "from 1 to 256"},
		{"RATE_LIMIT_PER_MINUTE", "-1", "from 0 to 10000"},
		{"BURST_MAX_WAIT", "soon", "duration"},
		{"DATABASE_PGBOUNCER", "enabled", "true or false"},
		{"ASSISTANT_DURABILITY", "sometimes", "one of step, exit"},
		{"QUEUE_RESCUE_AFTER", "10s", "must not be shorter than QUEUE_JOB_TIMEOUT"},
		{"DEBUG_ADDR", "6060", "host:port"},
		{"DEBUG_ADDR", "127.0.0.1:", "host:port"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.name: tc.value}))
			if err == nil || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s and say %q", err, tc.name, tc.want)
			}
			if tc.name == "DATABASE_URL" && strings.Contains(err.Error(), "secret") {
				t.Fatalf("error leaks the database URL: %v", err)
			}
		})
	}
	_, err := config.Load(env(map[string]string{"BURST_WINDOW": "x", "LOG_LEVEL": "y"}))
	if err == nil || !strings.Contains(err.Error(), "BURST_WINDOW") || !strings.Contains(err.Error(), "LOG_LEVEL") {
		t.Fatalf("err = %v, want both variables reported", err)
	}
}

func TestDotEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	content := "# comment\nASSISTANT_ADDR=:9090\nexport PUBLIC_URL=\"https://x.example.com\"\n\nLOG_LEVEL='warn'\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	get, err := config.WithDotEnv(path, env(map[string]string{"LOG_LEVEL": "error"}))
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(get)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" || c.PublicURL != "https://x.example.com" || c.LogLevel != "error" {
		t.Fatalf("config = %+v (the environment must win over .env)", c)
	}
	if _, err := config.WithDotEnv(filepath.Join(t.TempDir(), "missing"), env(nil)); err != nil {
		t.Fatalf("missing .env: %v", err)
	}
	bad := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(bad, []byte("NOEQUALS\n"), 0o600)
	if _, err := config.WithDotEnv(bad, env(nil)); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Fatalf("bad .env: %v", err)
	}
}

func TestLogFormat(t *testing.T) {
	for _, tc := range []struct{ set, want string }{{"", "auto"}, {"text", "text"}, {"JSON", "json"}} {
		c, err := config.Load(func(k string) string {
			if k == "LOG_FORMAT" {
				return tc.set
			}
			return ""
		})
		if err != nil || c.LogFormat != tc.want {
			t.Fatalf("LOG_FORMAT=%q: %q, %v", tc.set, c.LogFormat, err)
		}
	}
	if _, err := config.Load(func(k string) string {
		if k == "LOG_FORMAT" {
			return "xml"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "LOG_FORMAT") {
		t.Fatalf("LOG_FORMAT=xml: %v", err)
	}
}
