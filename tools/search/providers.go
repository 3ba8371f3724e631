package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The search providers.
const (
	ProviderTavily  = "tavily"
	ProviderSearXNG = "searxng"
)

// DefaultTavilyURL is Tavily's API base URL.
const DefaultTavilyURL = "https://api.tavily.com"

// Config is the search configuration, read by the config package:
//
//	SEARCH_PROVIDER   tavily, searxng, or unset (no web_search tool)
//	TAVILY_API_KEY    the Tavily key (required for tavily)
//	TAVILY_BASE_URL   Tavily's base URL (tests, proxies; default Tavily's)
//	SEARXNG_URL       base URL of a SearXNG instance with the json format enabled (required for searxng)
type Config struct {
	// Provider is ProviderTavily, ProviderSearXNG or "" (off).
	Provider     string
	TavilyAPIKey string
	TavilyURL    string
	SearXNGURL   string
}

// Enabled reports whether a provider is configured.
func (c Config) Enabled() bool { return c.Provider != "" }

// NewProvider returns the configured provider, or nil when none is. hc is
// the HTTP client (nil: one with a 10 s timeout).
func NewProvider(cfg Config, hc *http.Client) (Provider, error) {
	if hc == nil {
		hc = &http.Client{Timeout: Timeout}
	}
	switch cfg.Provider {
	case "":
		return nil, nil
	case ProviderTavily:
		if cfg.TavilyAPIKey == "" {
			return nil, errors.New("search: tavily needs an API key")
		}
		base := cfg.TavilyURL
		if base == "" {
			base = DefaultTavilyURL
		}
		return &Tavily{APIKey: cfg.TavilyAPIKey, BaseURL: base, Client: hc}, nil
	case ProviderSearXNG:
		if cfg.SearXNGURL == "" {
			return nil, errors.New("search: searxng needs a URL")
		}
		return &SearXNG{BaseURL: cfg.SearXNGURL, Client: hc}, nil
	default:
		return nil, fmt.Errorf("search: unknown provider %q", cfg.Provider)
	}
}

// Tavily searches with Tavily's API (POST /search, bearer key).
type Tavily struct {
	APIKey  string
	BaseURL string
	Client  *http.Client
}

// Name implements Provider.
func (t *Tavily) Name() string { return ProviderTavily }

type tavilyRequest struct {
	Query       string `json:"query"`
	MaxResults  int    `json:"max_results"`
	SearchDepth string `json:"search_depth"`
	Topic       string `json:"topic"`
}

type tavilyResponse struct {
	Query   string `json:"query"`
	Results []struct {
		Title   string  `json:"title"`
		URL     string  `json:"url"`
		Content string  `json:"content"`
		Score   float64 `json:"score"`
	} `json:"results"`
}

// tavilyMessage reads Tavily's error body: {"detail": {"error": "..."}}.
func tavilyMessage(body []byte) string {
	var e struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Detail) == 0 {
		return ""
	}
	var inner struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(e.Detail, &inner) == nil && inner.Error != "" {
		return inner.Error
	}
	var s string
	if json.Unmarshal(e.Detail, &s) == nil {
		return s
	}
	return ""
}

// Search implements Provider.
func (t *Tavily) Search(ctx context.Context, query string, max int) ([]Result, error) {
	body, err := json.Marshal(tavilyRequest{Query: query, MaxResults: max, SearchDepth: "basic", Topic: "general"})
	if err != nil {
		return nil, fmt.Errorf("tavily: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(t.BaseURL, "/")+"/search", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("tavily: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+t.APIKey)
	resp, err := t.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("tavily: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, readError(ProviderTavily, resp, tavilyMessage)
	}
	var r tavilyResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&r); err != nil {
		return nil, &ProviderError{Provider: ProviderTavily, Status: 0, Msg: "unreadable response", Err: err}
	}
	out := make([]Result, 0, len(r.Results))
	for _, x := range r.Results {
		out = append(out, Result{Title: x.Title, URL: x.URL, Snippet: x.Content})
	}
	return out, nil
}

// SearXNG searches a SearXNG instance (GET /search?format=json). The
// instance must list json in search.formats of its settings.yml, or it
// answers 403.
type SearXNG struct {
	BaseURL string
	Client  *http.Client
}

// Name implements Provider.
func (s *SearXNG) Name() string { return ProviderSearXNG }

type searxResponse struct {
	Query   string `json:"query"`
	Results []struct {
		Title   string `json:"title"`
		URL     string `json:"url"`
		Content string `json:"content"`
	} `json:"results"`
	UnresponsiveEngines [][]any `json:"unresponsive_engines"`
}

// Search implements Provider.
func (s *SearXNG) Search(ctx context.Context, query string, max int) ([]Result, error) {
	q := url.Values{"q": {query}, "format": {"json"}, "safesearch": {"1"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.BaseURL, "/")+"/search?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("searxng: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("searxng: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusForbidden {
		readErr := readError(ProviderSearXNG, resp, nil).(*ProviderError)
		readErr.Msg = "the instance does not serve the json format (add json to search.formats in settings.yml)"
		return nil, readErr
	}
	if resp.StatusCode/100 != 2 {
		return nil, readError(ProviderSearXNG, resp, nil)
	}
	var r searxResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&r); err != nil {
		return nil, &ProviderError{Provider: ProviderSearXNG, Msg: "unreadable response", Err: err}
	}
	out := make([]Result, 0, min(max, len(r.Results)))
	for _, x := range r.Results {
		if len(out) == max {
			break
		}
		out = append(out, Result{Title: x.Title, URL: x.URL, Snippet: x.Content})
	}
	return out, nil
}
