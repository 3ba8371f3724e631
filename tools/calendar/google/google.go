// Package google is the Google Calendar backend of the calendar tools,
// on the calendar/v3 client, with the OAuth helpers behind `assistant
// calendar auth`.
//
// A Google calendar is its owner's: the backend ignores the thread id it is
// given, and calendar.Calendar offers its tools only to the owners'
// threads (CALENDAR_OWNERS). Changes are sent with sendUpdates=all, so
// attendees get Google's invitations, updates and cancellations.
//
// Authentication is either an installed-app OAuth token (stored in a file
// by `assistant calendar auth`; refreshed tokens are saved back to it) or a
// service account key (GOOGLE_SERVICE_ACCOUNT_FILE) for a business
// calendar shared with that account. A token that is expired beyond
// refresh or revoked makes every call fail with a *calendar.AuthError.
package google

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/switchboardhq/switchboard/tools/calendar"
)

// Scope is the OAuth scope the backend needs: read and write events.
const Scope = gcal.CalendarEventsScope

// Backend is the Google Calendar calendar.Backend.
type Backend struct {
	svc        *gcal.Service
	calendarID string
	loc        *time.Location
}

var (
	_ calendar.Backend  = (*Backend)(nil)
	_ calendar.Notifier = (*Backend)(nil)
)

// Config configures New.
type Config struct {
	// CalendarID is the calendar ("primary" when empty).
	CalendarID string
	// Endpoint is the API's base URL without /calendar/v3 (a test server);
	// empty means Google's.
	Endpoint string
	// Location is the zone events are written in and all-day events are
	// read in (UTC when nil).
	Location *time.Location
}

// New returns a backend using the client options given for
// authentication: option.WithTokenSource (see TokenSource) or
// option.WithAuthCredentialsFile(option.ServiceAccount, path).
func New(ctx context.Context, cfg Config, opts ...option.ClientOption) (*Backend, error) {
	if cfg.CalendarID == "" {
		cfg.CalendarID = "primary"
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Endpoint != "" {
		// The client joins paths to the endpoint: keep the trailing slash.
		opts = append(opts, option.WithEndpoint(strings.TrimRight(cfg.Endpoint, "/")+"/calendar/v3/"))
	}
	svc, err := gcal.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("google calendar: %w", err)
	}
	return &Backend{svc: svc, calendarID: cfg.CalendarID, loc: cfg.Location}, nil
}

// Open builds the backend from the calendar configuration: a service
// account when one is configured, else the OAuth client and the token file
// written by `assistant calendar auth`. A missing token file is not an
// error here (the server can start before the owner authorizes); calls
// fail with a *calendar.AuthError until it exists. hc, when non-nil, is the
// HTTP client for token refreshes.
func Open(ctx context.Context, g calendar.GoogleConfig, loc *time.Location, logger *slog.Logger, hc *http.Client) (*Backend, error) {
	if logger == nil {
		logger = slog.Default()
	}
	cfg := Config{CalendarID: g.CalendarID, Endpoint: g.Endpoint, Location: loc}
	if g.UsesServiceAccount() {
		if _, err := os.Stat(g.ServiceAccountFile); err != nil {
			return nil, fmt.Errorf("google calendar: GOOGLE_SERVICE_ACCOUNT_FILE: %w", err)
		}
		opts := []option.ClientOption{option.WithAuthCredentialsFile(option.ServiceAccount, g.ServiceAccountFile), option.WithScopes(Scope)}
		return New(ctx, cfg, opts...)
	}
	oc, err := OAuthConfig(g, "")
	if err != nil {
		return nil, err
	}
	store := FileTokenStore{Path: g.TokenFile}
	if _, err := store.Load(); err != nil {
		logger.WarnContext(ctx, "Google Calendar is not authorized yet: run `assistant calendar auth`", "token_file", g.TokenFile, "error", err)
	}
	tctx := context.WithoutCancel(ctx)
	if hc != nil {
		tctx = context.WithValue(tctx, oauth2.HTTPClient, hc)
	}
	return New(ctx, cfg, option.WithTokenSource(TokenSource(tctx, oc, store, logger)))
}

// NotifiesAttendees implements calendar.Notifier: Google e-mails
// attendees.
func (b *Backend) NotifiesAttendees() bool { return true }

// mapErr turns client errors into the calendar package's.
func mapErr(op string, err error) error {
	var ae *calendar.AuthError
	if errors.As(err, &ae) {
		return err
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		switch gerr.Code {
		case http.StatusUnauthorized:
			return &calendar.AuthError{Err: fmt.Errorf("google calendar %s: %w", op, err)}
		case http.StatusNotFound, http.StatusGone:
			return fmt.Errorf("google calendar %s: %w: %w", op, calendar.ErrNotFound, err)
		}
	}
	var rerr *oauth2.RetrieveError
	if errors.As(err, &rerr) {
		return &calendar.AuthError{Err: fmt.Errorf("google calendar %s: %w", op, err)}
	}
	return fmt.Errorf("google calendar %s: %w", op, err)
}

func (b *Backend) dateTime(t time.Time) *gcal.EventDateTime {
	return &gcal.EventDateTime{DateTime: t.In(b.loc).Format(time.RFC3339), TimeZone: b.loc.String()}
}

// parseDateTime reads a start or end: a dateTime, or the date of an
// all-day event (midnight in the calendar's zone).
func (b *Backend) parseDateTime(d *gcal.EventDateTime) (time.Time, error) {
	if d == nil {
		return time.Time{}, errors.New("missing time")
	}
	if d.DateTime != "" {
		return time.Parse(time.RFC3339, d.DateTime)
	}
	loc := b.loc
	if d.TimeZone != "" {
		if l, err := time.LoadLocation(d.TimeZone); err == nil {
			loc = l
		}
	}
	return time.ParseInLocation("2006-01-02", d.Date, loc)
}

