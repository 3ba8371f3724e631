// Package sqlstore keeps the workouts and members of gym chats in SQL, on
// database/sql, with one set of queries for both supported databases: the
// embedded SQLite (modernc.org/sqlite, opened with checkpoint/sqlite.Open)
// and Postgres (pgx's database/sql adapter, migrations.OpenPostgres). The
// tables are created by migrations (0004_workouts.sql).
//
// The store applies no domain rule of its own except the duplicate check in
// Record, which is gym.IsDuplicate over the rows SQL selects: callers
// validate workouts with gym.Validate first. Every query is parameterized;
// nothing a member or a model wrote is ever part of SQL text.
//
// A chat is the conversation workouts are logged in: a group's thread id,
// or a person's thread id when the personal assistant logs for them. A
// member is identified by the id the channel gives the participant, stored
// and compared exactly as given.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/gym"
)

// ErrInvalid is matched (errors.Is) by errors about arguments the store
// cannot record at all: an empty chat or member, a zero date, no activity
// or no minutes. Validate workouts with gym.Validate before storing them.
var ErrInvalid = errors.New("sqlstore: invalid workout")

// Store reads and writes workouts and members. It is safe for concurrent
// use. Record's check-then-insert runs in one transaction; on Postgres two
// concurrent Records of the same member and day in one chat could both
// insert, which the flows avoid by running one turn per thread at a time.
type Store struct {
	db *sql.DB
}

// New returns a Store on db, which must have the migrations applied.
func New(db *sql.DB) *Store { return &Store{db: db} }

// DB returns the database the store uses.
func (s *Store) DB() *sql.DB { return s.db }

// Member is a known member of a gym chat.
type Member struct {
	// ID is the participant's id on the channel.
	ID string `json:"id"`
	// Name is the name shown in replies and leaderboards: the latest push
	// name the member posted with, or the one an admin set.
	Name string `json:"name"`
}

// Entry is a stored workout with where it was logged.
type Entry struct {
	gym.Workout
	// ID is the row id, increasing in insertion order.
	ID int64 `json:"id"`
	// Chat is the conversation it was logged in.
	Chat string `json:"chat"`
	// MemberName is the member's display name when it was logged.
	MemberName string `json:"member_name,omitempty"`
}

// Outcome says what Record did with a workout.
type Outcome struct {
	// Inserted is true when the workout was stored now.
	Inserted bool
	// Duplicate is true when it was not stored because Of already was
	// (gym.IsDuplicate).
	Duplicate bool
	// SameSource is true for a duplicate with the same source message id:
	// the same message recorded before (a retried run), not a second log.
	SameSource bool
	// Of is the stored workout it duplicates, when Duplicate.
	Of gym.Workout
}

// AddMember makes id a known member of chat, or updates their display
// name; an empty name keeps the one stored. It reports whether the member
// is new to the chat.
func (s *Store) AddMember(ctx context.Context, chat, id, name string) (bool, error) {
	if chat == "" || id == "" {
		return false, fmt.Errorf("%w: member needs a chat and an id", ErrInvalid)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlstore: add member: %w", err)
	}
	defer tx.Rollback()
	var existing string
	err = tx.QueryRowContext(ctx, `SELECT display_name FROM gym_members WHERE chat_id = $1 AND member_id = $2`, chat, id).Scan(&existing)
	created := errors.Is(err, sql.ErrNoRows)
	switch {
	case created:
		if _, err := tx.ExecContext(ctx, `INSERT INTO gym_members (chat_id, member_id, display_name) VALUES ($1, $2, $3)
			ON CONFLICT (chat_id, member_id) DO NOTHING`, chat, id, name); err != nil {
			return false, fmt.Errorf("sqlstore: add member: %w", err)
		}
	case err != nil:
		return false, fmt.Errorf("sqlstore: add member: %w", err)
	case name != "" && name != existing:
		if _, err := tx.ExecContext(ctx, `UPDATE gym_members SET display_name = $3 WHERE chat_id = $1 AND member_id = $2`, chat, id, name); err != nil {
			return false, fmt.Errorf("sqlstore: rename member: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlstore: add member: %w", err)
	}
	return created, nil
}

// RemoveMember removes id from chat's known members; their workouts stay.
func (s *Store) RemoveMember(ctx context.Context, chat, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM gym_members WHERE chat_id = $1 AND member_id = $2`, chat, id); err != nil {
		return fmt.Errorf("sqlstore: remove member: %w", err)
	}
	return nil
}

// Members returns chat's known members ordered by id.
func (s *Store) Members(ctx context.Context, chat string) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT member_id, display_name FROM gym_members WHERE chat_id = $1 ORDER BY member_id`, chat)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, fmt.Errorf("sqlstore: members: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: members: %w", err)
	}
	return out, nil
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const entryColumns = `id, chat_id, member_id, member_name, CAST(local_date AS TEXT), activity, minutes, sets, reps, distance_km, calories, COALESCE(source_message_id, '')`

