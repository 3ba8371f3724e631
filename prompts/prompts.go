// Package prompts holds Switchboard's prompt templates and renders them.
//
// The templates are text/template files embedded in the binary:
//
//   - system.tmpl, the assistant's system prompt, rendered every turn with
//     [SystemData];
//   - gym_reply.tmpl, the instructions for replying to a workout log in a
//     gym group (a sarcastic gym buddy by default), rendered with
//     [GymReplyData];
//   - frontdesk.tmpl, the system prompt of a business's customer threads,
//     grounded in the business's profile, hours, services and approved
//     FAQs, rendered with [FrontDeskData] in the business's time zone.
//
// A deployment can replace any of them without rebuilding: [Load] reads a
// directory (PROMPTS_DIR), and a file there with the same name replaces the
// embedded one. Every template is parsed and executed against sample data
// at start-up, so a broken override is a start-up error that names the
// file, not a failure in the middle of a conversation. Templates run with
// missingkey=error; referring to a field that does not exist is an error.
//
// Dates and times in prompts are in the configured time zone
// (ASSISTANT_TIMEZONE): besides its data, each template receives .Now (in
// that zone), .Date ("2 January 2006"), .Time ("15:04"), .Weekday
// ("Monday"), .ISODate ("2006-01-02"), .Timezone ("Europe/Madrid") and
// .UTCOffset ("+01:00"). The embedded files document the fields they use
// at their top.
package prompts

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// The names of the templates, which are also their file names.
const (
	// SystemTemplate is the assistant's system prompt.
	SystemTemplate = "system.tmpl"
	// GymReplyTemplate is the instructions for a reply to a workout log.
	GymReplyTemplate = "gym_reply.tmpl"
	// FrontDeskTemplate is the system prompt of a business's customer
	// threads.
	FrontDeskTemplate = "frontdesk.tmpl"
)

// embedded holds the default templates. It is the package's only
// package-level variable, as go:embed requires, and is never written.
//
//go:embed *.tmpl
var embedded embed.FS

// templateNames lists every template, in a fixed order.
func templateNames() []string { return []string{SystemTemplate, GymReplyTemplate, FrontDeskTemplate} }

// Set is the parsed templates with the clock and time zone they are
// rendered with. It is safe for concurrent use.
type Set struct {
	templates map[string]*template.Template
	sources   map[string]string
	loc       *time.Location
	now       func() time.Time
}

// Option configures [Load].
type Option func(*Set)

// WithLocation sets the time zone of the dates and times in prompts
// (ASSISTANT_TIMEZONE). The default is UTC.
func WithLocation(loc *time.Location) Option {
	return func(s *Set) {
		if loc != nil {
			s.loc = loc
		}
	}
}

// WithClock sets the clock used when the data carries no Now; tests use a
// fixed one. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Set) {
		if now != nil {
			s.now = now
		}
	}
}

// Load parses the embedded templates, replacing each with the file of the
// same name in dir when there is one, and checks every template by
// rendering it with sample data. An empty dir uses only the embedded
// templates. A dir that cannot be read, a .tmpl file in it that is not a
// known template (a misspelt name would otherwise be silently ignored), and
// a template that does not parse or render are errors naming the file.
func Load(dir string, opts ...Option) (*Set, error) {
	s := &Set{
		templates: make(map[string]*template.Template),
		sources:   make(map[string]string),
		loc:       time.UTC,
		now:       time.Now,
	}
	for _, opt := range opts {
		opt(s)
	}
	overrides, err := readOverrides(dir)
	if err != nil {
		return nil, err
	}
	for _, name := range templateNames() {
		text, source := overrides[name], filepath.Join(dir, name)
		if text == nil {
			source = "embedded " + name
			text, err = embedded.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("prompts: reading %s: %w", source, err)
			}
		}
		t, err := template.New(name).Option("missingkey=error").Parse(string(text))
		if err != nil {
			return nil, fmt.Errorf("prompts: parsing %s: %w", source, err)
		}
		s.templates[name] = t
		s.sources[name] = source
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}

// readOverrides returns the contents of the template files in dir, by name.
func readOverrides(dir string) (map[string][]byte, error) {
	if dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("prompts: reading the prompts directory: %w", err)
	}
	known := templateNames()
	out := make(map[string][]byte)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".tmpl" {
			continue
		}
		path := filepath.Join(dir, name)
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("prompts: %s is not a known template (known: %s)", path, strings.Join(known, ", "))
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("prompts: reading %s: %w", path, err)
		}
		out[name] = b
	}
	return out, nil
}

