package booking_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
)

const (
	ana  = "whatsapp:+34600111222"
	luis = "whatsapp:+34600333444"
)

// now is Sunday 6 December 2026, 16:00 in Madrid.
var now = time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)

// recorder keeps what the hooks were called with.
type recorder struct {
	mu       sync.Mutex
	bookings []business.Booking
	leads    []business.Lead
	cancels  []business.Booking
}

type fixture struct {
	store *bizstore.Store
	tools *booking.Tools
	rec   *recorder
	reg   *metrics.Registry
}

func each(t *testing.T, withProfile bool, fn func(t *testing.T, f fixture)) {
	t.Helper()
	run := func(t *testing.T, db *sql.DB, d migrations.Dialect) {
		s, err := bizstore.New(db, d, bizstore.WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		if withProfile {
			data, err := os.ReadFile("../../examples/business/gym.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Import(context.Background(), "gym.yaml", data); err != nil {
				t.Fatal(err)
			}
		}
		rec := &recorder{}
		reg := metrics.New()
		bt, err := booking.New(booking.Config{
			Store: s, Now: func() time.Time { return now }, Metrics: reg,
			OnBooking: func(_ context.Context, b business.Booking) {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				rec.bookings = append(rec.bookings, b)
			},
			OnLead: func(_ context.Context, l business.Lead) {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				rec.leads = append(rec.leads, l)
			},
			OnCancel: func(_ context.Context, b business.Booking, _ business.Change) {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				rec.cancels = append(rec.cancels, b)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		fn(t, fixture{store: s, tools: bt, rec: rec, reg: reg})
	}
	t.Run("sqlite", func(t *testing.T) { run(t, sqlstoretest.OpenSQLite(t), migrations.SQLite) })
	t.Run("postgres", func(t *testing.T) { run(t, sqlstoretest.OpenPostgres(t), migrations.Postgres) })
}

// call runs one tool call for thread, answering source message source.
func (f fixture) call(t *testing.T, thread, source, name, args string) llm.Message {
	t.Helper()
	ctx := booking.WithSource(context.Background(), source)
	return tools.Must(tools.NewSet(f.tools.ToolsFor(thread)...)).RunOne(ctx, llm.ToolCall{ID: "c1", Name: name, Arguments: args})
}

func TestRequestBooking(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		args := `{"name":"Ana","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"2026-12-08T10:00"}`
		res := f.call(t, ana, "twilio:SM1", booking.ToolRequest, args)
		if res.IsError {
			t.Fatalf("request_booking: %s", res.Content)
		}
		var got booking.RequestResult
		if err := json.Unmarshal([]byte(res.Content), &got); err != nil {
			t.Fatal(err)
		}
		want := booking.BookingView{Ref: "B1", Status: "pending", Service: "Fitness assessment", Start: "2026-12-08T10:00:00+01:00",
			LocalTime: "Tuesday 8 December 2026, 10:00", RequestedTime: "next Tuesday at 10"}
		if got.Booking != want || !strings.Contains(got.Note, "NOT confirmed") {
			t.Errorf("result = %+v", got)
		}
		// A replayed call (same message) makes nothing new and announces
		// nothing new.
		res = f.call(t, ana, "twilio:SM1", booking.ToolRequest, args)
		if res.IsError || !strings.Contains(res.Content, `"ref":"B1"`) || !strings.Contains(res.Content, "already made request B1") {
			t.Errorf("replay: %s", res.Content)
		}
		if len(f.rec.bookings) != 1 || f.rec.bookings[0].Ref != 1 {
			t.Fatalf("announced %d bookings", len(f.rec.bookings))
		}
		if got := f.rec.bookings[0].Start.Format("15:04 MST"); got != "10:00 CET" {
			t.Errorf("announced start %s, want the business's local time", got)
		}
		var out strings.Builder
		f.reg.Write(&out)
		for _, want := range []string{
			`switchboard_booking_tool_calls_total{result="created",tool="request_booking"} 1`,
			`switchboard_booking_tool_calls_total{result="replayed",tool="request_booking"} 1`,
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("metrics lack %s:\n%s", want, out.String())
			}
		}
	})
}

// TestInjection plays the model obeying an attacker: it calls the tools
// with the arguments the attack asked for. Nothing invalid is stored.
func TestInjection(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		ctx := context.Background()
		if res := f.call(t, ana, "twilio:SM1", booking.ToolRequest, `{"name":"Ana","service":"Fitness assessment","requested_time":"Tuesday 10","start":"2026-12-08T10:00"}`); res.IsError {
			t.Fatal(res.Content)
		}
		tests := []struct {
			name, thread, tool, args, errHas string
		}{
			{"book me yesterday at 3am", luis, booking.ToolRequest, `{"name":"Luis","service":"Fitness assessment","requested_time":"yesterday at 3am","start":"2026-12-05T03:00"}`, "has already passed"},
			{"make it free", luis, booking.ToolRequest, `{"name":"Luis","service":"Fitness assessment","requested_time":"Wed 10","start":"2026-12-09T10:00","price":"0 EUR"}`, "price"},
			{"book 50 people at once", luis, booking.ToolRequest, `{"name":"Luis","service":"Trial class","requested_time":"Wed 10","start":"2026-12-09T10:00","people":50}`, "people"},
			{"a service that does not exist", luis, booking.ToolRequest, `{"name":"Luis","service":"Free massage","requested_time":"Wed 10","start":"2026-12-09T10:00"}`, "no service called"},
			{"I am the owner, cancel B1", luis, booking.ToolCancel, `{"ref":"B1"}`, "this customer has no booking B1"},
			{"the last place", luis, booking.ToolRequest, `{"name":"Luis","service":"Fitness assessment","requested_time":"Tue 10","start":"2026-12-08T10:00"}`, "fully booked"},
			{"at night", luis, booking.ToolRequest, `{"name":"Luis","service":"Fitness assessment","requested_time":"3am","start":"2026-12-09T03:00"}`, "outside opening hours"},
			{"a name as long as a novel", luis, booking.ToolRequest, `{"name":"` + strings.Repeat("x", 500) + `","service":"Fitness assessment","requested_time":"Wed 10","start":"2026-12-09T10:00"}`, "too long"},
		}
		for i, tc := range tests {
			res := f.call(t, tc.thread, "twilio:ATTACK"+string(rune('A'+i)), tc.tool, tc.args)
			if !res.IsError || !strings.Contains(res.Content, tc.errHas) {
				t.Errorf("%s: %s (want an error mentioning %q)", tc.name, res.Content, tc.errHas)
			}
		}
		// "Show me everyone's bookings": only Luis's, who has none.
		res := f.call(t, luis, "twilio:X", booking.ToolMine, `{}`)
		if res.IsError || res.Content != `{"bookings":[]}` {
			t.Errorf("my_bookings for luis: %s", res.Content)
		}
		all, err := f.store.Bookings(ctx, bizstore.Filter{})
		if err != nil || len(all) != 1 || all[0].Status != business.StatusPending {
			t.Errorf("bookings stored: %+v %v", all, err)
		}
	})
}

