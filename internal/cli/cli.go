// The command assistant runs Switchboard: a WhatsApp assistant on a checkpointed
// state graph.
//
//	assistant serve      start the HTTP server (webhooks, health, metrics)
//	assistant chat       talk to the assistant in the terminal
//	assistant threads    inspect stored conversations
//	assistant migrate    apply database migrations
//	assistant calendar   connect Google Calendar, print feed URLs
//	assistant healthcheck  probe the running server's /healthz
//	assistant console    manage the web console's accounts
//	assistant version    print the version
//
// Configuration comes from the environment and a .env file; see the README.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // ASSISTANT_TIMEZONE works on hosts without zone files

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/tools"
)

// version is set at build time with -ldflags
// "-X github.com/switchboardhq/switchboard/internal/cli.version=..."; when
// it is not, the module version from the build information is shown.
var version = "dev"

// Options extend the command.
type Options struct {
	// Tools returns tools of the program's own, offered on every thread
	// (but customers' of a front desk) next to the built-in ones, in serve
	// and chat; getenv reads the same environment and .env as the rest.
	Tools func(getenv func(string) string) []tools.Tool
}

// Main runs the command line of this process (os.Args, the environment,
// the terminal) until it is done or interrupted, and returns the exit
// code for os.Exit.
func Main(opts Options) int {
	ctx, stop := signalContext()
	defer stop()
	return Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr, opts)
}

const usage = `usage: assistant <command> [arguments]

commands:
  serve                      start the HTTP server (webhooks, health, metrics)
  chat [-thread N] [-name S] talk to the assistant in the terminal, with the same agent and store
  migrate                    apply database migrations and print the schema version
  calendar auth              connect the owner's Google Calendar (OAuth)
  calendar feed-url THREAD   print a thread's calendar subscription (ICS) URL
  console user add NAME      add a console account (--role staff|owner; the password is asked for)
  console user rm NAME       remove a console account and sign it out
  console user list          list the console's accounts
  threads list               list stored conversations (--json for scripts)
  threads show THREAD        print a conversation: who said what, tool calls, delivery
  threads checkpoints THREAD list a conversation's checkpoints (--checkpoint ID: one in full)
  threads erase THREAD       delete everything stored for a conversation (asks first; -yes skips)
  threads pause|resume THREAD  hand a customer to a person, or give them back to the assistant
  threads send THREAD TEXT   send a customer a message as the business
  bookings list|approve|decline|complete|cancel   the front desk's bookings
  leads list [--csv]         the front desk's leads
  faq list|add|rm            the approved FAQs
  business show|import FILE  the business profile
  healthcheck                exit 0 when the running server's /healthz answers (for containers)
  version                    print the module version and commit

"assistant COMMAND -h" shows a command's arguments. Settings come from the
environment and .env; see .env.example.
`

// run is Run without options.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	return Run(ctx, args, getenv, stdin, stdout, stderr, Options{})
}

// Run executes one subcommand (args without the program name) and returns
// the process exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts Options) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		cmd := ""
		if len(args) > 1 {
			cmd = args[1]
		}
		printHelp(stdout, cmd)
		return 0
	}
	if _, known := commandUsage[args[0]]; known && helpRequested(args[1:]) {
		printHelp(stdout, args[0])
		return 0
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], getenv, stderr, &serveOptions{tools: opts.Tools})
	case "chat":
		err = chat(ctx, args[1:], getenv, stdin, stdout, stderr, opts.Tools)
	case "threads":
		err = threads(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "bookings", "leads", "faq", "business":
		err = runBusinessCLI(ctx, args[0], args[1:], getenv, stdout, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], getenv, stdout, stderr)
	case "calendar":
		err = runCalendar(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, versionLine(version))
	case "healthcheck":
		err = healthcheck(ctx, args[1:], getenv, stdout)
	case "console":
		err = runConsole(ctx, args[1:], getenv, stdin, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "assistant: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "assistant:", err)
		return 1
	}
	return 0
}

// commandEnv adds -env-file to fs, parses args, and returns the
// environment with that file overlaid and the configuration read from it,
// validated: what serve, migrate and chat start from.
func commandEnv(fs *flag.FlagSet, args []string, getenv func(string) string) (func(string) string, config.Config, error) {
	envFile := fs.String("env-file", ".env", "read variables from this file (the default .env may be absent)")
	if err := fs.Parse(args); err != nil {
		return nil, config.Config{}, err
	}
	// The default .env is optional; a file named on purpose is not: a typo
	// would otherwise start the assistant without its settings.
	named := false
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "env-file" })
	if named && *envFile != "" {
		if _, err := os.Stat(*envFile); err != nil {
			return nil, config.Config{}, fmt.Errorf("-env-file %s: %w", *envFile, err)
		}
	}
	get, err := envWithFile(*envFile, getenv)
	if err != nil {
		return nil, config.Config{}, err
	}
	cfg, err := config.Load(get)
	if err != nil {
		return nil, config.Config{}, err
	}
	return get, cfg, nil
}

// envWithFile overlays a .env file (when path names one) on getenv.
func envWithFile(path string, getenv func(string) string) (func(string) string, error) {
	if path == "" {
		return getenv, nil
	}
	return config.WithDotEnv(path, getenv)
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
