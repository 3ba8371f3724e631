package calendar

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/tools"
)

// The names of the tools, as the model sees them.
const (
	ToolCreate    = "calendar_create_event"
	ToolList      = "calendar_list_events"
	ToolUpdate    = "calendar_update_event"
	ToolDelete    = "calendar_delete_event"
	ToolFreeSlots = "calendar_find_free_slots"
)

// Limits on what one tool call returns, so a busy calendar does not flood
// the model's context.
const (
	maxListed     = 50
	maxCandidates = 10
	maxSlots      = 30
)

// Options configures a Calendar.
type Options struct {
	// Location is the zone wall-clock times are read and shown in
	// (ASSISTANT_TIMEZONE); nil means UTC.
	Location *time.Location
	// Shared marks a calendar that belongs to one owner (Google): only the
	// threads in Owners get its tools. A calendar that is not shared keeps
	// one calendar per thread (local) and is offered to every thread.
	Shared bool
	// Owners lists the threads that may use a shared calendar
	// (CALENDAR_OWNERS), e.g. "whatsapp:+15551234567".
	Owners []string
	// WorkingHours bound calendar_find_free_slots by default; zero means
	// DefaultWorkingHours.
	WorkingHours WorkingHours
	// FeedSecret keys the iCalendar feed tokens (CALENDAR_FEED_SECRET);
	// empty disables the feed.
	FeedSecret []byte
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
}

// Notifier is implemented by backends that tell attendees about changes
// (Google sends invitations and updates by e-mail). Backends that do not
// implement it are taken not to notify anyone.
type Notifier interface {
	// NotifiesAttendees reports whether attendees hear of creations,
	// changes and cancellations.
	NotifiesAttendees() bool
}

// Calendar is the set of calendar tools over one Backend. It is safe for
// concurrent use.
type Calendar struct {
	backend Backend
	opts    Options
	owners  map[string]bool
	tools   []tools.Tool
}

