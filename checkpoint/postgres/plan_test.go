package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// blocks runs EXPLAIN (ANALYZE, BUFFERS) of query with args on conn, in a
// transaction it rolls back, and returns the shared blocks the statement
// touched.
func blocks(t *testing.T, conn *pgxpool.Conn, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var out []byte
	if err := tx.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+query, args...).Scan(&out); err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	var plans []struct {
		Plan struct {
			Hit  int `json:"Shared Hit Blocks"`
			Read int `json:"Shared Read Blocks"`
		}
	}
	if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 {
		t.Fatalf("explain output %s: %v", out, err)
	}
	return plans[0].Plan.Hit + plans[0].Plan.Read
}

// TestHotQueriesStayFlatOnFreshTables runs the statements of a turn — the
// one-round-trip Put of a chain, the loads, the slow path's parent read — against a
// thread of 100 and then of 2,000 checkpoints on tables that were never
// analyzed, with generic and custom plans, and requires each to touch
// about as many blocks at both sizes: a plan that filters the thread's
// rows instead of seeking to one touches ever more.
func TestHotQueriesStayFlatOnFreshTables(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 2,000 checkpoints")
	}
	pool := pgtest.New(t)
	freshTables(t, pool)
	s := postgres.New(pool)
	ctx := context.Background()
	const thread = "whatsapp:+15551234567"
	head := checkpoint.Checkpoint{ThreadID: thread, LogLens: map[string]int{"messages": 0}, Step: -1}
	grow := func(to int) {
		for head.Step+1 < to {
			cp, app := turn(head, 1)
			if head.ID == "" {
				cp.ParentID = ""
			}
			if err := s.Put(ctx, cp, app); err != nil {
				t.Fatal(err)
			}
			head = cp
		}
	}
	type stmt struct {
		name  string
		query string
		args  func() []any
	}
	stmts := []stmt{
		{"insert a long chain with its logs (PutBatch)", postgres.InsertChain, func() []any {
			a, b := checkpoint.NewID(), checkpoint.NewID()
			n := int32(head.LogLens["messages"])
			return []any{thread, head.ID, "", []string{a, b}, []string{head.ID, a},
				[]int64{int64(head.Step + 1), int64(head.Step + 2)}, []int32{1, 1}, [][]byte{[]byte(`{}`), []byte(`{}`)},
				[]string{fmt.Sprintf(`{"messages":%d}`, n+1), fmt.Sprintf(`{"messages":%d}`, n+2)}, []string{`["chat"]`, `[]`},
				[]string{"loop", "loop"}, []string{`{}`, `{}`},
				[]string{"messages", "messages"}, []int32{n, n + 1}, [][]byte{[]byte(`{}`), []byte(`{}`)}}
		}},
		{"insert a short chain with its logs (Put, PutBatch)", postgres.InsertChainValues, func() []any {
			a, b := checkpoint.NewID(), checkpoint.NewID()
			n := int32(head.LogLens["messages"])
			return []any{thread, head.ID, "",
				a, head.ID, int64(head.Step + 1), int32(1), []byte(`{}`), fmt.Sprintf(`{"messages":%d}`, n+1), `["chat"]`, "loop", `{}`,
				b, a, int64(head.Step + 2), int32(1), []byte(`{}`), fmt.Sprintf(`{"messages":%d}`, n+2), `[]`, "loop", `{}`,
				[]string{"messages", "messages"}, []int32{n, n + 1}, [][]byte{[]byte(`{}`), []byte(`{}`)}}
		}},
		{"latest", postgres.LatestQuery, func() []any { return []any{thread} }},
		{"log tail", postgres.LogRange, func() []any {
			n := int32(head.LogLens["messages"])
			return []any{thread, "", "messages", n - 2, n}
		}},
		{"log chunks", postgres.ChunkRange, func() []any {
			n := int32(head.LogLens["messages"])
			return []any{thread, "", "messages", n - 2, n}
		}},
		{"pending writes", postgres.WritesQuery, func() []any { return []any{thread, head.ID} }},
		{"get", postgres.GetQuery, func() []any { return []any{thread, head.ParentID} }},
		{"parent", postgres.ParentQuery, func() []any { return []any{thread, head.ParentID} }},
	}
	measure := func(mode string) map[string]int {
		conn, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SET plan_cache_mode = "+mode); err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, st := range stmts {
			out[st.name] = blocks(t, conn, st.query, st.args()...)
		}
		return out
	}
	modes := []string{"force_generic_plan", "force_custom_plan"}
	grow(100)
	small := map[string]map[string]int{}
	for _, m := range modes {
		small[m] = measure(m)
	}
	grow(2000)
	var analyzed bool
	if err := pool.QueryRow(ctx, "SELECT last_autoanalyze IS NOT NULL OR last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'checkpoints'").Scan(&analyzed); err != nil {
		t.Fatal(err)
	}
	if analyzed {
		t.Fatal("the checkpoints table was analyzed: the test needs it fresh")
	}
	for _, m := range modes {
		large := measure(m)
		for _, st := range stmts {
			a, b := small[m][st.name], large[st.name]
			t.Logf("%s, %s: %d blocks at 100 checkpoints, %d at 2,000", m, st.name, a, b)
			// An index one level deeper costs a block or two per lookup.
			if b > a+3 {
				t.Errorf("%s, %s: %d blocks at 100 checkpoints, %d at 2,000: the plan scans the thread", m, st.name, a, b)
			}
		}
	}
}
