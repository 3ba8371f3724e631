package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/checkpointtest"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

func TestConformance(t *testing.T) {
	pool := pgtest.New(t)
	checkpointtest.Run(t, func(t *testing.T) checkpoint.Saver { return postgres.New(pool) })
}

// TestConformancePgBouncerModes runs the suite with the query modes a
// transaction-mode pooler needs: no server-side prepared statements.
func TestConformancePgBouncerModes(t *testing.T) {
	tests := []struct {
		name   string
		suffix string // a URL parameter to add
	}{
		{"PoolConfig", ""},
		{"URLSimpleProtocol", "default_query_exec_mode=simple_protocol"},
	}
	u := pgtest.URL(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := postgres.PoolConfig(withParam(t, u, tc.suffix), true)
			if err != nil {
				t.Fatal(err)
			}
			pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			checkpointtest.Run(t, func(t *testing.T) checkpoint.Saver { return postgres.New(pool) })
		})
	}
}

// withParam adds a key=value parameter to a database URL.
func withParam(t *testing.T, raw, param string) string {
	t.Helper()
	if param == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	k, v, _ := strings.Cut(param, "=")
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}
