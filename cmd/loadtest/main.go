// Command loadtest measures the assistant end to end on loopback: signed
// Twilio (or WhatsApp Cloud API) webhooks in, replies out through a fake
// Twilio (or Graph API), answers from a zero-latency fake model. It starts everything it needs and stops by
// itself; request counts and durations are bounded.
//
// # Usage
//
// Run it from the repository (it builds cmd/assistant with `go build` into
// a temporary directory unless -assistant names a binary):
//
//	scripts/with-postgres.sh go run ./cmd/loadtest -mode both
//	go run ./cmd/loadtest -sqlite -mode e2e
//
// The database is PostgreSQL at -database-url (default TEST_DATABASE_URL),
// which must be on loopback (127.0.0.1, ::1, localhost or a Unix socket);
// each run creates a fresh database there and drops it afterwards
// (-fresh-db=false uses the URL's database as it is). -sqlite uses the
// embedded SQLite database in a temporary directory instead.
//
// For each mode the tool starts its own fake Twilio Messages API, fake
// Graph API and fake OpenAI-compatible chat-completions server on
// 127.0.0.1, then
// `assistant serve` with BURST_WINDOW=0 and RATE_LIMIT_PER_MINUTE=0 pointed
// at them, and stops all three at the end.
//
// Every inbound Body carries a marker, "[lt-42]"; the fake model answers
// "echo" and the markers of the user messages it was given since the last
// answer, so the fake Twilio knows which inbound message each reply answers.
//
// # Modes
//
// ack (-n, -threads, -c, -dup): sends -n signed webhooks from -threads
// distinct senders at concurrency -c, each with a unique MessageSid, plus a
// fraction -dup of deliberate duplicate deliveries (the same MessageSid,
// body and signature re-sent shortly after, sometimes while the original is
// still in flight). All requests are built and signed before the clock
// starts, as raw HTTP/1.1 bytes that each of the -c workers writes on a
// keep-alive connection of its own: the tool shares the cores with the
// server it measures, so it spends as little CPU per request as it can. By default the loop is closed: each of the -c connections sends
// again as soon as it is answered, so the rate is what the server sustains
// and latency is about c / rate (Little's law). With -rate R it is open:
// deliveries are scheduled R per second (at most -c in flight) and latency
// counts from the scheduled time, so a server that falls behind shows as
// growing latency, not as a lower rate. It reports acknowledgements per
// second, ack latency percentiles and non-200 answers; then it waits (at
// most -drain) until every unique message has been answered and a further
// -settle for late extras, and reports lost messages (never answered),
// duplicated ones (answered more than once), and merged replies (one reply
// answering several messages of a thread, which BURST_WINDOW=0 should not
// produce: reported, not failed).
//
// e2e (-turns, -e2e-threads, -e2e-c, -gap): runs turns one at a time (or
// -e2e-c at a time, each worker on its own threads) and measures per turn
// the time from the start of the webhook POST to the fake Twilio receiving
// the reply, minus the time the fake model spent answering; the first
// -warmup turns are not counted. It also splits the turn into ack, webhook
// → model request, model time, and model answer → outbound send. -gap
// pauses a worker between a reply and its next turn: the queue's fetch
// and notification throttles (see BENCHMARKS.md) make back-to-back turns
// slower than spaced ones.
//
// -channel picks the webhook the ack mode loads: twilio (the default) or
// meta (POST /webhooks/meta, each delivery one Cloud API text message in
// Meta's documented shape, signed with X-Hub-Signature-256; replies go
// through the fake Graph API). A list runs each in turn, each against a
// fresh assistant and database: -channel twilio,meta,twilio,meta compares
// the two in one sitting, interleaved, as a shared machine needs. The e2e
// mode always measures Twilio turns.
//
// both: ack, then e2e, each against a fresh assistant and database.
//
// chaos (-n, -threads, -c, -dup, -kills, -pg-restarts, -send-fail,
// -processes; not part of both): the ack plan while the assistant is
// killed with SIGKILL -kills times and restarted on the same address, and
// the PostgreSQL server is crashed and restarted -pg-restarts times by the
// -pg-restart executable (WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh
// makes a durable cluster of its own and provides one), with -send-fail of the fake
// Twilio's sends failing with a 500 and, with -processes 2, a second
// `assistant serve` on the same PostgreSQL database that is never killed.
// Deliveries not answered 200 are re-sent until they are. -model-fail makes
// the fake model fail that fraction of its calls (a 500, a call hanging
// past the assistant's LLM_TIMEOUT, a tool call with broken arguments): a
// message must then be answered with a reply or the fallback, which the
// fake Twilio recognises (the tool sets FALLBACK_REPLY) and counts apart.
// -workouts makes that fraction of each thread's messages ask for a
// workout, which the fake model logs with the assistant's log_workout
// tool; on PostgreSQL the workouts table must then hold each exactly once.
// It reports
// messages acknowledged, answered, lost, duplicated and answered out of
// order, and for each kill how long until the process was ready again and
// until every message acknowledged before the kill was answered (see
// chaos.go; `make chaos` runs the configurations of RELIABILITY.md).
//
// flood (-flood, -flood-senders, -flood-turns, -flood-gap, -flood-runs, -c):
// -flood-senders senders talk normally while one more posts -flood
// messages at concurrency -c, alternating with calm runs without it; the
// others' p95 reply time with the flood must stay within twice the calm
// one's (see flood.go).
//
// Both modes report the CPU time the assistant, the PostgreSQL server (its
// postmaster and backends) and the tool itself used per delivery or turn,
// and how busy the whole machine was, read from /proc on Linux: on a shared
// machine the share used by other processes is printed, so a noisy run
// shows as one. The assistant's own counters (/metrics) are printed too.
//
// # Output and exit status
//
// A plain summary on stdout, with the targets of the Speed section checked
// (≥ 2,000 acks/s and p99 ack < 20 ms at concurrency 64; runtime overhead
// p50 < 5 ms). The assistant's log goes to -log (default: a file in the
// temporary directory, removed at the end). The exit status is 1 when a
// message was lost or duplicated, or a webhook was not answered 200; 2 when
// the tool could not run; 0 otherwise (a missed speed target is reported,
// not failed: on a shared machine other load can miss it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the command-line settings.
type options struct {
	mode        string
	assistant   string
	databaseURL string
	sqlite      bool
	freshDB     bool
	workers     int
	logLevel    string
	extraEnv    envFlag
	logPath     string
	timeout     time.Duration
	channels    []string

	// ack
	n           int
	threads     int
	concurrency int
	dup         float64
	rate        float64
	maxSend     time.Duration
	drain       time.Duration
	settle      time.Duration

	// e2e
	turns      int
	warmup     int
	e2eThreads int
	e2eC       int
	gap        time.Duration

	// chaos
	kills    int
	sendFail float64
	// modelDelay is how long each fake model call takes.
	modelDelay time.Duration
	// debugAddr is the assistant's DEBUG_ADDR, for profiles of a run.
	debugAddr  string
	processes  int
	pgRestarts int
	pgRestart  string
	pgDown     time.Duration
	modelFail  float64
	workouts   float64

	// flood
	flood        int
	floodSenders int
	floodTurns   int
	floodGap     time.Duration
	floodRuns    int
	// floodResult receives each flood-mode run's result.
	floodResult func(floodResult)
}

