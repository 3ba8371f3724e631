// Package drivertest is the conformance suite of backend.Driver: what the
// shared store relies on from every database's driver, below store.Store
// (which store/storetest proves). A driver's test calls Run with a driver
// on a fresh, migrated database.
package drivertest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/store/internal/backend"
)

// Run runs the suite. newDriver is called once per subtest.
func Run[TTx any](t *testing.T, newDriver func(t *testing.T) backend.Driver[TTx]) {
	tests := []struct {
		name string
		fn   func(t *testing.T, d backend.Driver[TTx])
	}{
		{"NoRows", testNoRows[TTx]},
		{"TimeRoundTrip", testTimeRoundTrip[TTx]},
		{"ExecRowsAffected", testExecRowsAffected[TTx]},
		{"Int64List", testInt64List[TTx]},
		{"InTx", testInTx[TTx]},
		{"InsertInbound", testInsertInbound[TTx]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newDriver(t)) })
	}
}

// t0 has whole microseconds, as both databases keep them, and is not UTC,
// so a driver that stored the zone's wall clock would be caught.
func t0() time.Time {
	return time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.FixedZone("UTC+2", 2*3600))
}

const insertLease = `INSERT INTO thread_leases (thread_id, owner, expires_at) VALUES ($1, $2, $3)`

func testNoRows[TTx any](t *testing.T, d backend.Driver[TTx]) {
	ctx := context.Background()
	var owner string
	err := d.DB().QueryRow(ctx, `SELECT owner FROM thread_leases WHERE thread_id = $1`, "none").Scan(&owner)
	if !errors.Is(err, backend.ErrNoRows) {
		t.Fatalf("Scan of no row = %v, want backend.ErrNoRows", err)
	}
	err = d.InTx(ctx, func(_ TTx, q backend.Querier) error {
		return q.QueryRow(ctx, `SELECT owner FROM thread_leases WHERE thread_id = $1`, "none").Scan(&owner)
	})
	if !errors.Is(err, backend.ErrNoRows) {
		t.Fatalf("Scan of no row in a transaction = %v, want backend.ErrNoRows", err)
	}
}

func testTimeRoundTrip[TTx any](t *testing.T, d backend.Driver[TTx]) {
	ctx := context.Background()
	q := d.DB()
	for i, at := range []time.Time{t0(), t0().Add(time.Hour), t0().Add(-time.Microsecond)} {
		if _, err := q.Exec(ctx, insertLease, string(rune('a'+i)), "o", at); err != nil {
			t.Fatal(err)
		}
	}
	var got time.Time
	if err := q.QueryRow(ctx, `SELECT expires_at FROM thread_leases WHERE thread_id = $1`, "a").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(t0()) {
		t.Fatalf("read back %v, want %v", got, t0())
	}
	// Comparisons happen in SQL, in time order.
	rows, err := q.Query(ctx, `SELECT thread_id, expires_at FROM thread_leases WHERE expires_at <= $1 ORDER BY expires_at`, t0())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		if at.After(t0()) {
			t.Errorf("row %s at %v, after the bound %v", id, at, t0())
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"c", "a"}; !slices.Equal(ids, want) {
		t.Fatalf("rows at or before t0: %v, want %v", ids, want)
	}
}

func testExecRowsAffected[TTx any](t *testing.T, d backend.Driver[TTx]) {
	ctx := context.Background()
	q := d.DB()
	if _, err := q.Exec(ctx, insertLease, "x", "o", t0()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int64{1, 0} {
		n, err := q.Exec(ctx, `DELETE FROM thread_leases WHERE thread_id = $1`, "x")
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("Exec affected %d rows, want %d", n, want)
		}
	}
}

