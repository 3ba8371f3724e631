package backend

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboardhq/switchboard/store"
)

const (
	selectAnswerMessage = `SELECT id, thread_id, CASE WHEN processed_at IS NULL THEN 0 ELSE 1 END
		FROM inbound_messages WHERE channel = $1 AND provider_id = $2`
	// A turn marks all its messages processed with one timestamp (Complete),
	// so the messages sharing this one's are its turn, and the newest of
	// them names the turn's replies.
	selectTurnLast = `SELECT MAX(id) FROM inbound_messages
		WHERE thread_id = $1 AND processed_at = (SELECT processed_at FROM inbound_messages WHERE id = $2)`
	selectAnswerBodies = `SELECT body FROM outbox WHERE thread_id = $1 AND key IN ($2, $3, $4) ORDER BY id`
)

// Answer implements store.Store.
func (s *Store[TTx]) Answer(ctx context.Context, channel, providerID string) (store.Answer, error) {
	var a store.Answer
	var id int64
	var processed int
	q := s.d.DB()
	err := q.QueryRow(ctx, selectAnswerMessage, channel, providerID).Scan(&id, &a.Thread, &processed)
	if errors.Is(err, ErrNoRows) {
		return store.Answer{}, nil
	}
	if err != nil {
		return store.Answer{}, s.errorf("answer %s/%s: %w", channel, providerID, err)
	}
	a.Found = true
	if processed == 0 {
		return a, nil
	}
	var last int64
	if err := q.QueryRow(ctx, selectTurnLast, a.Thread, id).Scan(&last); err != nil {
		return store.Answer{}, s.errorf("answer %s/%s: turn: %w", channel, providerID, err)
	}
	keys := store.AnswerKeys(last)
	rows, err := q.Query(ctx, selectAnswerBodies, a.Thread, keys[0], keys[1], keys[2])
	bodies, err := collect(rows, err, func(r Rows) (string, error) {
		var b string
		err := r.Scan(&b)
		return b, err
	})
	if err != nil {
		return store.Answer{}, s.errorf("answer %s/%s: replies: %w", channel, providerID, err)
	}
	a.Done, a.Text = true, strings.Join(bodies, "\n\n")
	return a, nil
}