// New returns the calendar tools over b.
func New(b Backend, opts Options) (*Calendar, error) {
	if b == nil {
		return nil, errors.New("calendar: nil backend")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.WorkingHours == (WorkingHours{}) {
		opts.WorkingHours = DefaultWorkingHours
	}
	if opts.WorkingHours.End <= opts.WorkingHours.Start {
		return nil, errors.New("calendar: working hours end before they start")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	c := &Calendar{backend: b, opts: opts, owners: map[string]bool{}}
	for _, o := range opts.Owners {
		c.owners[o] = true
	}
	var err error
	c.tools, err = c.build()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Backend returns the backend the tools use.
func (c *Calendar) Backend() Backend { return c.backend }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.opts.Location }

// Allowed reports whether thread may use the calendar: every thread may use
// a per-thread calendar (its own), only owners a shared one.
func (c *Calendar) Allowed(thread string) bool {
	if thread == "" {
		return false
	}
	return !c.opts.Shared || c.owners[thread]
}

// Tools returns the five tools, unbound: each call acts for the thread of
// the graph run it is made in (graph.ThreadFromContext) and fails outside
// one. Prefer [Calendar.ToolsFor].
func (c *Calendar) Tools() []tools.Tool { return slices.Clone(c.tools) }

// ToolsFor returns the tools thread may use, bound to it: none for a thread
// that may not use the calendar (a stranger, on a shared calendar), else
// the five tools, acting on thread's calendar whatever the context says (a
// call in a run of another thread is refused).
func (c *Calendar) ToolsFor(thread string) []tools.Tool {
	if !c.Allowed(thread) {
		return nil
	}
	return tools.Bind(thread, c.tools...)
}

// threadOf returns the thread a call acts for, checking that it may.
func (c *Calendar) threadOf(ctx context.Context) (string, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		return "", fmt.Errorf("calendar: %w", err)
	}
	if !c.Allowed(thread) {
		return "", tools.Errorf("this calendar is private to its owner; it cannot be used from this conversation")
	}
	return thread, nil
}

// notifies reports whether the backend notifies attendees.
func (c *Calendar) notifies() bool {
	n, ok := c.backend.(Notifier)
	return ok && n.NotifiesAttendees()
}

// backendErr turns a backend failure into what the model should hear.
func (c *Calendar) backendErr(ctx context.Context, op string, err error) error {
	switch {
	case errors.Is(err, ErrAuth):
		c.opts.Logger.ErrorContext(ctx, "calendar authorization failed: run `assistant calendar auth` to reconnect the calendar",
			"op", op, "error", err)
		return tools.Errorf("the calendar is disconnected right now (its authorization expired or was revoked), so nothing was done; tell the user the owner has to reconnect it")
	case errors.Is(err, ErrNotFound):
		return tools.Errorf("no such event: it may have been deleted; list the events to find it")
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return tools.Errorf("%s", ve.Error())
	}
	return fmt.Errorf("calendar %s: %w", op, err)
}

// EventView is how an event is shown to the model.
type EventView struct {
	ID          string   `json:"event_id"`
	Summary     string   `json:"summary"`
	When        string   `json:"when"`
	Start       string   `json:"start"`
	End         string   `json:"end"`
	Description string   `json:"description,omitempty"`
	Location    string   `json:"location,omitempty"`
	Attendees   []string `json:"attendees,omitempty"`
}

// View renders e for the model in the calendar's zone.
func (c *Calendar) View(e Event) EventView {
	loc := c.opts.Location
	s, en := e.Start.In(loc), e.End.In(loc)
	when := s.Format("Mon 2 Jan 2006 15:04") + "–"
	if y1, m1, d1 := s.Date(); y1 == en.Year() && m1 == en.Month() && d1 == en.Day() {
		when += en.Format("15:04")
	} else {
		when += en.Format("Mon 2 Jan 2006 15:04")
	}
	when += " " + s.Format("MST")
	return EventView{
		ID: e.ID, Summary: e.Summary, When: when,
		Start: s.Format(time.RFC3339), End: en.Format(time.RFC3339),
		Description: e.Description, Location: e.Location, Attendees: e.Attendees,
	}
}

func (c *Calendar) views(events []Event) []EventView {
	out := make([]EventView, len(events))
	for i, e := range events {
		out[i] = c.View(e)
	}
	return out
}

// timeHelp is appended to the descriptions of tools that take times.
func (c *Calendar) timeHelp() string {
	return fmt.Sprintf(" Times are RFC 3339 (2026-03-10T15:00:00-04:00) or local wall-clock times without an offset (2026-03-10T15:00), which are read in the assistant's time zone, %s.", c.opts.Location)
}

// CreateArgs are the arguments of calendar_create_event.
type CreateArgs struct {
	Summary     string   `json:"summary" jsonschema:"the event's title, e.g. Meeting with Sarah"`
	Start       string   `json:"start" jsonschema:"when it starts"`
	End         string   `json:"end" jsonschema:"when it ends; after start"`
	Description string   `json:"description,omitempty" jsonschema:"notes"`
	Location    string   `json:"location,omitempty" jsonschema:"where"`
	Attendees   []string `json:"attendees,omitempty" jsonschema:"attendees' e-mail addresses; only addresses the user gave, never invented"`
	AllowPast   bool     `json:"allow_past,omitempty" jsonschema:"true only when the user explicitly asked to record an event in the past"`
}

// Result is what the changing tools return.
type Result struct {
	// Status is created, updated, deleted, ambiguous or not_found.
	Status string `json:"status"`
	// Event is the event acted on.
	Event *EventView `json:"event,omitempty"`
	// Candidates are the events a description matched when it matched
	// several.
	Candidates []EventView `json:"candidates,omitempty"`
	// AttendeesNotified says whether attendees were told by e-mail.
	AttendeesNotified *bool `json:"attendees_notified,omitempty"`
	// Note tells the model what to do next.
	Note string `json:"note,omitempty"`
}

func (c *Calendar) notified(e Event) *bool {
	if len(e.Attendees) == 0 {
		return nil
	}
	n := c.notifies()
	return &n
}

func (c *Calendar) create(ctx context.Context, a CreateArgs) (Result, error) {
	thread, err := c.threadOf(ctx)
	if err != nil {
		return Result{}, err
	}
	e := Event{Summary: strings.TrimSpace(a.Summary), Description: a.Description, Location: a.Location}
	if e.Start, err = ParseTime(a.Start, c.opts.Location); err != nil {
		return Result{}, tools.Errorf("start: %v", err)
	}
	if e.End, err = ParseTime(a.End, c.opts.Location); err != nil {
		return Result{}, tools.Errorf("end: %v", err)
	}
	if e.Attendees, err = NormalizeAttendees(a.Attendees); err != nil {
		return Result{}, tools.Errorf("%v", err)
	}
	if err := e.Validate(); err != nil {
		return Result{}, tools.Errorf("%v", err)
	}
	if err := c.checkPast(e.Start, a.AllowPast); err != nil {
		return Result{}, err
	}
	got, err := c.backend.Create(ctx, thread, e)
	if err != nil {
		return Result{}, c.backendErr(ctx, "create", err)
	}
	v := c.View(got)
	return Result{Status: "created", Event: &v, AttendeesNotified: c.notified(got)}, nil
}

func (c *Calendar) checkPast(start time.Time, allow bool) error {
	if allow {
		return nil
	}
	now := c.opts.Now()
	if start.Before(now) {
		return tools.Errorf("the start (%s) is in the past (it is now %s); confirm with the user, and only if they explicitly want a past event recorded, call again with allow_past true",
			start.In(c.opts.Location).Format("Mon 2 Jan 2006 15:04 MST"), now.In(c.opts.Location).Format("Mon 2 Jan 2006 15:04 MST"))
	}
	return nil
}

// ListArgs are the arguments of calendar_list_events.
type ListArgs struct {
	From  string `json:"from" jsonschema:"start of the range: a time, or a date (2026-03-10) for the start of that day"`
	To    string `json:"to" jsonschema:"end of the range: a time, or a date for the end of that day (from and to the same date is that whole day)"`
	Query string `json:"query,omitempty" jsonschema:"optional words the events must contain (title, notes, place or attendees)"`
}

// ListResult is what calendar_list_events returns.
type ListResult struct {
	Events []EventView `json:"events"`
	// More counts matching events left out.
	More int    `json:"more,omitempty"`
	Note string `json:"note,omitempty"`
}

func (c *Calendar) parseRange(fromS, toS string) (time.Time, time.Time, error) {
	from, err := ParseBound(fromS, c.opts.Location, false)
	if err != nil {
		return time.Time{}, time.Time{}, tools.Errorf("from: %v", err)
	}
	to, err := ParseBound(toS, c.opts.Location, true)
	if err != nil {
		return time.Time{}, time.Time{}, tools.Errorf("to: %v", err)
	}
	if !to.After(from) {
		return time.Time{}, time.Time{}, tools.Errorf("to must be after from")
	}
	if to.Sub(from) > 400*24*time.Hour {
		return time.Time{}, time.Time{}, tools.Errorf("the range is too long: ask for at most a year at a time")
	}
	return from, to, nil
}

func (c *Calendar) list(ctx context.Context, a ListArgs) (ListResult, error) {
	thread, err := c.threadOf(ctx)
	if err != nil {
		return ListResult{}, err
	}
	from, to, err := c.parseRange(a.From, a.To)
	if err != nil {
		return ListResult{}, err
	}
	events, err := c.backend.List(ctx, thread, from, to)
	if err != nil {
		return ListResult{}, c.backendErr(ctx, "list", err)
	}
	if q := strings.TrimSpace(a.Query); q != "" {
		events = Match(events, q)
	}
	res := ListResult{Events: c.views(events)}
	if len(res.Events) > maxListed {
		res.More = len(res.Events) - maxListed
		res.Events = res.Events[:maxListed]
		res.Note = "more events match; narrow the range to see them"
	}
	if len(res.Events) == 0 {
		res.Events = []EventView{}
		res.Note = "no events in that range"
	}
	return res, nil
}

// Target names the event an update or delete acts on.
type Target struct {
	EventID string `json:"event_id,omitempty" jsonschema:"the event's id, from an earlier result; preferred"`
	Match   string `json:"match,omitempty" jsonschema:"when the id is unknown: a few distinctive words of the event, e.g. a person's name"`
	On      string `json:"on,omitempty" jsonschema:"with match: the date (2026-03-10) or time of the event, to narrow the search"`
}

// UpdateArgs are the arguments of calendar_update_event.
type UpdateArgs struct {
	Target
	Summary         string   `json:"summary,omitempty" jsonschema:"new title"`
	Start           string   `json:"start,omitempty" jsonschema:"new start; without a new end the event keeps its length"`
	End             string   `json:"end,omitempty" jsonschema:"new end"`
	Description     string   `json:"description,omitempty" jsonschema:"new notes"`
	Location        string   `json:"location,omitempty" jsonschema:"new place"`
	Attendees       []string `json:"attendees,omitempty" jsonschema:"replace every attendee with these e-mail addresses"`
	AddAttendees    []string `json:"add_attendees,omitempty" jsonschema:"e-mail addresses to invite"`
	RemoveAttendees []string `json:"remove_attendees,omitempty" jsonschema:"e-mail addresses to uninvite"`
	AllowPast       bool     `json:"allow_past,omitempty" jsonschema:"true only when the user explicitly asked to move the event into the past"`
}

// DeleteArgs are the arguments of calendar_delete_event.
type DeleteArgs struct {
	Target
}

// resolve finds the one event a Target names. It returns the event, or a
// Result to send back as is (ambiguous), or an error (not found).
func (c *Calendar) resolve(ctx context.Context, thread string, t Target) (Event, *Result, error) {
	if id := strings.TrimSpace(t.EventID); id != "" {
		e, err := c.backend.Get(ctx, thread, id)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return Event{}, nil, tools.Errorf("no event has id %q; list the events or give match instead", id)
			}
			return Event{}, nil, c.backendErr(ctx, "get", err)
		}
		return e, nil, nil
	}
	match := strings.TrimSpace(t.Match)
	if match == "" && strings.TrimSpace(t.On) == "" {
		return Event{}, nil, tools.Errorf("say which event: give event_id, or match (and on)")
	}
	now := c.opts.Now()
	from, to := now.Add(-30*24*time.Hour), now.Add(366*24*time.Hour)
	if on := strings.TrimSpace(t.On); on != "" {
		var err error
		if from, err = ParseBound(on, c.opts.Location, false); err != nil {
			return Event{}, nil, tools.Errorf("on: %v", err)
		}
		if to, err = ParseBound(on, c.opts.Location, true); err != nil {
			return Event{}, nil, tools.Errorf("on: %v", err)
		}
		if !to.After(from) { // a time, not a date: events around it
			to = from.Add(time.Minute)
		}
	}
	events, err := c.backend.List(ctx, thread, from, to)
	if err != nil {
		return Event{}, nil, c.backendErr(ctx, "list", err)
	}
	found := Match(events, match)
	switch len(found) {
	case 1:
		return found[0], nil, nil
	case 0:
		return Event{}, nil, tools.Errorf("no event matches %q%s; nothing was changed. List the events, or ask the user which event they mean", match, onText(t.On))
	}
	res := &Result{Status: "ambiguous", Note: fmt.Sprintf("%d events match; nothing was changed. Ask the user which one they mean, then call again with its event_id", len(found))}
	if len(found) > maxCandidates {
		found = found[:maxCandidates]
	}
	res.Candidates = c.views(found)
	return Event{}, res, nil
}

