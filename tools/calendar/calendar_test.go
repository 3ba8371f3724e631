package calendar_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/switchboardhq/switchboard/config"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/calendartest"
)

func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseTime(t *testing.T) {
	ny := newYork(t)
	for _, tc := range []struct {
		in      string
		want    string // RFC 3339 in UTC
		wantErr string
	}{
		{"2026-03-10T15:00:00-04:00", "2026-03-10T19:00:00Z", ""},
		{"2026-03-10T19:00:00Z", "2026-03-10T19:00:00Z", ""},
		{"2026-03-10T15:00", "2026-03-10T19:00:00Z", ""}, // EDT
		{"2026-03-07 15:00", "2026-03-07T20:00:00Z", ""}, // EST, before the change
		{"2026-03-10T15:00:30", "2026-03-10T19:00:30Z", ""},
		{"2026-03-08T02:30", "", "does not exist"},                // skipped
		{"2026-11-01T01:30", "2026-11-01T05:30:00Z", ""},          // twice: the first (EDT)
		{"2026-11-01T01:30:00-05:00", "2026-11-01T06:30:00Z", ""}, // the second, by offset
		{"tomorrow at 3", "", "not a time"},
		{"", "", "empty"},
		{"2026-02-30T10:00", "", "not a time"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := calendar.ParseTime(tc.in, ny)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseTime(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got.UTC().Format(time.RFC3339) != tc.want {
				t.Fatalf("ParseTime(%q) = %v, %v; want %s", tc.in, got.UTC(), err, tc.want)
			}
		})
	}
}

func TestParseBound(t *testing.T) {
	ny := newYork(t)
	start, err := calendar.ParseBound("2026-03-08", ny, false)
	if err != nil {
		t.Fatal(err)
	}
	end, err := calendar.ParseBound("2026-03-08", ny, true)
	if err != nil {
		t.Fatal(err)
	}
	if d := end.Sub(start); d != 23*time.Hour {
		t.Fatalf("2026-03-08 in New York lasts %v, want 23h", d)
	}
}

func TestNormalizeAttendees(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		ok   bool
	}{
		{[]string{" Sarah@Example.com ", "sarah@example.com", "Bob <bob@example.org>"}, []string{"sarah@example.com", "bob@example.org"}, true},
		{nil, []string{}, true},
		{[]string{"sarah"}, nil, false},
		{[]string{"sarah@localhost"}, nil, false},
		{[]string{"a@b.com, c@d.com"}, nil, false},
		{[]string{"sarah@example..com."}, nil, false},
	} {
		got, err := calendar.NormalizeAttendees(tc.in)
		var ve *calendar.ValidationError
		if tc.ok != (err == nil) || (!tc.ok && !errors.As(err, &ve)) || (tc.ok && !slices.Equal(got, tc.want)) {
			t.Errorf("NormalizeAttendees(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestMatch(t *testing.T) {
	events := []calendar.Event{
		{ID: "1", Summary: "Meeting with Sarah"},
		{ID: "2", Summary: "Dentist", Location: "Main St"},
		{ID: "3", Summary: "Sync", Attendees: []string{"sarah.lee@example.com"}},
	}
	for _, tc := range []struct {
		q    string
		want string
	}{
		{"the meeting with Sarah", "1,3"},
		{"Sarah meeting", "1,3"},
		{"dentist on main st", "2"},
		{"2", "2"},
		{"haircut", ""},
		{"the meeting", "1,2,3"},
	} {
		var got []string
		for _, e := range calendar.Match(events, tc.q) {
			got = append(got, e.ID)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Match(%q) = %v, want %s", tc.q, got, tc.want)
		}
	}
}

func TestFreeSlots(t *testing.T) {
	ny := newYork(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, ny) }
	busy := []calendar.Event{
		{Start: at(10, 10, 0), End: at(10, 11, 0)},
		{Start: at(10, 10, 30), End: at(10, 12, 0)}, // overlaps the first
		{Start: at(10, 16, 30), End: at(10, 18, 0)},
	}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		min      time.Duration
		wh       calendar.WorkingHours
		want     []string
	}{
		{"one day", at(10, 0, 0), at(11, 0, 0), time.Hour, calendar.DefaultWorkingHours,
			[]string{"09:00-10:00", "12:00-16:30"}},
		{"long meeting", at(10, 0, 0), at(11, 0, 0), 2 * time.Hour, calendar.DefaultWorkingHours,
			[]string{"12:00-16:30"}},
		{"range starts mid-day", at(10, 13, 0), at(10, 15, 0), 30 * time.Minute, calendar.DefaultWorkingHours,
			[]string{"13:00-15:00"}},
		{"weekend skipped", at(7, 0, 0), at(9, 0, 0), time.Hour, calendar.DefaultWorkingHours, nil},
		{"weekend included, DST day", at(8, 0, 0), at(9, 0, 0), time.Hour, calendar.WorkingHours{Start: 9 * time.Hour, End: 17 * time.Hour, Weekends: true},
			[]string{"09:00-17:00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range calendar.FreeSlots(busy, tc.from, tc.to, tc.min, tc.wh, ny) {
				got = append(got, s.Start.In(ny).Format("15:04")+"-"+s.End.In(ny).Format("15:04"))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("slots = %v, want %v", got, tc.want)
			}
		})
	}
}

