package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/migrations"
)

// NewBooking is a customer's booking request, as a tool received it.
type NewBooking struct {
	// Thread is the customer's thread; required.
	Thread string
	// CustomerName is the name the customer gave; required.
	CustomerName string
	// Service and Start are checked by business.Profile.Check.
	Service string
	Start   string
	// RequestedTime is the customer's own words for the time.
	RequestedTime string
	// Source is the message the request came from ("<channel>:<provider
	// id>"). With one, a second request from the same message returns the
	// first booking instead of making another.
	Source string
}

// InvalidError is a request the store refuses before the rules run (a
// missing name, a value too long); its message is for the customer.
type InvalidError struct{ Message string }

func (e *InvalidError) Error() string { return e.Message }

// RequestBooking checks req against p's rules and the bookings that hold a
// place, and stores it as a pending booking. created is false when req's
// Source already made a booking: that booking is returned. A refusal is a
// *business.Refusal (with suggestions) or an *InvalidError.
func (s *Store) RequestBooking(ctx context.Context, p *business.Profile, now time.Time, req NewBooking) (b business.Booking, created bool, err error) {
	req.CustomerName = strings.Join(strings.Fields(req.CustomerName), " ")
	req.RequestedTime = strings.TrimSpace(req.RequestedTime)
	switch {
	case req.Thread == "":
		return business.Booking{}, false, errors.New("bizstore: a booking needs the customer's thread")
	case req.CustomerName == "":
		return business.Booking{}, false, &InvalidError{"the customer's name is needed for a booking: ask for it"}
	case utf8.RuneCountInString(req.CustomerName) > business.MaxNameLength:
		return business.Booking{}, false, &InvalidError{fmt.Sprintf("the name is too long (at most %d characters)", business.MaxNameLength)}
	case utf8.RuneCountInString(req.RequestedTime) > business.MaxRequestedTime:
		return business.Booking{}, false, &InvalidError{fmt.Sprintf("requested_time is too long (at most %d characters)", business.MaxRequestedTime)}
	}
	svc, err := p.Service(req.Service)
	if err != nil {
		return business.Booking{}, false, err
	}
	start, err := business.ParseStart(req.Start, p.Location)
	if err != nil {
		return business.Booking{}, false, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect == migrations.Postgres {
			// Serialize the check and insert per service; SQLite's
			// IMMEDIATE transactions already serialize every writer.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, serviceLock(svc.Name)); err != nil {
				return err
			}
		}
		if found, err := s.bySource(ctx, tx, req.Source, &id); found || err != nil {
			return err
		}
		// First the bookings the requested slot overlaps: all an accepted
		// request needs. A refusal reads the wider window its suggestions
		// search (three days before the start's date to a week after it).
		existing, err := s.holding(ctx, tx, svc.Name, start, start.Add(svc.Duration))
		if err != nil {
			return err
		}
		slot, err := p.Check(now, business.Request{Service: svc.Name, Start: req.Start}, existing)
		var r *business.Refusal
		if errors.As(err, &r) && len(r.Suggestions) > 0 {
			wide, werr := s.holding(ctx, tx, svc.Name, start.Add(-4*business.Day), start.Add(9*business.Day))
			if werr != nil {
				return werr
			}
			_, err = p.Check(now, business.Request{Service: svc.Name, Start: req.Start}, wide)
		}
		if err != nil {
			return err
		}
		at := s.ts(now)
		err = tx.QueryRowContext(ctx, `INSERT INTO bookings (thread_id, customer_name, service, requested_time, start_at, end_at, status, source_message_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8) ON CONFLICT (source_message_id) DO NOTHING RETURNING id`,
			req.Thread, req.CustomerName, slot.Service, req.RequestedTime, s.ts(slot.Start), s.ts(slot.End), nullable(req.Source), at).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			// The same source, asking for another service, committed
			// while we checked: that booking is the answer.
			if found, err := s.bySource(ctx, tx, req.Source, &id); found || err != nil {
				return err
			}
			return errors.New("a booking with this source vanished")
		}
		if err != nil {
			return err
		}
		created = true
		_, err = tx.ExecContext(ctx, `INSERT INTO booking_events (booking_id, from_status, to_status, actor_kind, actor_id, reason, at) VALUES ($1, '', 'pending', $2, $3, '', $4)`,
			id, string(business.ActorCustomer), req.Thread, at)
		return err
	})
	if err != nil {
		var r *business.Refusal
		if errors.As(err, &r) {
			return business.Booking{}, false, r
		}
		return business.Booking{}, false, fmt.Errorf("bizstore: request booking: %w", err)
	}
	b, err = s.Booking(ctx, business.Ref(id))
	if err != nil {
		return business.Booking{}, false, err
	}
	if b.Thread != req.Thread {
		// A source id is a provider's message id: it cannot come from two
		// threads unless something upstream is wrong. Say nothing of the
		// other customer's booking.
		return business.Booking{}, false, fmt.Errorf("bizstore: source message %q belongs to another thread", req.Source)
	}
	return b, created, nil
}

