package calendartest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/calendar"
)

// Harness describes a backend to Run.
type Harness struct {
	// New returns a fresh, empty backend for one subtest.
	New func(t *testing.T) calendar.Backend
	// PerThread is true for a backend that keeps a calendar per thread
	// (local), false for a shared, owner-only calendar (google).
	PerThread bool
}

// The threads the suite uses.
const (
	Owner    = "whatsapp:+15551234567"
	Stranger = "whatsapp:+15550000000"
)

// Zone is the time zone of the suite's calendars: it changes to daylight
// saving time on 2026-03-08 and back on 2026-11-01.
const Zone = "America/New_York"

// suiteNow is the suite's clock: Monday 2026-03-09 10:00 in Zone.
func suiteNow(loc *time.Location) time.Time { return time.Date(2026, 3, 9, 10, 0, 0, 0, loc) }

// Run runs the conformance suite against the backend h describes.
func Run(t *testing.T, h Harness) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		t.Fatalf("calendartest: %v", err)
	}
	s := &suite{h: h, loc: loc}
	t.Run("CreateGetRoundTrip", s.createGet)
	t.Run("UnknownIDs", s.unknownIDs)
	t.Run("ListOverlapAndOrder", s.listOverlap)
	t.Run("ListFollowsPages", s.listPages)
	t.Run("UpdateReplaces", s.update)
	t.Run("Delete", s.delete)
	t.Run("WhoseCalendar", s.whose)
	t.Run("DaylightSavingChange", s.dst)
	t.Run("AmbiguousDelete", s.ambiguousDelete)
	t.Run("MoveMeetingConversation", s.conversation)
}

type suite struct {
	h   Harness
	loc *time.Location
}

func (s *suite) at(t *testing.T, day, hour, minute int) time.Time {
	t.Helper()
	return time.Date(2026, 3, day, hour, minute, 0, 0, s.loc)
}

