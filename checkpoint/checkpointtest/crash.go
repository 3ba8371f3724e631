package checkpointtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/agentsim"
	"github.com/switchboardhq/switchboard/graph"
)

// Opener opens a saver on the store dsn names (a file, a database URL) and
// returns a function that closes it. Crash calls it in the test process
// and in the child processes it kills.
type Opener func(ctx context.Context, dsn string) (checkpoint.Saver, func(), error)

// The child process of Crash is the test binary itself, told what to do
// by these variables.
const (
	crashEnv   = "CHECKPOINTTEST_CRASH_AT" // the boundary to die at, from 1
	dsnEnv     = "CHECKPOINTTEST_DSN"
	threadEnv  = "CHECKPOINTTEST_THREAD"
	effectsEnv = "CHECKPOINTTEST_EFFECTS" // the file the tool records its runs in
	batchEnv   = "CHECKPOINTTEST_BATCHED" // "1": the agent's batched writes (agentsim.SyncAfterTools)
)

// crashPoints is how many boundaries one agent turn under step
// durability passes: five stored checkpoints (input, receive, chat, tools,
// chat) and, after each of the four supersteps, the moment its node has
// finished. With every checkpoint stored as its step ends they alternate;
// with the agent's batched writes the first four are stored together
// once the tools' step ends.
const crashPoints = 9

// toolBoundary is the boundary at which the tool has run but its result
// is not yet checkpointed: the one crash after which it may run again.
func toolBoundary(batched bool) int {
	if batched {
		return 3 // receive, chat and tools ended; nothing stored yet
	}
	return 6 // the input stored, receive, stored, chat, stored, tools
}

// agent compiles agentsim's graph with the tool, batched or not.
func agent(saver checkpoint.Saver, batched bool, tool func(context.Context, string) error) (*graph.Compiled[agentsim.State], error) {
	if batched {
		return agentsim.NewWithTool(saver, graph.DurabilityStep, tool, agentsim.SyncAfterTools())
	}
	return agentsim.NewWithTool(saver, graph.DurabilityStep, tool)
}

// CrashChild must be called first thing in TestMain of a package that
// runs Crash. In a child process of Crash it runs one turn, kills its own
// process at the boundary it was given, and never returns; otherwise it
// returns at once.
func CrashChild(open Opener) {
	at, err := strconv.Atoi(os.Getenv(crashEnv))
	if err != nil {
		return
	}
	if err := crashChild(open, at); err != nil {
		fmt.Fprintln(os.Stderr, "checkpointtest crash child:", err)
		os.Exit(2)
	}
	os.Exit(0) // the turn ended before the boundary: the parent reports it
}

func crashChild(open Opener, at int) error {
	ctx := context.Background()
	saver, closeSaver, err := open(ctx, os.Getenv(dsnEnv))
	if err != nil {
		return err
	}
	defer closeSaver()
	c, err := agent(saver, os.Getenv(batchEnv) == "1", recordTool(os.Getenv(effectsEnv)))
	if err != nil {
		return err
	}
	passed := 0
	for ev, err := range c.Stream(ctx, agentsim.DurableInput(0), graph.Thread(os.Getenv(threadEnv))) {
		if err != nil {
			return err
		}
		if ev.Kind != graph.EventCheckpoint && ev.Kind != graph.EventNodeEnd {
			continue
		}
		if passed++; passed == at {
			self, err := os.FindProcess(os.Getpid())
			if err != nil {
				return err
			}
			if err := self.Kill(); err != nil { // SIGKILL: no deferred call runs
				return err
			}
			time.Sleep(time.Minute)
			return errors.New("still alive a minute after SIGKILL")
		}
	}
	return nil
}

// recordTool returns a tool that appends its call id to the file at path
// and syncs it before returning, so a run is on record even if the
// process dies right after.
func recordTool(path string) func(context.Context, string) error {
	return func(ctx context.Context, callID string) error {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.WriteString(callID + "\n"); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}

// Crash checks the guarantee the default durability gives, with every
// checkpoint stored as its step ends and with the agent's batched writes
// (graph.WithSyncAfter): a turn killed with SIGKILL at any superstep
// boundary — right after a checkpoint is stored, or after a node finished
// and before its checkpoint — and then taken up by another process never
// runs again a tool whose result was checkpointed, and ends with each of
// its messages stored once. Taking up is what the queue does: resume a
// turn stopped mid-way, or run it again when nothing of it was stored.
// The child processes are the test binary (see CrashChild); dsn names a
// store, migrated, that they and this process open with open.
func Crash(t *testing.T, dsn string, open Opener) {
	if testing.Short() {
		t.Skip("starts a process per boundary")
	}
	ctx := context.Background()
	saver, closeSaver, err := open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer closeSaver()
	for _, batched := range []bool{false, true} {
		mode := "each-step"
		if batched {
			mode = "batched"
		}
		for at := 1; at <= crashPoints; at++ {
			t.Run(fmt.Sprintf("%s/boundary%d", mode, at), func(t *testing.T) {
				crashAt(t, saver, dsn, batched, at)
			})
		}
	}
}

func crashAt(t *testing.T, saver checkpoint.Saver, dsn string, batched bool, at int) {
	ctx := context.Background()
	thread := fmt.Sprintf("crash:%d:%d", at, time.Now().UnixNano())
	effects := filepath.Join(t.TempDir(), "effects")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	batch := "0"
	if batched {
		batch = "1"
	}
	cmd.Env = append(os.Environ(), crashEnv+"="+strconv.Itoa(at), dsnEnv+"="+dsn,
		threadEnv+"="+thread, effectsEnv+"="+effects, batchEnv+"="+batch)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != -1 {
		t.Fatalf("the child was not killed at boundary %d (%v): %s", at, err, out)
	}

	c, err := agent(saver, batched, recordTool(effects))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.State(ctx, thread)
	switch {
	case errors.Is(err, checkpoint.ErrNotFound):
		// Nothing of the turn was stored: its delivery is still
		// unanswered, and the queue runs it again.
		if _, err := c.Invoke(ctx, agentsim.DurableInput(0), graph.Thread(thread)); err != nil {
			t.Fatalf("run again: %v", err)
		}
	case err != nil:
		t.Fatalf("after the crash: %v", err)
	case len(snap.Next) > 0:
		if _, err := c.Resume(ctx, thread, nil); err != nil {
			t.Fatalf("resume: %v", err)
		}
	}
	snap, err = c.State(ctx, thread)
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for _, m := range snap.State.Messages {
		roles = append(roles, m.Role)
	}
	if got := strings.Join(roles, " "); got != "user assistant tool assistant" || len(snap.Next) != 0 {
		t.Fatalf("after resuming, the thread holds %q (next %v), want one user message, the tool call, its result, the answer", got, snap.Next)
	}
	raw, err := os.ReadFile(effects)
	if err != nil {
		t.Fatal(err)
	}
	runs := strings.Count(string(raw), "\n")
	want := 1
	if at == toolBoundary(batched) {
		want = 2 // it ran, and died before its result was stored
	}
	if runs != want {
		t.Fatalf("killed at boundary %d: the tool ran %d times, want %d", at, runs, want)
	}
}
