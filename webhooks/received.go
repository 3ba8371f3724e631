package webhooks

import "time"

// FreshWithin is how recent a provider's timestamp may be and still be
// replaced by the time of arrival; see ReceivedAt.
const FreshWithin = 5 * time.Second

// ReceivedAt dates an inbound message from the provider's timestamp
// stamp, seen at now. Providers stamp in whole seconds, and the burst
// window (often under a second) must run from when a message reached us,
// not from up to a second before, or a burst delivered at once is split
// into turns: a stamp within FreshWithin of now, or in the future (a
// skewed clock), gives now. So does a zero stamp, or one older than
// maxAge (past the provider's redelivery period: a wrong clock, not a
// late message). Older stamps are kept: a message delivered late is
// ordered when it was written.
func ReceivedAt(stamp, now time.Time, maxAge time.Duration) time.Time {
	if stamp.IsZero() || stamp.After(now.Add(-FreshWithin)) || stamp.Before(now.Add(-maxAge)) {
		return now
	}
	return stamp
}
