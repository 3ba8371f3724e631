package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/term"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/server"
	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

// serveOptions are test hooks.
type serveOptions struct {
	// ready receives the bound address once the server accepts connections.
	ready chan<- string
	// metricsReady receives the bound METRICS_ADDR, when it is on.
	metricsReady chan<- string
	// pollInterval overrides how often queue workers poll on SQLite.
	pollInterval time.Duration
	// nextSteps prints the next steps as for a person at a terminal.
	nextSteps bool
	// tick overrides how often the front desk looks for reminders due.
	tick time.Duration
	// tools are the program's own tools (Options.Tools).
	tools toolsFunc
}

// serve runs the HTTP server and the queue workers until ctx is done.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, opts *serveOptions) error {
	if opts == nil {
		opts = &serveOptions{}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	get, cfg, err := commandEnv(fs, args, getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	twcfg := cfg.Channels.Twilio
	if twcfg.SkipSignature {
		log.Warn("!!! TWILIO_SKIP_SIGNATURE=true: Twilio webhook signatures are NOT verified. Anyone can post messages. Use this for local development only. !!!")
	}

	a, err := newApp(ctx, cfg, get, log, opts.tools)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := migrateQueue(ctx, a.db); err != nil {
		return fmt.Errorf("queue migrations: %w", err)
	}

	reg := a.metrics
	llmSeconds := reg.Histogram("llm_seconds", "Latency of model calls, by role and outcome.", metrics.DefaultSeconds, "role", "outcome")
	health := &modelHealth{}
	// The model's tokens per day, for the console: counted in memory,
	// written every few seconds and once more on the way out (before the
	// database closes).
	usage := console.NewUsage(a.db.sql, cfg.Location)
	usageCtx, stopUsage := context.WithCancel(ctx)
	usageDone := make(chan struct{})
	go func() {
		defer close(usageDone)
		usage.Run(usageCtx, 10*time.Second, func(err error) { log.Warn("model usage not recorded; will retry", "err", err) })
	}()
	defer func() { stopUsage(); <-usageDone }()
	// Every model call is timed and its tokens counted, the gym
	// pipeline's too; the chat model's calls also tell the overview
	// whether the model answers.
	a.models.Chat = timedModel{Model: a.models.Chat, role: "chat", seconds: llmSeconds, health: health,
		usage: usage, name: a.models.ChatModel}
	a.models.Classify = timedModel{Model: a.models.Classify, role: "classify", seconds: llmSeconds, usage: usage, name: a.models.ClassifyModel}
	a.models.Vision = timedModel{Model: a.models.Vision, role: "vision", seconds: llmSeconds, usage: usage, name: a.models.VisionModel}
	ag, err := a.buildAgent(a.models.Chat)
	if err != nil {
		return err
	}
	twch, err := twilioChannel(twcfg, log)
	if err != nil {
		return err
	}
	evcfg := cfg.Channels.Evolution
	evch, evOn, err := evolutionChannel(evcfg)
	if err != nil {
		return err
	}
	isGym, err := evolution.MatchChats(cfg.GymChats)
	if err != nil {
		return fmt.Errorf("GYM_CHATS: %w", err)
	}
	gymFlow, err := a.gymFlow()
	if err != nil {
		return err
	}
	st, err := openStore(a.db, riverLogger(log))
	if err != nil {
		return err
	}
	runner := &flows.Runner{
		Store:          st,
		Gym:            gymFlow,
		Agent:          sourceFlow{ag},
		Channels:       map[string]flows.Channel{twilio.Channel: twch, evolution.Channel: evch},
		IsGym:          isGym,
		Transcriber:    a.models.Transcriber,
		BurstWindow:    cfg.BurstWindow,
		BurstMaxWait:   cfg.BurstMaxWait,
		GymBurstWindow: cfg.GymBurstWindow,
		LeaseTTL:       cfg.RescueAfter,
		RateLimit:      cfg.RateLimitPerMinute,
		Fallback:       cfg.FallbackReply,
		LogContent:     cfg.LogMessageContent,
		Logger:         log,
		Metrics:        flows.NewMetrics(reg),
		Desk:           a.deskOf(),
		Handoff:        a.handoffOf(),
		ChannelFor:     channelFor,
		OnFailed:       a.failed,
	}
	if a.notices != nil {
		a.notices.to = runner
	}
	eraser, err := privacy.NewEraser(a.db.sql, a.db.dialect, a.db.saver, st, privacy.WithFiles(voiceFiles(cfg.DataDir)))
	if err != nil {
		return err
	}
	runner.Eraser = eraser
	tasks, err := maintenanceTasks(a.db, cfg, log)
	if err != nil {
		return err
	}
	voice, err := newVoiceReplies(cfg)
	if err != nil {
		return err
	}
	if voice != nil {
		runner.Voice = voice.flows
		go voice.sweep(ctx, log)
	}
	work, err := newWorkers(a.db, runner, runner, queue.Settings{
		Workers: cfg.Workers,
		// SQLite has no LISTEN/NOTIFY, and PgBouncer in transaction mode
		// cannot carry it: poll there.
		PollOnly:     !cfg.UsesPostgres() || cfg.PgBouncer,
		PollInterval: opts.pollInterval,
		JobTimeout:   cfg.JobTimeout,
		RescueAfter:  cfg.RescueAfter,
		Logger:       riverLogger(log),
		Tasks:        append(append(tasks, heldRepliesTask(runner, log)), a.periodic(time.Now, opts.tick)...),
	})
	if err != nil {
		return err
	}
	reg.GaugeFunc("backlog_messages", "Inbound messages stored and not yet processed (queue depth).", func(ctx context.Context) (float64, error) {
		n, err := st.Backlog(ctx)
		return float64(n), err
	})
	webhookResults := reg.Counter("webhooks_total", "Webhook requests, by channel, route and result.", "channel", "route", "result")
	more, err := newMoreChannels(cfg.Channels, runner, st, log, func(channel, route, result string) {
		webhookResults.Inc(channel, route, result)
	})
	if err != nil {
		return err
	}
	more.addTo(runner.Channels)

	// Gin's mode is process-wide; the binary, not a library, picks it.
	gin.SetMode(gin.ReleaseMode)
	srv, err := server.New(server.Config{
		TrustedProxies: cfg.TrustedProxies,
		Ready:          a.db.ready,
		Metrics:        reg.Handler(),
		MetricsToken:   cfg.MetricsToken,
	})
	if err != nil {
		return fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	// The runner is the webhooks' inbox: it applies the inbound policy
	// (which chats are served) and stores the message (flows.Runner.Accept).
	tw := twilio.NewWebhook(twcfg, runner, st, log)
	tw.OnResult = func(route, result string) { webhookResults.Inc(twilio.Channel, route, result) }
	tw.Register(srv.Mux())
	if evOn {
		ev := evolution.NewWebhook(evcfg, runner, log)
		ev.OnResult = func(route, result string) { webhookResults.Inc(evolution.Channel, route, result) }
		ev.Register(srv.Mux())
	}
	more.register(srv)
	if voice != nil {
		voice.register(srv)
	}
	srv.Handle("GET /calendar.ics", a.calendar.FeedHandler())
	var biz console.Business
	if a.front != nil {
		biz = console.FrontDesk{Desk: a.front.desk}
	}
	cons, err := newConsole(ctx, a, ag, cfg.ConsolePassword, biz, usage, health.check())
	if err != nil {
		return err
	}
	if cons != nil {
		srv.Handle(console.Prefix+"/", cons)
		srv.Handle(console.Prefix, cons)
	}

	if err := work.Start(ctx); err != nil {
		return fmt.Errorf("start queue workers: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer cancel()
		if err := work.Stop(stopCtx); err != nil {
			log.Warn("stop queue workers", "err", err)
		}
	}()

	if cfg.DebugAddr != "" {
		stopDebug, err := serveDebug(ctx, cfg.DebugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen on METRICS_ADDR=%s: %w", cfg.MetricsAddr, err)
		}
		if !server.IsLoopback(mln) {
			log.Warn("METRICS_ADDR is not a loopback address: anyone who reaches it can read the metrics", "addr", mln.Addr().String())
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", reg.Handler())
		stopMetrics := server.Background(mln, mux, log)
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			stopMetrics(sctx)
		}()
		log.Info("metrics listening", "addr", mln.Addr().String(), "path", "/metrics")
		if opts.metricsReady != nil {
			opts.metricsReady <- mln.Addr().String()
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on ASSISTANT_ADDR=%s: %w", cfg.Addr, err)
	}
	hs := server.HTTPServer(srv, log)
	log.Info("assistant listening", append([]any{"addr", ln.Addr().String(), "public_url", cfg.PublicURL,
		"database", databaseKind(cfg), "timezone", cfg.Location.String()}, append(a.toolAttrs(),
		"twilio", twcfg.Enabled(), "evolution", evOn, "meta", cfg.Channels.Meta.Enabled(),
		"json_webhook", cfg.Channels.JSON.Enabled(), "voice_replies", cfg.Channels.Voice.Replies, "gym_chats", len(cfg.GymChats))...)...)
	if opts.nextSteps || forPeople(stderr, cfg.LogFormat) {
		var on []string
		for name, enabled := range map[string]bool{"evolution": evOn, "meta": cfg.Channels.Meta.Enabled(), "json": cfg.Channels.JSON.Enabled()} {
			if enabled {
				on = append(on, name)
			}
		}
		fmt.Fprint(stderr, nextSteps(startInfo{addr: ln.Addr().String(), consoleOn: cons != nil, modelOn: a.modelHint == "",
			twilioOn: twcfg.Enabled(), skipSignature: twcfg.SkipSignature, channels: on, logContent: cfg.LogMessageContent}))
	}
	if opts.ready != nil {
		opts.ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func databaseKind(cfg config.Config) string {
	if cfg.UsesPostgres() {
		return "postgres"
	}
	return "sqlite"
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // config.Load validated it
	opts := &slog.HandlerOptions{Level: l}
	if forPeople(w, format) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// forPeople reports whether a person reads the log written to w: LOG_FORMAT
// is text, or unset and w a terminal.
func forPeople(w io.Writer, format string) bool {
	return format == "text" || (format != "json" && isTerminal(w))
}

// isTerminal reports whether w is a terminal: a person reads the log
// there, while a file or a pipe feeds a log collector that wants JSON.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// riverLogger quiets River's routine logs: its warnings and errors are
// what an operator needs.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn}).With("component", "river")
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(as []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(as), h.min}
}

func (h levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(name), h.min}
}
