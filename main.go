package switchboard

import (
	"context"
	"io"

	"github.com/switchboardhq/switchboard/internal/cli"
	"github.com/switchboardhq/switchboard/tools"
)

// Main runs the whole assistant command — serve, chat, threads, migrate,
// bookings and the rest, with the same configuration and defaults as the
// assistant binary — on this process's arguments, environment and
// terminal, and returns the exit code for os.Exit. WithTools adds your
// tools to every conversation's (in serve, on the WhatsApp channels, and
// in chat); the model, prompts and storage come from the environment, as
// for the binary, and the other options are New's.
//
//	func main() { os.Exit(switchboard.Main(switchboard.WithTools(myTool))) }
func Main(opts ...Option) int {
	return cli.Main(cliOptions(opts))
}

// Run is Main with explicit arguments (without the program name), the
// environment read through getenv, and the terminal's streams: for tests,
// and programs that choose the command themselves.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
	return cli.Run(ctx, args, getenv, stdin, stdout, stderr, cliOptions(opts))
}

func cliOptions(opts []Option) cli.Options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.tools) == 0 {
		return cli.Options{}
	}
	return cli.Options{Tools: func(func(string) string) []tools.Tool { return o.tools }}
}