func onText(on string) string {
	if on = strings.TrimSpace(on); on != "" {
		return " on " + on
	}
	return ""
}

func (c *Calendar) update(ctx context.Context, a UpdateArgs) (Result, error) {
	thread, err := c.threadOf(ctx)
	if err != nil {
		return Result{}, err
	}
	// Validate everything before looking anything up.
	loc := c.opts.Location
	var start, end time.Time
	if a.Start != "" {
		if start, err = ParseTime(a.Start, loc); err != nil {
			return Result{}, tools.Errorf("start: %v", err)
		}
	}
	if a.End != "" {
		if end, err = ParseTime(a.End, loc); err != nil {
			return Result{}, tools.Errorf("end: %v", err)
		}
	}
	var replace, add, remove []string
	for _, l := range []struct {
		in  []string
		out *[]string
	}{{a.Attendees, &replace}, {a.AddAttendees, &add}, {a.RemoveAttendees, &remove}} {
		if *l.out, err = NormalizeAttendees(l.in); err != nil {
			return Result{}, tools.Errorf("%v", err)
		}
	}
	e, res, err := c.resolve(ctx, thread, a.Target)
	if err != nil || res != nil {
		if res != nil {
			return *res, nil
		}
		return Result{}, err
	}
	old := e
	if s := strings.TrimSpace(a.Summary); s != "" {
		e.Summary = s
	}
	if a.Description != "" {
		e.Description = a.Description
	}
	if a.Location != "" {
		e.Location = a.Location
	}
	switch {
	case !start.IsZero() && !end.IsZero():
		e.Start, e.End = start, end
	case !start.IsZero():
		e.Start, e.End = start, start.Add(old.End.Sub(old.Start))
	case !end.IsZero():
		e.End = end
	}
	if len(a.Attendees) > 0 {
		e.Attendees = replace
	}
	for _, x := range add {
		if !slices.Contains(e.Attendees, x) {
			e.Attendees = append(e.Attendees, x)
		}
	}
	e.Attendees = slices.DeleteFunc(slices.Clone(e.Attendees), func(x string) bool { return slices.Contains(remove, x) })
	if err := e.Validate(); err != nil {
		return Result{}, tools.Errorf("%v", err)
	}
	if !e.Start.Equal(old.Start) {
		if err := c.checkPast(e.Start, a.AllowPast); err != nil {
			return Result{}, err
		}
	}
	got, err := c.backend.Update(ctx, thread, e)
	if err != nil {
		return Result{}, c.backendErr(ctx, "update", err)
	}
	v := c.View(got)
	return Result{Status: "updated", Event: &v, AttendeesNotified: c.notified(got)}, nil
}

