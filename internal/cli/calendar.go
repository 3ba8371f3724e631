package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/google"
)

const calendarUsage = `usage: assistant calendar <command> [arguments]

commands:
  auth [-paste] [-listen ADDR]   authorize Google Calendar (CALENDAR_PROVIDER=google): prints a URL
                                 to open, takes the code from a loopback redirect or pasted here,
                                 and stores the token in GOOGLE_TOKEN_FILE
  feed-url THREAD                print the private iCalendar feed URL of a thread's calendar
                                 (needs CALENDAR_FEED_SECRET; PUBLIC_URL is its base)
`

// runCalendar runs `assistant calendar ...`.
func runCalendar(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, calendarUsage)
		return errors.New("calendar: a command is required")
	}
	get, err := envWithFile(".env", getenv)
	if err != nil {
		return err
	}
	all, err := config.Load(get)
	if err != nil {
		return err
	}
	cfg := all.Tools.Calendar
	switch args[0] {
	case "auth":
		return calendarAuth(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "feed-url":
		return calendarFeedURL(cfg, args[1:], all.PublicURL, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, calendarUsage)
		return nil
	default:
		fmt.Fprint(stderr, calendarUsage)
		return fmt.Errorf("calendar: unknown command %q", args[0])
	}
}

func calendarAuth(ctx context.Context, cfg calendar.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calendar auth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	paste := fs.Bool("paste", false, "no loopback listener: paste the code (for a machine without a browser)")
	listen := fs.String("listen", "127.0.0.1:0", "loopback address for the OAuth redirect")
	if err := fs.Parse(args); err != nil {
		return err
	}
	g := cfg.Google
	if g.UsesServiceAccount() {
		fmt.Fprintf(stdout, "GOOGLE_SERVICE_ACCOUNT_FILE is set: the service account needs no authorization.\nShare the calendar %q with the service account's e-mail address (\"Make changes to events\").\n", g.CalendarID)
		return nil
	}
	if cfg.Provider != calendar.ProviderGoogle {
		fmt.Fprintln(stderr, "note: CALENDAR_PROVIDER is not google; the token is stored but not used until it is.")
	}
	oc, err := google.OAuthConfig(g, "")
	if err != nil {
		return err
	}
	tok, err := google.Authorize(ctx, oc, stdin, stdout, google.AuthorizeOptions{ListenAddr: *listen, NoListener: *paste})
	if err != nil {
		return fmt.Errorf("calendar auth: %w", err)
	}
	if err := (google.FileTokenStore{Path: g.TokenFile}).Save(tok); err != nil {
		return fmt.Errorf("calendar auth: %w", err)
	}
	fmt.Fprintf(stdout, "\nAuthorized. The token is stored in %s; the assistant refreshes it by itself.\n", g.TokenFile)
	return nil
}

func calendarFeedURL(cfg calendar.Config, args []string, base string, stdout io.Writer) error {
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		return errors.New("usage: assistant calendar feed-url THREAD (e.g. whatsapp:+15551234567)")
	}
	thread := threadArg(args[0])
	if len(cfg.FeedSecret) == 0 {
		return errors.New("calendar feed-url: the feed is off: set CALENDAR_FEED_SECRET (at least 32 random characters)")
	}
	if cfg.Provider == calendar.ProviderGoogle && !slices.Contains(cfg.Owners, thread) {
		return fmt.Errorf("calendar feed-url: %s is not in CALENDAR_OWNERS", thread)
	}
	fmt.Fprintf(stdout, "%s/calendar.ics?token=%s\n", base, url.QueryEscape(calendar.FeedToken(cfg.FeedSecret, thread)))
	return nil
}
