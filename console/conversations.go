package console

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/store"
)

// ThreadSummary is a conversation in the list.
type ThreadSummary struct {
	Thread  string
	Channel string
	// Last is the newest message's text; LastOut says the business sent it.
	Last    string
	LastOut bool
	LastAt  time.Time
	// Messages counts inbound and outbound messages.
	Messages int
}

// WireMessage is a message as the channel carried it: inbound from the
// customer, or a reply from the outbox with its delivery status.
type WireMessage struct {
	// ID is the inbound row id, or the outbox row id for a reply.
	ID          int64
	Out         bool
	Body        string
	Media       []store.Media
	ProfileName string
	Sender      string
	// Key is a reply's outbox key ("turn:<last inbound id>").
	Key string
	// Status is a reply's delivery status (store.Status*); Error its reason
	// when it failed.
	Status string
	Error  string
	At     time.Time
}

// Figures are the overview's counts since a time.
type Figures struct {
	Inbound, Replies, Failed, Threads, Backlog int
	// ResponseTimes are the delays from a turn's last inbound message to
	// its reply being recorded.
	ResponseTimes []time.Duration
	// ReplyTimes are when the replies were recorded (at most 20,000, the
	// newest), for replies per day.
	ReplyTimes []time.Time
}

// Conversations reads the messages the channels carried.
type Conversations interface {
	// Threads returns conversations, most recent first, whose id or any
	// message contains query (case-insensitive); at most limit.
	Threads(ctx context.Context, query string, limit int) ([]ThreadSummary, error)
	// Messages returns the thread's newest limit messages, oldest first.
	Messages(ctx context.Context, thread string, limit int) ([]WireMessage, error)
	// Figures counts activity since since.
	Figures(ctx context.Context, since time.Time) (Figures, error)
	// Recent returns the newest messages across threads, newest first.
	Recent(ctx context.Context, limit int) ([]RecentMessage, error)
	// LastDelivered returns, per channel, when a reply was last delivered
	// (or read).
	LastDelivered(ctx context.Context) (map[string]time.Time, error)
}

// RecentMessage is a line of the overview's recent activity.
type RecentMessage struct {
	Thread string
	Out    bool
	Body   string
	At     time.Time
}

// SQLConversations reads the store's tables (inbound_messages, outbox,
// outbox_parts) on either database, read-only.
type SQLConversations struct{ db *sql.DB }

// NewSQLConversations returns a reader of db's message tables.
func NewSQLConversations(db *sql.DB) *SQLConversations { return &SQLConversations{db: db} }

// dbTime scans a time stored as timestamptz (Postgres) or as text
// (SQLite's fixed-width UTC layout).
type dbTime struct{ t time.Time }

func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.t = time.Time{}
	case time.Time:
		d.t = x
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("console: cannot read a time from %T", v)
	}
	return nil
}

func (d *dbTime) parse(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			d.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("console: unreadable time %q", s)
}

// messagesCTE is every message of every thread, inbound and outbound, with
// one time column; both databases order their time columns correctly.
const messagesCTE = `WITH m AS (
	SELECT thread_id, channel, body, received_at AS at, 0 AS out FROM inbound_messages
	UNION ALL
	SELECT thread_id, channel, body, created_at AS at, 1 AS out FROM outbox
)`

func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// Threads implements Conversations.
func (s *SQLConversations) Threads(ctx context.Context, query string, limit int) ([]ThreadSummary, error) {
	q := messagesCTE + `, ranked AS (
	SELECT thread_id, channel, body, at, out,
		ROW_NUMBER() OVER (PARTITION BY thread_id ORDER BY at DESC, out DESC) AS rn,
		COUNT(*) OVER (PARTITION BY thread_id) AS n
	FROM m
)
SELECT thread_id, channel, body, at, out, n FROM ranked
WHERE rn = 1 AND ($1 = '' OR thread_id IN (
	SELECT thread_id FROM m WHERE lower(thread_id) LIKE $2 ESCAPE '\' OR lower(body) LIKE $2 ESCAPE '\'))
ORDER BY at DESC LIMIT $3`
	rows, err := s.db.QueryContext(ctx, q, query, likePattern(query), limit)
	if err != nil {
		return nil, fmt.Errorf("console: list threads: %w", err)
	}
	defer rows.Close()
	var out []ThreadSummary
	for rows.Next() {
		var t ThreadSummary
		var at dbTime
		var o int
		if err := rows.Scan(&t.Thread, &t.Channel, &t.Last, &at, &o, &t.Messages); err != nil {
			return nil, fmt.Errorf("console: list threads: %w", err)
		}
		t.LastAt, t.LastOut = at.t, o == 1
		out = append(out, t)
	}
	return out, rows.Err()
}

