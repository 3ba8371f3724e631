package thread

import "log/slog"

// ID is a thread id in a log line. Its LogValue is the masked id, so a
// record built with slog.Any("thread", thread.ID(t)) or
// log.With("thread", thread.ID(t)) never carries a whole phone number,
// whichever handler writes it.
type ID string

// LogValue implements slog.LogValuer: the id as Mask writes it.
func (id ID) LogValue() slog.Value { return slog.StringValue(Mask(string(id))) }
