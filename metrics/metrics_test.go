package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/metrics"
)

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
	r.GaugeFunc("broken", "Fails.", func(context.Context) (float64, error) { return 0, errors.New("db down") })

	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := `# HELP webhooks_total Webhook requests by result.
# TYPE webhooks_total counter
webhooks_total{route="inbound",result="accepted"} 2
webhooks_total{route="inbound",result="we\"ird"} 1
webhooks_total{route="status",result="a\\b\nc"} 1
# HELP run_seconds Run latency.
# TYPE run_seconds histogram
run_seconds_bucket{le="0.1"} 1
run_seconds_bucket{le="1"} 2
run_seconds_bucket{le="+Inf"} 3
run_seconds_sum 3.55
run_seconds_count 3
# HELP backlog Unprocessed messages.
# TYPE backlog gauge
backlog 7
`
	if got := rec.Body.String(); got != want {
		t.Fatalf("exposition:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("content type %q", rec.Header().Get("Content-Type"))
	}
	if c.Value("inbound", "accepted") != 2 || h.Count() != 3 {
		t.Fatal("accessors disagree")
	}
}

func TestDuplicateNamePanics(t *testing.T) {
	r := metrics.New()
	r.Counter("x", "x")
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	r.Counter("x", "x")
}

// Counting is on the webhook's path: a label value with nothing to escape
// must not allocate beyond the series key.
func TestIncAllocations(t *testing.T) {
	c := metrics.New().Counter("webhooks_total", "h", "route", "result")
	c.Inc("inbound", "accepted")
	if n := testing.AllocsPerRun(100, func() { c.Inc("inbound", "accepted") }); n > 2 {
		t.Fatalf("Inc allocates %v times, want at most 2", n)
	}
}
