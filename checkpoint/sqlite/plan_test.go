package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
)

// TestHotQueriesSeekOnFreshTables asks SQLite, without statistics (no
// ANALYZE ever ran), how it plans the reads of every turn: each must seek
// with all its bounds in the index, never scan the thread's rows.
func TestHotQueriesSeekOnFreshTables(t *testing.T) {
	db := newDB(t)
	for _, tc := range []struct {
		name, query string
		args        []any
		want        string
	}{
		{"log tail", sqlite.LogRange, []any{"t", "", "messages", 10, 12},
			"USING PRIMARY KEY (thread_id=? AND branch=? AND channel=? AND seq>? AND seq<?)"},
		{"latest", sqlite.LatestQuery, []any{"t"}, "USING INDEX checkpoints_thread_seq (thread_id=?)"},
	} {
		rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if got := strings.Join(plan, "; "); !strings.Contains(got, tc.want) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s: plan %q, want %q and no sort", tc.name, got, tc.want)
		}
	}
}