// failure is the error of a run that measured but found messages lost,
// duplicated or refused.
type failure struct{ reason string }

func (f *failure) Error() string { return f.reason }

// isFailure reports whether err is (or wraps) a failure.
func isFailure(err error) bool {
	var f *failure
	return errors.As(err, &f)
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.mode, "mode", "ack", "ack, e2e, both, chaos or flood")
	channels := fs.String("channel", channelTwilio, "ack: the webhooks to load, in order, each against a fresh assistant: twilio, meta, or a list such as twilio,meta,twilio,meta (A/B in one sitting)")
	fs.StringVar(&o.assistant, "assistant", "", "assistant binary (default: go build ./cmd/assistant into a temporary directory)")
	fs.StringVar(&o.databaseURL, "database-url", getenv("TEST_DATABASE_URL"), "PostgreSQL server on loopback (default TEST_DATABASE_URL)")
	fs.BoolVar(&o.sqlite, "sqlite", false, "use the embedded SQLite database instead of PostgreSQL")
	fs.BoolVar(&o.freshDB, "fresh-db", true, "create a fresh database on the server for each mode and drop it afterwards")
	fs.IntVar(&o.workers, "workers", 0, "WORKERS for the assistant (0: its default)")
	fs.StringVar(&o.logLevel, "log-level", "info", "LOG_LEVEL for the assistant")
	fs.Var(&o.extraEnv, "env", "KEY=VALUE for the assistant's environment, to measure a configuration (repeatable; e.g. -env ASSISTANT_DURABILITY=exit)")
	fs.StringVar(&o.logPath, "log", "", "append the assistant's log to this file (default: a temporary file)")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "stop everything after this long")
	fs.IntVar(&o.n, "n", 20000, "ack: unique messages to send")
	fs.IntVar(&o.threads, "threads", 1000, "ack: distinct senders (threads)")
	fs.IntVar(&o.concurrency, "c", 64, "ack: concurrent requests")
	fs.Float64Var(&o.dup, "dup", 0.05, "ack: duplicate deliveries, as a fraction of -n")
	fs.Float64Var(&o.rate, "rate", 0, "ack: send at this many deliveries per second (open loop, at most -c in flight); 0: as fast as -c connections allow")
	fs.DurationVar(&o.maxSend, "max-send", 2*time.Minute, "ack: stop sending after this long")
	fs.DurationVar(&o.drain, "drain", 5*time.Minute, "ack: wait at most this long for every message to be answered")
	fs.DurationVar(&o.settle, "settle", 3*time.Second, "ack: then wait this long for extra replies")
	fs.IntVar(&o.turns, "turns", 300, "e2e: measured turns")
	fs.IntVar(&o.warmup, "warmup", 20, "e2e: turns run first and not measured")
	fs.IntVar(&o.e2eThreads, "e2e-threads", 20, "e2e: distinct senders the turns rotate over")
	fs.IntVar(&o.e2eC, "e2e-c", 1, "e2e: turns in flight at once")
	fs.DurationVar(&o.gap, "gap", 0, "e2e: pause between a reply and a worker's next turn")
	fs.IntVar(&o.kills, "kills", 3, "chaos: SIGKILLs of the assistant during the load")
	fs.StringVar(&o.debugAddr, "debug-addr", "", "DEBUG_ADDR for the assistant: serve Go's profiler there during the run (a loopback address)")
	fs.DurationVar(&o.modelDelay, "model-delay", 0, "how long each call to the fake model takes (0: it answers at once)")
	fs.Float64Var(&o.sendFail, "send-fail", 0, "chaos: fraction of the fake Twilio's sends that fail with a 500")
	fs.IntVar(&o.processes, "processes", 1, "chaos: assistant processes on the database (2 needs PostgreSQL); the first is killed")
	fs.IntVar(&o.pgRestarts, "pg-restarts", 0, "chaos: restarts of the PostgreSQL server during the load, as in a crash (needs -pg-restart)")
	fs.StringVar(&o.pgRestart, "pg-restart", getenv("WITH_POSTGRES_RESTART"), "chaos: executable that crashes and restarts the PostgreSQL server, given the seconds to stay down (default WITH_POSTGRES_RESTART, set by WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh)")
	fs.DurationVar(&o.pgDown, "pg-down", 5*time.Second, "chaos: how long PostgreSQL stays down at each restart")
	fs.Float64Var(&o.modelFail, "model-fail", 0, "chaos: fraction of the fake model's calls that fail (a 500, a call hanging past LLM_TIMEOUT, a tool call with broken arguments, in equal shares)")
	fs.Float64Var(&o.workouts, "workouts", 0, "chaos: fraction of each thread's messages that ask for a workout, which the fake model logs with log_workout; each must be in the database exactly once")
	fs.IntVar(&o.flood, "flood", 10000, "flood: messages from the flooding sender")
	fs.IntVar(&o.floodSenders, "flood-senders", 100, "flood: senders talking normally meanwhile")
	fs.IntVar(&o.floodTurns, "flood-turns", 10, "flood: turns of each normal sender (in a flood run, at least these, and more until the flood is sent)")
	fs.DurationVar(&o.floodGap, "flood-gap", time.Second, "flood: a normal sender's pause between a reply and its next message")
	fs.IntVar(&o.floodRuns, "flood-runs", 2, "flood: calm and flood runs, alternating, of each")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, ch := range strings.Split(*channels, ",") {
		ch = strings.TrimSpace(ch)
		if ch != channelTwilio && ch != channelMeta {
			return o, fmt.Errorf("-channel %q: want twilio, meta, or a comma-separated list of them", *channels)
		}
		o.channels = append(o.channels, ch)
	}
	if len(o.channels) > 8 {
		return o, errors.New("-channel: at most 8 runs")
	}
	switch {
	case o.mode != "ack" && o.mode != "e2e" && o.mode != "both" && o.mode != "chaos" && o.mode != "flood":
		return o, fmt.Errorf("-mode %q: want ack, e2e, both, chaos or flood", o.mode)
	case o.flood < 1 || o.flood > 100_000 || o.floodSenders < 1 || o.floodSenders > 1000 ||
		o.floodTurns < 1 || o.floodTurns > 1000 || o.floodGap < 0 || o.floodRuns < 1 || o.floodRuns > 5:
		return o, errors.New("-flood must be between 1 and 100,000, -flood-senders between 1 and 1,000, -flood-turns between 1 and 1,000, -flood-runs between 1 and 5")
	case o.kills < 0 || o.kills > 100 || o.sendFail < 0 || o.sendFail >= 1:
		return o, errors.New("-kills must be between 0 and 100 and -send-fail at least 0 and below 1")
	case o.processes < 1 || o.processes > 2 || o.processes == 2 && o.sqlite:
		return o, errors.New("-processes must be 1, or 2 on PostgreSQL")
	case o.pgRestarts < 0 || o.pgRestarts > 10 || o.pgDown < 0 || o.pgDown > 5*time.Minute:
		return o, errors.New("-pg-restarts must be between 0 and 10 and -pg-down between 0 and 5m")
	case o.modelFail < 0 || o.modelFail >= 1 || o.workouts < 0 || o.workouts > 1:
		return o, errors.New("-model-fail must be at least 0 and below 1, -workouts between 0 and 1")
	case (o.modelFail > 0 || o.workouts > 0) && o.mode != "chaos":
		return o, errors.New("-model-fail and -workouts are for -mode chaos")
	case o.pgRestarts > 0 && (o.sqlite || o.pgRestart == ""):
		return o, errors.New("-pg-restarts needs PostgreSQL and -pg-restart (run under WITH_POSTGRES_CRASHABLE=1 scripts/with-postgres.sh, which sets WITH_POSTGRES_RESTART)")
	case !o.sqlite && o.databaseURL == "":
		return o, errors.New("no database: set -database-url or TEST_DATABASE_URL (a loopback PostgreSQL; scripts/with-postgres.sh starts one), or pass -sqlite")
	case o.n < 1 || o.n > 1_000_000:
		return o, errors.New("-n must be between 1 and 1,000,000")
	case o.threads < 1 || o.threads > 1_000_000:
		return o, errors.New("-threads must be between 1 and 1,000,000")
	case o.concurrency < 1 || o.concurrency > 4096:
		return o, errors.New("-c must be between 1 and 4096")
	case o.rate < 0 || o.rate > 100_000:
		return o, errors.New("-rate must be between 0 and 100,000")
	case o.dup < 0 || o.dup > 1:
		return o, errors.New("-dup must be between 0 and 1")
	case o.turns < 1 || o.turns > 100_000 || o.warmup < 0 || o.warmup > 10_000:
		return o, errors.New("-turns must be between 1 and 100,000 and -warmup between 0 and 10,000")
	case o.e2eThreads < 1 || o.e2eC < 1 || o.e2eC > o.e2eThreads:
		return o, errors.New("-e2e-c must be between 1 and -e2e-threads")
	case o.workers < 0 || o.workers > 256:
		return o, errors.New("-workers must be between 0 and 256")
	case o.maxSend <= 0 || o.drain <= 0 || o.settle < 0 || o.timeout <= 0 || o.gap < 0:
		return o, errors.New("durations must be positive")
	}
	if !o.sqlite {
		if err := checkLoopback(o.databaseURL); err != nil {
			return o, err
		}
	}
	return o, nil
}

