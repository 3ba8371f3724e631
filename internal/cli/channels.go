package cli

import (
	"errors"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/server"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// jsonMaxLength is the JSON channel's longest reply part: integrations
// take a whole reply at once.
const jsonMaxLength = 64 << 10

// moreChannels holds the WhatsApp Cloud API channel and the JSON webhook:
// their flows.Channel entries and their handlers.
type moreChannels struct {
	cfg   config.Channels
	meta  *meta.Webhook
	json  *jsonhook.Handler
	flows map[string]flows.Channel
}

// newMoreChannels builds the channels cfg turns on. inbox stores and
// schedules messages (the runner); st records statuses and finds replies.
func newMoreChannels(cfg config.Channels, inbox meta.Inbox, st store.Store, log *slog.Logger, onResult func(channel, route, result string)) (*moreChannels, error) {
	m := &moreChannels{cfg: cfg, flows: map[string]flows.Channel{}}
	if cfg.Meta.Enabled() {
		s, err := meta.NewSender(cfg.Meta)
		if err != nil {
			return nil, err
		}
		m.flows[meta.Channel] = flows.Channel{
			Sender:    s,
			MaxLength: meta.MaxMessageLength,
			Media:     meta.NewMediaFetcher(cfg.Meta),
			Permanent: meta.IsPermanent,
			// The Cloud API has the same 24-hour window; its templates
			// are not wired, so outside it a proactive message is
			// recorded as not sent, with the reason.
			Window: 24 * time.Hour,
			OutsideWindow: func(err error) bool {
				var se *meta.SendError
				return errors.As(err, &se) && se.Code == meta.CodeReEngagement
			},
		}
		m.meta = meta.NewWebhook(cfg.Meta, inbox, st, log)
		m.meta.OnResult = func(route, result string) { onResult(meta.Channel, route, result) }
	}
	if cfg.JSON.Enabled() {
		m.json = jsonhook.NewHandler(cfg.JSON, inbox, st, log)
		m.json.OnResult = func(route, result string) { onResult(jsonhook.Channel, route, result) }
		m.flows[jsonhook.Channel] = flows.Channel{
			Sender:    jsonhook.NewPoster(cfg.JSON, m.json),
			MaxLength: jsonMaxLength,
			Permanent: jsonhook.IsPermanent,
		}
	}
	return m, nil
}

// register mounts GET|POST /webhooks/meta and POST /webhooks/json when
// their channels are on; off, they answer 404 like any unknown path.
func (m *moreChannels) register(srv *server.Server) {
	if m.meta != nil {
		srv.Handle("GET /webhooks/meta", m.meta)
		srv.Handle("POST /webhooks/meta", m.meta)
	}
	if m.json != nil {
		srv.Handle("POST /webhooks/json", m.json)
	}
}

// addTo adds the channels to a runner's channel map.
func (m *moreChannels) addTo(chs map[string]flows.Channel) {
	for name, ch := range m.flows {
		chs[name] = ch
	}
}