// bySource finds the booking made from source; with no source, none.
func (s *Store) bySource(ctx context.Context, q querier, source string, id *int64) (bool, error) {
	if source == "" {
		return false, nil
	}
	err := q.QueryRowContext(ctx, `SELECT id FROM bookings WHERE source_message_id = $1`, source).Scan(id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// serviceLock is the advisory lock key of a service's bookings.
func serviceLock(service string) int64 {
	h := fnv.New64a()
	h.Write([]byte("switchboard/bookings/" + strings.ToLower(service)))
	return int64(h.Sum64())
}

// Holding returns the bookings of service that hold a place (pending or
// approved) and overlap [from, to), for availability.
func (s *Store) Holding(ctx context.Context, service string, from, to time.Time) ([]business.Slot, error) {
	out, err := s.holding(ctx, s.db, service, from, to)
	if err != nil {
		return nil, fmt.Errorf("bizstore: holding: %w", err)
	}
	return out, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) holding(ctx context.Context, q querier, service string, from, to time.Time) ([]business.Slot, error) {
	rows, err := q.QueryContext(ctx, `SELECT start_at, end_at FROM bookings
		WHERE service = $1 AND status IN ('pending', 'approved') AND start_at < $3 AND end_at > $2`,
		service, s.ts(from), s.ts(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []business.Slot
	for rows.Next() {
		var a, b timeCol
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out = append(out, business.Slot{Service: service, Start: a.t, End: b.t})
	}
	return out, rows.Err()
}

const bookingColumns = `id, thread_id, customer_name, service, requested_time, start_at, end_at, status,
	COALESCE(source_message_id, ''), notice_status, notice_reason, created_at,
	COALESCE((SELECT r.status FROM booking_reminders r WHERE r.booking_id = bookings.id AND r.start_at = bookings.start_at), ''),
	COALESCE((SELECT r.reason FROM booking_reminders r WHERE r.booking_id = bookings.id AND r.start_at = bookings.start_at), '')`

func scanBooking(row interface{ Scan(...any) error }) (business.Booking, error) {
	var b business.Booking
	var start, end, created timeCol
	var status string
	err := row.Scan(&b.Ref, &b.Thread, &b.CustomerName, &b.Service, &b.RequestedTime, &start, &end, &status,
		&b.SourceMessageID, &b.Notice, &b.NoticeReason, &created, &b.Reminder, &b.ReminderReason)
	b.Status, b.Start, b.End, b.CreatedAt = business.Status(status), start.t, end.t, created.t
	return b, err
}

// Booking returns a booking with its history, or ErrNotFound.
func (s *Store) Booking(ctx context.Context, ref business.Ref) (business.Booking, error) {
	b, err := s.booking(ctx, s.db, ref)
	if err != nil {
		return business.Booking{}, fmt.Errorf("bizstore: booking %s: %w", ref, err)
	}
	return b, nil
}

func (s *Store) booking(ctx context.Context, q querier, ref business.Ref) (business.Booking, error) {
	b, err := scanBooking(q.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings WHERE id = $1`, int64(ref)))
	if errors.Is(err, sql.ErrNoRows) {
		return business.Booking{}, ErrNotFound
	}
	if err != nil {
		return business.Booking{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT from_status, to_status, actor_kind, actor_id, reason, at FROM booking_events WHERE booking_id = $1 ORDER BY id`, int64(ref))
	if err != nil {
		return business.Booking{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var c business.Change
		var from, to, kind string
		var at timeCol
		if err := rows.Scan(&from, &to, &kind, &c.By.ID, &c.Reason, &at); err != nil {
			return business.Booking{}, err
		}
		c.From, c.To, c.By.Kind, c.At = business.Status(from), business.Status(to), business.ActorKind(kind), at.t
		b.History = append(b.History, c)
	}
	return b, rows.Err()
}

// Filter selects bookings for Bookings.
type Filter struct {
	// Status, when set, keeps only bookings in it.
	Status business.Status
	// Thread, when set, keeps only that customer's bookings.
	Thread string
	// Limit bounds the result (default and maximum 500).
	Limit int
}

// Bookings returns bookings (without history) by start time, then
// reference.
func (s *Store) Bookings(ctx context.Context, f Filter) ([]business.Booking, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR thread_id = $2)
		ORDER BY start_at, id LIMIT $3`, string(f.Status), f.Thread, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("bizstore: bookings: %w", err)
	}
	defer rows.Close()
	var out []business.Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, fmt.Errorf("bizstore: bookings: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bizstore: bookings: %w", err)
	}
	return out, nil
}

// SetStatus changes a booking's status (business.Transition decides) and
// records the change. A customer (by.Kind == business.ActorCustomer, by.ID
// their thread) reaches only their own bookings: another's is ErrNotFound.
// An invalid change is a *business.TransitionError. It returns the booking
// as changed, with its history.
func (s *Store) SetStatus(ctx context.Context, ref business.Ref, to business.Status, by business.Actor, reason string) (business.Booking, business.Change, error) {
	var b business.Booking
	var change business.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var from, thread string
		err := tx.QueryRowContext(ctx, `SELECT status, thread_id FROM bookings WHERE id = $1`, int64(ref)).Scan(&from, &thread)
		if errors.Is(err, sql.ErrNoRows) || err == nil && by.Kind == business.ActorCustomer && thread != by.ID {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		change, err = business.Transition(ref, business.Status(from), to, by, s.now(), reason)
		if err != nil {
			return err
		}
		at := s.ts(change.At)
		// The status condition makes a concurrent change lose cleanly
		// instead of being overwritten.
		// A decision by anyone but the customer is to be told to the
		// customer: it is marked due in this transaction, so a crash
		// before the notice is recorded leaves it to DueNotices.
		notice := business.NoticeDue
		if by.Kind == business.ActorCustomer {
			notice = ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $2, updated_at = $4, notice_status = $5, notice_reason = '' WHERE id = $1 AND status = $3`,
			int64(ref), string(to), from, at, notice)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s changed at the same time; try again", ref)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO booking_events (booking_id, from_status, to_status, actor_kind, actor_id, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			int64(ref), from, string(to), string(by.Kind), by.ID, change.Reason, at); err != nil {
			return err
		}
		b, err = s.booking(ctx, tx, ref)
		return err
	})
	if err != nil {
		var te *business.TransitionError
		if errors.As(err, &te) {
			return business.Booking{}, business.Change{}, te
		}
		return business.Booking{}, business.Change{}, fmt.Errorf("bizstore: %s: %w", ref, err)
	}
	return b, change, nil
}