func (c *Calendar) delete(ctx context.Context, a DeleteArgs) (Result, error) {
	thread, err := c.threadOf(ctx)
	if err != nil {
		return Result{}, err
	}
	e, res, err := c.resolve(ctx, thread, a.Target)
	if err != nil || res != nil {
		if res != nil {
			return *res, nil
		}
		return Result{}, err
	}
	if err := c.backend.Delete(ctx, thread, e.ID); err != nil {
		return Result{}, c.backendErr(ctx, "delete", err)
	}
	v := c.View(e)
	return Result{Status: "deleted", Event: &v, AttendeesNotified: c.notified(e)}, nil
}

// FreeSlotsArgs are the arguments of calendar_find_free_slots.
type FreeSlotsArgs struct {
	From            string `json:"from" jsonschema:"start of the range: a time, or a date for the start of that day"`
	To              string `json:"to" jsonschema:"end of the range: a time, or a date for the end of that day"`
	DurationMinutes int    `json:"duration_minutes" jsonschema:"how long the free time must be, in minutes"`
	WorkStart       string `json:"work_start,omitempty" jsonschema:"start of the working day, HH:MM; default from configuration"`
	WorkEnd         string `json:"work_end,omitempty" jsonschema:"end of the working day, HH:MM"`
	IncludeWeekends bool   `json:"include_weekends,omitempty" jsonschema:"also look on Saturdays and Sundays"`
}

