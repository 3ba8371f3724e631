package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/metrics"
)

func scrape(t *testing.T, r *metrics.Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("content type %q", rec.Header().Get("Content-Type"))
	}
	return rec.Body.String()
}

func TestExposition(t *testing.T) {
	r := metrics.New()
	c := r.Counter("webhooks_total", "Webhook requests by result.", "route", "result")
	c.Inc("inbound", "accepted")
	c.Inc("inbound", "accepted")
	c.Inc("inbound", `we"ird`)
	c.Inc("status", "a\\b\nc")
	h := r.Histogram("run_seconds", "Run latency.", []float64{0.1, 1})
	h.Observe(0.05)
	h.Observe(0.5)
	h.Observe(3)
	r.GaugeFunc("backlog", "Unprocessed messages.", func(context.Context) (float64, error) { return 7, nil })

	got := scrape(t, r)
	for _, want := range []string{
		"# HELP switchboard_webhooks_total Webhook requests by result.\n# TYPE switchboard_webhooks_total counter\n",
		`switchboard_webhooks_total{result="accepted",route="inbound"} 2` + "\n",
		`switchboard_webhooks_total{result="we\"ird",route="inbound"} 1` + "\n",
		`switchboard_webhooks_total{result="a\\b\nc",route="status"} 1` + "\n",
		"# TYPE switchboard_run_seconds histogram\n",
		`switchboard_run_seconds_bucket{le="0.1"} 1` + "\n",
		`switchboard_run_seconds_bucket{le="1"} 2` + "\n",
		`switchboard_run_seconds_bucket{le="+Inf"} 3` + "\n",
		"switchboard_run_seconds_sum 3.55\nswitchboard_run_seconds_count 3\n",
		"# TYPE switchboard_backlog gauge\nswitchboard_backlog 7\n",
		// The runtime and process collectors.
		"# TYPE go_goroutines gauge\n",
		"# TYPE process_resident_memory_bytes gauge\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("exposition lacks %q:\n%s", want, got)
		}
	}
	if c.Value("inbound", "accepted") != 2 || h.Count() != 3 {
		t.Fatal("accessors disagree")
	}
}

// Every series this package registers carries the one prefix.
func TestOnePrefix(t *testing.T) {
	r := metrics.New()
	r.Counter("a_total", "a").Inc()
	r.Histogram("b_seconds", "b", metrics.DefaultSeconds).Observe(1)
	r.GaugeFunc("c", "c", func(context.Context) (float64, error) { return 1, nil })
	mfs, err := r.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, mf := range mfs {
		name := mf.GetName()
		if strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") {
			continue
		}
		n++
		if !strings.HasPrefix(name, metrics.Prefix) {
			t.Errorf("series %s lacks the %s prefix", name, metrics.Prefix)
		}
	}
	if n != 3 {
		t.Fatalf("gathered %d of our series, want 3", n)
	}
}

// A gauge whose read fails is left out of the scrape, not shown as 0.
func TestGaugeFuncFailure(t *testing.T) {
	r := metrics.New()
	r.GaugeFunc("broken", "Fails.", func(context.Context) (float64, error) { return 0, errors.New("db down") })
	if got := scrape(t, r); strings.Contains(got, "switchboard_broken ") {
		t.Fatalf("a failed read was exposed:\n%s", got)
	}
}

func TestMisuse(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(r *metrics.Registry)
	}{
		{"duplicate name", func(r *metrics.Registry) { r.Counter("x", "x"); r.Counter("x", "x") }},
		// Missing label values are a programming error, never filled in.
		{"missing label", func(r *metrics.Registry) { r.Counter("y", "y", "route", "result").Inc("inbound") }},
		{"extra label", func(r *metrics.Registry) { r.Counter("z", "z").Inc("inbound") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tc.fn(metrics.New())
		})
	}
}

// Counting is on the webhook's path: it must not allocate per call.
func TestIncAllocations(t *testing.T) {
	c := metrics.New().Counter("webhooks_total", "h", "route", "result")
	c.Inc("inbound", "accepted")
	if n := testing.AllocsPerRun(100, func() { c.Inc("inbound", "accepted") }); n > 2 {
		t.Fatalf("Inc allocates %v times, want at most 2", n)
	}
}