// Messages implements Conversations.
func (s *SQLConversations) Messages(ctx context.Context, thread string, limit int) ([]WireMessage, error) {
	var out []WireMessage
	rows, err := s.db.QueryContext(ctx, `SELECT id, body, media, profile_name, sender, received_at FROM inbound_messages
		WHERE thread_id = $1 ORDER BY id DESC LIMIT $2`, thread, limit)
	if err != nil {
		return nil, fmt.Errorf("console: read messages: %w", err)
	}
	for rows.Next() {
		var m WireMessage
		var media []byte
		var at dbTime
		if err := rows.Scan(&m.ID, &m.Body, &media, &m.ProfileName, &m.Sender, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("console: read messages: %w", err)
		}
		m.At = at.t
		if len(media) > 0 {
			_ = json.Unmarshal(media, &m.Media) // unreadable media lists show as none
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("console: read messages: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT o.id, o.key, o.body, o.status, o.error, o.created_at,
		(SELECT COUNT(*) FROM outbox_parts p WHERE p.outbox_id = o.id),
		(SELECT MIN(CASE p.status WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END) FROM outbox_parts p WHERE p.outbox_id = o.id),
		(SELECT COUNT(*) FROM outbox_parts p WHERE p.outbox_id = o.id AND p.status IN ('failed', 'undelivered'))
		FROM outbox o WHERE o.thread_id = $1 ORDER BY o.id DESC LIMIT $2`, thread, limit)
	if err != nil {
		return nil, fmt.Errorf("console: read replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := WireMessage{Out: true}
		var at dbTime
		var parts, failed int
		var least sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Key, &m.Body, &m.Status, &m.Error, &at, &parts, &least, &failed); err != nil {
			return nil, fmt.Errorf("console: read replies: %w", err)
		}
		m.At = at.t
		m.Status = replyStatus(m.Status, parts, least, failed)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("console: read replies: %w", err)
	}
	sortMessages(out)
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// replyStatus is what the ticks show: the outbox row's status until every
// part was handed over, then the least advanced part's (store.ReplyStatus).
func replyStatus(row string, parts int, least sql.NullInt64, failed int) string {
	if store.IsFinalFailure(row) || failed > 0 {
		return store.StatusFailed
	}
	if row != store.StatusSent || parts == 0 || !least.Valid {
		return row
	}
	return [...]string{store.StatusSent, store.StatusQueued, store.StatusSent, store.StatusDelivered, store.StatusRead}[least.Int64]
}

// Figures implements Conversations.
func (s *SQLConversations) Figures(ctx context.Context, since time.Time) (Figures, error) {
	var f Figures
	// Times are parameters of each database's own type: the drivers encode
	// a time.Time as timestamptz (pgx) or in SQLite's text layout.
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM inbound_messages WHERE received_at >= $1),
		(SELECT COUNT(*) FROM outbox WHERE created_at >= $1),
		(SELECT COUNT(*) FROM outbox WHERE created_at >= $1 AND status IN ('failed', 'undelivered')),
		(SELECT COUNT(DISTINCT thread_id) FROM inbound_messages WHERE received_at >= $1),
		(SELECT COUNT(*) FROM inbound_messages WHERE processed_at IS NULL)`, dbArg(s.db, since)).
		Scan(&f.Inbound, &f.Replies, &f.Failed, &f.Threads, &f.Backlog)
	if err != nil {
		return Figures{}, fmt.Errorf("console: figures: %w", err)
	}
	// A turn's reply is keyed "turn:<its last inbound id>": the join goes
	// by the inbound primary key.
	rows, err := s.db.QueryContext(ctx, `SELECT i.received_at, o.created_at FROM outbox o
		JOIN inbound_messages i ON i.id = CASE WHEN o.key LIKE 'turn:%' THEN CAST(substr(o.key, 6) AS BIGINT) END AND i.thread_id = o.thread_id
		WHERE o.created_at >= $1 ORDER BY o.id DESC LIMIT 5000`, dbArg(s.db, since))
	if err != nil {
		return Figures{}, fmt.Errorf("console: response times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in, out dbTime
		if err := rows.Scan(&in, &out); err != nil {
			return Figures{}, fmt.Errorf("console: response times: %w", err)
		}
		if d := out.t.Sub(in.t); d >= 0 {
			f.ResponseTimes = append(f.ResponseTimes, d)
		}
	}
	if err := rows.Err(); err != nil {
		return Figures{}, fmt.Errorf("console: response times: %w", err)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT created_at FROM outbox WHERE created_at >= $1 ORDER BY id DESC LIMIT 20000`, dbArg(s.db, since))
	if err != nil {
		return Figures{}, fmt.Errorf("console: reply times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at dbTime
		if err := rows.Scan(&at); err != nil {
			return Figures{}, fmt.Errorf("console: reply times: %w", err)
		}
		f.ReplyTimes = append(f.ReplyTimes, at.t)
	}
	return f, rows.Err()
}

// LastDelivered implements Conversations.
func (s *SQLConversations) LastDelivered(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel, MAX(updated_at) FROM outbox_parts WHERE status IN ('delivered', 'read') GROUP BY channel`)
	if err != nil {
		return nil, fmt.Errorf("console: last delivered: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var ch string
		var at dbTime
		if err := rows.Scan(&ch, &at); err != nil {
			return nil, fmt.Errorf("console: last delivered: %w", err)
		}
		out[ch] = at.t
	}
	return out, rows.Err()
}

// Recent implements Conversations.
func (s *SQLConversations) Recent(ctx context.Context, limit int) ([]RecentMessage, error) {
	rows, err := s.db.QueryContext(ctx, messagesCTE+` SELECT thread_id, body, at, out FROM m ORDER BY at DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("console: recent messages: %w", err)
	}
	defer rows.Close()
	var out []RecentMessage
	for rows.Next() {
		var m RecentMessage
		var at dbTime
		var o int
		if err := rows.Scan(&m.Thread, &m.Body, &at, &o); err != nil {
			return nil, fmt.Errorf("console: recent messages: %w", err)
		}
		m.At, m.Out = at.t, o == 1
		out = append(out, m)
	}
	return out, rows.Err()
}

// sqliteTimeLayout is how store/sqlite writes times: UTC, fixed width, so
// text order is time order.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000000Z"

// isSQLite reports whether db is the embedded SQLite database.
func isSQLite(db *sql.DB) bool {
	return strings.Contains(strings.ToLower(fmt.Sprintf("%T", db.Driver())), "sqlite")
}

// dbArg passes a time as the store's columns hold it: a time.Time for
// Postgres, the store's text layout for SQLite.
func dbArg(db *sql.DB, t time.Time) any {
	if isSQLite(db) {
		return t.UTC().Format(sqliteTimeLayout)
	}
	return t
}