func (s *suite) calendar(t *testing.T, b calendar.Backend) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(b, calendar.Options{
		Location: s.loc,
		Shared:   !s.h.PerThread,
		Owners:   []string{Owner},
		Now:      func() time.Time { return suiteNow(s.loc) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustCreate(t *testing.T, b calendar.Backend, thread string, e calendar.Event) calendar.Event {
	t.Helper()
	got, err := b.Create(context.Background(), thread, e)
	if err != nil {
		t.Fatalf("Create(%q): %v", e.Summary, err)
	}
	if got.ID == "" {
		t.Fatalf("Create(%q) returned no id", e.Summary)
	}
	return got
}

func sameEvent(t *testing.T, what string, got, want calendar.Event) {
	t.Helper()
	if got.Summary != want.Summary || got.Description != want.Description || got.Location != want.Location ||
		!got.Start.Equal(want.Start) || !got.End.Equal(want.End) || !slices.Equal(got.Attendees, want.Attendees) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func (s *suite) createGet(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	want := calendar.Event{
		Summary: "Dentist; bring forms, please", Description: "line one\nline two", Location: "12 Main St, Springfield",
		Start: s.at(t, 10, 15, 0), End: s.at(t, 10, 15, 45), Attendees: []string{"sarah@example.com", "bob@example.org"},
	}
	got := mustCreate(t, b, Owner, want)
	sameEvent(t, "Create result", got, want)
	again, err := b.Get(ctx, Owner, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameEvent(t, "Get", again, want)
	if again.ID != got.ID {
		t.Fatalf("Get id = %q, want %q", again.ID, got.ID)
	}
	noAttendees := mustCreate(t, b, Owner, calendar.Event{Summary: "Focus", Start: s.at(t, 11, 9, 0), End: s.at(t, 11, 10, 0)})
	if len(noAttendees.Attendees) != 0 {
		t.Fatalf("attendees = %v, want none", noAttendees.Attendees)
	}
}

func (s *suite) unknownIDs(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	if _, err := b.Get(ctx, Owner, "nosuchevent"); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("Get unknown: %v, want ErrNotFound", err)
	}
	e := calendar.Event{ID: "nosuchevent", Summary: "x", Start: s.at(t, 10, 9, 0), End: s.at(t, 10, 10, 0)}
	if _, err := b.Update(ctx, Owner, e); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("Update unknown: %v, want ErrNotFound", err)
	}
	if err := b.Delete(ctx, Owner, "nosuchevent"); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("Delete unknown: %v, want ErrNotFound", err)
	}
}

func summaries(events []calendar.Event) string {
	var s []string
	for _, e := range events {
		s = append(s, e.Summary)
	}
	return strings.Join(s, ",")
}

func (s *suite) listOverlap(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	mustCreate(t, b, Owner, calendar.Event{Summary: "late", Start: s.at(t, 10, 16, 0), End: s.at(t, 10, 17, 0)})
	mustCreate(t, b, Owner, calendar.Event{Summary: "before", Start: s.at(t, 10, 8, 0), End: s.at(t, 10, 9, 0)})
	mustCreate(t, b, Owner, calendar.Event{Summary: "straddles", Start: s.at(t, 10, 8, 30), End: s.at(t, 10, 9, 30)})
	mustCreate(t, b, Owner, calendar.Event{Summary: "early", Start: s.at(t, 10, 9, 0), End: s.at(t, 10, 10, 0)})
	mustCreate(t, b, Owner, calendar.Event{Summary: "after", Start: s.at(t, 10, 17, 0), End: s.at(t, 10, 18, 0)})
	got, err := b.List(ctx, Owner, s.at(t, 10, 9, 0), s.at(t, 10, 17, 0))
	if err != nil {
		t.Fatal(err)
	}
	if sum := summaries(got); sum != "straddles,early,late" {
		t.Fatalf("List = %s, want straddles,early,late (overlapping [09:00,17:00), by start)", sum)
	}
	none, err := b.List(ctx, Owner, s.at(t, 20, 0, 0), s.at(t, 21, 0, 0))
	if err != nil || len(none) != 0 {
		t.Fatalf("List of an empty range = %v, %v", none, err)
	}
}

func (s *suite) listPages(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	const n = 27 // more than a page of the fake Google server
	for i := range n {
		start := s.at(t, 12, 0, 0).Add(time.Duration(i) * 30 * time.Minute)
		mustCreate(t, b, Owner, calendar.Event{Summary: fmt.Sprintf("slot %02d", i), Start: start, End: start.Add(20 * time.Minute)})
	}
	got, err := b.List(ctx, Owner, s.at(t, 12, 0, 0), s.at(t, 13, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("List returned %d events, want %d", len(got), n)
	}
	for i, e := range got {
		if want := fmt.Sprintf("slot %02d", i); e.Summary != want {
			t.Fatalf("event %d = %q, want %q", i, e.Summary, want)
		}
	}
}

func (s *suite) update(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	e := mustCreate(t, b, Owner, calendar.Event{Summary: "Lunch", Description: "old", Start: s.at(t, 10, 12, 0), End: s.at(t, 10, 13, 0), Attendees: []string{"a@example.com"}})
	e.Summary, e.Description, e.Location = "Lunch with Ana", "", "Cafe"
	e.Start, e.End = s.at(t, 10, 12, 30), s.at(t, 10, 13, 30)
	e.Attendees = []string{"ana@example.com", "a@example.com"}
	got, err := b.Update(ctx, Owner, e)
	if err != nil {
		t.Fatal(err)
	}
	sameEvent(t, "Update result", got, e)
	again, err := b.Get(ctx, Owner, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameEvent(t, "Get after Update", again, e)
	if again.Sequence < 1 {
		t.Fatalf("sequence after an update = %d, want ≥ 1", again.Sequence)
	}
	e.Attendees = nil
	if got, err = b.Update(ctx, Owner, e); err != nil || len(got.Attendees) != 0 {
		t.Fatalf("removing every attendee: %+v, %v", got, err)
	}
	list, err := b.List(ctx, Owner, s.at(t, 10, 0, 0), s.at(t, 11, 0, 0))
	if err != nil || len(list) != 1 {
		t.Fatalf("after updates List = %+v, %v; want the one event", list, err)
	}
}

func (s *suite) delete(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	keep := mustCreate(t, b, Owner, calendar.Event{Summary: "keep", Start: s.at(t, 10, 9, 0), End: s.at(t, 10, 10, 0)})
	gone := mustCreate(t, b, Owner, calendar.Event{Summary: "gone", Start: s.at(t, 10, 11, 0), End: s.at(t, 10, 12, 0)})
	if err := b.Delete(ctx, Owner, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, Owner, gone.ID); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := b.Delete(ctx, Owner, gone.ID); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("second Delete: %v, want ErrNotFound", err)
	}
	list, err := b.List(ctx, Owner, s.at(t, 10, 0, 0), s.at(t, 11, 0, 0))
	if err != nil || summaries(list) != "keep" || list[0].ID != keep.ID {
		t.Fatalf("after Delete List = %+v, %v", list, err)
	}
}

// call runs one tool call and decodes its result into out when it is not
// an error; it returns the result text and whether it is an error.
func call(t *testing.T, ts []tools.Tool, name string, args any, out any) (string, bool) {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	msg := tools.Must(tools.NewSet(ts...)).RunOne(context.Background(), llm.ToolCall{ID: "c1", Name: name, Arguments: string(raw)})
	if !msg.IsError && out != nil {
		if err := json.Unmarshal([]byte(msg.Content), out); err != nil {
			t.Fatalf("%s result %q: %v", name, msg.Content, err)
		}
	}
	return msg.Content, msg.IsError
}

func toolNames(ts []tools.Tool) []string {
	var n []string
	for _, x := range ts {
		n = append(n, x.Name())
	}
	return n
}

func (s *suite) whose(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	c := s.calendar(t, b)
	mine := mustCreate(t, b, Owner, calendar.Event{Summary: "Owner's secret", Start: s.at(t, 10, 9, 0), End: s.at(t, 10, 10, 0)})
	ownerTools := c.ToolsFor(Owner)
	if len(ownerTools) != 5 {
		t.Fatalf("owner's tools = %v, want the five calendar tools", toolNames(ownerTools))
	}
	strangerTools := c.ToolsFor(Stranger)
	if !s.h.PerThread {
		// A shared calendar is the owner's: a stranger is not offered it,
		// and an unbound tool run for a stranger refuses.
		if len(strangerTools) != 0 {
			t.Fatalf("a stranger is offered %v on the owner's shared calendar", toolNames(strangerTools))
		}
		text, isErr := call(t, c.Tools(), calendar.ToolList, map[string]any{"from": "2026-03-10", "to": "2026-03-10"}, nil)
		if !isErr {
			t.Fatalf("an unbound tool outside a run answered %q", text)
		}
		return
	}
	// Per thread: the stranger has a calendar of their own, which is empty,
	// and nothing they send reaches the owner's events.
	if len(strangerTools) != 5 {
		t.Fatalf("stranger's tools = %v, want their own calendar", toolNames(strangerTools))
	}
	var list calendar.ListResult
	if text, isErr := call(t, strangerTools, calendar.ToolList, map[string]any{"from": "2026-03-01", "to": "2026-03-31"}, &list); isErr || len(list.Events) != 0 {
		t.Fatalf("stranger's list = %s", text)
	}
	if text, isErr := call(t, strangerTools, calendar.ToolDelete, map[string]any{"event_id": mine.ID}, nil); !isErr {
		t.Fatalf("stranger deleted the owner's event by id: %s", text)
	}
	if text, isErr := call(t, strangerTools, calendar.ToolUpdate, map[string]any{"event_id": mine.ID, "summary": "pwned"}, nil); !isErr {
		t.Fatalf("stranger updated the owner's event by id: %s", text)
	}
	if text, isErr := call(t, strangerTools, calendar.ToolDelete, map[string]any{"match": "secret"}, nil); !isErr {
		t.Fatalf("stranger deleted the owner's event by description: %s", text)
	}
	if _, err := b.Get(ctx, Stranger, mine.ID); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("backend Get of another thread's id: %v, want ErrNotFound", err)
	}
	if err := b.Delete(ctx, Stranger, mine.ID); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("backend Delete of another thread's id: %v, want ErrNotFound", err)
	}
	other := mine
	other.Summary = "pwned"
	if _, err := b.Update(ctx, Stranger, other); !errors.Is(err, calendar.ErrNotFound) {
		t.Fatalf("backend Update of another thread's id: %v, want ErrNotFound", err)
	}
	got, err := b.Get(ctx, Owner, mine.ID)
	if err != nil || got.Summary != "Owner's secret" {
		t.Fatalf("owner's event after the stranger's attempts: %+v, %v", got, err)
	}
	created := mustCreate(t, b, Stranger, calendar.Event{Summary: "Stranger's own", Start: s.at(t, 10, 9, 0), End: s.at(t, 10, 10, 0)})
	ownerList, err := b.List(ctx, Owner, s.at(t, 10, 0, 0), s.at(t, 11, 0, 0))
	if err != nil || len(ownerList) != 1 || ownerList[0].ID != mine.ID {
		t.Fatalf("owner's list shows %+v (%v); the stranger's %s must not appear", ownerList, err, created.ID)
	}
}

func (s *suite) dst(t *testing.T) {
	b := s.h.New(t)
	c := s.calendar(t, b)
	ts := c.ToolsFor(Owner)
	// Use dates in the future of the suite's clock: the next change is
	// 2026-11-01, when New York goes from EDT (-4) back to EST (-5).
	var before, after calendar.Result
	if text, isErr := call(t, ts, calendar.ToolCreate, map[string]any{"summary": "Standup", "start": "2026-10-31T09:00", "end": "2026-10-31T09:30"}, &before); isErr {
		t.Fatal(text)
	}
	if text, isErr := call(t, ts, calendar.ToolCreate, map[string]any{"summary": "Standup", "start": "2026-11-02 09:00", "end": "2026-11-02 09:30"}, &after); isErr {
		t.Fatal(text)
	}
	if before.Event.Start != "2026-10-31T09:00:00-04:00" || after.Event.Start != "2026-11-02T09:00:00-05:00" {
		t.Fatalf("09:00 either side of the change = %s and %s", before.Event.Start, after.Event.Start)
	}
	stored, err := b.Get(context.Background(), Owner, after.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC); !stored.Start.Equal(want) {
		t.Fatalf("stored start = %v, want %v", stored.Start.UTC(), want)
	}
	// 01:30 on 2026-11-01 happens twice; the first (EDT) is meant.
	var twice calendar.Result
	if text, isErr := call(t, ts, calendar.ToolCreate, map[string]any{"summary": "Night shift", "start": "2026-11-01T01:30", "end": "2026-11-01T03:00"}, &twice); isErr {
		t.Fatal(text)
	}
	if twice.Event.Start != "2026-11-01T01:30:00-04:00" || twice.Event.End != "2026-11-01T03:00:00-05:00" {
		t.Fatalf("night shift = %s – %s", twice.Event.Start, twice.Event.End)
	}
	// 02:30 on 2027-03-14 does not exist in New York.
	if text, isErr := call(t, ts, calendar.ToolCreate, map[string]any{"summary": "Ghost", "start": "2027-03-14T02:30", "end": "2027-03-14T03:30"}, nil); !isErr || !strings.Contains(text, "does not exist") {
		t.Fatalf("a skipped time gave %q", text)
	}
	// Listing the day of the change covers its 25 hours.
	var day calendar.ListResult
	if text, isErr := call(t, ts, calendar.ToolList, map[string]any{"from": "2026-11-01", "to": "2026-11-01"}, &day); isErr || len(day.Events) != 1 {
		t.Fatalf("list of 2026-11-01 = %s", text)
	}
	// Free slots keep 09:00–17:00 wall time on both sides of the change.
	var free calendar.FreeSlotsResult
	if text, isErr := call(t, ts, calendar.ToolFreeSlots, map[string]any{"from": "2026-10-30", "to": "2026-11-02", "duration_minutes": 60}, &free); isErr {
		t.Fatal(text)
	}
	var got []string
	for _, sl := range free.Slots {
		got = append(got, sl.Start+"/"+sl.End)
	}
	want := []string{
		"2026-10-30T09:00:00-04:00/2026-10-30T17:00:00-04:00",
		"2026-11-02T09:30:00-05:00/2026-11-02T17:00:00-05:00",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("free slots across the change:\n got %v\nwant %v", got, want)
	}
}

func (s *suite) ambiguousDelete(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	c := s.calendar(t, b)
	ts := c.ToolsFor(Owner)
	first := mustCreate(t, b, Owner, calendar.Event{Summary: "Meeting with Sarah", Start: s.at(t, 10, 15, 0), End: s.at(t, 10, 16, 0)})
	second := mustCreate(t, b, Owner, calendar.Event{Summary: "Coffee with Sarah", Start: s.at(t, 12, 9, 0), End: s.at(t, 12, 9, 30)})
	mustCreate(t, b, Owner, calendar.Event{Summary: "Gym", Start: s.at(t, 10, 18, 0), End: s.at(t, 10, 19, 0)})

	var amb calendar.Result
	if text, isErr := call(t, ts, calendar.ToolDelete, map[string]any{"match": "the meeting with Sarah"}, &amb); isErr || amb.Status != "ambiguous" {
		t.Fatalf("ambiguous delete = %s", text)
	}
	if len(amb.Candidates) != 2 || amb.Candidates[0].ID != first.ID || amb.Candidates[1].ID != second.ID {
		t.Fatalf("candidates = %+v", amb.Candidates)
	}
	for _, id := range []string{first.ID, second.ID} {
		if _, err := b.Get(ctx, Owner, id); err != nil {
			t.Fatalf("an ambiguous delete removed %s: %v", id, err)
		}
	}
	if text, isErr := call(t, ts, calendar.ToolDelete, map[string]any{"match": "Sarah", "on": "2026-03-11"}, nil); !isErr || !strings.Contains(text, "no event matches") {
		t.Fatalf("delete of a description matching nothing = %q", text)
	}
	// Narrowed by day, one matches: it goes.
	var done calendar.Result
	if text, isErr := call(t, ts, calendar.ToolDelete, map[string]any{"match": "Sarah", "on": "2026-03-12"}, &done); isErr || done.Status != "deleted" || done.Event.ID != second.ID {
		t.Fatalf("narrowed delete = %s", text)
	}
	// By id, after the user chose.
	if text, isErr := call(t, ts, calendar.ToolDelete, map[string]any{"event_id": first.ID}, &done); isErr || done.Status != "deleted" {
		t.Fatalf("delete by id = %s", text)
	}
	left, err := b.List(ctx, Owner, s.at(t, 1, 0, 0), s.at(t, 31, 0, 0))
	if err != nil || summaries(left) != "Gym" {
		t.Fatalf("left = %s, %v", summaries(left), err)
	}
}

// conversation is "Schedule a meeting with Sarah tomorrow at 3 PM", then
// "Actually, make that 4 PM": the tool calls a model makes for those two
// messages, run through the owner's tool set as the agent runs them (the
// arguments as JSON text, validated by the set), must leave exactly one
// event, moved.
func (s *suite) conversation(t *testing.T) {
	ctx := context.Background()
	b := s.h.New(t)
	c := s.calendar(t, b)
	set, err := tools.NewSet(c.ToolsFor(Owner)...)
	if err != nil {
		t.Fatal(err)
	}
	var results []llm.Message
	for _, tc := range []llm.ToolCall{
		{ID: "c1", Name: calendar.ToolCreate, Arguments: `{"summary":"Meeting with Sarah","start":"2026-03-10T15:00","end":"2026-03-10T16:00"}`},
		{ID: "c2", Name: calendar.ToolUpdate, Arguments: `{"match":"Sarah","on":"2026-03-10","start":"2026-03-10T16:00"}`},
	} {
		results = append(results, set.Run(ctx, []llm.ToolCall{tc})...)
	}
	for _, r := range results {
		if r.Role != llm.RoleTool || r.IsError {
			t.Fatalf("tool result = %+v", r)
		}
	}
	events, err := b.List(ctx, Owner, s.at(t, 9, 0, 0), s.at(t, 12, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("after the conversation the calendar has %d events (%s), want exactly one", len(events), summaries(events))
	}
	e := events[0]
	if !e.Start.Equal(s.at(t, 10, 16, 0)) || !e.End.Equal(s.at(t, 10, 17, 0)) || e.Summary != "Meeting with Sarah" {
		t.Fatalf("the event is %q %v–%v, want Meeting with Sarah at 16:00–17:00 on 2026-03-10", e.Summary, e.Start.In(s.loc), e.End.In(s.loc))
	}
}
