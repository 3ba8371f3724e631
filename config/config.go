// Package config reads Switchboard's configuration from the environment
// (and a .env file), validating every variable at start-up so a bad value
// stops the process with a message naming the variable.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the assistant's configuration. Unset variables take the
// embedded defaults: SQLite in the data directory, replies to the log.
type Config struct {
	// Addr is the listen address (ASSISTANT_ADDR).
	Addr string
	// DebugAddr, when set, serves Go's profiler (net/http/pprof) on a
	// listener of its own (DEBUG_ADDR), never on Addr: profiles expose
	// internals, so it is meant for a loopback address.
	DebugAddr string
	// DatabaseURL selects Postgres when set (DATABASE_URL); empty means the
	// embedded SQLite database in DataDir.
	DatabaseURL string
	// DataDir holds the embedded database and files (ASSISTANT_DATA_DIR).
	DataDir string
	// PublicURL is the base URL providers call (PUBLIC_URL).
	PublicURL string
	// Location is the time zone for dates in prompts and tools
	// (ASSISTANT_TIMEZONE).
	Location *time.Location
	// MaxIterations bounds chat⇄tools rounds per turn
	// (ASSISTANT_MAX_ITERATIONS).
	MaxIterations int
	// BurstWindow merges rapid messages of a thread into one turn
	// (BURST_WINDOW); 0 disables merging.
	BurstWindow time.Duration
	// BurstMaxWait caps how long a burst may hold a turn (BURST_MAX_WAIT).
	BurstMaxWait time.Duration
	// GymBurstWindow is the burst window of gym chats (GYM_BURST_WINDOW).
	GymBurstWindow time.Duration
	// GymChats lists the conversations run by the gym pipeline (GYM_CHATS):
	// group JIDs or thread ids.
	GymChats []string
	// Workers is how many threads run in parallel (WORKERS).
	Workers int
	// RateLimitPerMinute caps messages per sender per minute
	// (RATE_LIMIT_PER_MINUTE); 0 disables the limit.
	RateLimitPerMinute int
	// HistoryMessages bounds the messages sent to the model
	// (ASSISTANT_HISTORY_MESSAGES).
	HistoryMessages int
	// PromptsDir overrides embedded prompt templates (PROMPTS_DIR).
	PromptsDir string
	// FallbackReply is sent when the model fails (FALLBACK_REPLY).
	FallbackReply string
	// JobTimeout bounds one queue job (QUEUE_JOB_TIMEOUT); RescueAfter is
	// how soon a crashed process's jobs run again (QUEUE_RESCUE_AFTER).
	JobTimeout  time.Duration
	RescueAfter time.Duration
	// Durability is when the agent checkpoints a turn: "step" (after every
	// step, the default) or "exit" (once per turn) (ASSISTANT_DURABILITY).
	Durability string
	// PgBouncer turns off server-side prepared statements, for Postgres
	// behind PgBouncer in transaction mode (DATABASE_PGBOUNCER).
	PgBouncer bool
	// LogLevel is debug, info, warn or error (LOG_LEVEL).
	LogLevel string
	// LogMessageContent allows message bodies in logs
	// (LOG_MESSAGE_CONTENT).
	LogMessageContent bool
}

// Getenv looks a variable up; os.Getenv and a .env overlay both fit.
type Getenv func(string) string

// Load reads and validates the configuration. All problems are reported
// together, each naming its variable.
func Load(getenv Getenv) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		Addr:               p.str("ASSISTANT_ADDR", ":8080"),
		DebugAddr:          p.hostPort("DEBUG_ADDR"),
		DatabaseURL:        p.databaseURL("DATABASE_URL"),
		DataDir:            p.str("ASSISTANT_DATA_DIR", "./data"),
		PublicURL:          p.url("PUBLIC_URL", "http://localhost:8080"),
		Location:           p.location("ASSISTANT_TIMEZONE", "UTC"),
		MaxIterations:      p.intRange("ASSISTANT_MAX_ITERATIONS", 8, 1, 100),
		BurstWindow:        p.duration("BURST_WINDOW", 3*time.Second),
		BurstMaxWait:       p.duration("BURST_MAX_WAIT", 20*time.Second),
		GymBurstWindow:     p.duration("GYM_BURST_WINDOW", 7*time.Second),
		GymChats:           p.list("GYM_CHATS"),
		Workers:            p.intRange("WORKERS", 8, 1, 256),
		RateLimitPerMinute: p.intRange("RATE_LIMIT_PER_MINUTE", 20, 0, 10000),
		HistoryMessages:    p.intRange("ASSISTANT_HISTORY_MESSAGES", 40, 2, 10000),
		PromptsDir:         p.raw("PROMPTS_DIR"),
		FallbackReply:      p.raw("FALLBACK_REPLY"),
		JobTimeout:         p.duration("QUEUE_JOB_TIMEOUT", 25*time.Second),
		RescueAfter:        p.duration("QUEUE_RESCUE_AFTER", 30*time.Second),
		Durability:         p.oneOf("ASSISTANT_DURABILITY", "step", "step", "exit"),
		PgBouncer:          p.boolean("DATABASE_PGBOUNCER", false),
		LogLevel:           p.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		LogMessageContent:  p.boolean("LOG_MESSAGE_CONTENT", false),
	}
	if c.RescueAfter < c.JobTimeout {
		p.errs = append(p.errs, fmt.Errorf("QUEUE_RESCUE_AFTER=%s must not be shorter than QUEUE_JOB_TIMEOUT=%s", c.RescueAfter, c.JobTimeout))
	}
	if err := errors.Join(p.errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}

// UsesPostgres reports whether DATABASE_URL selects Postgres.
func (c Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// parser collects one error per bad variable.
type parser struct {
	getenv Getenv
	errs   []error
}

func (p *parser) raw(name string) string { return strings.TrimSpace(p.getenv(name)) }

func (p *parser) fail(name, v, why string) {
	p.errs = append(p.errs, fmt.Errorf("%s=%q: %s", name, v, why))
}

func (p *parser) str(name, def string) string {
	if v := p.raw(name); v != "" {
		return v
	}
	return def
}

// hostPort reads an optional host:port listen address.
func (p *parser) hostPort(name string) string {
	v := p.raw(name)
	if v == "" {
		return ""
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		p.fail(name, v, "want host:port, such as 127.0.0.1:6060")
		return ""
	}
	return v
}

func (p *parser) url(name, def string) string {
	v := p.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, v, "want an absolute http(s) URL such as https://bot.example.com")
		return def
	}
	return strings.TrimRight(v, "/")
}

func (p *parser) databaseURL(name string) string {
	v := p.raw(name)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// Never echo the value: it may hold a password.
		p.errs = append(p.errs, fmt.Errorf("%s: want a postgres:// URL (unset it to use the embedded SQLite database)", name))
		return ""
	}
	return v
}

func (p *parser) location(name, def string) *time.Location {
	v := p.str(name, def)
	loc, err := time.LoadLocation(v)
	if err != nil {
		p.fail(name, v, "want an IANA time zone such as Europe/Madrid")
		return time.UTC
	}
	return loc
}

func (p *parser) intRange(name string, def, lo, hi int) int {
	v := p.raw(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, v, fmt.Sprintf("want a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.raw(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		p.fail(name, v, "want a duration such as 3s or 500ms (0 disables)")
		return def
	}
	return d
}

func (p *parser) list(name string) []string {
	var out []string
	for _, v := range strings.Split(p.raw(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.raw(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, v, "want true or false")
		return def
	}
	return b
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, v, "want one of "+strings.Join(allowed, ", "))
	return def
}
