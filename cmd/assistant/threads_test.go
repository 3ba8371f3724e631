package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
)

func seedThreads(t *testing.T) (*memory.Saver, []checkpoint.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	s := memory.New()
	const id = "whatsapp:+15551234567"
	first := checkpoint.Checkpoint{
		ThreadID: id, ID: checkpoint.NewID(), Step: 0, Version: 1, Source: "input",
		Values:  map[string][]byte{"plan": []byte(`{"goal":"book","slots":[1,2]}`), "raw": []byte("not json")},
		LogLens: map[string]int{"messages": 2}, Next: []string{"chat"},
		Metadata: map[string]string{"run": "r1"},
	}
	if err := s.Put(ctx, first, map[string][][]byte{"messages": {
		[]byte(`{"role":"user","content":"hi"}`), []byte(`{"role":"assistant","content":"hello!"}`),
	}}); err != nil {
		t.Fatal(err)
	}
	second := checkpoint.Checkpoint{
		ThreadID: id, ID: checkpoint.NewID(), ParentID: first.ID, Step: 1, Version: 1, Source: "loop",
		LogLens: map[string]int{"messages": 3},
	}
	if err := s.Put(ctx, second, map[string][][]byte{"messages": {[]byte(`{"role":"user","content":"book me in"}`)}}); err != nil {
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
			"THREAD", "CHECKPOINTS", "evolution:120363012345678901@g.us", "whatsapp:+15551234567", cps[1].ID}},
		{name: "list with prefix and limit", args: []string{"threads", "list", "--limit", "1"}, want: []string{"evolution:"}},
		{name: "show latest", args: []string{"show", "whatsapp:+15551234567"}, want: []string{
			"thread:", "whatsapp:+15551234567", "checkpoint: " + cps[1].ID, "parent:     " + cps[0].ID, "branch:     main",
			"step:       1", "values: (none)", "log messages (3 entries):",
			`[0] {`, `"role": "user"`, `"content": "hi"`, `[2] {`, `"book me in"`,
			"pending writes (1):", `interrupt owner: "approve?"`}},
		{name: "show normalizes the number", args: []string{"show", "+1 (555) 123-4567", "--last", "1"}, want: []string{
			"log messages (3 entries, last 1 shown):", "[2]"}},
		{name: "show one checkpoint", args: []string{"show", "--checkpoint", cps[0].ID, "whatsapp:15551234567"}, want: []string{
			"checkpoint: " + cps[0].ID, "next:       chat", "metadata:", "run: r1", "values:", "plan: {", `"goal": "book"`,
			`raw: "not json"`, "log messages (2 entries):"}},
		{name: "history", args: []string{"history", "whatsapp:+15551234567"}, want: []string{
			"STEP", "CHECKPOINT", cps[1].ID, "loop", "messages=3", cps[0].ID, "input", "chat"}},
		{name: "history limit", args: []string{"history", "whatsapp:+15551234567", "--limit=1"}, want: []string{cps[1].ID}},
		{name: "group thread", args: []string{"show", "evolution:120363012345678901@g.us"}, want: []string{"values: (none)"}},
		{name: "no command", args: nil, wantErr: "missing command"},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`},
		{name: "show without thread", args: []string{"show"}, wantErr: "missing THREAD"},
		{name: "unknown thread", args: []string{"show", "whatsapp:+15550000000"}, wantErr: "not found"},
		{name: "history of unknown thread", args: []string{"history", "+15550000000"}, wantErr: "not found"},
		{name: "bad flag", args: []string{"list", "--nope"}, wantErr: "flag provided but not defined"},
		{name: "extra argument", args: []string{"show", "whatsapp:+15551234567", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "help", args: []string{"help"}, want: []string{"usage: assistant threads"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runThreads(context.Background(), s, tc.args, &out)
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
	var out bytes.Buffer
	if err := runThreads(context.Background(), memory.New(), []string{"list"}, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "no threads\n" {
		t.Fatalf("output = %q", got)
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
