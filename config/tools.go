package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/search"
)

// Tools are the built-in tools' settings; a tool whose backend is not
// configured is not offered.
type Tools struct {
	// Calendar is the calendar tools' backend (CALENDAR_*, GOOGLE_*).
	Calendar calendar.Config
	// Search is the web_search tool's provider (SEARCH_PROVIDER, ...).
	Search search.Config
}

func (p *parser) tools(dataDir string, loc *time.Location) Tools {
	return Tools{Calendar: p.calendar(dataDir, loc), Search: p.search()}
}

func (p *parser) search() search.Config {
	c := search.Config{
		TavilyAPIKey: p.raw("TAVILY_API_KEY"),
		TavilyURL:    p.url("TAVILY_BASE_URL", search.DefaultTavilyURL),
		SearXNGURL:   p.optionalURL("SEARXNG_URL"),
	}
	switch v := p.raw("SEARCH_PROVIDER"); strings.ToLower(v) {
	case "", "none", "off":
	case search.ProviderTavily:
		c.Provider = search.ProviderTavily
		if c.TavilyAPIKey == "" {
			p.errs = append(p.errs, errors.New("TAVILY_API_KEY: required with SEARCH_PROVIDER=tavily"))
		}
	case search.ProviderSearXNG:
		c.Provider = search.ProviderSearXNG
		if p.raw("SEARXNG_URL") == "" {
			p.errs = append(p.errs, errors.New("SEARXNG_URL: required with SEARCH_PROVIDER=searxng (e.g. http://searxng:8080)"))
		}
	default:
		p.fail("SEARCH_PROVIDER", v, "want one of tavily, searxng, or unset")
	}
	return c
}

func (p *parser) calendar(dataDir string, loc *time.Location) calendar.Config {
	c := calendar.Config{
		Provider:     p.oneOf("CALENDAR_PROVIDER", calendar.ProviderLocal, calendar.ProviderLocal, calendar.ProviderGoogle),
		Owners:       p.threads("CALENDAR_OWNERS"),
		Location:     loc,
		WorkingHours: calendar.DefaultWorkingHours,
	}
	if v := p.raw("CALENDAR_WORKING_HOURS"); v != "" {
		wh, err := calendar.ParseWorkingHours(v)
		if err != nil {
			p.fail("CALENDAR_WORKING_HOURS", v, err.Error())
		} else {
			c.WorkingHours = wh
		}
	}
	if v := p.getenv("CALENDAR_FEED_SECRET"); v != "" {
		if len(v) < calendar.MinFeedSecretLen {
			p.errs = append(p.errs, fmt.Errorf("CALENDAR_FEED_SECRET: want at least %d random characters (e.g. openssl rand -hex 32)", calendar.MinFeedSecretLen))
		} else {
			c.FeedSecret = []byte(v)
		}
	}
	g := &c.Google
	g.CalendarID = p.str("GOOGLE_CALENDAR_ID", "primary")
	g.Endpoint = strings.TrimSuffix(p.optionalURL("GOOGLE_CALENDAR_ENDPOINT"), "/calendar/v3")
	g.AuthURL = p.optionalURL("GOOGLE_OAUTH_AUTH_URL")
	g.TokenURL = p.optionalURL("GOOGLE_OAUTH_TOKEN_URL")
	g.ClientID = p.raw("GOOGLE_OAUTH_CLIENT_ID")
	g.ClientSecret = p.raw("GOOGLE_OAUTH_CLIENT_SECRET")
	g.ClientFile = p.raw("GOOGLE_OAUTH_CLIENT_FILE")
	g.ServiceAccountFile = p.raw("GOOGLE_SERVICE_ACCOUNT_FILE")
	g.TokenFile = p.str("GOOGLE_TOKEN_FILE", filepath.Join(dataDir, "google-calendar-token.json"))
	if (g.ClientID == "") != (g.ClientSecret == "") {
		p.errs = append(p.errs, errors.New("GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET: set both or neither"))
	}
	if g.ClientID != "" && g.ClientFile != "" {
		p.errs = append(p.errs, errors.New("GOOGLE_OAUTH_CLIENT_FILE: set either it or GOOGLE_OAUTH_CLIENT_ID/SECRET, not both"))
	}
	if c.Provider == calendar.ProviderGoogle {
		oauth := g.ClientID != "" || g.ClientFile != ""
		switch {
		case g.ServiceAccountFile != "" && oauth:
			p.errs = append(p.errs, errors.New("GOOGLE_SERVICE_ACCOUNT_FILE: set either a service account or an OAuth client, not both"))
		case g.ServiceAccountFile == "" && !oauth:
			p.errs = append(p.errs, errors.New("CALENDAR_PROVIDER=google: needs GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET (or GOOGLE_OAUTH_CLIENT_FILE), or GOOGLE_SERVICE_ACCOUNT_FILE"))
		}
		if len(c.Owners) == 0 {
			p.errs = append(p.errs, errors.New("CALENDAR_OWNERS: required with CALENDAR_PROVIDER=google: the thread ids (whatsapp:+15551234567) that may use the owner's calendar"))
		}
	}
	return c
}