// testInt64List passes a []int64 where each dialect takes a list: an
// array on PostgreSQL, JSON text for json_each on SQLite.
func testInt64List[TTx any](t *testing.T, d backend.Driver[TTx]) {
	sum := backend.Stmt{
		Postgres: `SELECT COALESCE(sum(v), 0) FROM unnest($1::bigint[]) AS v`,
		SQLite:   `SELECT COALESCE(sum(value), 0) FROM json_each($1)`,
	}
	for _, ids := range [][]int64{{3, 5, 1 << 40}, {}} {
		var got int64
		if err := d.DB().QueryRow(context.Background(), sum.For(d.Dialect()), ids).Scan(&got); err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, id := range ids {
			want += id
		}
		if got != want {
			t.Fatalf("sum of %v = %d, want %d", ids, got, want)
		}
	}
}

func testInTx[TTx any](t *testing.T, d backend.Driver[TTx]) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := d.InTx(ctx, func(_ TTx, q backend.Querier) error {
		if _, err := q.Exec(ctx, insertLease, "rolled", "o", t0()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
	err = d.InTx(ctx, func(_ TTx, q backend.Querier) error {
		if _, err := q.Exec(ctx, insertLease, "kept", "o", t0()); err != nil {
			return err
		}
		var n int
		// The transaction sees its own write.
		if err := q.QueryRow(ctx, `SELECT count(*) FROM thread_leases WHERE thread_id = $1`, "kept").Scan(&n); err != nil || n != 1 {
			t.Errorf("own write in the transaction: count %d, err %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"rolled": 0, "kept": 1} {
		var n int
		if err := d.DB().QueryRow(ctx, `SELECT count(*) FROM thread_leases WHERE thread_id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d rows after InTx, want %d", id, n, want)
		}
	}
}

// testInsertInbound inserts a batch holding a message stored before and
// one message twice: only the new ones are reported, once, and ids follow
// the batch's order.
func testInsertInbound[TTx any](t *testing.T, d backend.Driver[TTx]) {
	ctx := context.Background()
	req := func(id, thread string) backend.AcceptReq {
		r, err := backend.PrepareAccept(store.Inbound{
			Channel: "twilio", ProviderID: id, Thread: thread, Body: id,
			Media: []store.Media{{URL: "https://example.com/" + id, ContentType: "image/jpeg"}},
		}, time.Time{}, t0())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	insert := func(reqs ...backend.AcceptReq) map[[2]string]bool {
		var got map[[2]string]bool
		err := d.InTx(ctx, func(tx TTx, q backend.Querier) error {
			var err error
			got, err = d.InsertInbound(ctx, tx, q, reqs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := insert(req("SM1", "t1")); len(got) != 1 || !got[[2]string{"twilio", "SM1"}] {
		t.Fatalf("first insert reported %v", got)
	}
	got := insert(req("SM2", "t1"), req("SM1", "t1"), req("SM3", "t2"), req("SM2", "t1"), req("SM4", "t1"))
	want := map[[2]string]bool{{"twilio", "SM2"}: true, {"twilio", "SM3"}: true, {"twilio", "SM4"}: true}
	if len(got) != len(want) {
		t.Fatalf("inserted %v, want %v", got, want)
	}
	for k := range want {
		if !got[k] {
			t.Fatalf("inserted %v, want %v", got, want)
		}
	}
	rows, err := d.DB().Query(ctx, `SELECT provider_id, media, received_at FROM inbound_messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var order []string
	for rows.Next() {
		var id string
		var media []byte
		var at time.Time
		if err := rows.Scan(&id, &media, &at); err != nil {
			t.Fatal(err)
		}
		m, err := backend.DecodeMedia(media)
		if err != nil || len(m) != 1 || m[0].URL != "https://example.com/"+id {
			t.Errorf("%s: media %v, err %v", id, m, err)
		}
		if !at.Equal(t0()) {
			t.Errorf("%s: received at %v, want %v", id, at, t0())
		}
		order = append(order, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if wantOrder := []string{"SM1", "SM2", "SM3", "SM4"}; !slices.Equal(order, wantOrder) {
		t.Fatalf("ids in order %v, want %v", order, wantOrder)
	}
}
