package business_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

// exampleFile is the shipped example business.
const exampleFile = "../examples/business/gym.yaml"

func loadExample(t testing.TB) *business.Profile {
	t.Helper()
	p, err := business.Load(exampleFile)
	if err != nil {
		t.Fatalf("Load(%s): %v", exampleFile, err)
	}
	return p
}

func TestLoadExample(t *testing.T) {
	p := loadExample(t)
	if p.Name != "Forma Gym" || p.Location.String() != "Europe/Madrid" || len(p.Languages) != 2 {
		t.Fatalf("profile = %+v", p)
	}
	if got := p.Hours[time.Friday]; len(got) != 2 || got[1].String() != "17:00-22:00" {
		t.Errorf("friday hours = %v", got)
	}
	if len(p.Hours[time.Sunday]) != 0 {
		t.Errorf("sunday should be closed: %v", p.Hours[time.Sunday])
	}
	if !p.IsClosedDate(business.Date{Year: 2026, Month: time.December, Day: 25}) {
		t.Error("Christmas should be closed")
	}
	if p.Booking.MinNotice != 2*time.Hour || p.Booking.Horizon != 60*business.Day || p.Booking.SlotStep != 30*time.Minute {
		t.Errorf("booking = %+v", p.Booking)
	}
	if len(p.Services) != 3 || p.Services[1].Capacity != 2 || p.Services[2].Duration != 45*time.Minute {
		t.Errorf("services = %+v", p.Services)
	}
	if len(p.FAQs) < 5 {
		t.Errorf("faqs = %d", len(p.FAQs))
	}
}

// TestParseContractSample parses the sample of the Wave 2 contract as
// written there: the example file must stay a superset of it.
func TestParseContractSample(t *testing.T) {
	const sample = `name: Forma Gym
category: gym
description: A neighbourhood gym with classes and personal training.
address: Calle Mayor 1, Madrid
timezone: Europe/Madrid
languages: [es, en]
greeting: Hi! I'm Forma Gym's assistant.
hours:                      # per weekday (mon … sun): HH:MM-HH:MM ranges; [] or a weekday left out = closed
  mon: ["07:00-22:00"]
  tue: ["07:00-22:00"]
  wed: ["07:00-22:00"]
  thu: ["07:00-22:00"]
  fri: ["07:00-15:00", "17:00-22:00"]
  sat: ["09:00-14:00"]
  sun: []
closed: ["2026-12-25"]      # dated exceptions
booking: {min_notice: 2h, horizon: 60d, duration: 60m, capacity: 1}   # service defaults; durations as Go writes them, plus d for days
services:
  - {name: Fitness assessment, duration: 60m, capacity: 1, price: "30 EUR"}
faqs:
  - {q: What are your opening hours?, a: "Mon-Thu 7:00-22:00, Fri 7:00-15:00 and 17:00-22:00, Sat 9:00-14:00, closed Sundays."}
`
	p, err := business.Parse("sample.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if p.Services[0].Price != "30 EUR" || p.Booking.Horizon != 60*business.Day || p.Closed[0].String() != "2026-12-25" {
		t.Fatalf("profile = %+v", p)
	}
	if p.FAQs[0].Q != "What are your opening hours?" {
		t.Errorf("faq = %+v", p.FAQs[0])
	}
}

