package jsonhook

// SetMaxWaiting lowers the cap on waiting requests, for tests.
func (h *Handler) SetMaxWaiting(n int) { h.maxWaiting = n }
