package calendar

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
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
// ConfigFromEnv. The variables:
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

// ConfigFromEnv reads and validates the calendar configuration. All
// problems are reported together, each naming its variable.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var errs []error
	fail := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, a...)))
	}
	c := Config{Provider: ProviderLocal, Location: time.UTC, WorkingHours: DefaultWorkingHours}

	switch p := strings.ToLower(get("CALENDAR_PROVIDER")); p {
	case "", ProviderLocal:
	case ProviderGoogle:
		c.Provider = ProviderGoogle
	default:
		fail("CALENDAR_PROVIDER", "%q: want local or google", p)
	}
	if v := get("ASSISTANT_TIMEZONE"); v != "" {
		loc, err := time.LoadLocation(v)
		if err != nil {
			fail("ASSISTANT_TIMEZONE", "%q: want an IANA time zone such as Europe/Madrid", v)
		} else {
			c.Location = loc
		}
	}
	for _, o := range strings.Split(get("CALENDAR_OWNERS"), ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if strings.ContainsAny(o, " \t") || !strings.Contains(o, ":") {
			fail("CALENDAR_OWNERS", "%q: want thread ids such as whatsapp:+15551234567", o)
			continue
		}
		c.Owners = append(c.Owners, o)
	}
	if v := get("CALENDAR_WORKING_HOURS"); v != "" {
		wh, err := ParseWorkingHours(v)
		if err != nil {
			fail("CALENDAR_WORKING_HOURS", "%v", err)
		} else {
			c.WorkingHours = wh
		}
	}
	if v := getenv("CALENDAR_FEED_SECRET"); v != "" {
		if len(v) < MinFeedSecretLen {
			// Never echo a secret.
			fail("CALENDAR_FEED_SECRET", "too short: use at least %d random characters (e.g. openssl rand -hex 32)", MinFeedSecretLen)
		} else {
			c.FeedSecret = []byte(v)
		}
	}

	g := &c.Google
	g.CalendarID = get("GOOGLE_CALENDAR_ID")
	if g.CalendarID == "" {
		g.CalendarID = "primary"
	}
	checkURL := func(name string) string {
		v := strings.TrimRight(get(name), "/")
		if v == "" {
			return ""
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fail(name, "%q: want an absolute http(s) URL", v)
			return ""
		}
		return v
	}
	g.Endpoint = strings.TrimSuffix(checkURL("GOOGLE_CALENDAR_ENDPOINT"), "/calendar/v3")
	g.AuthURL = checkURL("GOOGLE_OAUTH_AUTH_URL")
	g.TokenURL = checkURL("GOOGLE_OAUTH_TOKEN_URL")
	g.ClientID = get("GOOGLE_OAUTH_CLIENT_ID")
	g.ClientSecret = get("GOOGLE_OAUTH_CLIENT_SECRET")
	g.ClientFile = get("GOOGLE_OAUTH_CLIENT_FILE")
	g.ServiceAccountFile = get("GOOGLE_SERVICE_ACCOUNT_FILE")
	g.TokenFile = get("GOOGLE_TOKEN_FILE")
	if g.TokenFile == "" {
		dir := get("ASSISTANT_DATA_DIR")
		if dir == "" {
			dir = "./data"
		}
		g.TokenFile = filepath.Join(dir, "google-calendar-token.json")
	}
	if (g.ClientID == "") != (g.ClientSecret == "") {
		fail("GOOGLE_OAUTH_CLIENT_ID", "set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET together")
	}
	if g.ClientID != "" && g.ClientFile != "" {
		fail("GOOGLE_OAUTH_CLIENT_FILE", "set either GOOGLE_OAUTH_CLIENT_FILE or GOOGLE_OAUTH_CLIENT_ID/SECRET, not both")
	}
	if c.Provider == ProviderGoogle {
		oauth := g.ClientID != "" || g.ClientFile != ""
		switch {
		case g.ServiceAccountFile != "" && oauth:
			fail("GOOGLE_SERVICE_ACCOUNT_FILE", "set either a service account or an OAuth client, not both")
		case g.ServiceAccountFile == "" && !oauth:
			fail("CALENDAR_PROVIDER", "google needs GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET (or GOOGLE_OAUTH_CLIENT_FILE), or GOOGLE_SERVICE_ACCOUNT_FILE")
		}
		if len(c.Owners) == 0 {
			fail("CALENDAR_OWNERS", "required with CALENDAR_PROVIDER=google: the thread ids (whatsapp:+15551234567) that may use the owner's calendar")
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("calendar configuration: %w", err)
	}
	return c, nil
}

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
