package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

// timedModel records the latency of each model call.
type timedModel struct {
	llm.Model
	role    string
	seconds *metrics.Histogram
	// health, when set, keeps the last success and failure for the
	// console's overview.
	health *modelHealth
	// usage, when set, counts the tokens of each call under name, for the
	// console's tokens per day.
	usage *console.Usage
	name  string
}

func (m timedModel) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	start := time.Now()
	resp, err := m.Model.Generate(ctx, req)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.seconds.Since(start, m.role, outcome)
	m.health.record(ctx, err)
	if err == nil {
		m.usage.Add(m.name, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	}
	return resp, err
}

// twilioChannel configures the Twilio channel: with credentials it sends
// through the REST API; without, replies go to the dev outbox (the log).
func twilioChannel(cfg twilio.Config, log *slog.Logger) (flows.Channel, error) {
	ch := flows.Channel{MaxLength: twilio.MaxMessageLength}
	if !cfg.Enabled() {
		log.Warn("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: replies go to the log (dev outbox) and webhooks are refused unless TWILIO_SKIP_SIGNATURE=true")
		return ch, nil
	}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		return ch, err
	}
	ch.Sender = s
	ch.Media = twilio.NewMediaFetcher(cfg)
	ch.Permanent = func(err error) bool {
		var se *twilio.SendError
		return errors.As(err, &se) && se.Permanent
	}
	// WhatsApp's 24-hour window: outside it, approved templates only
	// (TWILIO_CONTENT_SID_*).
	ch.Window, ch.Templates, ch.OutsideWindow = 24*time.Hour, s, twilio.OutsideWindow
	return ch, nil
}

// evolutionChannel configures the Evolution API channel (WhatsApp groups
// through a self-hosted gateway); it is off unless EVOLUTION_* are set.
func evolutionChannel(cfg evolution.Config) (flows.Channel, bool, error) {
	if !cfg.Enabled() {
		return flows.Channel{}, false, nil
	}
	s, err := evolution.NewSender(cfg)
	if err != nil {
		return flows.Channel{}, false, fmt.Errorf("evolution: %w", err)
	}
	return flows.Channel{
		Sender:    s,
		MaxLength: evolution.MaxMessageLength,
		Media:     evolution.NewMediaFetcher(cfg),
		Permanent: func(err error) bool {
			var se *evolution.SendError
			return errors.As(err, &se) && se.Permanent
		},
	}, true, nil
}
