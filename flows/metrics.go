package flows

import (
	"time"

	"github.com/switchboardhq/switchboard/metrics"
)

// Metrics are the runner's instruments. A nil *Metrics records nothing.
type Metrics struct {
	Runs         *metrics.Counter
	RunSeconds   *metrics.Histogram
	Tokens       *metrics.Counter
	ToolCalls    *metrics.Counter
	IterationCap *metrics.Counter
	Sends        *metrics.Counter
	Media        *metrics.Counter
	RateLimited  *metrics.Counter
	Voice        *metrics.Counter
}

// NewMetrics registers the runner's metrics in reg.
func NewMetrics(reg *metrics.Registry) *Metrics {
	return &Metrics{
		Runs:         reg.Counter("runs_total", "Turns run, by flow and outcome (ok, fallback, retry).", "flow", "outcome"),
		RunSeconds:   reg.Histogram("run_seconds", "Latency of a turn, including model calls.", metrics.DefaultSeconds, "flow"),
		Tokens:       reg.Counter("llm_tokens_total", "Model tokens used, by direction.", "direction"),
		ToolCalls:    reg.Counter("tool_calls_total", "Tool calls made by the agent."),
		IterationCap: reg.Counter("iteration_cap_total", "Turns that hit ASSISTANT_MAX_ITERATIONS."),
		Sends:        reg.Counter("sends_total", "Reply sends, by channel and status (sent, retry, failed).", "channel", "status"),
		Media:        reg.Counter("media_total", "Inbound attachments, by kind and result.", "kind", "result"),
		RateLimited:  reg.Counter("rate_limited_total", "Times a sender was held for exceeding RATE_LIMIT_PER_MINUTE."),
		Voice:        reg.Counter("voice_replies_total", "Spoken replies: sent as voice notes, or fallen back to text.", "result"),
	}
}

func (m *Metrics) run(flow, outcome string, start time.Time, r Reply) {
	if m == nil {
		return
	}
	m.Runs.Inc(flow, outcome)
	m.RunSeconds.Since(start, flow)
	m.Tokens.Add(float64(r.Usage.InputTokens), "input")
	m.Tokens.Add(float64(r.Usage.OutputTokens), "output")
	m.ToolCalls.Add(float64(r.ToolCalls))
	if r.Capped {
		m.IterationCap.Inc()
	}
}

func (m *Metrics) sent(channel, status string) {
	if m != nil {
		m.Sends.Inc(channel, status)
	}
}

func (m *Metrics) media(kind, result string) {
	if m != nil {
		m.Media.Inc(kind, result)
	}
}

func (m *Metrics) rateLimited() {
	if m != nil {
		m.RateLimited.Inc()
	}
}

func (m *Metrics) voice(result string) {
	if m != nil {
		m.Voice.Inc(result)
	}
}
