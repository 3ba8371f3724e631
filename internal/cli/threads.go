package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/thread"
)

const threadsUsage = `usage: assistant threads <command> [arguments]

commands:
  list [--limit N] [--json]                 conversations, most recent first: channel,
                                            name, messages, the last one and when, state
  show THREAD [--last N] [--json]           the conversation: who said what, voice notes,
                                            the tool calls behind each reply, delivery
  checkpoints THREAD [--limit N]            the thread's checkpoints, newest first
  checkpoints THREAD --checkpoint ID|latest one checkpoint: values, logs, pending writes
  erase THREAD [--yes]                      delete everything stored for the thread, in
                                            every table; asks first unless --yes
  send THREAD TEXT                          queue a message written in person

THREAD is a thread id ("whatsapp:+15551234567") or a number in any usual
spelling ("+1 (555) 123-4567"), which is normalized. "history" is another
name for "checkpoints".`

// runThreads runs the operator subcommand "threads": args are the words after
// "threads" (a leading "threads" is accepted too). Checkpoint values and log
// entries are JSON bytes; they are printed indented, and anything that is
// not JSON is printed as a quoted string.
func runThreads(ctx context.Context, src threadSources, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "threads" {
		args = args[1:]
	}
	if len(args) == 0 {
		return fmt.Errorf("threads: missing command\n\n%s", threadsUsage)
	}
	switch args[0] {
	case "list":
		return threadsList(ctx, src, args[1:], stdout)
	case "show":
		return threadsShow(ctx, src, args[1:], stdout)
	case "checkpoints", "history":
		return threadsCheckpoints(ctx, src.saver, args[1:], stdout)
	case "help", "-h", "--help":
		_, err := fmt.Fprintln(stdout, threadsUsage)
		return err
	default:
		return fmt.Errorf("threads: unknown command %q\n\n%s", args[0], threadsUsage)
	}
}

// parseThreadArgs parses flags placed before or after the one positional
// THREAD argument (when wantThread), returning the thread id.
func parseThreadArgs(fs *flag.FlagSet, args []string, wantThread bool) (string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("threads %s: %w", fs.Name(), err)
	}
	if !wantThread {
		if fs.NArg() > 0 {
			return "", fmt.Errorf("threads %s: unexpected argument %q", fs.Name(), fs.Arg(0))
		}
		return "", nil
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("threads %s: missing THREAD\n\n%s", fs.Name(), threadsUsage)
	}
	raw := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", fmt.Errorf("threads %s: %w", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("threads %s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return threadArg(raw), nil
}

// threadArg reads a thread named on the command line the same way in every
// command: a phone number in any spelling (+1 555 123-4567,
// whatsapp:+15551234567) becomes the stored id; anything else (an id of
// another form) is used as given.
func threadArg(raw string) string {
	raw = strings.TrimSpace(raw)
	if id, err := thread.Normalize(raw); err == nil {
		return id
	}
	return raw
}

func threadsList(ctx context.Context, src threadSources, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	limit := fs.Int("limit", 50, "how many threads to list (0: all)")
	asJSON := fs.Bool("json", false, "print JSON, for scripts")
	if _, err := parseThreadArgs(fs, args, false); err != nil {
		return err
	}
	cs, err := src.conversations(ctx, *limit)
	if err != nil {
		return fmt.Errorf("threads list: %w", err)
	}
	if *asJSON {
		if cs == nil {
			cs = []conversation{}
		}
		return writeJSON(stdout, cs)
	}
	return printConversations(stdout, cs, time.Now())
}

func threadsShow(ctx context.Context, src threadSources, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	last := fs.Int("last", 200, "how many of the newest messages to show")
	asJSON := fs.Bool("json", false, "print JSON, for scripts")
	threadID, err := parseThreadArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *last <= 0 {
		return errors.New("threads show: --last must be at least 1")
	}
	lines, stored, err := src.conversationOf(ctx, threadID, *last)
	if err != nil {
		return fmt.Errorf("threads show: %w", err)
	}
	if !stored {
		return fmt.Errorf("threads show: nothing stored for %s", threadID)
	}
	if *asJSON {
		if lines == nil {
			lines = []line{}
		}
		return writeJSON(stdout, struct {
			Thread   string `json:"thread"`
			Messages []line `json:"messages"`
		}{threadID, lines})
	}
	return printTranscript(stdout, threadID, lines)
}

// threadsCheckpoints lists a thread's checkpoints, or with --checkpoint
// prints one of them in full.
func threadsCheckpoints(ctx context.Context, saver checkpoint.Saver, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("checkpoints", flag.ContinueOnError)
	limit := fs.Int("limit", 0, "how many checkpoints to list (0: all)")
	id := fs.String("checkpoint", "", "print this checkpoint in full (latest: the newest)")
	last := fs.Int("last", 0, "with --checkpoint, print only the last N entries of each log (0: all)")
	threadID, err := parseThreadArgs(fs, args, true)
	if err != nil {
		return err
	}
	if *id != "" {
		return checkpointDetail(ctx, saver, threadID, *id, *last, stdout)
	}
	return checkpointList(ctx, saver, threadID, *limit, stdout)
}

