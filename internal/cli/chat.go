package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/thread"
)

// chat is a terminal conversation with the same agent, tools and store the
// server uses: the simulator a business owner tries the bot with. Each line
// read is one user message; tool calls and their results are shown as they
// happen.
func chat(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, custom toolsFunc) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	th := fs.String("thread", "whatsapp:+15550000000", "the conversation to continue (a WhatsApp number)")
	name := fs.String("name", "", "the user's profile name")
	get, cfg, err := commandEnv(fs, args, getenv)
	if err != nil {
		return err
	}
	id, err := thread.Normalize(*th)
	if err != nil {
		return fmt.Errorf("-thread: %w", err)
	}
	log := newLogger(stderr, "warn", cfg.LogFormat)
	a, err := newApp(ctx, cfg, get, log, custom)
	if err != nil {
		return err
	}
	defer a.Close()
	ag, err := a.buildAgent(a.models.Chat)
	if err != nil {
		return err
	}
	if a.modelHint != "" {
		fmt.Fprintf(stdout, "No language model is configured. %s\n", a.modelHint)
	}
	fmt.Fprintf(stdout, "Chatting as %s. Type a message; an empty line, Ctrl-D or Ctrl-C ends.\n", id)
	lines := readLines(stdin)
	for {
		fmt.Fprint(stdout, "> ")
		var line string
		select {
		case <-ctx.Done():
			// Ctrl-C ends the session, even mid-turn: the turn is
			// cancelled and its checkpoint keeps what it had done.
			fmt.Fprintln(stdout)
			return nil
		case l, ok := <-lines:
			if !ok {
				fmt.Fprintln(stdout)
				return nil
			}
			if l.err != nil {
				return l.err
			}
			line = strings.TrimSpace(l.text)
		}
		if line == "" || line == "/quit" {
			return nil
		}
		turn := flows.Text(line)
		turn.ProfileName = *name
		r, err := ag.Reply(ctx, id, turn, agent.OnEvent(func(ev graph.Event[agent.State]) {
			if ev.Kind == graph.EventNodeEnd {
				showTools(stdout, ev.Update.Messages)
			}
		}))
		var nc *llm.NotConfiguredError
		switch {
		case errors.As(err, &nc):
			fmt.Fprintf(stdout, "assistant: (no model) %s\n", nc.Hint)
			continue
		case ctx.Err() != nil:
			fmt.Fprintln(stdout)
			return nil
		case err != nil:
			fmt.Fprintf(stdout, "assistant: (error) %v\n", err)
			continue
		}
		fmt.Fprintf(stdout, "assistant: %s\n", r.Text)
	}
}

type inputLine struct {
	text string
	err  error
}

// readLines reads r line by line on its own goroutine, so the chat loop can
// wait for a line and for Ctrl-C at once. The channel closes at the end of
// the input; a read error is its last value. After Ctrl-C the goroutine
// stays blocked on the read until the process exits.
func readLines(r io.Reader) <-chan inputLine {
	ch := make(chan inputLine)
	go func() {
		defer close(ch)
		in := bufio.NewScanner(r)
		in.Buffer(make([]byte, 64<<10), 1<<20)
		for in.Scan() {
			ch <- inputLine{text: in.Text()}
		}
		if err := in.Err(); err != nil {
			ch <- inputLine{err: err}
		}
	}()
	return ch
}

// showTools prints the tool calls and results of a step.
func showTools(w io.Writer, msgs []llm.Message) {
	for _, m := range msgs {
		switch {
		case m.Role == llm.RoleAssistant:
			for _, c := range m.ToolCalls {
				fmt.Fprintf(w, "  → %s %s\n", c.Name, c.Arguments)
			}
		case m.Role == llm.RoleTool:
			mark := "←"
			if m.IsError {
				mark = "← error:"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, oneLine(m.Content, 300))
		}
	}
}

