package business_test

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

// FuzzParse: any bytes give a valid profile or a *FileError-bearing error,
// never a panic; a profile parsed once survives a YAML round trip.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("name: x\ntimezone: UTC\nhours: {mon: 09:00-10:00}\n"))
	f.Add([]byte("hours: [1, 2]\n"))
	f.Add([]byte("name: &a x\nb: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := business.Parse("f.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		out, err := p.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := business.Parse("again.yaml", out); err != nil {
			t.Fatalf("a valid profile does not round-trip: %v\n%s", err, out)
		}
	})
}

// FuzzParseCommand: no panic, and a command always has what its verb needs.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"approve B12", "decline 3 full", "pause +34 600 111 222", "reply +34600111222 hi", "help", "approve"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, ok := business.ParseCommand(s)
		if !ok {
			return
		}
		switch cmd.Verb {
		case business.VerbApprove, business.VerbComplete, business.VerbDecline, business.VerbCancel:
			if cmd.Ref <= 0 {
				t.Fatalf("%q: %+v without a reference", s, cmd)
			}
		case business.VerbPause, business.VerbResume:
			if cmd.Thread == "" {
				t.Fatalf("%q: %+v without a thread", s, cmd)
			}
		case business.VerbReply:
			if cmd.Thread == "" || cmd.Text == "" {
				t.Fatalf("%q: %+v without a thread or text", s, cmd)
			}
		}
	})
}

// FuzzCheck: whatever the model proposes, an accepted slot obeys every
// rule.
func FuzzCheck(f *testing.F) {
	f.Add("Fitness assessment", "2026-12-08T10:00")
	f.Add("trial class", "2026-12-11T21:15:00+01:00")
	f.Add("", "2027-03-28T02:30")
	p, err := business.Load(exampleFile)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, service, start string) {
		slot, err := p.Check(now, business.Request{Service: service, Start: start}, nil)
		if err != nil {
			return
		}
		if slot.Start.Before(now.Add(p.Booking.MinNotice)) || slot.Start.After(now.Add(p.Booking.Horizon)) {
			t.Fatalf("%q accepted outside the notice/horizon window: %v", start, slot.Start)
		}
		local := slot.Start.In(p.Location)
		inside := false
		for _, r := range p.OpenOn(business.DateOf(local)) {
			from := local.Hour()*60 + local.Minute()
			end := slot.End.In(p.Location)
			to := end.Hour()*60 + end.Minute()
			if business.DateOf(end) != business.DateOf(local) {
				to = 24 * 60
			}
			if from >= int(r.Start) && to <= int(r.End) {
				inside = true
			}
		}
		if !inside {
			t.Fatalf("%q accepted outside opening hours: %v", start, slot)
		}
	})
}
