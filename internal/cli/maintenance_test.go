package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
)

// compacting is a saver that can give back room, as PostgreSQL's can.
type compacting struct {
	checkpoint.Saver
	done  bool
	err   error
	calls int
}

func (c *compacting) Compact(context.Context) (bool, error) {
	c.calls++
	return c.done, c.err
}

func TestCompactAfterPruning(t *testing.T) {
	for _, tc := range []struct {
		name    string
		saver   checkpoint.Saver
		wantErr bool
		wantLog string
	}{
		{"a saver with nothing to rebuild", memory.New(), false, ""},
		{"nothing worth rebuilding yet", &compacting{Saver: memory.New()}, false, ""},
		{"rebuilt", &compacting{Saver: memory.New(), done: true}, false, "checkpoint indexes rebuilt"},
		{"failed", &compacting{Saver: memory.New(), err: errors.New("lock timeout")}, true, "checkpoint indexes not rebuilt; the next run tries again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := compact(context.Background(), tc.saver, slog.New(slog.NewTextHandler(&buf, nil)))
			if (err != nil) != tc.wantErr {
				t.Fatalf("compact = %v, want error %v", err, tc.wantErr)
			}
			if c, ok := tc.saver.(*compacting); ok && c.calls != 1 {
				t.Errorf("Compact called %d times, want 1", c.calls)
			}
			if got := buf.String(); (tc.wantLog == "") != (got == "") || !strings.Contains(got, tc.wantLog) {
				t.Errorf("log = %q, want %q", got, tc.wantLog)
			}
		})
	}
}
