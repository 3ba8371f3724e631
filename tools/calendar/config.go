package calendar

import (
	"time"
)

// The calendar providers.
const (
	ProviderLocal  = "local"
	ProviderGoogle = "google"
)

// MinFeedSecretLen is the shortest CALENDAR_FEED_SECRET accepted.
const MinFeedSecretLen = 32

// Config is the calendar's configuration, read from the environment by
// the config package. The variables:
//
//	CALENDAR_PROVIDER           local (default) or google
//	CALENDAR_OWNERS             comma-separated thread ids that may use a google calendar (required for google)
//	CALENDAR_WORKING_HOURS      HH:MM-HH:MM, the default hours of calendar_find_free_slots (09:00-17:00)
//	CALENDAR_FEED_SECRET        at least 32 characters; enables GET /calendar.ics (unset: feed off)
//	ASSISTANT_TIMEZONE          IANA zone for wall-clock times (UTC)
//	ASSISTANT_DATA_DIR          where the default token file lives (./data)
//	GOOGLE_CALENDAR_ID          the calendar to use (primary)
//	GOOGLE_CALENDAR_ENDPOINT    base URL of the Calendar API, without /calendar/v3 (tests, proxies)
//	GOOGLE_OAUTH_CLIENT_ID      OAuth client of type "Desktop app" ...
//	GOOGLE_OAUTH_CLIENT_SECRET  ... and its secret,
//	GOOGLE_OAUTH_CLIENT_FILE    or the client's downloaded JSON file instead of the two above
//	GOOGLE_OAUTH_AUTH_URL       authorization endpoint override (tests)
//	GOOGLE_OAUTH_TOKEN_URL      token endpoint override (tests)
//	GOOGLE_TOKEN_FILE           where `assistant calendar auth` stores the token ($ASSISTANT_DATA_DIR/google-calendar-token.json)
//	GOOGLE_SERVICE_ACCOUNT_FILE a service account's JSON key, instead of OAuth (the calendar must be shared with it)
type Config struct {
	// Provider is ProviderLocal or ProviderGoogle.
	Provider string
	// Owners are the threads that may use a shared (google) calendar.
	Owners []string
	// Location is the assistant's time zone.
	Location *time.Location
	// WorkingHours bound free-slot searches by default.
	WorkingHours WorkingHours
	// FeedSecret keys the feed tokens; empty turns the feed off.
	FeedSecret []byte
	// Google configures the google provider.
	Google GoogleConfig
}

// GoogleConfig configures the Google Calendar backend and its OAuth flow.
type GoogleConfig struct {
	// CalendarID is the calendar to use ("primary" is the account's own).
	CalendarID string
	// Endpoint is the API's base URL without /calendar/v3; empty means
	// Google's.
	Endpoint string
	// ClientID and ClientSecret identify the OAuth client.
	ClientID, ClientSecret string
	// ClientFile is the OAuth client's JSON file, an alternative to
	// ClientID and ClientSecret.
	ClientFile string
	// AuthURL and TokenURL override the OAuth endpoints.
	AuthURL, TokenURL string
	// TokenFile stores the OAuth token.
	TokenFile string
	// ServiceAccountFile is a service account key, used instead of OAuth.
	ServiceAccountFile string
}

// UsesServiceAccount reports whether the backend authenticates as a
// service account.
func (g GoogleConfig) UsesServiceAccount() bool { return g.ServiceAccountFile != "" }

// Options returns the Calendar options the configuration implies: a
// google calendar is shared (owners only), a local one is per thread.
func (c Config) Options() Options {
	return Options{
		Location:     c.Location,
		Shared:       c.Provider == ProviderGoogle,
		Owners:       c.Owners,
		WorkingHours: c.WorkingHours,
		FeedSecret:   c.FeedSecret,
	}
}
