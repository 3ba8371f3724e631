package console

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestUsage(t *testing.T) {
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		u := NewUsage(d.db, madrid)
		// 23:30 UTC on 5 December is already the 6th in Madrid.
		at := time.Date(2026, 12, 5, 22, 30, 0, 0, time.UTC)
		u.now = func() time.Time { return at }
		u.Add("gpt-4.1-mini", 1000, 200) // the 5th
		at = time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC)
		u.Add("gpt-4.1-mini", 300, 20) // the 6th
		u.Add("claude-haiku-4-5", 50, 5)
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		u.Add("gpt-4.1-mini", 10, 1) // added to the stored row
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil { // nothing to write
			t.Fatal(err)
		}
		got, err := u.TokensPerDay(ctx, "2026-12-05")
		if err != nil {
			t.Fatal(err)
		}
		if got["2026-12-05"] != 1200 || got["2026-12-06"] != 386 || len(got) != 2 {
			t.Errorf("tokens per day = %v, want 1200 on the 5th and 386 on the 6th", got)
		}
		if got, _ := u.TokensPerDay(ctx, "2026-12-06"); len(got) != 1 {
			t.Errorf("from the 6th: %v", got)
		}
		var calls int64
		if err := d.db.QueryRowContext(ctx, `SELECT SUM(calls) FROM model_usage`).Scan(&calls); err != nil || calls != 4 {
			t.Errorf("calls = %d, %v; want 4", calls, err)
		}
	})
}

// TestUsageKeepsCountsWhenTheWriteFails: a failed Flush loses nothing;
// the next one writes it.
func TestUsageKeepsCountsWhenTheWriteFails(t *testing.T) {
	d := sqliteDB(t)
	ctx := context.Background()
	u := NewUsage(d.db, time.UTC)
	u.Add("m", 100, 10)
	if _, err := d.db.ExecContext(ctx, `ALTER TABLE model_usage RENAME TO model_usage_away`); err != nil {
		t.Fatal(err)
	}
	if err := u.Flush(ctx); err == nil {
		t.Fatal("Flush into a missing table succeeded")
	}
	if _, err := d.db.ExecContext(ctx, `ALTER TABLE model_usage_away RENAME TO model_usage`); err != nil {
		t.Fatal(err)
	}
	u.Add("m", 1, 1)
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := u.TokensPerDay(ctx, "2000-01-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		if n != 112 {
			t.Errorf("tokens = %v, want 112 (nothing lost)", got)
		}
	}
}

func TestOverviewShowsTokens(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		usage := NewUsage(d.db, time.UTC)
		h := newHarness(t, d, func(c *Config) { c.Usage = usage; c.Location = time.UTC })
		usage.now = h.c.now
		usage.Add("gpt-4.1-mini", 12000, 345)
		if err := usage.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := h.signIn("owner", ownerPassword).get("/console/")
		if r.status != 200 {
			t.Fatalf("overview: %d", r.status)
		}
		for _, want := range []string{"Model tokens", "12.3k", "· 12.3k tok"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
	})
}

func TestTokensText(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 950: "950", 12345: "12.3k", 4_100_000: "4.1M"} {
		if got := tokensText(n); got != want {
			t.Errorf("tokensText(%d) = %q, want %q", n, got, want)
		}
	}
}
