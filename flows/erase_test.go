package flows_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	csqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	ssqlite "github.com/switchboardhq/switchboard/store/sqlite"
)

// sqliteMentions counts, per table of the catalog, the rows with needle in
// any column.
func sqliteMentions(t *testing.T, db *sql.DB, needle string) map[string]int {
	t.Helper()
	ctx := context.Background()
	names := func(q string, args ...any) []string {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	out := map[string]int{}
	for _, table := range names(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		var conds []string
		for _, c := range names(`SELECT name FROM pragma_table_info($1)`, table) {
			conds = append(conds, fmt.Sprintf(`CAST(%q AS TEXT) LIKE $1`, c))
		}
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s`, table, strings.Join(conds, " OR ")), "%"+needle+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			out[table] = n
		}
	}
	return out
}

// TestDeleteMyData runs the conversation on the real SQLite stores: the
// request, the confirmation, and nothing of the thread left in any table.
func TestDeleteMyData(t *testing.T) {
	ctx := context.Background()
	db, err := csqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	if err := ssqlite.MigrateRiver(ctx, db); err != nil {
		t.Fatal(err)
	}
	client, err := queue.NewSQLiteInserter(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ssqlite.New(db, client)
	if err != nil {
		t.Fatal(err)
	}
	saver := csqlite.New(db)
	er, err := privacy.NewEraser(db, migrations.SQLite, saver, st)
	if err != nil {
		t.Fatal(err)
	}
	m, out := &model{}, &sender{}
	a, err := agent.New(agent.Config{Model: m, Saver: saver})
	if err != nil {
		t.Fatal(err)
	}
	r := &flows.Runner{Store: st, Agent: a, Eraser: er, Owner: "test",
		Channels: map[string]flows.Channel{"twilio": {Sender: out, MaxLength: 1600}},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: flows.NewMetrics(metrics.New())}
	n := 0
	say := func(text string) string {
		t.Helper()
		n++
		now := time.Now()
		if _, err := st.Accept(ctx, store.Inbound{Channel: "twilio", ProviderID: fmt.Sprint("SM", n), Thread: th, From: th,
			Body: text, ReceivedAt: now}, now); err != nil {
			t.Fatal(err)
		}
		before := len(out.sent)
		if _, err := r.RunThread(ctx, th); err != nil {
			t.Fatalf("RunThread(%q): %v", text, err)
		}
		return strings.Join(out.sent[before:], "|")
	}
	if got := say("hello"); got != "echo: hello" {
		t.Fatalf("hello: sent %q", got)
	}
	// The confirmation word alone, with nothing asked, is an ordinary message.
	if got := say("delete"); got != "echo: delete" {
		t.Fatalf("delete without a request: sent %q", got)
	}
	calls := len(m.reqs)
	if got := say("Delete my data!"); !strings.Contains(got, "reply DELETE") {
		t.Fatalf("request: sent %q, want the question", got)
	}
	if got := say("DELETE"); !strings.HasPrefix(got, "Done: everything stored about you has been erased") {
		t.Fatalf("confirmation: sent %q", got)
	}
	if len(m.reqs) != calls {
		t.Fatalf("the model was called %d times for the erasure", len(m.reqs)-calls)
	}
	if left := sqliteMentions(t, db, "15551234567"); len(left) > 0 {
		t.Fatalf("after the erasure, rows mention the thread: %v", left)
	}
	// Writing again starts from scratch: the model sees only the new message.
	if got := say("hi again"); got != "echo: hi again" {
		t.Fatalf("after the erasure: sent %q", got)
	}
	last := m.reqs[len(m.reqs)-1]
	for _, msg := range last.Messages {
		if strings.Contains(msg.Content, "hello") {
			t.Fatalf("the model still saw the erased conversation: %+v", last.Messages)
		}
	}
}