func (b *Backend) fromGoogle(ge *gcal.Event) (calendar.Event, error) {
	start, err := b.parseDateTime(ge.Start)
	if err != nil {
		return calendar.Event{}, fmt.Errorf("event %s start: %w", ge.Id, err)
	}
	end, err := b.parseDateTime(ge.End)
	if err != nil {
		return calendar.Event{}, fmt.Errorf("event %s end: %w", ge.Id, err)
	}
	e := calendar.Event{
		ID: ge.Id, Summary: ge.Summary, Description: ge.Description, Location: ge.Location,
		Start: start, End: end, Sequence: int(ge.Sequence),
	}
	if t, err := time.Parse(time.RFC3339, ge.Updated); err == nil {
		e.Updated = t
	}
	for _, a := range ge.Attendees {
		if a == nil || a.Resource || a.Email == "" {
			continue
		}
		if em := strings.ToLower(a.Email); !slices.Contains(e.Attendees, em) {
			e.Attendees = append(e.Attendees, em)
		}
	}
	return e, nil
}

// Create implements calendar.Backend.
func (b *Backend) Create(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("google calendar: %w", err)
	}
	ge := &gcal.Event{
		Summary: e.Summary, Description: e.Description, Location: e.Location,
		Start: b.dateTime(e.Start), End: b.dateTime(e.End),
	}
	for _, a := range e.Attendees {
		ge.Attendees = append(ge.Attendees, &gcal.EventAttendee{Email: a})
	}
	got, err := b.svc.Events.Insert(b.calendarID, ge).SendUpdates("all").Context(ctx).Do()
	if err != nil {
		return calendar.Event{}, mapErr("create", err)
	}
	return b.fromGoogle(got)
}

// get fetches an event; a cancelled one is not found.
func (b *Backend) get(ctx context.Context, id string) (*gcal.Event, error) {
	if id == "" {
		return nil, fmt.Errorf("google calendar: empty id: %w", calendar.ErrNotFound)
	}
	ge, err := b.svc.Events.Get(b.calendarID, id).Context(ctx).Do()
	if err != nil {
		return nil, mapErr("get", err)
	}
	if ge.Status == "cancelled" {
		return nil, fmt.Errorf("google calendar: %q is cancelled: %w", id, calendar.ErrNotFound)
	}
	return ge, nil
}

// Get implements calendar.Backend.
func (b *Backend) Get(ctx context.Context, thread, id string) (calendar.Event, error) {
	ge, err := b.get(ctx, id)
	if err != nil {
		return calendar.Event{}, err
	}
	return b.fromGoogle(ge)
}

// List implements calendar.Backend: it expands recurring events into
// their occurrences and follows nextPageToken to the last page.
func (b *Backend) List(ctx context.Context, thread string, from, to time.Time) ([]calendar.Event, error) {
	var out []calendar.Event
	call := b.svc.Events.List(b.calendarID).
		TimeMin(from.Format(time.RFC3339)).TimeMax(to.Format(time.RFC3339)).
		SingleEvents(true).OrderBy("startTime").MaxResults(250)
	err := call.Pages(ctx, func(page *gcal.Events) error {
		for _, ge := range page.Items {
			if ge.Status == "cancelled" {
				continue
			}
			e, err := b.fromGoogle(ge)
			if err != nil {
				return err
			}
			if e.Overlaps(from, to) {
				out = append(out, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapErr("list", err)
	}
	calendar.SortEvents(out)
	return out, nil
}

// Update implements calendar.Backend with a patch of the fields the tools
// manage; other fields (reminders, conferencing, colour) are kept, and so
// is the response status of attendees who stay.
func (b *Backend) Update(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("google calendar: %w", err)
	}
	old, err := b.get(ctx, e.ID)
	if err != nil {
		return calendar.Event{}, err
	}
	patch := &gcal.Event{
		Summary: e.Summary, Description: e.Description, Location: e.Location,
		Start: b.dateTime(e.Start), End: b.dateTime(e.End),
		Attendees:       []*gcal.EventAttendee{},
		ForceSendFields: []string{"Description", "Location", "Attendees"},
	}
	for _, em := range e.Attendees {
		a := &gcal.EventAttendee{Email: em}
		for _, oa := range old.Attendees {
			if oa != nil && strings.EqualFold(oa.Email, em) {
				a = oa
				break
			}
		}
		patch.Attendees = append(patch.Attendees, a)
	}
	// Resources (rooms) are not shown to the model; keep them booked.
	for _, oa := range old.Attendees {
		if oa != nil && oa.Resource {
			patch.Attendees = append(patch.Attendees, oa)
		}
	}
	got, err := b.svc.Events.Patch(b.calendarID, e.ID, patch).SendUpdates("all").Context(ctx).Do()
	if err != nil {
		return calendar.Event{}, mapErr("update", err)
	}
	return b.fromGoogle(got)
}

// Delete implements calendar.Backend.
func (b *Backend) Delete(ctx context.Context, thread, id string) error {
	if id == "" {
		return fmt.Errorf("google calendar: empty id: %w", calendar.ErrNotFound)
	}
	if err := b.svc.Events.Delete(b.calendarID, id).SendUpdates("all").Context(ctx).Do(); err != nil {
		return mapErr("delete", err)
	}
	return nil
}
