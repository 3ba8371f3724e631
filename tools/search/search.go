// Package search is the web_search tool: a query goes to a search provider
// — Tavily, or a self-hosted SearXNG — and the results come back to the
// model as title, URL and snippet, trimmed to a fixed character budget.
//
// The provider is chosen by SEARCH_PROVIDER (read by the config package). When none
// is configured, Tools returns no tool, so the model is not offered one.
// A call has 10 seconds; a provider's failure becomes a tool error the
// model can explain to the user.
package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/tools"
)

// ToolName is the tool's name as the model sees it.
const ToolName = "web_search"

// Limits of one search.
const (
	// Timeout bounds one call, provider included.
	Timeout = 10 * time.Second
	// MaxResults is the most results a call may ask for.
	MaxResults = 10
	// DefaultResults is the number asked for when the model does not say.
	DefaultResults = 5
	// Budget is the most characters of titles, URLs and snippets returned
	// to the model in one call.
	Budget = 4000
	// SnippetMax is the most characters of one snippet.
	SnippetMax = 600
)

// Result is one search hit.
type Result struct {
	Title   string `json:"title"`
	URL     string `json:"url"`
	Snippet string `json:"snippet"`
}

// Provider runs searches.
type Provider interface {
	// Name names the provider in logs and errors ("tavily").
	Name() string
	// Search returns at most max results for query.
	Search(ctx context.Context, query string, max int) ([]Result, error)
}

// ProviderError is a provider's failure: an HTTP status it answered with,
// or a response that could not be read. Status is 0 when no answer came.
type ProviderError struct {
	Provider string
	Status   int
	Msg      string
	Err      error
}

// Error implements error.
func (e *ProviderError) Error() string {
	s := e.Provider + " search failed"
	if e.Status != 0 {
		s += fmt.Sprintf(" with HTTP %d", e.Status)
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *ProviderError) Unwrap() error { return e.Err }

// Args are the tool's arguments.
type Args struct {
	Query      string `json:"query" jsonschema:"what to search the web for"`
	MaxResults int    `json:"max_results,omitempty" jsonschema:"how many results, 1 to 10 (default 5)"`
}

// Output is what the tool returns to the model.
type Output struct {
	Query   string   `json:"query"`
	Results []Result `json:"results"`
	// Note says when results were trimmed or none were found.
	Note string `json:"note,omitempty"`
}

// Option configures NewTool.
type Option func(*toolOptions)

type toolOptions struct {
	timeout time.Duration
	budget  int
}

// WithTimeout changes the time one call may take (default Timeout).
func WithTimeout(d time.Duration) Option { return func(o *toolOptions) { o.timeout = d } }

// WithBudget changes the character budget of one answer (default Budget).
func WithBudget(n int) Option { return func(o *toolOptions) { o.budget = n } }

// NewTool returns the web_search tool on p.
func NewTool(p Provider, opts ...Option) (tools.Tool, error) {
	if p == nil {
		return nil, errors.New("search: nil provider")
	}
	o := toolOptions{timeout: Timeout, budget: Budget}
	for _, opt := range opts {
		opt(&o)
	}
	if o.timeout <= 0 || o.budget <= 0 {
		return nil, errors.New("search: timeout and budget must be positive")
	}
	return tools.New(ToolName,
		"Search the web for current information (news, opening hours, facts you are unsure of). Returns titles, URLs and snippets; cite the URLs you use.",
		func(ctx context.Context, a Args) (Output, error) { return run(ctx, p, a, o) },
		tools.WithTimeout(o.timeout+time.Second), // our own deadline fires first, with a clearer message
		tools.ReadOnly())
}

// Tools returns the search tools for cfg: web_search on the configured
// provider, or none when no provider is configured. hc is the HTTP client
// (nil: one with the 10 s timeout).
func Tools(cfg Config, hc *http.Client) ([]tools.Tool, error) {
	p, err := NewProvider(cfg, hc)
	if err != nil || p == nil {
		return nil, err
	}
	t, err := NewTool(p)
	if err != nil {
		return nil, err
	}
	return []tools.Tool{t}, nil
}

func run(ctx context.Context, p Provider, a Args, o toolOptions) (Output, error) {
	q := strings.TrimSpace(a.Query)
	if q == "" {
		return Output{}, tools.Errorf("the query is empty")
	}
	if len(q) > 400 {
		return Output{}, tools.Errorf("the query is too long: use at most 400 characters")
	}
	n := a.MaxResults
	switch {
	case n == 0:
		n = DefaultResults
	case n < 0 || n > MaxResults:
		return Output{}, tools.Errorf("max_results must be between 1 and %d", MaxResults)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	res, err := p.Search(ctx, q, n)
	if err != nil {
		var pe *ProviderError
		switch {
		case ctx.Err() != nil:
			return Output{}, tools.Errorf("the web search (%s) did not answer within %v; tell the user search is unavailable right now", p.Name(), o.timeout)
		case errors.As(err, &pe):
			return Output{}, tools.Errorf("the web search is unavailable right now (%s); tell the user, and answer from what you know if you can, saying it may be out of date", describe(pe))
		default:
			return Output{}, tools.Errorf("the web search is unavailable right now (%s could not be reached); tell the user", p.Name())
		}
	}
	if len(res) > n {
		res = res[:n]
	}
	return Trim(q, res, o.budget), nil
}

// describe says what went wrong without internal detail.
func describe(pe *ProviderError) string {
	switch {
	case pe.Status == http.StatusUnauthorized || pe.Status == http.StatusForbidden:
		return pe.Provider + " refused our credentials or configuration"
	case pe.Status == http.StatusTooManyRequests || pe.Status == 432 || pe.Status == 433:
		return pe.Provider + " rate limit or plan limit reached"
	case pe.Status >= 500:
		return pe.Provider + " had a server error"
	case pe.Status != 0:
		return fmt.Sprintf("%s answered HTTP %d", pe.Provider, pe.Status)
	default:
		return pe.Provider + " sent an unreadable answer"
	}
}

// Trim returns the results cut to fit budget characters in all: each
// snippet at most SnippetMax, whitespace collapsed, and the results that do
// not fit left out (the first always stays, its snippet shortened).
func Trim(query string, results []Result, budget int) Output {
	out := Output{Query: query, Results: []Result{}}
	used := 0
	for i, r := range results {
		r.Title = clip(collapse(r.Title), 200)
		r.URL = strings.TrimSpace(r.URL)
		r.Snippet = clip(collapse(r.Snippet), SnippetMax)
		if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue // only links a person can open
		}
		size := utf8.RuneCountInString(r.Title) + utf8.RuneCountInString(r.URL) + utf8.RuneCountInString(r.Snippet)
		if used+size > budget {
			left := budget - used - utf8.RuneCountInString(r.Title) - utf8.RuneCountInString(r.URL)
			if len(out.Results) > 0 || left < 40 {
				out.Note = fmt.Sprintf("%d more results left out to keep the answer short", len(results)-i)
				break
			}
			r.Snippet = clip(r.Snippet, left)
			size = budget
		}
		used += size
		out.Results = append(out.Results, r)
	}
	if len(out.Results) == 0 && out.Note == "" {
		out.Note = "no results"
	}
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n characters, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return ""
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// readError turns a non-2xx answer into a *ProviderError, with a short
// excerpt of the body.
func readError(provider string, resp *http.Response, msg func([]byte) string) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	m := ""
	if msg != nil {
		m = msg(body)
	}
	if m == "" {
		m = clip(collapse(string(body)), 200)
	}
	return &ProviderError{Provider: provider, Status: resp.StatusCode, Msg: m}
}