// tool runs one call of a calendar tool for a thread.
func tool(t *testing.T, c *calendar.Calendar, thread, name, args string) (string, bool) {
	t.Helper()
	msg := tools.Must(tools.NewSet(c.ToolsFor(thread)...)).RunOne(context.Background(), llm.ToolCall{ID: "1", Name: name, Arguments: args})
	return msg.Content, msg.IsError
}

func newCalendar(t *testing.T, b calendar.Backend, opts calendar.Options) *calendar.Calendar {
	t.Helper()
	if opts.Location == nil {
		opts.Location = newYork(t)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 3, 9, 10, 0, 0, 0, opts.Location) }
	}
	c, err := calendar.New(b, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateValidation(t *testing.T) {
	c := newCalendar(t, calendartest.NewMemory(), calendar.Options{})
	const th = calendartest.Owner
	for _, tc := range []struct {
		name, args, want string
	}{
		{"end before start", `{"summary":"x","start":"2026-03-10T15:00","end":"2026-03-10T14:00"}`, "must be after the start"},
		{"end equals start", `{"summary":"x","start":"2026-03-10T15:00","end":"2026-03-10T15:00"}`, "must be after the start"},
		{"bad time", `{"summary":"x","start":"3pm","end":"4pm"}`, "start: \"3pm\" is not a time"},
		{"bad attendee", `{"summary":"x","start":"2026-03-10T15:00","end":"2026-03-10T16:00","attendees":["sarah"]}`, "is not an e-mail address"},
		{"past", `{"summary":"x","start":"2026-03-01T15:00","end":"2026-03-01T16:00"}`, "allow_past"},
		{"blank title", `{"summary":"  ","start":"2026-03-10T15:00","end":"2026-03-10T16:00"}`, "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, isErr := tool(t, c, th, calendar.ToolCreate, tc.args)
			if !isErr || !strings.Contains(text, tc.want) {
				t.Fatalf("got %q, want an error containing %q", text, tc.want)
			}
		})
	}
	text, isErr := tool(t, c, th, calendar.ToolCreate, `{"summary":"Old meeting","start":"2026-03-01T15:00","end":"2026-03-01T16:00","allow_past":true}`)
	if isErr || !strings.Contains(text, `"status":"created"`) {
		t.Fatalf("a past event with allow_past: %s", text)
	}
}

