// Package config reads Switchboard's configuration from the environment
// (and a .env file), validating every variable at start-up so a bad value
// stops the process with a message naming the variable.
package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/llm/provider"
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
	// MetricsAddr is where /metrics is served on a listener of its own
	// (METRICS_ADDR); "" (the value "off") serves it there not at all.
	MetricsAddr string
	// MetricsToken, when set, also serves /metrics on Addr to requests
	// carrying "Authorization: Bearer <token>" (METRICS_TOKEN).
	MetricsToken string
	// TrustedProxies are the IPs and CIDRs whose X-Forwarded-For is
	// believed for the logged client address (TRUSTED_PROXIES); empty
	// trusts none.
	TrustedProxies []string
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
	// LogFormat is "text", "json", or "auto" (the default): text when
	// the log goes to a terminal, JSON otherwise (LOG_FORMAT).
	LogFormat string
	// ConsolePassword is the console owner account's password
	// (CONSOLE_PASSWORD); empty leaves the console off.
	ConsolePassword string
	// LogMessageContent allows message bodies in logs
	// (LOG_MESSAGE_CONTENT).
	LogMessageContent bool

	// Each area's settings, read in the file of that area (channels.go,
	// tools.go, assistant.go). A new area adds a field and a file.

	// Assistant is who the assistant is and whom it serves.
	Assistant Assistant
	// Gym configures the gym pipeline.
	Gym Gym
	// Channels are the WhatsApp channels.
	Channels Channels
	// Tools are the built-in tools' backends.
	Tools Tools
	// Business is the front desk's (BUSINESS_FILE, BOOKING_REMINDER, ...).
	Business Business
	// Models are the language models' settings (LLM_*, OPENAI_*, ...);
	// provider.New builds the models from them.
	Models provider.Config
	// Lifecycle is retention and checkpoint pruning (RETENTION,
	// CHECKPOINT_RECENT_TURNS, MAINTENANCE_INTERVAL).
	Lifecycle Lifecycle
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
		MetricsAddr:        p.listenAddr("METRICS_ADDR", "127.0.0.1:9090"),
		MetricsToken:       p.secret("METRICS_TOKEN", 16),
		TrustedProxies:     p.proxies("TRUSTED_PROXIES"),
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
		LogFormat:          p.oneOf("LOG_FORMAT", "auto", "auto", "text", "json"),
		LogMessageContent:  p.boolean("LOG_MESSAGE_CONTENT", false),
		ConsolePassword:    p.secret("CONSOLE_PASSWORD", 8),
	}
	c.Assistant = p.assistant()
	c.Gym = p.gym()
	c.Channels = p.channels(c.PublicURL)
	c.Tools = p.tools(c.DataDir, c.Location)
	c.Business = p.business()
	c.Models = p.models()
	c.Lifecycle = p.lifecycle()
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
