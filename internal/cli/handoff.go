package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/thread"
)

// requestHuman is the request_human tool's hook: the customer's thread
// goes to a person, and the owners are told.
func (fd *frontDesk) requestHuman(ctx context.Context, th, reason string) error {
	_, _, err := fd.handoff.PauseBy(ctx, th, business.Actor{Kind: business.ActorCustomer, ID: th}, reason)
	return err
}

// Held implements flows.Handoff.
func (fd *frontDesk) Held(ctx context.Context, th string) (bool, error) {
	if isIn(fd.owners, th) {
		return false, nil // an owner's own thread is never handed over
	}
	return fd.handoff.Held(ctx, th)
}

// Unrecorded implements flows.Handoff: the replies people wrote to th
// that the assistant has not seen.
func (fd *frontDesk) Unrecorded(ctx context.Context, th string) ([]flows.HumanMessage, error) {
	rs, err := fd.store.UnrecordedReplies(ctx, th)
	if err != nil {
		return nil, err
	}
	out := make([]flows.HumanMessage, len(rs))
	for i, r := range rs {
		out[i] = flows.HumanMessage{Seq: r.ID, Text: r.Body, At: r.At}
	}
	return out, nil
}

// Recorded implements flows.Handoff.
func (fd *frontDesk) Recorded(ctx context.Context, th string, seq int64) error {
	return fd.store.MarkRepliesRecorded(ctx, th, seq)
}

// handoffOf returns the front desk as the runner's hand-off hook, or nil.
func (a *app) handoffOf() flows.Handoff {
	if a.front == nil {
		return nil
	}
	return a.front
}

// pauseThread runs `threads pause|resume THREAD`: the hand-off from the
// command line. A pause tells the owners through the outbox (the running
// server sends it).
func pauseThread(ctx context.Context, cfg config.Config, db *database, verb string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	reason := fs.String("reason", "", "why (told to the owners)")
	raw, err := parseThreadArgs(fs, args, true)
	if err != nil {
		return fmt.Errorf("usage: assistant threads %s THREAD%s", verb, map[string]string{"pause": " [--reason R]"}[verb])
	}
	id, err := thread.Normalize(raw)
	if err != nil {
		return err
	}
	if strings.Contains(id, "@") {
		return fmt.Errorf("%s is a group: only a customer's thread can be handed to a person", id)
	}
	if slices.Contains(ownerList(cfg), id) {
		return fmt.Errorf("%s is an owner's thread: only a customer's thread can be handed to a person", id)
	}
	bs, err := bizstore.New(db.sql, db.dialect)
	if err != nil {
		return err
	}
	if verb == "resume" {
		ok, err := bs.Resume(ctx, id, string(business.ActorCLI))
		if err != nil {
			return err
		}
		if !ok {
			_, err = fmt.Fprintf(stdout, "%s was not handed to a person; the assistant answers it\n", id)
			return err
		}
		_, err = fmt.Fprintf(stdout, "resumed %s: the assistant answers it again\n", id)
		return err
	}
	if err := migrateQueue(ctx, db); err != nil {
		return err
	}
	st, err := openStore(db, nil)
	if err != nil {
		return err
	}
	h := &desk.Handoff{Store: bs, Timeout: cfg.Business.HandoffTimeout,
		Announcer: &desk.Announcer{Notifier: outboxNotifier{st: st}, Owners: ownerList(cfg)}}
	ho, created, err := h.PauseBy(ctx, id, business.Actor{Kind: business.ActorCLI, ID: "cli"}, *reason)
	if err != nil {
		return err
	}
	if !created {
		_, err = fmt.Fprintf(stdout, "%s is already handed to a person (since %s)\n", id, stamp(ho.PausedAt))
		return err
	}
	until := "until you resume it"
	if u := ho.Until(cfg.Business.HandoffTimeout); !u.IsZero() {
		until += " (at the latest " + stamp(u) + ", HANDOFF_TIMEOUT after the last reply)"
	}
	_, err = fmt.Fprintf(stdout, "paused %s: the assistant stays silent %s; the owners are told\n", id, until)
	return err
}

// threadStates gives `threads list` each thread's state: handed to a
// person, opted out, or active.
func threadStates(db *database, timeout time.Duration) threadStater {
	bs, err := bizstore.New(db.sql, db.dialect)
	if err != nil {
		return nil
	}
	return func(ctx context.Context, th string) (string, error) {
		ho, held, err := bs.OpenHandoff(ctx, th, timeout)
		if err != nil {
			return "", err
		}
		out, err := bs.OptedOut(ctx, th)
		if err != nil {
			return "", err
		}
		var parts []string
		if held {
			s := "paused (with a person"
			if u := ho.Until(timeout); !u.IsZero() {
				s += " until " + stamp(u)
			}
			parts = append(parts, s+")")
		}
		if out {
			parts = append(parts, "opted out")
		}
		if len(parts) == 0 {
			return "active", nil
		}
		return strings.Join(parts, ", "), nil
	}
}

// Hold implements flows.Holder when the wrapped flow does: a thread handed
// to a person still has its messages in the history.
func (f sourceFlow) Hold(ctx context.Context, th string, turn flows.Turn) error {
	if h, ok := f.Flow.(flows.Holder); ok {
		return h.Hold(ctx, th, turn)
	}
	return nil
}

// Record implements flows.Recorder when the wrapped flow does.
func (f sourceFlow) Record(ctx context.Context, th, text string) error {
	if r, ok := f.Flow.(flows.Recorder); ok {
		return r.Record(ctx, th, text)
	}
	return nil
}
