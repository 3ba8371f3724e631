package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

func put(t testing.TB, s checkpoint.Saver, thread, parent string, step int, lens int, app ...string) checkpoint.Checkpoint {
	t.Helper()
	cp := checkpoint.Checkpoint{
		ThreadID: thread, ID: checkpoint.NewID(), ParentID: parent, Step: step, Version: 1,
		Values:   map[string][]byte{"count": []byte(fmt.Sprint(step))},
		LogLens:  map[string]int{"messages": lens},
		Metadata: map[string]string{"run": "r"},
	}
	var entries [][]byte
	for _, a := range app {
		entries = append(entries, []byte(a))
	}
	if err := s.Put(context.Background(), cp, map[string][][]byte{"messages": entries}); err != nil {
		t.Fatalf("Put step %d: %v", step, err)
	}
	return cp
}

// TestConflictManyWriters races many goroutines, each on its own connection,
// to advance one thread from the same parent, round after round, while other
// threads advance in parallel without ever conflicting.
func TestConflictManyWriters(t *testing.T) {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 48
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s := postgres.New(pool)

	const writers, rounds = 32, 5
	thread := "whatsapp:+15550000001"
	head := put(t, s, thread, "", 0, 1, `"hello"`)
	for round := 1; round <= rounds; round++ {
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			winners []checkpoint.Checkpoint
			errs    []error
		)
		start := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cp := checkpoint.Checkpoint{ThreadID: thread, ID: checkpoint.NewID(), ParentID: head.ID, Step: round,
					LogLens: map[string]int{"messages": head.LogLens["messages"] + 1}}
				<-start
				err := s.Put(ctx, cp, map[string][][]byte{"messages": {[]byte(fmt.Sprintf(`{"round":%d,"writer":%d}`, round, w))}})
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					winners = append(winners, cp)
				} else {
					errs = append(errs, err)
				}
			}()
		}
		// Other threads advance at the same time and never conflict.
		others := make([]error, 8)
		for i := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				cp := checkpoint.Checkpoint{ThreadID: fmt.Sprintf("whatsapp:+1555100%02d%02d", round, i), ID: checkpoint.NewID(),
					LogLens: map[string]int{"messages": 1}}
				others[i] = s.Put(ctx, cp, map[string][][]byte{"messages": {[]byte(`"x"`)}})
			}()
		}
		close(start)
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: %d winners, want 1", round, len(winners))
		}
		for _, err := range errs {
			if !errors.Is(err, checkpoint.ErrConflict) {
				t.Fatalf("round %d: loser got %v, want ErrConflict", round, err)
			}
		}
		for i, err := range others {
			if err != nil {
				t.Fatalf("round %d: independent thread %d: %v", round, i, err)
			}
		}
		head = winners[0]
	}
	got, err := s.Latest(ctx, thread)
	if err != nil {
		t.Fatal(err)
	}
	if got.Checkpoint.ID != head.ID || len(got.Logs["messages"]) != rounds+1 {
		t.Fatalf("latest = %s with %d entries, want %s with %d", got.Checkpoint.ID, len(got.Logs["messages"]), head.ID, rounds+1)
	}
	var rows int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM checkpoint_logs WHERE thread_id = $1", thread).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != rounds+1 {
		t.Fatalf("%d log rows, want %d: losers must write nothing", rows, rounds+1)
	}
}

// threadTables lists every checkpoint table with a thread_id column, so a
// checkpoint table added later is checked too. (Domain tables keyed by
// thread, such as calendar events, are not the saver's to delete.)
func threadTables(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'thread_id' AND table_name LIKE 'checkpoint%'
		ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeleteThreadLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.New(pool)
	const thread, other = "whatsapp:+15550000002", "whatsapp:+15550000003"
	a := put(t, s, thread, "", 0, 2, `"a"`, `"b"`)
	b := put(t, s, thread, a.ID, 1, 3, `"c"`)
	if _, err := s.Fork(ctx, thread, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, thread, b.ID, []checkpoint.Write{{Node: "n", Kind: checkpoint.WriteUpdate, Value: []byte(`1`)}}); err != nil {
		t.Fatal(err)
	}
	put(t, s, other, "", 0, 1, `"keep"`)
	// A long log, compacted by Prune: the thread has chunks too.
	long := make([]string, 250)
	for i := range long {
		long[i] = fmt.Sprintf(`"m%d"`, i)
	}
	put(t, s, thread, b.ID, 2, 253, long...)
	if _, err := s.Prune(ctx, thread, checkpoint.PruneOptions{RecentTurns: 1}); err != nil {
		t.Fatal(err)
	}

	tables := threadTables(t, pool)
	if want := []string{"checkpoint_log_chunks", "checkpoint_logs", "checkpoint_writes", "checkpoints"}; fmt.Sprint(tables) != fmt.Sprint(want) {
		t.Fatalf("tables with thread_id = %v, want %v", tables, want)
	}
	count := func(table, id string) int {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE thread_id = $1", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range tables {
		if count(table, thread) == 0 {
			t.Fatalf("test setup: no rows of the thread in %s", table)
		}
	}
	if err := s.DeleteThread(ctx, thread); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if n := count(table, thread); n != 0 {
			t.Errorf("%s still holds %d rows of the deleted thread", table, n)
		}
	}
	if count("checkpoints", other) != 1 || count("checkpoint_logs", other) != 1 {
		t.Fatal("DeleteThread touched another thread")
	}
}

