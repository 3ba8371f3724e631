package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

func seedThreads(t *testing.T) (*memory.Saver, []checkpoint.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	const id = "whatsapp:+15551234567"
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	msg := func(m llm.Message) []byte {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := checkpoint.Checkpoint{
		ThreadID: id, ID: checkpoint.NewID(), Step: 0, Version: 1, Source: "input",
		Values:  map[string][]byte{"plan": []byte(`{"goal":"book","slots":[1,2]}`), "raw": []byte("not json")},
		LogLens: map[string]int{messagesLog: 2}, Next: []string{"chat"},
		Metadata: map[string]string{"run": "r1"},
	}
	if err := s.Put(ctx, first, map[string][][]byte{messagesLog: {
		msg(llm.Message{ID: "1", Role: llm.RoleUser, Content: "hi", Time: at}),
		msg(llm.Message{Role: llm.RoleAssistant, Content: "hello!", Time: at.Add(time.Second)}),
	}}); err != nil {
		t.Fatal(err)
	}
	second := checkpoint.Checkpoint{
		ThreadID: id, ID: checkpoint.NewID(), ParentID: first.ID, Step: 1, Version: 1, Source: "loop",
		LogLens: map[string]int{messagesLog: 5},
	}
	if err := s.Put(ctx, second, map[string][][]byte{messagesLog: {
		msg(llm.Message{ID: "2", Role: llm.RoleUser, Content: "[voice note] book me in on Monday", Time: at.Add(time.Minute)}),
		msg(llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c1", Name: "calendar_list_events", Arguments: `{"day":"monday"}`}}}),
		msg(llm.Message{Role: llm.RoleTool, ToolCallID: "c1", Name: "calendar_list_events", Content: "[]"}),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, id, second.ID, []checkpoint.Write{{Node: "owner", Kind: checkpoint.WriteInterrupt, Value: []byte(`"approve?"`)}}); err != nil {
		t.Fatal(err)
	}
	other := checkpoint.Checkpoint{ThreadID: "evolution:120363012345678901@g.us", ID: checkpoint.NewID()}
	if err := s.Put(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	return s, []checkpoint.Checkpoint{first, second, other}
}

func TestRunThreads(t *testing.T) {
	s, cps := seedThreads(t)
	tests := []struct {
		name    string
		args    []string
		want    []string // substrings of stdout, in order
		wantErr string
	}{
		{name: "list", args: []string{"list"}, want: []string{
			"evolution:120363012345678901@g.us · 0 messages", "empty",
			"whatsapp:+15551234567 · 3 messages", "awaiting reply, 2026-03-02 · them: (voice note) book me in on Monday"}},
		{name: "list with prefix and limit", args: []string{"threads", "list", "--limit", "1"}, want: []string{"evolution:"}},
		{name: "list json", args: []string{"list", "--json"}, want: []string{
			`"thread": "whatsapp:+15551234567"`, `"channel": "whatsapp"`, `"messages": 3`, `"last_from": "user"`, `"state": "awaiting reply"`}},
		{name: "show", args: []string{"show", "whatsapp:+15551234567"}, want: []string{
			"whatsapp:+15551234567 · 4 messages",
			"2026-03-02 09:30  user: hi", "2026-03-02 09:30  assistant: hello!",
			"2026-03-02 09:31  user:", `voice note: "book me in on Monday"`,
			"assistant: (turn not finished)", `tool calendar_list_events {"day":"monday"}`, "→ []"}},
		{name: "show normalizes the number", args: []string{"show", "+1 (555) 123-4567", "--last", "1"}, want: []string{
			"1 message", "tool calendar_list_events"}},
		{name: "show json", args: []string{"show", "--json", "whatsapp:15551234567"}, want: []string{
			`"thread": "whatsapp:+15551234567"`, `"from": "user"`, `"text": "hi"`, `"voice_transcripts": [`,
			`"tool_calls": [`, `"name": "calendar_list_events"`, `"result": "[]"`}},
		{name: "one checkpoint", args: []string{"checkpoints", "whatsapp:+15551234567", "--checkpoint", "latest"}, want: []string{
			"thread:", "whatsapp:+15551234567", "checkpoint: " + cps[1].ID, "parent:     " + cps[0].ID, "branch:     main",
			"step:       1", "values: (none)", "log Messages (5 entries):",
			`[0] {`, `"role": "user"`, `"content": "hi"`, `[2] {`, `book me in on Monday"`,
			"pending writes (1):", `interrupt owner: "approve?"`}},
		{name: "one checkpoint, last entries", args: []string{"checkpoints", "+1 (555) 123-4567", "--checkpoint", "latest", "--last", "1"}, want: []string{
			"log Messages (5 entries, last 1 shown):", "[4]"}},
		{name: "an older checkpoint", args: []string{"checkpoints", "--checkpoint", cps[0].ID, "whatsapp:15551234567"}, want: []string{
			"checkpoint: " + cps[0].ID, "next:       chat", "metadata:", "run: r1", "values:", "plan: {", `"goal": "book"`,
			`raw: "not json"`, "log Messages (2 entries):"}},
		{name: "checkpoints", args: []string{"checkpoints", "whatsapp:+15551234567"}, want: []string{
			"STEP", "CHECKPOINT", cps[1].ID, "loop", "Messages=5", cps[0].ID, "input", "chat"}},
		{name: "history is checkpoints", args: []string{"history", "whatsapp:+15551234567", "--limit=1"}, want: []string{cps[1].ID}},
		{name: "group thread", args: []string{"show", "evolution:120363012345678901@g.us"}, want: []string{"0 messages"}},
		{name: "no command", args: nil, wantErr: "missing command"},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`},
		{name: "show without thread", args: []string{"show"}, wantErr: "missing THREAD"},
		{name: "unknown thread", args: []string{"show", "whatsapp:+15550000000"}, wantErr: "nothing stored for whatsapp:+15550000000"},
		{name: "checkpoints of unknown thread", args: []string{"checkpoints", "+15550000000"}, wantErr: "not found"},
		{name: "bad flag", args: []string{"list", "--nope"}, wantErr: "flag provided but not defined"},
		{name: "extra argument", args: []string{"show", "whatsapp:+15551234567", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "help", args: []string{"help"}, want: []string{"usage: assistant threads", "checkpoints THREAD"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runThreads(context.Background(), threadSources{saver: s}, tc.args, &out)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := out.String()
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order); output:\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestRunThreadsEmpty(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"list", "--json"}} {
		var out bytes.Buffer
		if err := runThreads(context.Background(), threadSources{saver: memory.New()}, args, &out); err != nil {
			t.Fatal(err)
		}
		want := map[bool]string{false: "No conversations stored yet.\n", true: "[]\n"}[len(args) == 2]
		if got := out.String(); got != want {
			t.Fatalf("%v: output = %q, want %q", args, got, want)
		}
	}
}

// TestWireTranscript: a channel's conversation shows who wrote, the voice
// note's transcript instead of a bare attachment, the tool calls under the
// reply they led to, and the reply's delivery.
func TestWireTranscript(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	wire := []console.WireMessage{
		{ID: 7, Body: "", ProfileName: "Ana", Media: []store.Media{{ContentType: "audio/ogg"}}, At: at},
		{ID: 3, Out: true, Key: "turn:7", Body: "Booked for Monday.", Status: store.StatusDelivered, At: at.Add(time.Second)},
		{ID: 8, Body: "and a photo", ProfileName: "Ana", Media: []store.Media{{ContentType: "image/jpeg"}}, At: at.Add(time.Minute)},
		{ID: 4, Out: true, Key: "turn:8", Body: "Nice.", Status: store.StatusFailed, Error: "63016 outside the window", At: at.Add(2 * time.Minute)},
	}
	msgs := []llm.Message{
		{ID: "7", Role: llm.RoleUser, Content: "[voice note] book me on Monday"},
		{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{Name: "request_booking", Arguments: `{"start":"monday"}`}}},
		{Role: llm.RoleTool, Name: "request_booking", Content: `{"ref":"B1"}`},
		{Role: llm.RoleAssistant, Content: "Booked for Monday."},
		{ID: "8", Role: llm.RoleUser, Content: "and a photo"},
		{Role: llm.RoleAssistant, Content: "Nice."},
	}
	var out bytes.Buffer
	if err := printTranscript(&out, "whatsapp:+15551234567", wireTranscript(wire, msgs)); err != nil {
		t.Fatal(err)
	}
	want := `whatsapp:+15551234567 · 4 messages

2026-03-02 09:30  Ana: 
    voice note: "book me on Monday"

2026-03-02 09:30  assistant: Booked for Monday.
    tool request_booking {"start":"monday"}
      → {"ref":"B1"}
    (delivered)

2026-03-02 09:31  Ana: and a photo
    attachment: image/jpeg

2026-03-02 09:32  assistant: Nice.
    (failed: 63016 outside the window)
`
	if got := out.String(); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

// TestReadOnlyCommandsCreateNothing: on a fresh directory the commands
// that only read say which database they looked for and create neither it
// nor its directory; erase says there is nothing stored.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := envMap(map[string]string{"ASSISTANT_DATA_DIR": dir})
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"threads", "list"}, 1, "", "no database at " + filepath.Join(dir, "assistant.db")},
		{[]string{"threads", "show", "+15551234567"}, 1, "", "ASSISTANT_DATA_DIR=" + dir},
		{[]string{"threads", "checkpoints", "+15551234567"}, 1, "", "no database at"},
		{[]string{"threads", "erase", "+1 555 123 4567", "--yes"}, 0, "nothing stored for whatsapp:+15551234567", ""},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, env, strings.NewReader(""), &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("%v: exit %d stdout %q stderr %q", tc.args, code, out.String(), errb.String())
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%v created %s (stat: %v)", tc.args, dir, err)
		}
	}
}

// TestThreadsEraseAsksFirst: erase asks for confirmation and erases only
// on a yes, or with -yes.
func TestThreadsEraseAsksFirst(t *testing.T) {
	env := envMap(map[string]string{"ASSISTANT_DATA_DIR": t.TempDir()})
	var out, errb bytes.Buffer
	// A conversation to erase: a chat turn with no model still stores the
	// message.
	if code := run(context.Background(), []string{"chat", "-env-file", "", "-thread", "+15551234567"}, env, strings.NewReader("hello\n"), &out, &errb); code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, errb.String())
	}
	stored := func() bool {
		var o, e bytes.Buffer
		return run(context.Background(), []string{"threads", "show", "+15551234567"}, env, strings.NewReader(""), &o, &e) == 0
	}
	if !stored() {
		t.Fatal("the chat stored nothing")
	}
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
		gone  bool
	}{
		{[]string{"threads", "erase", "+15550000000"}, "", "nothing stored for whatsapp:+15550000000", false},
		{[]string{"threads", "erase", "+1 555 123 4567"}, "n\n", "nothing erased", false},
		{[]string{"threads", "erase", "+15551234567"}, "", "nothing erased", false},
		{[]string{"threads", "erase", "+15551234567", "-yes"}, "", "erased whatsapp:+15551234567", true},
	} {
		out.Reset()
		errb.Reset()
		code := run(context.Background(), tc.args, env, strings.NewReader(tc.stdin), &out, &errb)
		if code != 0 || !strings.Contains(out.String(), tc.want) {
			t.Fatalf("%v: exit %d stdout %q stderr %q", tc.args, code, out.String(), errb.String())
		}
		if stored() == tc.gone {
			t.Fatalf("%v: stored = %v afterwards", tc.args, !tc.gone)
		}
	}
}

// TestDataDirNotWritable: a data directory that cannot be created or
// written is named in the error, with what to do.
func TestDataDirNotWritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir, want string
		asRoot    bool // root writes anywhere: the case cannot be made
	}{
		{filepath.Join(file, "data"), "ASSISTANT_DATA_DIR=" + filepath.Join(file, "data") + " cannot be created", true},
		{readOnly, "ASSISTANT_DATA_DIR=" + readOnly + " cannot be written", false},
	} {
		if !tc.asRoot && os.Geteuid() == 0 {
			t.Logf("%s: skipped as root", tc.dir)
			continue
		}
		var out, errb bytes.Buffer
		env := envMap(map[string]string{"ASSISTANT_DATA_DIR": tc.dir, "OLLAMA_HOST": "http://127.0.0.1:1"})
		code := run(context.Background(), []string{"migrate", "-env-file", ""}, env, strings.NewReader(""), &out, &errb)
		if code == 0 || !strings.Contains(errb.String(), tc.want) || !strings.Contains(errb.String(), "set ASSISTANT_DATA_DIR to another directory") {
			t.Errorf("%s: exit %d, stderr %q; want it to say %q", tc.dir, code, errb.String(), tc.want)
		}
	}
}
