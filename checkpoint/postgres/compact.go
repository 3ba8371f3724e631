package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
)

var _ checkpoint.Compacter = (*Saver)(nil)

// CompactMin is the fewest checkpoints Prune must have removed since the
// last rebuild before Compact rebuilds anything: below it a rebuild would
// give back a few pages for a scan of the whole table.
const CompactMin = 1000

// Compact implements checkpoint.Compacter. It rebuilds the indexes of the
// checkpoints and their logs (REINDEX TABLE CONCURRENTLY, which never
// blocks a turn's reads and writes) once the checkpoints this Saver's
// Prune removed since the last rebuild are at least CompactMin and as many
// as the rows left: by then at least half of each index's entries are gone
// from pages that only a rebuild frees. The count is this process's: with
// several processes taking turns at maintenance, a rebuild comes later,
// never sooner.
//
// A rebuild cut short (a cancelled context, a crash) leaves an invalid
// index behind, which PostgreSQL keeps updating but never reads; the next
// Compact drops it first.
func (s *Saver) Compact(ctx context.Context) (bool, error) {
	pruned := s.pruned.Load()
	if pruned < CompactMin {
		return false, nil
	}
	// reltuples is the row count as of the last VACUUM or ANALYZE, -1
	// when there was none: then only CompactMin applies.
	var live float64
	if err := s.pool.QueryRow(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'checkpoints'::regclass").Scan(&live); err != nil {
		return false, fmt.Errorf("postgres: compact: %w", err)
	}
	if float64(pruned) < live {
		return false, nil
	}
	if err := s.dropUnfinishedRebuilds(ctx); err != nil {
		return false, err
	}
	// The tables whose indexes Prune leaves sparse: it deletes
	// checkpoints, and moves log rows into chunks.
	for _, table := range []string{"checkpoints", "checkpoint_logs"} {
		// REINDEX CONCURRENTLY cannot run inside a transaction: each is
		// its own statement.
		if _, err := s.pool.Exec(ctx, "REINDEX TABLE CONCURRENTLY "+pgx.Identifier{table}.Sanitize()); err != nil {
			return false, fmt.Errorf("postgres: compact %s: %w", table, err)
		}
	}
	s.pruned.Add(-pruned)
	return true, nil
}

// dropUnfinishedRebuilds drops the invalid indexes an interrupted REINDEX
// CONCURRENTLY of the compacted tables left (named …_ccnew or …_ccold).
func (s *Saver) dropUnfinishedRebuilds(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT n.nspname, c.relname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE i.indrelid = ANY(ARRAY['checkpoints'::regclass, 'checkpoint_logs'::regclass])
		AND NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]*$'`)
	if err != nil {
		return fmt.Errorf("postgres: compact: %w", err)
	}
	names, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgx.Identifier, error) {
		var schema, name string
		err := r.Scan(&schema, &name)
		return pgx.Identifier{schema, name}, err
	})
	if err != nil {
		return fmt.Errorf("postgres: compact: %w", err)
	}
	for _, name := range names {
		if _, err := s.pool.Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+name.Sanitize()); err != nil {
			return fmt.Errorf("postgres: compact: drop the unfinished rebuild %s: %w", name.Sanitize(), err)
		}
	}
	return nil
}
