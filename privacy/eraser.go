package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/tools/calendar/local"
)

// ThreadFiles removes the files kept for a thread (webhooks/mediastore's
// Dir).
type ThreadFiles interface {
	DeleteThread(ctx context.Context, thread string) error
}

// Eraser erases a thread, or one member of a group thread, from every
// table. It is safe for concurrent use.
type Eraser struct {
	db      *sql.DB
	dialect migrations.Dialect
	saver   checkpoint.Saver
	store   store.Store
	biz     *bizstore.Store
	files   ThreadFiles
	now     func() time.Time
}

// Option configures an Eraser.
type Option func(*Eraser)

// WithFiles makes Erase remove the thread's stored files too.
func WithFiles(f ThreadFiles) Option { return func(e *Eraser) { e.files = f } }

// WithClock sets the clock of erasure requests (default time.Now).
func WithClock(now func() time.Time) Option { return func(e *Eraser) { e.now = now } }

// NewEraser returns an Eraser on db (migrated for dialect), whose
// checkpoints are in saver and messages in st.
func NewEraser(db *sql.DB, dialect migrations.Dialect, saver checkpoint.Saver, st store.Store, opts ...Option) (*Eraser, error) {
	if db == nil || saver == nil || st == nil {
		return nil, errors.New("privacy: NewEraser needs a database, a saver and a store")
	}
	biz, err := bizstore.New(db, dialect)
	if err != nil {
		return nil, fmt.Errorf("privacy: %w", err)
	}
	e := &Eraser{db: db, dialect: dialect, saver: saver, store: st, biz: biz, now: time.Now}
	for _, o := range opts {
		o(e)
	}
	return e, nil
}

// Erase deletes everything stored for th (see the package guarantees). A
// failed step leaves the later ones undone; running Erase again finishes.
func (e *Eraser) Erase(ctx context.Context, th string) error {
	steps := []struct {
		what string
		fn   func() error
	}{
		{"checkpoints", func() error { return e.saver.DeleteThread(ctx, th) }},
		{"copies in the console's lab", func() error { return e.eraseLabCopies(ctx, th) }},
		{"messages and replies", func() error { return e.store.DeleteThread(ctx, th) }},
		{"calendar events", func() error { _, err := local.New(e.db).DeleteThread(ctx, th); return err }},
		{"workouts", func() error { _, err := sqlstore.New(e.db).DeleteChat(ctx, th); return err }},
		{"bookings, leads and opt-out", func() error { _, _, err := e.biz.EraseThread(ctx, th); return err }},
		{"messages and workouts in groups", func() error { return e.eraseMemberEverywhere(ctx, th) }},
		{"erasure requests", func() error {
			_, err := e.db.ExecContext(ctx, `DELETE FROM erasure_requests WHERE thread_id = $1`, th)
			return err
		}},
		{"audit trail", func() error { return e.scrubAudit(ctx, th) }},
		{"files", func() error {
			if e.files == nil {
				return nil
			}
			return e.files.DeleteThread(ctx, th)
		}},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("privacy: erase the %s of %s: %w", s.what, thread.Mask(th), thread.MaskError(th, err))
		}
	}
	return nil
}

// LabPrefix starts the thread ids of the console's lab (console.LabPrefix,
// "lab:<account>"). The inspector can fork a customer's conversation into
// a lab thread: a copy of it, whose first checkpoint names the customer's
// thread in its "forked_from" metadata.
const LabPrefix = "lab:"

// eraseLabCopies deletes every lab thread that holds a copy of th's
// conversation: those with a checkpoint forked from th.
func (e *Eraser) eraseLabCopies(ctx context.Context, th string) error {
	infos, err := e.saver.Threads(ctx, 0)
	if err != nil {
		return err
	}
	for _, info := range infos {
		if !strings.HasPrefix(info.ThreadID, LabPrefix) {
			continue
		}
		cps, err := e.saver.List(ctx, info.ThreadID, checkpoint.ListOptions{})
		if err != nil {
			return err
		}
		if slices.ContainsFunc(cps, func(cp checkpoint.Checkpoint) bool { return cp.Metadata["forked_from"] == th }) {
			if err := e.saver.DeleteThread(ctx, info.ThreadID); err != nil {
				return err
			}
		}
	}
	return nil
}

// scrubAudit replaces th in the console's audit trail: the owner's actions
// stay on record, the person they concerned does not.
func (e *Eraser) scrubAudit(ctx context.Context, th string) error {
	find := "strpos(detail, $1) > 0"
	if e.dialect == migrations.SQLite {
		find = "instr(detail, $1) > 0"
	}
	for _, s := range mentions(th) {
		if _, err := e.db.ExecContext(ctx, `UPDATE console_audit SET detail = replace(detail, $1, '[erased]') WHERE `+find, s); err != nil {
			return err
		}
	}
	return nil
}

// mentions are the spellings of th that can appear in stored text: the id
// itself and, for a phone thread, its number with and without the +.
func mentions(th string) []string {
	out := []string{th}
	if _, num, ok := strings.Cut(th, ":"); ok && strings.HasPrefix(num, "+") && len(num) > 4 {
		out = append(out, num, num[1:])
	}
	return out
}

// eraseMemberEverywhere deletes what th posted as a participant of group
// chats (a group message's sender and a workout's member are the person's
// own thread id): "everything of theirs" includes that.
func (e *Eraser) eraseMemberEverywhere(ctx context.Context, th string) error {
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{
		`DELETE FROM inbound_messages WHERE sender = $1`,
		`DELETE FROM workouts WHERE member_id = $1`,
		`DELETE FROM gym_members WHERE member_id = $1`,
		`DELETE FROM erasure_requests WHERE member_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, th); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// EraseMember deletes one participant's data from a group thread: their
// messages, their workouts and their membership. The group's checkpoints
// and the replies the group received stay: they are the group's. member is
// the participant id messages carry as their sender.
func (e *Eraser) EraseMember(ctx context.Context, th, member string) error {
	if member == "" {
		return errors.New("privacy: EraseMember needs a member")
	}
	stmts := []string{
		`DELETE FROM inbound_messages WHERE thread_id = $1 AND sender = $2`,
		`DELETE FROM workouts WHERE chat_id = $1 AND member_id = $2`,
		`DELETE FROM gym_members WHERE chat_id = $1 AND member_id = $2`,
		`DELETE FROM erasure_requests WHERE thread_id = $1 AND member_id = $2`,
	}
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("privacy: erase a member of %s: %w", thread.Mask(th), err)
	}
	defer tx.Rollback()
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, th, member); err != nil {
			return fmt.Errorf("privacy: erase a member of %s: %w", thread.Mask(th), thread.MaskError(th, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("privacy: erase a member of %s: %w", thread.Mask(th), err)
	}
	return nil
}