// run executes the tool and returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	err = runModes(ctx, o, stdout, stderr)
	switch {
	case isFailure(err):
		fmt.Fprintln(stdout, "FAIL:", err)
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	return 0
}

func runModes(ctx context.Context, o options, stdout, stderr io.Writer) error {
	tmp, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin := o.assistant
	if bin == "" {
		fmt.Fprintln(stderr, "loadtest: building cmd/assistant")
		if bin, err = buildAssistant(ctx, tmp); err != nil {
			return err
		}
	}
	logPath := o.logPath
	if logPath == "" {
		logPath = filepath.Join(tmp, "assistant.log")
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("assistant log: %w", err)
	}
	defer logf.Close()

	var failed error
	modes := []string{o.mode}
	switch o.mode {
	case "both":
		modes = []string{"ack", "e2e"} // chaos is not part of both
	case "flood":
		modes = nil
		for range o.floodRuns {
			modes = append(modes, floodCalm, floodOn)
		}
		var results []floodResult
		o.floodResult = func(r floodResult) { results = append(results, r) }
		defer func() { floodVerdict(results, stdout) }()
	}
	for _, mode := range modes {
		// The e2e mode measures Twilio turns; the channels are the ack
		// mode's.
		channels := []string{channelTwilio}
		if mode == "ack" {
			channels = o.channels
		}
		for _, ch := range channels {
			err := runMode(ctx, o, mode, ch, bin, tmp, logf, stdout, stderr)
			if isFailure(err) {
				failed = err
				continue
			}
			if err != nil {
				return fmt.Errorf("%s on %s: %w", mode, ch, err)
			}
		}
	}
	return failed
}