// SetNotice records whether the customer was told of the latest decision
// (business.NoticeSent or business.NoticeNotSent with the reason).
func (s *Store) SetNotice(ctx context.Context, ref business.Ref, notice, reason string) error {
	return s.setNotice(ctx, ref, "", notice, reason)
}

// SetNoticeOf is SetNotice for the decision that moved the booking to
// status: when the booking has moved on since (another decision), it
// changes nothing, so a late report on an old notice does not overwrite
// the new one's.
func (s *Store) SetNoticeOf(ctx context.Context, ref business.Ref, status business.Status, notice, reason string) error {
	return s.setNotice(ctx, ref, status, notice, reason)
}

func (s *Store) setNotice(ctx context.Context, ref business.Ref, status business.Status, notice, reason string) error {
	if notice != business.NoticeSent && notice != business.NoticeNotSent {
		return fmt.Errorf("bizstore: unknown notice status %q", notice)
	}
	// "Sent" means handed to the outbox; a failure the channel reported
	// meanwhile (not_sent, from the send job) is the later truth and
	// stays.
	res, err := s.db.ExecContext(ctx, `UPDATE bookings SET notice_status = $2, notice_reason = $3
		WHERE id = $1 AND ($4 = '' OR status = $4) AND NOT ($2 = 'sent' AND notice_status = 'not_sent')`,
		int64(ref), notice, reason, string(status))
	if err != nil {
		return fmt.Errorf("bizstore: notice %s: %w", ref, err)
	}
	if n, _ := res.RowsAffected(); n == 0 && status == "" && notice != business.NoticeSent {
		return fmt.Errorf("bizstore: notice %s: %w", ref, ErrNotFound)
	}
	return nil
}