func scanEntries(rows *sql.Rows) ([]Entry, error) {
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var date string
		if err := rows.Scan(&e.ID, &e.Chat, &e.Member, &e.MemberName, &date, &e.Activity, &e.Minutes,
			&e.Sets, &e.Reps, &e.DistanceKm, &e.Calories, &e.SourceMessageID); err != nil {
			return nil, err
		}
		d, err := gym.ParseDate(date)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", e.ID, err)
		}
		e.Date = d
		out = append(out, e)
	}
	return out, rows.Err()
}

// Candidates returns the stored workouts w could duplicate (see
// gym.IsDuplicate): the same member's workouts of w.Date in chat, and any
// workout with w's source message id.
func (s *Store) Candidates(ctx context.Context, chat string, w gym.Workout) ([]gym.Workout, error) {
	es, err := candidates(ctx, s.db, chat, w)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: candidates: %w", err)
	}
	out := make([]gym.Workout, len(es))
	for i, e := range es {
		out[i] = e.Workout
	}
	return out, nil
}

func candidates(ctx context.Context, q queryer, chat string, w gym.Workout) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+` FROM workouts
		WHERE (chat_id = $1 AND member_id = $2 AND local_date = $3) OR source_message_id = $4
		ORDER BY id`, chat, w.Member, w.Date.String(), w.SourceMessageID)
	if err != nil {
		return nil, err
	}
	return scanEntries(rows)
}

func checkStorable(chat string, w gym.Workout) error {
	var missing []string
	if chat == "" {
		missing = append(missing, "chat")
	}
	if w.Member == "" {
		missing = append(missing, "member")
	}
	if w.Date.IsZero() {
		missing = append(missing, "date")
	}
	if w.Activity == "" {
		missing = append(missing, "activity")
	}
	if w.Minutes <= 0 {
		missing = append(missing, "minutes")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: no %s", ErrInvalid, strings.Join(missing, ", "))
	}
	return nil
}

// Insert stores w in chat with the member's display name, without a
// duplicate check. It reports false, and stores nothing, when a workout
// with w's source message id is already stored: inserting the same
// message's workout again is a no-op.
func (s *Store) Insert(ctx context.Context, chat, memberName string, w gym.Workout) (bool, error) {
	if err := checkStorable(chat, w); err != nil {
		return false, err
	}
	ok, err := insert(ctx, s.db, chat, memberName, w)
	if err != nil {
		return false, fmt.Errorf("sqlstore: insert: %w", err)
	}
	return ok, nil
}

func insert(ctx context.Context, q queryer, chat, memberName string, w gym.Workout) (bool, error) {
	var source any
	if w.SourceMessageID != "" {
		source = w.SourceMessageID
	}
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO workouts
		(chat_id, member_id, member_name, local_date, activity, minutes, sets, reps, distance_km, calories, source_message_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (source_message_id) DO NOTHING
		RETURNING id`,
		chat, w.Member, memberName, w.Date.String(), w.Activity, w.Minutes, w.Sets, w.Reps, w.DistanceKm, w.Calories, source).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Record stores w in chat unless it duplicates a stored workout (the
// duplicate check and the insert run in one transaction).
func (s *Store) Record(ctx context.Context, chat, memberName string, w gym.Workout) (Outcome, error) {
	if err := checkStorable(chat, w); err != nil {
		return Outcome{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Outcome{}, fmt.Errorf("sqlstore: record: %w", err)
	}
	defer tx.Rollback()
	es, err := candidates(ctx, tx, chat, w)
	if err != nil {
		return Outcome{}, fmt.Errorf("sqlstore: record: %w", err)
	}
	existing := make([]gym.Workout, len(es))
	for i, e := range es {
		existing[i] = e.Workout
	}
	if dup, of := gym.IsDuplicate(w, existing); dup {
		return Outcome{Duplicate: true, Of: of, SameSource: w.SourceMessageID != "" && of.SourceMessageID == w.SourceMessageID}, nil
	}
	ok, err := insert(ctx, tx, chat, memberName, w)
	if err != nil {
		return Outcome{}, fmt.Errorf("sqlstore: record: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Outcome{}, fmt.Errorf("sqlstore: record: %w", err)
	}
	if !ok {
		// The source id appeared between the check and the insert.
		return Outcome{Duplicate: true, SameSource: true, Of: w}, nil
	}
	return Outcome{Inserted: true}, nil
}

// Workouts returns chat's workouts dated from..to (inclusive), by date then
// insertion order; member, when not empty, keeps only that member's.
func (s *Store) Workouts(ctx context.Context, chat, member string, from, to gym.Date) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM workouts
		WHERE chat_id = $1 AND local_date >= $2 AND local_date <= $3 AND ($4 = '' OR member_id = $4)
		ORDER BY local_date, id`, chat, from.String(), to.String(), member)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: workouts: %w", err)
	}
	es, err := scanEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: workouts: %w", err)
	}
	return es, nil
}