// env is the assistant's environment around the fakes.
type env struct {
	twilio, meta, model *fakeServer
	track               *tracker
	asst                *assistant
	db                  string
	// channel is the webhook the ack mode loads.
	channel string
	// script is what the conversations do (chaos mode).
	script script
}

// peakRSS is the assistant's peak resident memory so far (VmHWM), or 0
// where /proc does not say.
func (e *env) peakRSS() int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.asst.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// The assistant's LLM_TIMEOUT in the load, and how long a hanging call of
// the fake model (-model-fail) hangs: past it.
const (
	modelTimeout = 2 * time.Second
	modelHang    = 5 * time.Second
)

// cpu samples the CPU used so far by the processes of the run.
func (e *env) cpu() cpuSample {
	return sampleCPU(e.asst.cmd.Process.Pid, postmasterPort(e.db))
}

// runMode starts the fakes and a fresh assistant, runs one mode, and stops
// everything.
func runMode(ctx context.Context, o options, mode, channel, bin, tmp string, logw io.Writer, stdout, stderr io.Writer) (err error) {
	size := o.n
	switch mode {
	case "e2e":
		size = o.warmup + o.turns
	case floodCalm, floodOn:
		size = floodSize(o)
	}
	e := &env{track: newTracker(size), channel: channel}
	if e.twilio, err = listen(&twilioFake{sid: accountSID, token: authToken, track: e.track, failRate: o.sendFail}); err != nil {
		return err
	}
	defer func() { _ = e.twilio.Close(context.WithoutCancel(ctx)) }()
	if e.meta, err = listen(&metaFake{token: metaToken, version: metaVersion, numberID: metaNumberID, track: e.track}); err != nil {
		return err
	}
	defer func() { _ = e.meta.Close(context.WithoutCancel(ctx)) }()
	sc := script{threads: o.threads, failRate: o.modelFail, hang: modelHang}
	if o.workouts > 0 {
		sc.workoutEvery = max(1, int(1/o.workouts+0.5))
	}
	e.script = sc
	if mode == "chaos" {
		e.track.threads = o.threads
	}
	if e.model, err = listen(&modelFake{track: e.track, delay: o.modelDelay, script: sc}); err != nil {
		return err
	}
	defer func() { _ = e.model.Close(context.WithoutCancel(ctx)) }()

	vars := map[string]string{
		"ASSISTANT_ADDR":        "127.0.0.1:0",
		"PUBLIC_URL":            publicURL,
		"TWILIO_ACCOUNT_SID":    accountSID,
		"TWILIO_AUTH_TOKEN":     authToken,
		"TWILIO_WHATSAPP_FROM":  botNumber,
		"TWILIO_API_BASE_URL":   e.twilio.URL,
		"META_ACCESS_TOKEN":     metaToken,
		"META_PHONE_NUMBER_ID":  metaNumberID,
		"META_APP_SECRET":       metaAppSecret,
		"META_VERIFY_TOKEN":     "loadtest-verify",
		"META_GRAPH_URL":        e.meta.URL,
		"META_GRAPH_VERSION":    metaVersion,
		"LLM_PROVIDER":          "openai",
		"LLM_MODEL":             "loadtest-echo",
		"OPENAI_API_KEY":        "sk-loadtest",
		"OPENAI_BASE_URL":       e.model.URL + "/v1",
		"BURST_WINDOW":          "0",
		"RATE_LIMIT_PER_MINUTE": "0",
		"LOG_LEVEL":             o.logLevel,
		"CALENDAR_PROVIDER":     "local",
		"FALLBACK_REPLY":        fallbackText,
		// A model call that hangs (-model-fail) is given up after this.
		"LLM_TIMEOUT": modelTimeout.String(),
		// Metrics are read on the main port with the token; several
		// runs cannot share the default metrics port.
		"METRICS_ADDR":  "off",
		"METRICS_TOKEN": metricsToken,
	}
	if o.debugAddr != "" {
		vars["DEBUG_ADDR"] = o.debugAddr
	}
	if mode == "chaos" || o.logLevel != "debug" && o.logLevel != "info" {
		// A restarted process must come back on the same address.
		// The "assistant listening" line is an info line: pick the port.
		port, err := freePort()
		if err != nil {
			return err
		}
		vars["ASSISTANT_ADDR"] = "127.0.0.1:" + strconv.Itoa(port)
	}
	if o.workers > 0 {
		vars["WORKERS"] = strconv.Itoa(o.workers)
	}
	if mode == floodCalm || mode == floodOn {
		// The flood runs with the assistant's default rate limit: it is
		// what keeps one sender from taking everyone's turn.
		delete(vars, "RATE_LIMIT_PER_MINUTE")
	}
	for _, kv := range o.extraEnv {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	kind := "postgres"
	if o.sqlite {
		kind = "sqlite"
		dir, err := os.MkdirTemp(tmp, "data-")
		if err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
		vars["ASSISTANT_DATA_DIR"] = dir
	} else {
		e.db = o.databaseURL
		if o.freshDB {
			url, drop, err := freshDatabase(ctx, o.databaseURL)
			if err != nil {
				return err
			}
			defer func() {
				if derr := drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
					err = derr
				}
			}()
			e.db = url
		}
		vars["DATABASE_URL"] = e.db
		vars["ASSISTANT_DATA_DIR"] = tmp
	}
	fmt.Fprintf(logw, "=== loadtest %s (%s) on %s ===\n", mode, channel, kind)
	e.asst, err = startAssistant(ctx, bin, vars, logw)
	if err != nil {
		return err
	}
	defer func() {
		if serr := e.asst.Stop(context.WithoutCancel(ctx)); serr != nil && err == nil {
			err = serr
		}
	}()
	workers := "default"
	if o.workers > 0 {
		workers = strconv.Itoa(o.workers)
	}
	fmt.Fprintf(stdout, "loadtest %s (%s webhook): %s, WORKERS=%s, LOG_LEVEL=%s, assistant on %s\n", mode, channel, kind, workers, o.logLevel, e.asst.Addr)
	switch mode {
	case "ack":
		err = runAck(ctx, o, e, stdout)
	case "e2e":
		err = runE2E(ctx, o, e, stdout)
	case floodCalm, floodOn:
		var r floodResult
		if r, err = runFlood(ctx, o, e, mode, stdout); err == nil && o.floodResult != nil {
			o.floodResult(r)
		}
	default:
		err = chaosMode(ctx, o, e, bin, vars, logw, stdout)
	}
	if lines, merr := metricLines(ctx, e.asst.Addr, "switchboard_webhooks_total", "switchboard_runs_total",
		"switchboard_sends_total", "switchboard_run_seconds", "switchboard_llm_seconds", "switchboard_backlog_messages"); merr == nil {
		fmt.Fprintln(stdout, "  assistant metrics:")
		for _, l := range lines {
			fmt.Fprintln(stdout, "    "+l)
		}
	}
	warns, errs, first := e.asst.log.counts()
	fmt.Fprintf(stdout, "  assistant log: %d warnings, %d errors\n", warns, errs)
	for _, l := range first {
		fmt.Fprintln(stdout, "    "+l)
	}
	return err
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// envFlag collects repeated -env KEY=VALUE flags.
type envFlag []string

func (f *envFlag) String() string { return strings.Join(*f, " ") }

// Set implements flag.Value.
func (f *envFlag) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", v)
	}
	*f = append(*f, v)
	return nil
}
