package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/gym"
)

// maxSources bounds the source ids one call may name.
const maxSources = 64

// sourceArgs returns "$n, $n+1, ..." for the source ids, after the first
// n-1 arguments, and the arguments.
func sourceArgs(n int, sources []string) (string, []any, error) {
	if len(sources) == 0 || len(sources) > maxSources {
		return "", nil, fmt.Errorf("%w: %d source ids (want 1 to %d)", ErrInvalid, len(sources), maxSources)
	}
	marks := make([]string, len(sources))
	args := make([]any, len(sources))
	for i, s := range sources {
		marks[i] = "$" + strconv.Itoa(n+i)
		args[i] = s
	}
	return strings.Join(marks, ", "), args, nil
}

// BySource returns the member's workouts in chat whose source message ids
// are among sources, in insertion order. Another member's workouts are
// never returned, whatever their ids.
func (s *Store) BySource(ctx context.Context, chat, member string, sources []string) ([]Entry, error) {
	in, args, err := sourceArgs(3, sources)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM workouts
		WHERE chat_id = $1 AND member_id = $2 AND source_message_id IN (`+in+`) ORDER BY id`,
		append([]any{chat, member}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: by source: %w", err)
	}
	es, err := scanEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: by source: %w", err)
	}
	return es, nil
}

// Delete removes the member's workouts in chat with the given source ids
// (an undo) and returns how many it removed. Another member's workouts are
// never removed.
func (s *Store) Delete(ctx context.Context, chat, member string, sources []string) (int64, error) {
	in, args, err := sourceArgs(3, sources)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM workouts WHERE chat_id = $1 AND member_id = $2 AND source_message_id IN (`+in+`)`,
		append([]any{chat, member}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: delete: %w", err)
	}
	return n, nil
}

// Correct replaces the date, activity, duration and distance of the member's
// workout in chat stored from source (a correction) and reports whether
// there was one. Validate the corrected workout with gym.Validate first.
func (s *Store) Correct(ctx context.Context, chat, member, source string, w gym.Workout) (bool, error) {
	w.Member = member
	if err := checkStorable(chat, w); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE workouts SET local_date = $4, activity = $5, minutes = $6, distance_km = $7
		WHERE chat_id = $1 AND member_id = $2 AND source_message_id = $3`,
		chat, member, source, w.Date.String(), w.Activity, w.Minutes, w.DistanceKm)
	if err != nil {
		return false, fmt.Errorf("sqlstore: correct: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlstore: correct: %w", err)
	}
	return n > 0, nil
}
