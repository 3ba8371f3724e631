package thread

import (
	"log/slog"
	"strings"
)

// ID is a thread id in a log line. Its LogValue is the masked id, so a
// record built with slog.Any("thread", thread.ID(t)) or
// log.With("thread", thread.ID(t)) never carries a whole phone number,
// whichever handler writes it.
type ID string

// LogValue implements slog.LogValuer: the id as Mask writes it.
func (id ID) LogValue() slog.Value { return slog.StringValue(Mask(string(id))) }

// MaskError returns err with every spelling of id in its message masked:
// the whole id ("whatsapp:+15551234567") and its address without the
// channel ("+15551234567"). Layers below a flow (the graph, the savers,
// the stores) name the thread they failed on in their errors; a flow wraps
// such an error once, where it knows the thread, before it is logged.
// errors.Is and errors.As see err unchanged. A nil err stays nil.
func MaskError(id string, err error) error {
	if err == nil || id == "" {
		return err
	}
	return &maskedError{id: id, err: err}
}

type maskedError struct {
	id  string
	err error
}

// Error is err's message with the thread id masked.
func (e *maskedError) Error() string {
	msg := strings.ReplaceAll(e.err.Error(), e.id, Mask(e.id))
	if _, addr, ok := strings.Cut(e.id, ":"); ok && len(addr) > 4 {
		msg = strings.ReplaceAll(msg, addr, Mask(addr))
	}
	return msg
}

// Unwrap returns the error as its layer wrote it.
func (e *maskedError) Unwrap() error { return e.err }