// SlotView is a free interval shown to the model.
type SlotView struct {
	Start string `json:"start"`
	End   string `json:"end"`
	When  string `json:"when"`
}

// FreeSlotsResult is what calendar_find_free_slots returns.
type FreeSlotsResult struct {
	Slots []SlotView `json:"slots"`
	Note  string     `json:"note,omitempty"`
}

func (c *Calendar) freeSlots(ctx context.Context, a FreeSlotsArgs) (FreeSlotsResult, error) {
	thread, err := c.threadOf(ctx)
	if err != nil {
		return FreeSlotsResult{}, err
	}
	from, to, err := c.parseRange(a.From, a.To)
	if err != nil {
		return FreeSlotsResult{}, err
	}
	if a.DurationMinutes <= 0 || a.DurationMinutes > 24*60 {
		return FreeSlotsResult{}, tools.Errorf("duration_minutes must be between 1 and 1440")
	}
	wh := c.opts.WorkingHours
	wh.Weekends = wh.Weekends || a.IncludeWeekends
	if a.WorkStart != "" {
		if wh.Start, err = ParseClock(a.WorkStart); err != nil {
			return FreeSlotsResult{}, tools.Errorf("work_start: %v", err)
		}
	}
	if a.WorkEnd != "" {
		if wh.End, err = ParseClock(a.WorkEnd); err != nil {
			return FreeSlotsResult{}, tools.Errorf("work_end: %v", err)
		}
	}
	if wh.End <= wh.Start {
		return FreeSlotsResult{}, tools.Errorf("work_end must be after work_start")
	}
	if now := c.opts.Now(); from.Before(now) {
		from = now.Truncate(time.Minute)
		if !to.After(from) {
			return FreeSlotsResult{Slots: []SlotView{}, Note: "that range is over"}, nil
		}
	}
	events, err := c.backend.List(ctx, thread, from, to)
	if err != nil {
		return FreeSlotsResult{}, c.backendErr(ctx, "list", err)
	}
	slots := FreeSlots(events, from, to, time.Duration(a.DurationMinutes)*time.Minute, wh, c.opts.Location)
	res := FreeSlotsResult{Slots: []SlotView{}}
	for i, s := range slots {
		if i == maxSlots {
			res.Note = "more free time exists later in the range"
			break
		}
		st, en := s.Start.In(c.opts.Location), s.End.In(c.opts.Location)
		res.Slots = append(res.Slots, SlotView{
			Start: st.Format(time.RFC3339), End: en.Format(time.RFC3339),
			When: st.Format("Mon 2 Jan 15:04") + "–" + en.Format("15:04 MST"),
		})
	}
	if len(res.Slots) == 0 {
		res.Note = "no free slot that long in the working hours of that range"
	}
	return res, nil
}