// minimal is a valid file that the error cases below break one line of.
const minimal = `name: Test
timezone: Europe/Madrid
hours:
  mon: ["09:00-17:00"]
booking: {min_notice: 2h}
services:
  - {name: Cut, duration: 30m}
faqs:
  - {q: Hours?, a: Mon 9-17}
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		old, new  string // replace old with new in minimal
		line      int
		field     string
		wantInMsg string
	}{
		{"unknown field", "name: Test", "name: Test\nadress: x", 2, "adress", "unknown field"},
		{"unknown nested field", "{name: Cut, duration: 30m}", "{name: Cut, durration: 30m}", 7, "durration", "unknown field"},
		{"bad zone", "Europe/Madrid", "Europe/Madird", 2, "timezone", "not an IANA time zone"},
		{"local zone", "Europe/Madrid", "Local", 2, "timezone", "not an IANA time zone"},
		{"25:00", `"09:00-17:00"`, `"09:00-25:00"`, 4, "hours.mon[0]", "not a time of day"},
		{"minutes 60", `"09:00-17:00"`, `"09:60-17:00"`, 4, "hours.mon[0]", "not a time of day"},
		{"backwards range", `"09:00-17:00"`, `"17:00-09:00"`, 4, "hours.mon[0]", "ends before it starts"},
		{"overlap", `mon: ["09:00-17:00"]`, `mon: ["09:00-14:00",` + "\n    \"13:00-18:00\"]", 5, "hours.mon", "overlap"},
		{"unknown weekday", "mon:", "mo:", 4, "hours", "not a weekday"},
		{"weekday twice", `mon: ["09:00-17:00"]`, `mon: ["09:00-17:00"]` + "\n  Monday: []", 5, "hours.mon", "twice"},
		{"never open", `mon: ["09:00-17:00"]`, `mon: []`, 4, "hours", "never open"},
		{"bad duration", "duration: 30m", "duration: 30 minutes", 7, "services[0].duration", "not a duration"},
		{"zero duration", "duration: 30m", "duration: 0m", 7, "services[0].duration", "out of range"},
		{"bad notice", "min_notice: 2h", "min_notice: soon", 5, "booking.min_notice", "not a duration"},
		{"horizon shorter than notice", "min_notice: 2h", "min_notice: 2h, horizon: 1h", 5, "booking.horizon", "longer than the minimum notice"},
		{"bad capacity", "duration: 30m}", "duration: 30m, capacity: 0}", 7, "services[0].capacity", "whole number"},
		{"missing name", "name: Test\n", "", 0, "name", "required"},
		{"empty answer", "a: Mon 9-17", "a: ", 9, "faqs[0].a", "required"},
		{"bad date", "faqs:", "closed: [2026-02-30]\nfaqs:", 8, "closed[0]", "not a date"},
		{"list for a value", "name: Test", "name: [a, b]", 1, "name", "single value"},
		{"duplicate key", "name: Test", "name: Test\nname: Other", 2, "", "already defined"},
		{"bad language", "name: Test", "name: Test\nlanguages: [spanish]", 2, "languages[0]", "not a language code"},
		{"duplicate service", "- {name: Cut, duration: 30m}", "- {name: Cut, duration: 30m}\n  - {name: cut}", 8, "services[1].name", "listed twice"},
		{"syntax", `mon: ["09:00-17:00"]`, `mon: ["09:00-17:00"`, 0, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal, tc.old, tc.new, 1)
			if src == minimal {
				t.Fatalf("the replacement of %q changed nothing", tc.old)
			}
			_, err := business.Parse("shop.yaml", []byte(src))
			var fe *business.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want a *FileError", err, err)
			}
			if tc.line > 0 && fe.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", fe.Line, tc.line, err)
			}
			if tc.field != "" && fe.Field != tc.field {
				t.Errorf("field = %q, want %q (%v)", fe.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.wantInMsg) || !strings.HasPrefix(err.Error(), "shop.yaml") {
				t.Errorf("error %q should start with the file name and contain %q", err, tc.wantInMsg)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := strings.Replace(minimal, "Europe/Madrid", "Mars/Olympus", 1)
	src = strings.Replace(src, "duration: 30m", "duration: 30x", 1)
	_, err := business.Parse("shop.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "shop.yaml:2: timezone") || !strings.Contains(err.Error(), "shop.yaml:7: services[0].duration") {
		t.Fatalf("err = %v, want both problems with their lines", err)
	}
}

func TestLoadLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(minimal+"# "+strings.Repeat("x", business.MaxFileSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := business.Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(big) = %v", err)
	}
	if _, err := business.Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("Load(missing) succeeded")
	}
}
