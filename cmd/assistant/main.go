// Command assistant runs Switchboard: a WhatsApp assistant on a checkpointed
// state graph.
//
//	assistant serve      start the HTTP server (webhooks, health, metrics)
//	assistant version    print the version
//
// Configuration comes from the environment and a .env file; see the README.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: assistant <command> [arguments]

commands:
  serve      start the HTTP server (webhooks, health, metrics)
  version    print the version
`

// run executes one subcommand and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], getenv, stderr, nil)
	case "version":
		fmt.Fprintln(stdout, "assistant", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
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