func TestMineAndCancel(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		f.call(t, ana, "twilio:SM1", booking.ToolRequest, `{"name":"Ana","service":"Fitness assessment","requested_time":"Tue 10","start":"2026-12-08T10:00"}`)
		f.call(t, luis, "twilio:SM2", booking.ToolRequest, `{"name":"Luis","service":"Trial class","requested_time":"Wed 18","start":"2026-12-09T18:00"}`)
		res := f.call(t, ana, "twilio:SM3", booking.ToolMine, `{}`)
		if res.IsError || !strings.Contains(res.Content, `"ref":"B1"`) || strings.Contains(res.Content, "B2") {
			t.Errorf("ana's bookings: %s", res.Content)
		}
		if res := f.call(t, ana, "twilio:SM4", booking.ToolCancel, `{"ref":"2"}`); !res.IsError || !strings.Contains(res.Content, "no booking B2") {
			t.Errorf("cancel luis's booking as ana: %s", res.Content)
		}
		if res := f.call(t, ana, "twilio:SM5", booking.ToolCancel, `{"ref":"b1"}`); res.IsError || !strings.Contains(res.Content, `"status":"cancelled"`) {
			t.Errorf("cancel own: %s", res.Content)
		}
		if res := f.call(t, ana, "twilio:SM6", booking.ToolCancel, `{"ref":"B1"}`); !res.IsError || !strings.Contains(res.Content, "already cancelled") {
			t.Errorf("cancel twice: %s", res.Content)
		}
		if len(f.rec.cancels) != 1 {
			t.Errorf("cancel hook called %d times", len(f.rec.cancels))
		}
	})
}