func TestUpdateKeepsLengthAndEditsAttendees(t *testing.T) {
	b := calendartest.NewMemory()
	c := newCalendar(t, b, calendar.Options{})
	const th = calendartest.Owner
	text, isErr := tool(t, c, th, calendar.ToolCreate, `{"summary":"Review","start":"2026-03-10T15:00","end":"2026-03-10T15:45","attendees":["a@example.com","b@example.com"]}`)
	if isErr {
		t.Fatal(text)
	}
	var created calendar.Result
	if err := json.Unmarshal([]byte(text), &created); err != nil {
		t.Fatal(err)
	}
	if created.AttendeesNotified == nil || *created.AttendeesNotified {
		t.Fatalf("the memory backend notifies nobody; result said %s", text)
	}
	text, isErr = tool(t, c, th, calendar.ToolUpdate, fmt.Sprintf(`{"event_id":%q,"start":"2026-03-11T09:00","add_attendees":["C@example.com"],"remove_attendees":["a@example.com"],"summary":"Design review"}`, created.Event.ID))
	if isErr {
		t.Fatal(text)
	}
	e, err := b.Get(context.Background(), th, created.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	ny := newYork(t)
	if e.Summary != "Design review" || !e.Start.Equal(time.Date(2026, 3, 11, 9, 0, 0, 0, ny)) || e.End.Sub(e.Start) != 45*time.Minute ||
		!slices.Equal(e.Attendees, []string{"b@example.com", "c@example.com"}) {
		t.Fatalf("after the update: %+v", e)
	}
	if text, isErr := tool(t, c, th, calendar.ToolUpdate, `{"event_id":"nope","summary":"x"}`); !isErr || !strings.Contains(text, "no event has id") {
		t.Fatalf("update of an unknown id: %s", text)
	}
	if text, isErr := tool(t, c, th, calendar.ToolUpdate, `{"summary":"x"}`); !isErr || !strings.Contains(text, "say which event") {
		t.Fatalf("update naming no event: %s", text)
	}
}

func TestSharedCalendarIsOwnersOnly(t *testing.T) {
	c := newCalendar(t, calendartest.NewMemory(), calendar.Options{Shared: true, Owners: []string{calendartest.Owner}})
	if n := len(c.ToolsFor(calendartest.Stranger)); n != 0 {
		t.Fatalf("a stranger gets %d tools of the owner's calendar", n)
	}
	if n := len(c.ToolsFor("")); n != 0 {
		t.Fatalf("an empty thread gets %d tools", n)
	}
	if n := len(c.ToolsFor(calendartest.Owner)); n != 5 {
		t.Fatalf("the owner gets %d tools, want 5", n)
	}
	perThread := newCalendar(t, calendartest.NewMemory(), calendar.Options{})
	if n := len(perThread.ToolsFor(calendartest.Stranger)); n != 5 {
		t.Fatalf("on a per-thread calendar everyone gets their own: %d tools", n)
	}
}

func TestDescriptionsNameTheZone(t *testing.T) {
	c := newCalendar(t, calendartest.NewMemory(), calendar.Options{})
	for _, tl := range c.Tools() {
		if tl.Name() != calendar.ToolDelete && !strings.Contains(tl.Def().Description, "America/New_York") {
			t.Errorf("%s does not tell the model its time zone: %q", tl.Name(), tl.Def().Description)
		}
	}
}

func TestFeed(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	b := calendartest.NewMemory()
	c := newCalendar(t, b, calendar.Options{FeedSecret: secret})
	ny := newYork(t)
	start := time.Date(2026, 3, 10, 15, 0, 0, 0, ny)
	if _, err := b.Create(context.Background(), calendartest.Owner, calendar.Event{Summary: "Lunch, with Ana; bring\nnotes", Start: start, End: start.Add(time.Hour), Attendees: []string{"ana@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Create(context.Background(), calendartest.Stranger, calendar.Event{Summary: "Stranger's", Start: start, End: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.FeedHandler())
	defer srv.Close()
	feed, err := c.FeedURL(srv.URL, calendartest.Owner)
	if err != nil {
		t.Fatal(err)
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get(feed)
	if code != 200 || !strings.Contains(body, "SUMMARY:Lunch\\, with Ana\\; bring\\nnotes\r\n") || !strings.Contains(body, "DTSTART:20260310T190000Z\r\n") ||
		!strings.Contains(body, "ATTENDEE;RSVP=FALSE:mailto:ana@example.com") || strings.Contains(body, "Stranger") || !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") {
		t.Fatalf("feed = %d\n%s", code, body)
	}
	// Another thread's token gives another feed; a forged or missing token
	// gives nothing.
	forged := calendar.FeedToken([]byte(strings.Repeat("x", 32)), calendartest.Owner)
	for _, u := range []string{srv.URL + "/calendar.ics", srv.URL + "/calendar.ics?token=" + url.QueryEscape(forged), srv.URL + "/calendar.ics?token=v1.abc.def"} {
		if code, _ := get(u); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", u, code)
		}
	}
	thread, err := calendar.ParseFeedToken(secret, calendar.FeedToken(secret, calendartest.Stranger))
	if err != nil || thread != calendartest.Stranger {
		t.Fatalf("ParseFeedToken = %q, %v", thread, err)
	}
	off := newCalendar(t, b, calendar.Options{})
	if _, err := off.FeedURL(srv.URL, calendartest.Owner); err == nil {
		t.Fatal("FeedURL without a secret succeeded")
	}
	rec := httptest.NewRecorder()
	off.FeedHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/calendar.ics?token="+url.QueryEscape(calendar.FeedToken(nil, calendartest.Owner)), nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("feed without a secret = %d, want 404", rec.Code)
	}
}

func TestICSFoldsLongLines(t *testing.T) {
	var sb strings.Builder
	e := calendar.Event{ID: "x", Summary: strings.Repeat("ü", 100), Start: time.Unix(0, 0), End: time.Unix(3600, 0)}
	if err := calendar.WriteICS(&sb, "t", time.UTC, time.Unix(0, 0), []calendar.Event{e}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(sb.String(), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line of %d octets: %q", len(line), line)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantErr []string
		check   func(t *testing.T, c calendar.Config)
	}{
		{name: "defaults", check: func(t *testing.T, c calendar.Config) {
			if c.Provider != "local" || c.Location != time.UTC || c.Google.CalendarID != "primary" || c.WorkingHours != calendar.DefaultWorkingHours ||
				c.Google.TokenFile != "data/google-calendar-token.json" || c.Options().Shared {
				t.Fatalf("%+v", c)
			}
		}},
		{name: "google with oauth", env: map[string]string{
			"CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+1555, whatsapp:+1666", "GOOGLE_OAUTH_CLIENT_ID": "id", "GOOGLE_OAUTH_CLIENT_SECRET": "s",
			"GOOGLE_CALENDAR_ENDPOINT": "http://127.0.0.1:9/calendar/v3/", "ASSISTANT_TIMEZONE": "Europe/Madrid", "CALENDAR_WORKING_HOURS": "08:30-18:00",
			"ASSISTANT_DATA_DIR": "/var/lib/sb",
		}, check: func(t *testing.T, c calendar.Config) {
			o := c.Options()
			if !o.Shared || !slices.Equal(o.Owners, []string{"whatsapp:+1555", "whatsapp:+1666"}) || c.Google.Endpoint != "http://127.0.0.1:9" ||
				c.Location.String() != "Europe/Madrid" || c.WorkingHours.Start != 8*time.Hour+30*time.Minute || c.Google.TokenFile != "/var/lib/sb/google-calendar-token.json" {
				t.Fatalf("%+v", c)
			}
		}},
		{name: "google with service account", env: map[string]string{"CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+1", "GOOGLE_SERVICE_ACCOUNT_FILE": "/sa.json"},
			check: func(t *testing.T, c calendar.Config) {
				if !c.Google.UsesServiceAccount() {
					t.Fatal("service account not used")
				}
			}},
		{name: "google needs owners and credentials", env: map[string]string{"CALENDAR_PROVIDER": "google"}, wantErr: []string{"CALENDAR_OWNERS", "GOOGLE_OAUTH_CLIENT_ID"}},
		{name: "both credentials", env: map[string]string{"CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+1", "GOOGLE_SERVICE_ACCOUNT_FILE": "/sa.json", "GOOGLE_OAUTH_CLIENT_FILE": "/c.json"}, wantErr: []string{"GOOGLE_SERVICE_ACCOUNT_FILE"}},
		{name: "half a client", env: map[string]string{"GOOGLE_OAUTH_CLIENT_ID": "id"}, wantErr: []string{"GOOGLE_OAUTH_CLIENT_ID"}},
		{name: "bad values", env: map[string]string{
			"CALENDAR_PROVIDER": "outlook", "ASSISTANT_TIMEZONE": "Mars/Base", "CALENDAR_OWNERS": "+1555", "CALENDAR_WORKING_HOURS": "17:00-09:00",
			"CALENDAR_FEED_SECRET": "short", "GOOGLE_CALENDAR_ENDPOINT": "calendar",
		}, wantErr: []string{"CALENDAR_PROVIDER", "ASSISTANT_TIMEZONE", "CALENDAR_OWNERS", "CALENDAR_WORKING_HOURS", "CALENDAR_FEED_SECRET", "GOOGLE_CALENDAR_ENDPOINT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := configFromEnv(func(k string) string { return tc.env[k] })
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %s", err, w)
					}
				}
				if strings.Contains(err.Error(), "short") && strings.Contains(err.Error(), `"short"`) {
					t.Errorf("the error echoes the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func Example() {
	ny, _ := time.LoadLocation("America/New_York")
	cal, err := calendar.New(calendartest.NewMemory(), calendar.Options{
		Location: ny,
		Now:      func() time.Time { return time.Date(2026, 3, 9, 10, 0, 0, 0, ny) },
	})
	if err != nil {
		panic(err)
	}
	toolbox := tools.Must(tools.NewSet(cal.ToolsFor("whatsapp:+15551234567")...))
	ctx := context.Background()
	for _, c := range []llm.ToolCall{
		{ID: "1", Name: calendar.ToolCreate, Arguments: `{"summary":"Meeting with Sarah","start":"2026-03-10T15:00","end":"2026-03-10T16:00"}`},
		{ID: "2", Name: calendar.ToolCreate, Arguments: `{"summary":"Coffee with Sarah","start":"2026-03-12T09:00","end":"2026-03-12T09:30"}`},
		{ID: "3", Name: calendar.ToolDelete, Arguments: `{"match":"Sarah"}`},
	} {
		var r calendar.Result
		_ = json.Unmarshal([]byte(toolbox.RunOne(ctx, c).Content), &r)
		fmt.Print(r.Status)
		if r.Event != nil {
			fmt.Print(" ", r.Event.When)
		}
		fmt.Println(" ", len(r.Candidates))
	}
	// Output:
	// created Tue 10 Mar 2026 15:00–16:00 EDT  0
	// created Thu 12 Mar 2026 09:00–09:30 EDT  0
	// ambiguous  2
}

// configFromEnv reads the calendar settings the way the assistant does: through
// the config package, the one reader of the environment.
func configFromEnv(getenv func(string) string) (calendar.Config, error) {
	c, err := config.Load(getenv)
	return c.Tools.Calendar, err
}

// TestToolsThatOnlyRead: listing and finding free time may run again
// after a crash; creating, changing or deleting an event must not.
func TestToolsThatOnlyRead(t *testing.T) {
	cal, err := calendar.New(calendartest.NewMemory(), calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := tools.Must(tools.NewSet(cal.Tools()...))
	for _, tl := range set.Tools() {
		want := tl.Name() == calendar.ToolList || tl.Name() == calendar.ToolFreeSlots
		if got := set.ReadOnly([]llm.ToolCall{{Name: tl.Name()}}); got != want {
			t.Errorf("%s read-only: %v, want %v", tl.Name(), got, want)
		}
	}
}