func (c *Calendar) build() ([]tools.Tool, error) {
	th := c.timeHelp()
	notify := ""
	if c.notifies() {
		notify = " Attendees are notified by e-mail."
	}
	create, err := tools.New(ToolCreate,
		"Create an event in the user's calendar. Confirm unclear details (day, time, length) with the user first; one hour is the usual length."+notify+th,
		c.create)
	if err != nil {
		return nil, err
	}
	list, err := tools.New(ToolList,
		"List the events in the user's calendar that overlap a range, optionally only those containing some words."+th,
		c.list, tools.ReadOnly())
	if err != nil {
		return nil, err
	}
	update, err := tools.New(ToolUpdate,
		"Change an event: move it, rename it, change its attendees, place or notes. Name the event by event_id, or by match (and on); if several events match, nothing changes and the candidates come back: ask the user which one."+notify+th,
		c.update)
	if err != nil {
		return nil, err
	}
	del, err := tools.New(ToolDelete,
		"Delete an event. Name it by event_id, or by match (and on); if several events match, nothing is deleted and the candidates come back: ask the user which one."+notify+th,
		c.delete)
	if err != nil {
		return nil, err
	}
	free, err := tools.New(ToolFreeSlots,
		"Find free time of at least a given length in the user's calendar within working hours (weekdays, by default "+clock(c.opts.WorkingHours.Start)+"–"+clock(c.opts.WorkingHours.End)+")."+th,
		c.freeSlots, tools.ReadOnly())
	if err != nil {
		return nil, err
	}
	return []tools.Tool{create, list, update, del, free}, nil
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
