// Package pgtest gives tests a real, empty PostgreSQL database of their own.
//
// Tests never mock Postgres. The server is the one at TEST_DATABASE_URL;
// `make test` (scripts/with-postgres.sh) starts a throwaway one when that is
// unset. Each call creates a uniquely named database on that server, applies
// the migrations, and drops the database when the test ends.
//
// When TEST_DATABASE_URL is unset the test is skipped with a message saying
// to run `make test`, except on CI (CI=true), where it fails instead so a
// misconfigured pipeline cannot pass by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/migrations"
)

// EnvURL is the variable naming the test server.
const EnvURL = "TEST_DATABASE_URL"

// ServerURL returns TEST_DATABASE_URL, skipping the test when it is unset
// (failing it when CI=true).
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		msg := EnvURL + " is not set: this test needs PostgreSQL. Run `make test`, which starts a throwaway server " +
			"(scripts/with-postgres.sh), or set " + EnvURL + "=postgres://user:pass@host:5432/postgres"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

// EmptyURL creates a fresh database with no tables and returns its URL. The
// database is dropped when the test ends.
func EmptyURL(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", redact(server), err)
	}
	defer admin.Close(ctx)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "sbtest_" + sanitize(t.Name()) + "_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s is not a URL: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// URL creates a fresh, migrated database and returns its URL. The database
// is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	u := EmptyURL(t)
	pool := connect(t, u)
	db := migrations.OpenPostgres(pool)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := migrations.Up(ctx, db, migrations.Postgres); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	pool.Close()
	return u
}

// New returns a pool on a fresh, migrated database. The pool is closed and
// the database dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return connect(t, URL(t))
}

func connect(t testing.TB, u string) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// sanitize keeps a recognizable, short, identifier-safe part of a test name.
func sanitize(name string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
		if sb.Len() >= 30 {
			break
		}
	}
	return sb.String()
}

// redact hides the password of a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the server"
	}
	return u.Redacted()
}
