package cli

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
)

// commandUsage is each command's help, printed to stdout (exit 0) by
// `assistant COMMAND --help`, `-h` or `assistant help COMMAND`.
var commandUsage = map[string]string{
	"serve": `usage: assistant serve [-env-file FILE]

Starts the HTTP server: channel webhooks, /healthz, /readyz, the console when
CONSOLE_PASSWORD is set. Settings come from the environment and FILE
(default .env, which may be absent); see .env.example and the README.
`,
	"chat": `usage: assistant chat [-env-file FILE] [-thread NUMBER] [-name NAME]

Talks to the assistant in the terminal, with the same agent, tools and
store as serve. Each line is one user message; tool calls are shown as they
happen. An empty line, Ctrl-D or Ctrl-C ends the session.

  -thread NUMBER   the conversation to continue (default whatsapp:+15550000000)
  -name NAME       the user's profile name
`,
	"migrate": `usage: assistant migrate [-env-file FILE]

Applies the database migrations and prints the schema version. serve does
this at start-up too; this is for deploy pipelines.
`,
	"healthcheck": `usage: assistant healthcheck [-env-file FILE]

Asks the running server for /healthz on ASSISTANT_ADDR and exits 0 when it
answers 200, 1 otherwise: the container's health check.
`,
	"version": `usage: assistant version

Prints the module version and the VCS commit the binary was built from.
`,
	"calendar": calendarUsage,
	"threads":  threadsUsage + "\n",
}

// helpRequested reports whether args (after the command) ask for help:
// -h, -help or --help before any "--".
func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
	}
	return false
}

// printHelp prints the help of cmd, or the command list when cmd has none.
func printHelp(w io.Writer, cmd string) {
	if u, ok := commandUsage[cmd]; ok {
		fmt.Fprint(w, u)
		return
	}
	fmt.Fprint(w, usage)
}

// versionLine is what `assistant version` prints: the module version and
// the commit from the binary's build information (a -ldflags version, when
// given, wins over the module's).
func versionLine(ldflagsVersion string) string {
	v, commit := ldflagsVersion, ""
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v == "" || v == "dev" {
			v = info.Main.Version
		}
		var rev, at, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			commit = "commit " + rev
			if at != "" {
				commit += " (" + at + ")"
			}
			if modified == "true" {
				commit += " with uncommitted changes"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	parts := []string{"assistant", v}
	if commit != "" {
		parts = append(parts, commit)
	}
	if ok {
		parts = append(parts, info.GoVersion)
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}
