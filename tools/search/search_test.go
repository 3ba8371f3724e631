package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/switchboardhq/switchboard/config"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/search"
)

// fakeTavily answers POST /search as Tavily does.
func fakeTavily(t *testing.T, key string, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/search" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"detail":{"error":"Unauthorized: missing or invalid API key."}}`)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"detail":{"error":"This request exceeds your plan's set usage limit."}}`)
			return
		}
		var req struct {
			Query      string `json:"query"`
			MaxResults int    `json:"max_results"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"detail":{"error":"Invalid request"}}`)
			return
		}
		var results []map[string]any
		for i := range req.MaxResults {
			results = append(results, map[string]any{
				"title": fmt.Sprintf("Result %d for %s", i+1, req.Query), "url": fmt.Sprintf("https://example.com/%d", i+1),
				"content": "Snippet   with\n extra   space " + strings.Repeat("x", 20), "score": 0.9 - float64(i)/10, "raw_content": nil,
			})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"query": req.Query, "follow_up_questions": nil, "answer": nil, "images": []any{},
			"results": results, "response_time": 1.23, "request_id": "123e4567",
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeSearXNG answers GET /search?format=json as SearXNG does, and 403
// when json is not among its formats.
func fakeSearXNG(t *testing.T, jsonEnabled bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/search" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("format") != "json" || !jsonEnabled {
			http.Error(w, "403 Forbidden", http.StatusForbidden)
			return
		}
		q := r.URL.Query().Get("q")
		var results []map[string]any
		for i := range 12 {
			results = append(results, map[string]any{
				"url": fmt.Sprintf("https://searx.example/%d", i), "title": fmt.Sprintf("%s #%d", q, i),
				"content": "About " + q, "engine": "duckduckgo", "engines": []string{"duckduckgo"},
				"positions": []int{i + 1}, "score": 1.0, "category": "general", "parsed_url": []string{"https", "searx.example"},
			})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"query": q, "number_of_results": 0, "results": results, "answers": []any{}, "corrections": []any{},
			"infoboxes": []any{}, "suggestions": []any{}, "unresponsive_engines": [][]string{{"brave", "timeout"}},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func runTool(t *testing.T, tl []tools.Tool, args string) (search.Output, string, bool) {
	t.Helper()
	msg := tools.Must(tools.NewSet(tl...)).RunOne(context.Background(), llm.ToolCall{ID: "1", Name: search.ToolName, Arguments: args})
	var out search.Output
	if !msg.IsError {
		if err := json.Unmarshal([]byte(msg.Content), &out); err != nil {
			t.Fatalf("result %q: %v", msg.Content, err)
		}
	}
	return out, msg.Content, msg.IsError
}

func toolsFor(t *testing.T, env map[string]string) []tools.Tool {
	t.Helper()
	cfg, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	tl, err := search.Tools(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func TestProviders(t *testing.T) {
	tav := fakeTavily(t, "tvly-test", 0)
	sx := fakeSearXNG(t, true)
	for _, tc := range []struct {
		name      string
		env       map[string]string
		args      string
		wantN     int
		wantTitle string
		wantURL   string
	}{
		{"tavily default count", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "tvly-test", "TAVILY_BASE_URL": tav.URL}, `{"query":"gym hours"}`, 5, "Result 1 for gym hours", "https://example.com/1"},
		{"tavily three", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "tvly-test", "TAVILY_BASE_URL": tav.URL}, `{"query":"gym","max_results":3}`, 3, "Result 1 for gym", "https://example.com/1"},
		{"searxng capped", map[string]string{"SEARCH_PROVIDER": "searxng", "SEARXNG_URL": sx.URL + "/"}, `{"query":"weather lisbon","max_results":10}`, 10, "weather lisbon #0", "https://searx.example/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, text, isErr := runTool(t, toolsFor(t, tc.env), tc.args)
			if isErr {
				t.Fatal(text)
			}
			if len(out.Results) != tc.wantN || out.Results[0].Title != tc.wantTitle || out.Results[0].URL != tc.wantURL {
				t.Fatalf("results = %+v", out.Results)
			}
			if strings.Contains(out.Results[0].Snippet, "  ") || strings.Contains(out.Results[0].Snippet, "\n") {
				t.Fatalf("snippet not collapsed: %q", out.Results[0].Snippet)
			}
		})
	}
}

func TestProviderErrorsBecomeToolErrors(t *testing.T) {
	tav := fakeTavily(t, "tvly-test", 432)
	off := fakeSearXNG(t, false)
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"tavily bad key", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "wrong", "TAVILY_BASE_URL": tav.URL}, "refused our credentials"},
		{"tavily plan limit", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "tvly-test", "TAVILY_BASE_URL": tav.URL}, "plan limit"},
		{"searxng without json", map[string]string{"SEARCH_PROVIDER": "searxng", "SEARXNG_URL": off.URL}, "refused our credentials or configuration"},
		{"searxng down", map[string]string{"SEARCH_PROVIDER": "searxng", "SEARXNG_URL": "http://127.0.0.1:1"}, "could not be reached"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, text, isErr := runTool(t, toolsFor(t, tc.env), `{"query":"x"}`)
			if !isErr || !strings.Contains(text, tc.want) || !strings.Contains(text, "unavailable") {
				t.Fatalf("tool said %q, want an error containing %q", text, tc.want)
			}
		})
	}
}

