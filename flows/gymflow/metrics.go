package gymflow

import "github.com/switchboardhq/switchboard/metrics"

// flowMetrics are the flow's counters; a nil *flowMetrics counts nothing.
type flowMetrics struct {
	runs     *metrics.Counter
	workouts *metrics.Counter
	rephrase *metrics.Counter
	models   *metrics.Counter
	limited  *metrics.Counter
}

func newFlowMetrics(r *metrics.Registry) *flowMetrics {
	if r == nil {
		return nil
	}
	return &flowMetrics{
		runs:     r.Counter("gym_runs_total", "Gym flow turns by result (ok, skipped: some messages handled before, error).", "result"),
		workouts: r.Counter("gym_workouts_total", "Workouts the gym flow read, by result (inserted, duplicate, invalid, recorded: stored by an earlier run of the turn).", "result"),
		rephrase: r.Counter("gym_rephrase_total", "Logs the gym flow could not read and asked the member to rephrase."),
		models:   r.Counter("gym_model_calls_total", "Gym flow model calls by step and result (ok, error, invalid, not_configured).", "step", "result"),
		limited:  r.Counter("gym_rate_limited_total", "Times a gym chat member went over the per-member rate limit in a minute (their further messages that minute are dropped)."),
	}
}

func (m *flowMetrics) run(result string) {
	if m != nil {
		m.runs.Inc(result)
	}
}

func (m *flowMetrics) workout(result string) {
	if m != nil {
		m.workouts.Inc(result)
	}
}

func (m *flowMetrics) rephraseAsked() {
	if m != nil {
		m.rephrase.Inc()
	}
}

func (m *flowMetrics) model(step, result string) {
	if m != nil {
		m.models.Inc(step, result)
	}
}

func (m *flowMetrics) rateLimited() {
	if m != nil {
		m.limited.Inc()
	}
}