func TestCorruptRows(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.New(pool)
	tests := []struct {
		name   string
		damage string // SQL run with $1 = thread, $2 = checkpoint id
		want   string
	}{
		{"values not JSON", `UPDATE checkpoints SET vals = '\x00ff'::bytea WHERE thread_id = $1 AND id = $2`, "values"},
		{"values not base64", `UPDATE checkpoints SET vals = convert_to('{"count":"***"}', 'UTF8') WHERE thread_id = $1 AND id = $2`, "values"},
		{"log lengths not an object", `UPDATE checkpoints SET log_lens = '"x"' WHERE thread_id = $1 AND id = $2`, "log lengths"},
		{"log length negative", `UPDATE checkpoints SET log_lens = '{"messages": -1}' WHERE thread_id = $1 AND id = $2`, "log lengths"},
		{"metadata null", `UPDATE checkpoints SET metadata = 'null' WHERE thread_id = $1 AND id = $2`, "metadata"},
		{"next not a list", `UPDATE checkpoints SET next = '{}' WHERE thread_id = $1 AND id = $2`, "next"},
		{"log entry missing", `DELETE FROM checkpoint_logs WHERE thread_id = $1 AND seq = 0 AND $2 <> ''`, "log"},
		{"log longer than stored", `UPDATE checkpoints SET log_lens = '{"messages": 5}' WHERE thread_id = $1 AND id = $2`, "log"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			thread := fmt.Sprintf("whatsapp:+1555200%04d", i)
			cp := put(t, s, thread, "", 0, 2, `"a"`, `"b"`)
			if _, err := pool.Exec(ctx, tc.damage, thread, cp.ID); err != nil {
				t.Fatal(err)
			}
			check := func(op string, err error) {
				t.Helper()
				var ce *checkpoint.CorruptError
				if !errors.As(err, &ce) {
					t.Fatalf("%s: %v, want *checkpoint.CorruptError", op, err)
				}
				if ce.ThreadID != thread || ce.CheckpointID != cp.ID || !strings.Contains(ce.Error(), tc.want) {
					t.Fatalf("%s: %v (thread %q, checkpoint %q), want it to name %s, %s and %q", op, ce, ce.ThreadID, ce.CheckpointID, thread, cp.ID, tc.want)
				}
			}
			_, err := s.Latest(ctx, thread)
			check("Latest", err)
			_, err = s.Get(ctx, thread, cp.ID)
			check("Get", err)
			if !strings.HasPrefix(tc.name, "log") {
				_, err = s.List(ctx, thread, checkpoint.ListOptions{})
				check("List", err)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	url := "postgres://user:secret@" + addr + "/db?connect_timeout=2&sslmode=disable"

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = postgres.NewPool(ctx, url, false)
	if err == nil || !strings.Contains(err.Error(), "unreachable") || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("NewPool to a closed port: %v, want a clear 'unreachable' error naming the host", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("error leaks the password: %v", err)
	}

	// A lazily connected pool: the saver reports the failure, it does not hang or panic.
	cfg, err := postgres.PoolConfig(url, false)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s := postgres.New(pool)
	cp := checkpoint.Checkpoint{ThreadID: "whatsapp:+15550000009", ID: checkpoint.NewID()}
	if err := s.Put(ctx, cp, nil); err == nil || !strings.Contains(err.Error(), "checkpoint/postgres") {
		t.Fatalf("Put against a closed port: %v", err)
	}
	if _, err := s.Latest(ctx, cp.ThreadID); err == nil || errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Latest against a closed port: %v, want a connection error", err)
	}
	if _, err := postgres.PoolConfig("postgres://[::1", false); err == nil {
		t.Fatal("PoolConfig accepted a malformed URL")
	}
}

// TestPgBouncerModeUsesNoPreparedStatements checks, on a one-connection pool,
// that the saver leaves no server-side prepared statement behind in the
// PgBouncer configuration, and does in the default one.
func TestPgBouncerModeUsesNoPreparedStatements(t *testing.T) {
	u := pgtest.URL(t)
	tests := []struct {
		pgbouncer bool
		wantZero  bool
	}{
		{pgbouncer: true, wantZero: true},
		{pgbouncer: false, wantZero: false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("pgbouncer=%v", tc.pgbouncer), func(t *testing.T) {
			ctx := context.Background()
			cfg, err := postgres.PoolConfig(u, tc.pgbouncer)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.HealthCheckPeriod != postgres.HealthCheckPeriod {
				t.Fatalf("HealthCheckPeriod = %v", cfg.HealthCheckPeriod)
			}
			cfg.MaxConns = 1
			pool, err := pgxpool.NewWithConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			s := postgres.New(pool)
			thread := fmt.Sprintf("whatsapp:+1555300000%d", map[bool]int{true: 1, false: 2}[tc.pgbouncer])
			a := put(t, s, thread, "", 0, 1, `"a"`)
			put(t, s, thread, a.ID, 1, 2, `"b"`)
			if _, err := s.Latest(ctx, thread); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_prepared_statements").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if (n == 0) != tc.wantZero {
				t.Fatalf("%d prepared statements on the connection, want zero: %v", n, tc.wantZero)
			}
		})
	}
}

// TestDeleteThreadRacingPuts deletes a thread again and again while a writer
// keeps advancing it: whatever survives must load whole, never with log rows
// missing (DeleteThread waits for in-flight Puts through the per-thread
// advisory lock).
func TestDeleteThreadRacingPuts(t *testing.T) {
	ctx := context.Background()
	s := postgres.New(pgtest.New(t))
	const thread = "whatsapp:+15555000000"
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			cp := checkpoint.Checkpoint{ThreadID: thread, ID: checkpoint.NewID(), Step: i}
			n := 0
			if head, err := s.Latest(ctx, thread); err == nil {
				cp.ParentID, n = head.Checkpoint.ID, head.Checkpoint.LogLens["m"]
			}
			cp.LogLens = map[string]int{"m": n + 2}
			err := s.Put(ctx, cp, map[string][][]byte{"m": {[]byte(`"a"`), []byte(`"b"`)}})
			if err != nil && !errors.Is(err, checkpoint.ErrInvalid) && !errors.Is(err, checkpoint.ErrConflict) {
				t.Errorf("Put: %v", err)
				return
			}
		}
	}()
	for range 30 {
		time.Sleep(2 * time.Millisecond)
		if err := s.DeleteThread(ctx, thread); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	list, err := s.List(ctx, thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, cp := range list {
		if _, err := s.Get(ctx, thread, cp.ID); err != nil {
			t.Fatalf("checkpoint %s after the race: %v", cp.ID, err)
		}
	}
}

// TestPutFromErasedParent: the saver remembers the checkpoints it wrote so
// the next Put need not read its parent back; a parent erased meanwhile
// must still be refused, with nothing written.
func TestPutFromErasedParent(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.New(pool)
	head := seed(t, s, "whatsapp:+15555000001", 4)
	next, app := turn(head, 2)
	if err := s.Put(ctx, next, app); err != nil { // the fast path: the parent is remembered
		t.Fatal(err)
	}
	if err := s.DeleteThread(ctx, next.ThreadID); err != nil {
		t.Fatal(err)
	}
	orphan, app := turn(next, 2)
	if err := s.Put(ctx, orphan, app); !errors.Is(err, checkpoint.ErrInvalid) || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("Put after the parent was erased = %v, want ErrInvalid: parent not found", err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM checkpoints) + (SELECT count(*) FROM checkpoint_logs)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d rows written for a checkpoint whose parent is gone", n)
	}
	// A wrong append is refused from the remembered lengths too.
	head = seed(t, s, "whatsapp:+15555000002", 4)
	bad, app := turn(head, 2)
	bad.LogLens["messages"]++
	if err := s.Put(ctx, bad, app); !errors.Is(err, checkpoint.ErrInvalid) {
		t.Fatalf("Put with a gap in the log = %v, want ErrInvalid", err)
	}
}