func TestInvalidArguments(t *testing.T) {
	tav := fakeTavily(t, "k", 0)
	tl := toolsFor(t, map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "k", "TAVILY_BASE_URL": tav.URL})
	for _, args := range []string{`{"query":"x","max_results":11}`, `{"query":"x","max_results":-1}`, `{"query":"   "}`, `{}`} {
		if _, text, isErr := runTool(t, tl, args); !isErr {
			t.Errorf("%s accepted: %s", args, text)
		}
	}
}

// slow is a provider that never answers in time.
type slow struct{}

func (slow) Name() string { return "slow" }
func (slow) Search(ctx context.Context, q string, n int) ([]search.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestTimeout(t *testing.T) {
	tl, err := search.NewTool(slow{}, search.WithTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, text, isErr := runTool(t, []tools.Tool{tl}, `{"query":"x"}`)
	if !isErr || !strings.Contains(text, "did not answer within 50ms") || time.Since(start) > 2*time.Second {
		t.Fatalf("slow search: %q after %v", text, time.Since(start))
	}
	if search.Timeout != 10*time.Second {
		t.Fatalf("default timeout = %v, want 10s", search.Timeout)
	}
}

func TestTrimBudget(t *testing.T) {
	long := strings.Repeat("é", 1000)
	var in []search.Result
	for i := range 10 {
		in = append(in, search.Result{Title: fmt.Sprint("t", i), URL: fmt.Sprintf("https://e.com/%d", i), Snippet: long})
	}
	in = append([]search.Result{{Title: "bad", URL: "javascript:alert(1)", Snippet: "x"}}, in...)
	for _, budget := range []int{100, 1000, search.Budget} {
		out := search.Trim("q", in, budget)
		total := 0
		for _, r := range out.Results {
			total += utf8.RuneCountInString(r.Title + r.URL + r.Snippet)
			if utf8.RuneCountInString(r.Snippet) > search.SnippetMax {
				t.Fatalf("snippet of %d characters", utf8.RuneCountInString(r.Snippet))
			}
			if !strings.HasPrefix(r.URL, "https://") {
				t.Fatalf("kept a non-web URL %q", r.URL)
			}
		}
		if total > budget || len(out.Results) == 0 || out.Note == "" {
			t.Fatalf("budget %d: %d characters in %d results, note %q", budget, total, len(out.Results), out.Note)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		enabled bool
		wantErr string
	}{
		{"unset is off", nil, false, ""},
		{"tavily", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "k"}, true, ""},
		{"tavily without key", map[string]string{"SEARCH_PROVIDER": "tavily"}, false, "TAVILY_API_KEY"},
		{"searxng without url", map[string]string{"SEARCH_PROVIDER": "searxng"}, false, "SEARXNG_URL"},
		{"searxng bad url", map[string]string{"SEARCH_PROVIDER": "searxng", "SEARXNG_URL": "searx:8080"}, false, "SEARXNG_URL"},
		{"bad tavily url", map[string]string{"SEARCH_PROVIDER": "tavily", "TAVILY_API_KEY": "k", "TAVILY_BASE_URL": "ftp://x"}, false, "TAVILY_BASE_URL"},
		{"unknown", map[string]string{"SEARCH_PROVIDER": "bing"}, false, "SEARCH_PROVIDER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := configFromEnv(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || cfg.Enabled() != tc.enabled {
				t.Fatalf("cfg = %+v, %v", cfg, err)
			}
			tl, err := search.Tools(cfg, nil)
			if err != nil || (len(tl) == 1) != tc.enabled {
				t.Fatalf("Tools = %d tools, %v; want the tool only when a provider is configured", len(tl), err)
			}
		})
	}
}

func Example() {
	// A stand-in for a SearXNG instance.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"query":%q,"results":[{"title":"Switchboard","url":"https://example.com/sb","content":"An agent runtime in Go."}]}`, r.URL.Query().Get("q"))
	}))
	defer srv.Close()

	cfg, err := configFromEnv(func(k string) string {
		return map[string]string{"SEARCH_PROVIDER": "searxng", "SEARXNG_URL": srv.URL}[k]
	})
	if err != nil {
		panic(err)
	}
	ts, err := search.Tools(cfg, nil)
	if err != nil {
		panic(err)
	}
	out, err := ts[0].Call(context.Background(), `{"query":"switchboard","max_results":3}`)
	if err != nil {
		panic(err)
	}
	fmt.Println(out)
	// Output: {"query":"switchboard","results":[{"title":"Switchboard","url":"https://example.com/sb","snippet":"An agent runtime in Go."}]}
}

// configFromEnv reads the search settings the way the assistant does: through
// the config package, the one reader of the environment.
func configFromEnv(getenv func(string) string) (search.Config, error) {
	c, err := config.Load(getenv)
	return c.Tools.Search, err
}

func TestSearchOnlyReads(t *testing.T) {
	tl, err := search.NewTool(slow{})
	if err != nil {
		t.Fatal(err)
	}
	if !tools.Must(tools.NewSet(tl)).ReadOnly([]llm.ToolCall{{Name: search.ToolName}}) {
		t.Fatal("web_search is not marked read-only")
	}
}
