package desk

import (
	"context"
	"errors"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

// Opt handles the opt-out and opt-in words (business.ParseOpt) from a
// customer on thread: it records the choice and returns the one-line
// confirmation, in the business's first language. ok is false for any
// other message, which goes on to the assistant.
func (d *Desk) Opt(ctx context.Context, thread, text string) (reply string, ok bool, err error) {
	opt := business.ParseOpt(text)
	if opt == business.OptNone {
		return "", false, nil
	}
	if err := d.Store.SetOptOut(ctx, thread, opt == business.OptOut); err != nil {
		return "", true, err
	}
	es := false
	if p, err := d.Store.Profile(ctx); err == nil && len(p.Languages) > 0 {
		es = p.Languages[0] == "es"
	}
	switch {
	case opt == business.OptOut && es:
		return "Hecho: no te enviaremos más avisos ni recordatorios. Escribe ALTA para volver a recibirlos.", true, nil
	case opt == business.OptOut:
		return "Done: you will get no more notifications or reminders from us. Send START to get them again.", true, nil
	case es:
		return "Hecho: volverás a recibir avisos y recordatorios.", true, nil
	}
	return "Done: you will get notifications and reminders again.", true, nil
}

// FAQAnswer answers a customer's message from the approved FAQs when no
// model is available (business.FAQMatcher); ok is false when no FAQ
// matches closely enough, and the caller sends its fallback message.
func (d *Desk) FAQAnswer(ctx context.Context, text string) (answer string, ok bool, err error) {
	p, err := d.Store.Profile(ctx)
	if errors.Is(err, bizstore.ErrNoProfile) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	f, ok := business.NewFAQMatcher(p.FAQs).Match(text)
	return f.A, ok, nil
}