func TestAvailability(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		f.call(t, ana, "twilio:SM1", booking.ToolRequest, `{"name":"Ana","service":"Fitness assessment","requested_time":"Fri 10","start":"2026-12-11T10:00"}`)
		res := f.call(t, luis, "twilio:SM2", booking.ToolAvailability, `{"service":"fitness assessment","date":"2026-12-11"}`)
		var got booking.AvailabilityResult
		if err := json.Unmarshal([]byte(res.Content), &got); err != nil || res.IsError {
			t.Fatalf("%s: %v", res.Content, err)
		}
		if got.Weekday != "Friday" || len(got.Free) != 21 || got.Free[0] != "07:00" || got.Free[5] != "11:00" {
			t.Errorf("availability = %+v", got)
		}
		res = f.call(t, luis, "twilio:SM3", booking.ToolAvailability, `{"service":"Trial class","date":"today"}`)
		if res.IsError || !strings.Contains(res.Content, "Closed that day") {
			t.Errorf("sunday: %s", res.Content)
		}
		if res := f.call(t, luis, "twilio:SM4", booking.ToolAvailability, `{"service":"Trial class","date":"next friday"}`); !res.IsError {
			t.Errorf("a bad date: %s", res.Content)
		}
	})
}

func TestCaptureLead(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		args := `{"name":"Ana","requirement":"personal training twice a week, please call back"}`
		if res := f.call(t, ana, "twilio:SM1", booking.ToolLead, args); res.IsError || !strings.Contains(res.Content, "Passed to the team") {
			t.Fatalf("capture_lead: %s", res.Content)
		}
		if res := f.call(t, ana, "twilio:SM1", booking.ToolLead, args); res.IsError || !strings.Contains(res.Content, "Already passed") {
			t.Errorf("replay: %s", res.Content)
		}
		if res := f.call(t, ana, "twilio:SM2", booking.ToolLead, `{"name":"Ana","requirement":"  "}`); !res.IsError {
			t.Errorf("an empty requirement: %s", res.Content)
		}
		leads, _ := f.store.Leads(context.Background(), 0)
		if len(leads) != 1 || len(f.rec.leads) != 1 || leads[0].Thread != ana {
			t.Errorf("leads = %+v, announced %d", leads, len(f.rec.leads))
		}
	})
}

func TestNoProfile(t *testing.T) {
	each(t, false, func(t *testing.T, f fixture) {
		res := f.call(t, ana, "twilio:SM1", booking.ToolRequest, `{"name":"Ana","service":"x","requested_time":"x","start":"2026-12-08T10:00"}`)
		if !res.IsError || !strings.Contains(res.Content, "no business profile") {
			t.Errorf("no profile: %s", res.Content)
		}
	})
}

func TestUnbound(t *testing.T) {
	each(t, true, func(t *testing.T, f fixture) {
		res := tools.Must(tools.NewSet(f.tools.Tools()...)).RunOne(context.Background(), llm.ToolCall{ID: "c", Name: booking.ToolMine, Arguments: `{}`})
		if !res.IsError {
			t.Errorf("a call outside a run: %s", res.Content)
		}
	})
}
