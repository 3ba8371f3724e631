package privacy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/thread"
)

// ConfirmWindow is how long a "delete my data" waits for its
// confirmation; after it the request lapses and the word is an ordinary
// message again.
const ConfirmWindow = 10 * time.Minute

// Action is what a message means for erasure.
type Action int

// The values of Action.
const (
	// None: the message is not about erasure; it goes on to the flow.
	None Action = iota
	// Asked: the person asked to be erased and must confirm; the reply is
	// the question.
	Asked
	// Confirmed: the person confirmed within ConfirmWindow; the caller
	// erases (Erase, or EraseMember in a group), which also removes the
	// request, and then sends the reply.
	Confirmed
)

// requests are the phrases that ask for erasure, as normalize leaves them,
// with the language of the answer.
var requests = map[string]string{
	"delete my data":        "en",
	"delete all my data":    "en",
	"erase my data":         "en",
	"erase all my data":     "en",
	"borra mis datos":       "es",
	"borrar mis datos":      "es",
	"borra todos mis datos": "es",
	"elimina mis datos":     "es",
	"eliminar mis datos":    "es",
}

// confirmations are the words that carry out a pending request.
var confirmations = map[string]string{"delete": "en", "borrar": "es"}

// normalize lower-cases text, trims punctuation and a "please", and
// collapses spaces: "Delete my data, please!" reads "delete my data".
func normalize(text string) string {
	s := strings.ToLower(strings.Join(strings.Fields(text), " "))
	s = strings.Trim(s, " .!?¡¿,;:")
	for _, p := range []string{"please ", "por favor "} {
		s = strings.TrimPrefix(s, p)
	}
	for _, p := range []string{" please", " por favor"} {
		s = strings.TrimSuffix(s, p)
	}
	return strings.Trim(s, " .!?¡¿,;:")
}

// Classify reports whether text asks for erasure or is a confirmation
// word, and in which language to answer. It needs no database: the
// runner calls it on every message and goes to the database only when it
// returns true.
func Classify(text string) (request, confirm bool, lang string) {
	if len(text) > 64 {
		return false, false, ""
	}
	n := normalize(text)
	if l, ok := requests[n]; ok {
		return true, false, l
	}
	if l, ok := confirmations[n]; ok {
		return false, true, l
	}
	return false, false, ""
}

// Handle answers one message of th from member ("" when the thread is one
// person's; the participant's id in a group). See Action.
func (e *Eraser) Handle(ctx context.Context, th, member, text string) (Action, string, error) {
	request, confirm, lang := Classify(text)
	group := member != ""
	switch {
	case request:
		if err := e.ask(ctx, th, member); err != nil {
			return None, "", err
		}
		return Asked, askText(lang, group), nil
	case confirm:
		ok, err := e.pending(ctx, th, member)
		if err != nil || !ok {
			return None, "", err
		}
		return Confirmed, doneText(lang, group), nil
	}
	return None, "", nil
}

func (e *Eraser) ts(t time.Time) any {
	if e.dialect == migrations.SQLite {
		return t.UTC().Format(timeLayout)
	}
	return t
}

// timeLayout is how the SQLite schema stores times: UTC, fixed width, so
// text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// ask records (or renews) the request of member in th.
func (e *Eraser) ask(ctx context.Context, th, member string) error {
	_, err := e.db.ExecContext(ctx, `INSERT INTO erasure_requests (thread_id, member_id, asked_at) VALUES ($1, $2, $3)
		ON CONFLICT (thread_id, member_id) DO UPDATE SET asked_at = excluded.asked_at`, th, member, e.ts(e.now()))
	if err != nil {
		return fmt.Errorf("privacy: record an erasure request of %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	return nil
}

// pending reports whether member asked within ConfirmWindow to be erased
// from th. The request is removed by the erasure itself, so a crash
// between this check and the erasure leaves it to the retried turn.
func (e *Eraser) pending(ctx context.Context, th, member string) (bool, error) {
	var n int
	err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM erasure_requests WHERE thread_id = $1 AND member_id = $2 AND asked_at >= $3`,
		th, member, e.ts(e.now().Add(-ConfirmWindow))).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("privacy: read the erasure request of %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	return n > 0, nil
}

func askText(lang string, group bool) string {
	switch {
	case lang == "es" && group:
		return "Esto borrará tus mensajes y entrenamientos de este grupo (el historial del grupo se queda). No se puede deshacer. Para confirmar, responde BORRAR en los próximos 10 minutos."
	case lang == "es":
		return "Esto borrará todo lo que guardamos sobre ti aquí: tus mensajes, nuestras respuestas, tus reservas, tu calendario y tus entrenamientos. No se puede deshacer. Para confirmar, responde BORRAR en los próximos 10 minutos."
	case group:
		return "This will erase your messages and workouts in this group (the group's own history stays). It cannot be undone. To confirm, reply DELETE within 10 minutes."
	}
	return "This will erase everything stored about you here: your messages, our replies, your bookings, calendar and workouts. It cannot be undone. To confirm, reply DELETE within 10 minutes."
}

func doneText(lang string, group bool) string {
	switch {
	case lang == "es" && group:
		return "Hecho: hemos borrado tus mensajes y entrenamientos de este grupo."
	case lang == "es":
		return "Hecho: hemos borrado todo lo que guardábamos sobre ti. Si vuelves a escribir, empezamos de cero."
	case group:
		return "Done: your messages and workouts in this group have been erased."
	}
	return "Done: everything stored about you has been erased. If you write again, we start from scratch."
}