// DeleteChat erases a chat's workouts and members and returns how many
// workouts it deleted.
func (s *Store) DeleteChat(ctx context.Context, chat string) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete chat: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM workouts WHERE chat_id = $1`, chat)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete chat: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM gym_members WHERE chat_id = $1`, chat); err != nil {
		return 0, fmt.Errorf("sqlstore: delete chat: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlstore: delete chat: %w", err)
	}
	return n, nil
}

// Summary computes chat's leaderboard for period p containing today, with
// SQL aggregates: sessions, minutes, distance, calories and active days
// per member over the period, and each member's current streak from the
// distinct days SQL selects (through gym.Streak). Every id in members
// appears, with zeros if they did nothing; members who logged but are not
// listed appear too. Workouts after today are ignored. The result equals
// gym.Summarize over the same workouts.
func (s *Store) Summary(ctx context.Context, chat string, p gym.Period, today gym.Date, members []string) (gym.Summary, error) {
	from, to := p.Range(today)
	if p != gym.PeriodMonth {
		p = gym.PeriodWeek
	}
	sum := gym.Summary{Period: p, From: from, To: to, Today: today}
	stats := map[string]*gym.MemberStats{}
	get := func(m string) *gym.MemberStats {
		st, ok := stats[m]
		if !ok {
			st = &gym.MemberStats{Member: m}
			stats[m] = st
		}
		return st
	}
	for _, m := range members {
		get(m)
	}
	last := min(to.String(), today.String())
	rows, err := s.db.QueryContext(ctx, `SELECT member_id, COUNT(*), COALESCE(SUM(minutes), 0),
		COALESCE(SUM(distance_km), 0), COALESCE(SUM(calories), 0), COUNT(DISTINCT local_date)
		FROM workouts WHERE chat_id = $1 AND local_date >= $2 AND local_date <= $3
		GROUP BY member_id`, chat, from.String(), last)
	if err != nil {
		return gym.Summary{}, fmt.Errorf("sqlstore: summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var member string
		var sessions, minutes, calories, days int64
		var km float64
		if err := rows.Scan(&member, &sessions, &minutes, &km, &calories, &days); err != nil {
			return gym.Summary{}, fmt.Errorf("sqlstore: summary: %w", err)
		}
		st := get(member)
		st.Sessions, st.Minutes, st.Calories, st.ActiveDays = int(sessions), int(minutes), int(calories), int(days)
		st.DistanceKm = roundKm(km)
		sum.TotalSessions += st.Sessions
		sum.TotalMinutes += st.Minutes
	}
	if err := rows.Err(); err != nil {
		return gym.Summary{}, fmt.Errorf("sqlstore: summary: %w", err)
	}
	days, err := s.activeDays(ctx, chat, today)
	if err != nil {
		return gym.Summary{}, err
	}
	for m, st := range stats {
		st.Streak = gym.Streak(days[m], today)
		sum.Members = append(sum.Members, *st)
	}
	rank(sum.Members)
	return sum, nil
}

// activeDays returns, per member of chat, the distinct days up to today
// with a workout, newest first.
func (s *Store) activeDays(ctx context.Context, chat string, today gym.Date) (map[string][]gym.Date, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT member_id, CAST(local_date AS TEXT) FROM workouts
		WHERE chat_id = $1 AND local_date <= $2`, chat, today.String())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: streaks: %w", err)
	}
	defer rows.Close()
	out := map[string][]gym.Date{}
	for rows.Next() {
		var member, day string
		if err := rows.Scan(&member, &day); err != nil {
			return nil, fmt.Errorf("sqlstore: streaks: %w", err)
		}
		d, err := gym.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: streaks: %w", err)
		}
		out[member] = append(out[member], d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: streaks: %w", err)
	}
	return out, nil
}

// rank orders a leaderboard as gym.Summarize does: most sessions, then most
// minutes, then member id; ties on sessions and minutes share a rank.
func rank(ms []gym.MemberStats) {
	slices.SortFunc(ms, func(a, b gym.MemberStats) int {
		switch {
		case a.Sessions != b.Sessions:
			return b.Sessions - a.Sessions
		case a.Minutes != b.Minutes:
			return b.Minutes - a.Minutes
		}
		return strings.Compare(a.Member, b.Member)
	})
	for i := range ms {
		if i > 0 && ms[i].Sessions == ms[i-1].Sessions && ms[i].Minutes == ms[i-1].Minutes {
			ms[i].Rank = ms[i-1].Rank
		} else {
			ms[i].Rank = i + 1
		}
	}
}

func roundKm(v float64) float64 {
	return float64(int64(v*100+0.5)) / 100
}