// check renders every template with sample data: a full sample and an
// empty one, so both sides of the usual conditionals run.
func (s *Set) check() error {
	now := time.Date(2026, time.March, 12, 18, 30, 0, 0, time.UTC)
	samples := map[string][]any{
		SystemTemplate: {
			SystemData{Now: now},
			SystemData{
				Now: now, AssistantName: "Switchboard", Business: "Studio Nine", Owner: true, ProfileName: "Ana",
				Tools: []llm.ToolDef{{Name: "web_search", Description: "Search the web"}},
			},
		},
		GymReplyTemplate: {
			GymReplyData{Now: now},
			GymReplyData{
				Now: now, MemberName: "Ana", Message: "biceps 45 min", Tone: "friendly",
				Workouts:     []GymWorkout{{Activity: "biceps", Minutes: 45, Date: "2026-03-12"}, {Activity: "run", Minutes: 30, Date: "2026-03-11", Duplicate: true}},
				WeekSessions: 3, WeekMinutes: 120,
				Leaderboard: []GymStanding{{Name: "Ana", Minutes: 120}, {Name: "Luis", Minutes: 90}},
			},
		},
		FrontDeskTemplate: {
			FrontDeskData{Now: now, Name: "Studio Nine"},
			FrontDeskData{
				Now: now, Location: time.UTC, Name: "Studio Nine", Category: "pilates studio", Description: "Reformer classes.",
				Address: "1 High St", Phone: "+44 20 0000 0000", Website: "https://studio.example", Greeting: "Hi!",
				Languages: []string{"en", "es"},
				Week:      []FrontDeskDay{{Day: "Monday", Hours: "09:00-17:00"}, {Day: "Sunday", Hours: "closed"}},
				Days:      []FrontDeskDay{{Day: "Thu 12 Mar 2026", ISODate: "2026-03-12", Hours: "09:00-17:00", Today: true}},
				Closed:    []string{"Fri 25 Dec 2026"}, MinNotice: "2 hours", Horizon: "60 days",
				Services:     []FrontDeskService{{Name: "Class", Duration: "50 minutes", Capacity: 8, Price: "20 GBP", Description: "Reformer."}, {Name: "Intro", Duration: "30 minutes", Capacity: 1}},
				FAQs:         []FrontDeskFAQ{{Q: "Parking?", A: "No."}},
				CustomerName: "Ana",
				Tools:        []llm.ToolDef{{Name: "request_booking"}, {Name: "check_availability"}, {Name: "capture_lead"}, {Name: "request_human"}, {Name: "my_bookings"}, {Name: "cancel_my_booking"}},
			},
		},
	}
	for _, name := range templateNames() {
		for _, data := range samples[name] {
			var err error
			switch d := data.(type) {
			case SystemData:
				_, err = s.System(d)
			case GymReplyData:
				_, err = s.GymReply(d)
			case FrontDeskData:
				_, err = s.FrontDesk(d)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Source says where a template came from: the override file's path, or
// "embedded <name>".
func (s *Set) Source(name string) string { return s.sources[name] }

// Now returns the Set's clock reading in its time zone.
func (s *Set) Now() time.Time { return s.now().In(s.loc) }

// Location returns the time zone prompts are rendered in.
func (s *Set) Location() *time.Location { return s.loc }

// clock is the date and time fields every template receives, besides the
// data's Now.
type clock struct {
	Date      string
	Time      string
	Weekday   string
	ISODate   string
	Timezone  string
	UTCOffset string
}

// clockAt returns t (or the Set's clock when t is zero) in the Set's time
// zone, and the clock fields for it.
func (s *Set) clockAt(t time.Time) (time.Time, clock) {
	if t.IsZero() {
		t = s.now()
	}
	return clockIn(t, s.loc)
}

// clockIn returns t in loc and the clock fields for it.
func clockIn(t time.Time, loc *time.Location) (time.Time, clock) {
	t = t.In(loc)
	return t, clock{
		Date:      t.Format("2 January 2006"),
		Time:      t.Format("15:04"),
		Weekday:   t.Weekday().String(),
		ISODate:   t.Format(time.DateOnly),
		Timezone:  loc.String(),
		UTCOffset: t.Format("-07:00"),
	}
}

// render executes a template and trims surrounding white space.
func (s *Set) render(name string, data any) (string, error) {
	t := s.templates[name]
	if t == nil {
		return "", fmt.Errorf("prompts: unknown template %q", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("prompts: rendering %s: %w", s.sources[name], err)
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "", fmt.Errorf("prompts: rendering %s: the template renders an empty prompt", s.sources[name])
	}
	return out, nil
}
