// Package metrics is a small registry of counters, gauges and histograms
// exposed in Prometheus's text format at GET /metrics.
//
// It carries only what Switchboard needs — labelled counters, gauges read
// at scrape time, and fixed-bucket histograms — without a client library.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds metrics. The zero value is not usable; call New.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
	names   map[string]bool
}

type metric interface {
	write(w io.Writer)
}

// New returns an empty registry.
func New() *Registry { return &Registry{names: map[string]bool{}} }

func (r *Registry) add(name string, m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.metrics = append(r.metrics, m)
}

// Counter is a monotonically increasing count per label values.
type Counter struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	values     map[string]float64
}

// Counter registers a counter with the given label names.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{name: name, help: help, labels: labels, values: map[string]float64{}}
	r.add(name, c)
	return c
}

// Inc adds one for the label values, given in the order of the labels.
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

// Add adds v (≥ 0) for the label values.
func (c *Counter) Add(v float64, values ...string) {
	key := labelKey(c.labels, values)
	c.mu.Lock()
	c.values[key] += v
	c.mu.Unlock()
}

// Value returns the current count for the label values (for tests).
func (c *Counter) Value(values ...string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.values[labelKey(c.labels, values)]
}

func (c *Counter) write(w io.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range sortedKeys(c.values) {
		fmt.Fprintf(w, "%s%s %s\n", c.name, k, num(c.values[k]))
	}
}

// GaugeFunc is read when scraped.
type GaugeFunc struct {
	name, help string
	fn         func(ctx context.Context) (float64, error)
}

// GaugeFunc registers a gauge whose value fn reads at scrape time (with a
// short timeout); a failing read is left out of the scrape.
func (r *Registry) GaugeFunc(name, help string, fn func(ctx context.Context) (float64, error)) {
	r.add(name, &GaugeFunc{name: name, help: help, fn: fn})
}

func (g *GaugeFunc) write(w io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := g.fn(ctx)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", g.name, g.help, g.name, g.name, num(v))
}

// Histogram counts observations into fixed buckets per label values.
type Histogram struct {
	name, help string
	labels     []string
	buckets    []float64
	mu         sync.Mutex
	series     map[string]*series
}

type series struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// DefaultSeconds are buckets for latencies in seconds, 1 ms to 60 s.
var DefaultSeconds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Histogram registers a histogram with the given upper bounds (ascending).
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	h := &Histogram{name: name, help: help, labels: labels, buckets: slices.Clone(buckets), series: map[string]*series{}}
	r.add(name, h)
	return h
}

// Observe records v for the label values.
func (h *Histogram) Observe(v float64, values ...string) {
	key := labelKey(h.labels, values)
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.series[key]
	if s == nil {
		s = &series{counts: make([]uint64, len(h.buckets))}
		h.series[key] = s
	}
	if i := sort.SearchFloat64s(h.buckets, v); i < len(h.buckets) {
		s.counts[i]++
	}
	s.sum += v
	s.count++
}

// Since observes the seconds elapsed since start.
func (h *Histogram) Since(start time.Time, values ...string) {
	h.Observe(time.Since(start).Seconds(), values...)
}

// Count returns how many observations the label values have (for tests).
func (h *Histogram) Count(values ...string) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.series[labelKey(h.labels, values)]; s != nil {
		return s.count
	}
	return 0
}

func (h *Histogram) write(w io.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range sortedKeys(h.series) {
		s := h.series[k]
		var cum uint64
		for i, b := range h.buckets {
			cum += s.counts[i]
			fmt.Fprintf(w, "%s_bucket%s %d\n", h.name, withLabel(k, "le", num(b)), cum)
		}
		fmt.Fprintf(w, "%s_bucket%s %d\n", h.name, withLabel(k, "le", "+Inf"), s.count)
		fmt.Fprintf(w, "%s_sum%s %s\n%s_count%s %d\n", h.name, k, num(s.sum), h.name, k, s.count)
	}
}

// Write writes every metric in the text exposition format.
func (r *Registry) Write(w io.Writer) {
	r.mu.Lock()
	ms := slices.Clone(r.metrics)
	r.mu.Unlock()
	for _, m := range ms {
		m.write(w)
	}
}

// Handler serves the registry.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		r.Write(w)
	})
}

func labelKey(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	size := 2
	for i, n := range names {
		size += len(n) + 4
		if i < len(values) {
			size += len(values[i])
		}
	}
	var b strings.Builder
	b.Grow(size) // escaping may still grow it; the usual key fits
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		v := ""
		if i < len(values) {
			v = values[i]
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(escape(v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func withLabel(key, name, value string) string {
	l := name + `="` + value + `"`
	if key == "" {
		return "{" + l + "}"
	}
	return key[:len(key)-1] + "," + l + "}"
}

// escape escapes a label value. It runs on every Inc and Observe, so the
// common value with nothing to escape costs no allocation.
func escape(s string) string {
	if !strings.ContainsAny(s, "\\\"\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func num(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