// checkpointDetail prints one checkpoint: its fields, values, logs and
// pending writes.
func checkpointDetail(ctx context.Context, saver checkpoint.Saver, threadID, id string, last int, stdout io.Writer) error {
	var tup checkpoint.Tuple
	var err error
	if id != "latest" {
		tup, err = saver.Get(ctx, threadID, id)
	} else {
		tup, err = saver.Latest(ctx, threadID)
	}
	if err != nil {
		return fmt.Errorf("threads checkpoints: %w", err)
	}
	cp := tup.Checkpoint
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "thread:\t%s\n", cp.ThreadID)
	fmt.Fprintf(tw, "checkpoint:\t%s\n", cp.ID)
	fmt.Fprintf(tw, "parent:\t%s\n", orNone(cp.ParentID))
	fmt.Fprintf(tw, "branch:\t%s\n", orMain(cp.Branch))
	fmt.Fprintf(tw, "step:\t%d\n", cp.Step)
	fmt.Fprintf(tw, "source:\t%s\n", orNone(cp.Source))
	fmt.Fprintf(tw, "version:\t%d\n", cp.Version)
	fmt.Fprintf(tw, "created:\t%s\n", stamp(cp.CreatedAt))
	fmt.Fprintf(tw, "next:\t%s\n", orNone(strings.Join(cp.Next, ", ")))
	tw.Flush()
	if len(cp.Metadata) > 0 {
		b.WriteString("metadata:\n")
		for _, k := range sortedKeys(cp.Metadata) {
			fmt.Fprintf(&b, "  %s: %s\n", k, cp.Metadata[k])
		}
	}
	b.WriteString("values:")
	if len(cp.Values) == 0 {
		b.WriteString(" (none)")
	}
	b.WriteString("\n")
	for _, k := range sortedKeys(cp.Values) {
		fmt.Fprintf(&b, "  %s: %s\n", k, readable(cp.Values[k], "  "))
	}
	for _, ch := range sortedKeys(tup.Logs) {
		entries := tup.Logs[ch]
		first := 0
		if last > 0 && len(entries) > last {
			first = len(entries) - last
		}
		fmt.Fprintf(&b, "log %s (%d entries", ch, len(entries))
		if first > 0 {
			fmt.Fprintf(&b, ", last %d shown", len(entries)-first)
		}
		b.WriteString("):\n")
		for i := first; i < len(entries); i++ {
			fmt.Fprintf(&b, "  [%d] %s\n", i, readable(entries[i], "      "))
		}
	}
	if len(tup.Writes) > 0 {
		fmt.Fprintf(&b, "pending writes (%d):\n", len(tup.Writes))
		for _, w := range tup.Writes {
			fmt.Fprintf(&b, "  %s %s", w.Kind, w.Node)
			if len(w.Value) > 0 {
				fmt.Fprintf(&b, ": %s", readable(w.Value, "    "))
			}
			b.WriteString("\n")
		}
	}
	_, err = stdout.Write(b.Bytes())
	return err
}

// checkpointList prints the thread's checkpoints, newest first.
func checkpointList(ctx context.Context, saver checkpoint.Saver, threadID string, limit int, stdout io.Writer) error {
	cps, err := saver.List(ctx, threadID, checkpoint.ListOptions{Limit: limit})
	if err != nil {
		return fmt.Errorf("threads checkpoints: %w", err)
	}
	if len(cps) == 0 {
		return fmt.Errorf("threads checkpoints: thread %s: %w", threadID, checkpoint.ErrNotFound)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tCHECKPOINT\tSOURCE\tBRANCH\tCREATED\tLOGS\tNEXT")
	for _, cp := range cps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", cp.Step, cp.ID, orNone(cp.Source), orMain(cp.Branch),
			stamp(cp.CreatedAt), logLens(cp.LogLens), orNone(strings.Join(cp.Next, ",")))
	}
	return tw.Flush()
}

// readable renders stored bytes: JSON indented (continuation lines prefixed
// with indent), anything else quoted.
func readable(b []byte, indent string) string {
	if len(b) == 0 {
		return `""`
	}
	if !json.Valid(b) {
		return fmt.Sprintf("%q", b)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, indent, "  "); err != nil {
		return fmt.Sprintf("%q", b)
	}
	return out.String()
}

func logLens(lens map[string]int) string {
	if len(lens) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(lens))
	for _, ch := range sortedKeys(lens) {
		parts = append(parts, fmt.Sprintf("%s=%d", ch, lens[ch]))
	}
	return strings.Join(parts, ",")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orMain(branch string) string {
	if branch == "" {
		return "main"
	}
	return branch
}
