package console

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Usage counts the model's tokens per local day, for the overview's
// "Model tokens" figures. Add is called for every model call and only
// adds to counts in memory; Flush writes them (table model_usage, one row
// per day and model), so a busy assistant pays one small write every few
// seconds, not one per call. It is safe for concurrent use.
type Usage struct {
	db  *sql.DB
	loc *time.Location
	now func() time.Time

	mu      sync.Mutex
	pending map[usageKey]usageCount
}

type usageKey struct{ day, model string }

type usageCount struct{ calls, input, output int64 }

// NewUsage returns the usage counter over db (PostgreSQL or SQLite, with
// the migrations applied), counting days in loc (nil: UTC).
func NewUsage(db *sql.DB, loc *time.Location) *Usage {
	if loc == nil {
		loc = time.UTC
	}
	return &Usage{db: db, loc: loc, now: time.Now, pending: map[usageKey]usageCount{}}
}

// Add counts one model call of model with its input and output tokens.
func (u *Usage) Add(model string, input, output int) {
	if u == nil {
		return
	}
	k := usageKey{day: u.now().In(u.loc).Format(time.DateOnly), model: model}
	u.mu.Lock()
	defer u.mu.Unlock()
	c := u.pending[k]
	c.calls++
	c.input += int64(input)
	c.output += int64(output)
	u.pending[k] = c
}

// Flush writes the counts added since the last Flush. On an error the
// counts are kept for the next one.
func (u *Usage) Flush(ctx context.Context) error {
	u.mu.Lock()
	batch := u.pending
	u.pending = map[usageKey]usageCount{}
	u.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := u.write(ctx, batch)
	if err != nil {
		u.mu.Lock()
		for k, c := range batch {
			p := u.pending[k]
			u.pending[k] = usageCount{calls: p.calls + c.calls, input: p.input + c.input, output: p.output + c.output}
		}
		u.mu.Unlock()
	}
	return err
}

func (u *Usage) write(ctx context.Context, batch map[usageKey]usageCount) error {
	tx, err := u.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("console: model usage: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for k, c := range batch {
		// The same statement on both databases: ON CONFLICT … DO UPDATE
		// with excluded is PostgreSQL's and SQLite's alike.
		if _, err := tx.ExecContext(ctx, `INSERT INTO model_usage (day, model, calls, input_tokens, output_tokens)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (day, model) DO UPDATE SET calls = model_usage.calls + excluded.calls,
				input_tokens = model_usage.input_tokens + excluded.input_tokens,
				output_tokens = model_usage.output_tokens + excluded.output_tokens`,
			k.day, k.model, c.calls, c.input, c.output); err != nil {
			return fmt.Errorf("console: model usage: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("console: model usage: %w", err)
	}
	return nil
}

// Run flushes every interval until ctx is done, then once more.
func (u *Usage) Run(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := u.Flush(context.WithoutCancel(ctx)); err != nil && onErr != nil {
				onErr(err)
			}
			return
		case <-t.C:
			if err := u.Flush(ctx); err != nil && onErr != nil {
				onErr(err)
			}
		}
	}
}

// TokensPerDay returns the tokens (input and output) of each day from the
// local day from on (YYYY-MM-DD), as flushed.
func (u *Usage) TokensPerDay(ctx context.Context, from string) (map[string]int64, error) {
	rows, err := u.db.QueryContext(ctx, `SELECT day, SUM(input_tokens + output_tokens) FROM model_usage
		WHERE day >= $1 GROUP BY day`, from)
	if err != nil {
		return nil, fmt.Errorf("console: model usage: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var day string
		var n int64
		if err := rows.Scan(&day, &n); err != nil {
			return nil, fmt.Errorf("console: model usage: %w", err)
		}
		out[day] = n
	}
	return out, rows.Err()
}