func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// threads opens the database and runs an operator's threads subcommand.
// Only erase, send, pause and resume write; the others never create a
// database that is not there.
func threads(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	get, err := envWithFile(".env", getenv)
	if err != nil {
		return err
	}
	cfg, err := config.Load(get)
	if err != nil {
		return err
	}
	log := newLogger(stderr, "warn", cfg.LogFormat)
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return runThreads(ctx, threadSources{}, args, stdout)
	}
	var db *database
	if args[0] == "send" {
		db, err = openDatabase(ctx, cfg, log)
	} else {
		db, err = openExistingDatabase(ctx, cfg, log)
	}
	var missing *noDatabaseError
	if errors.As(err, &missing) && args[0] == "erase" {
		fs, _ := eraseFlags()
		id, perr := parseThreadArgs(fs, args[1:], true)
		if perr != nil {
			return errors.New("usage: assistant threads erase THREAD [-yes]")
		}
		_, err = fmt.Fprintf(stdout, "nothing stored for %s: %v\n", id, missing)
		return err
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if len(args) > 0 && args[0] == "erase" {
		return eraseThread(ctx, db, cfg.DataDir, args[1:], stdin, stdout)
	}
	if len(args) > 0 && args[0] == "send" {
		return sendToThread(ctx, db, args[1:], stdout)
	}
	if len(args) > 0 && (args[0] == "pause" || args[0] == "resume") {
		return pauseThread(ctx, cfg, db, args[0], args[1:], stdout)
	}
	src := db.threadSources()
	src.states = threadStates(db, cfg.Business.HandoffTimeout)
	return runThreads(ctx, src, args, stdout)
}

// eraseThread deletes every row of a thread, in every table, for a
// deletion request: checkpoints, messages and replies, calendar events,
// workouts.
//
// It asks first, on stdin, unless -yes is given: an erasure cannot be
// undone.
func eraseThread(ctx context.Context, db *database, dataDir string, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, yes := eraseFlags()
	raw, err := parseThreadArgs(fs, args, true)
	if err != nil {
		return errors.New("usage: assistant threads erase THREAD [-yes]")
	}
	id, err := thread.Normalize(raw)
	if err != nil {
		return err
	}
	if stored, err := db.threadSources().stored(ctx, id); err != nil {
		return err
	} else if !stored {
		_, err := fmt.Fprintf(stdout, "nothing stored for %s\n", id)
		return err
	}
	if !*yes {
		fmt.Fprintf(stdout, "Erase everything stored for %s (checkpoints, messages and replies, voice notes, calendar events, workouts)? This cannot be undone. [y/N] ", id)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "nothing erased")
			return nil
		}
	}
	if err := migrateQueue(ctx, db); err != nil {
		return err
	}
	st, err := openStore(db, nil)
	if err != nil {
		return err
	}
	// The same erasure as a user's "delete my data" (package privacy).
	er, err := privacy.NewEraser(db.sql, db.dialect, db.saver, st, privacy.WithFiles(voiceFiles(dataDir)))
	if err != nil {
		return err
	}
	if err := er.Erase(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "erased %s: checkpoints, messages and replies, calendar events, workouts (their own and in groups), bookings, leads, opt-out and pending requests; their id is scrubbed from the console's audit trail\n", id)
	return nil
}

// eraseFlags are erase's flags.
func eraseFlags() (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("erase", flag.ContinueOnError)
	return fs, fs.Bool("yes", false, "do not ask for confirmation")
}

// sendToThread queues TEXT for thread T in the outbox, as the business
// writing in person; the running server sends it (once) and records its
// delivery. A customer who opted out (STOP) gets nothing.
func sendToThread(ctx context.Context, db *database, args []string, stdout io.Writer) error {
	if len(args) != 2 || strings.TrimSpace(args[1]) == "" {
		return errors.New("usage: assistant threads send THREAD TEXT")
	}
	id, err := thread.Normalize(args[0])
	if err != nil {
		return err
	}
	bs, err := bizstore.New(db.sql, db.dialect)
	if err != nil {
		return err
	}
	if out, err := bs.OptedOut(ctx, id); err != nil {
		return err
	} else if out {
		return fmt.Errorf("%s opted out of messages (STOP); nothing sent", id)
	}
	if err := migrateQueue(ctx, db); err != nil {
		return err
	}
	st, err := openStore(db, nil)
	if err != nil {
		return err
	}
	key := "cli-send:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	d := &desk.Desk{Store: bs, Notifier: outboxNotifier{st: st}}
	if err := d.SendAsBusiness(ctx, id, key, args[1], string(business.ActorCLI)); err != nil {
		return fmt.Errorf("send to %s: %w", thread.Mask(id), thread.MaskError(id, err))
	}
	_, err = fmt.Fprintf(stdout, "queued for %s; the running server sends it\n", id)
	return err
}
