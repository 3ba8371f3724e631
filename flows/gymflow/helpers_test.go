package gymflow_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/store"
)

const group = "evolution:120363000000000001@g.us"

const (
	ana  = "34600000001@s.whatsapp.net"
	luis = "34600000002@s.whatsapp.net"
)

var madrid, _ = time.LoadLocation("Europe/Madrid")

// now is Thursday 12 March 2026, 20:00 in Madrid.
var now = time.Date(2026, time.March, 12, 20, 0, 0, 0, madrid)

var today = gym.NewDate(2026, time.March, 12)

// fixture is a gym flow on a database, with a turn builder.
type fixture struct {
	t     *testing.T
	db    *sql.DB
	saver checkpoint.Saver
	reg   *metrics.Registry
	flow  *gymflow.Flow
	seq   int64
}

func newFixture(t *testing.T, db *sql.DB, mod func(*gymflow.Config)) *fixture {
	t.Helper()
	fx := &fixture{t: t, db: db, saver: memory.New(), reg: metrics.New()}
	fx.flow = fx.newFlow(mod)
	return fx
}

func (fx *fixture) newFlow(mod func(*gymflow.Config)) *gymflow.Flow {
	fx.t.Helper()
	cfg := gymflow.Config{
		DB:       fx.db,
		Saver:    fx.saver,
		Location: madrid,
		Clock:    func() time.Time { return now },
		Metrics:  fx.reg,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if mod != nil {
		mod(&cfg)
	}
	f, err := gymflow.NewFlow(cfg)
	if err != nil {
		fx.t.Fatal(err)
	}
	return f
}

// msg is one inbound message of a turn.
type msg struct {
	from, name, text string
	images           []string
	seq              int64 // 0: the next one
}

func (fx *fixture) turn(ms ...msg) flows.Turn {
	var tr flows.Turn
	for _, m := range ms {
		seq := m.seq
		if seq == 0 {
			fx.seq++
			seq = fx.seq
		}
		at := now.Add(-time.Duration(len(ms)) * time.Second)
		tr.Messages = append(tr.Messages, store.Inbound{
			ID: seq, Channel: "evolution", ProviderID: "WAMID" + strconv.FormatInt(seq, 10), Thread: group,
			From: group, Sender: m.from, ProfileName: m.name, Body: m.text, ReceivedAt: at,
		})
		lm := llm.Message{Role: llm.RoleUser, Content: m.text, ID: strconv.FormatInt(seq, 10), Time: at}
		if len(m.images) > 0 {
			if m.text != "" {
				lm.Parts = append(lm.Parts, llm.Part{Type: llm.PartText, Text: m.text})
			}
			for _, u := range m.images {
				lm.Parts = append(lm.Parts, llm.Part{Type: llm.PartImage, ImageURL: u})
			}
		}
		tr.Input.Messages = append(tr.Input.Messages, lm)
		tr.Input.Seqs = append(tr.Input.Seqs, seq)
		tr.Input.ProfileName = m.name
	}
	return tr
}

func (fx *fixture) run(tr flows.Turn) flows.Reply {
	fx.t.Helper()
	r, err := fx.flow.Run(context.Background(), group, tr)
	if err != nil {
		fx.t.Fatal(err)
	}
	return r
}

func (fx *fixture) say(ms ...msg) string {
	fx.t.Helper()
	return fx.run(fx.turn(ms...)).Text
}

// workouts returns the group's stored workouts this month.
func (fx *fixture) workouts() []sqlstore.Entry {
	fx.t.Helper()
	es, err := sqlstore.New(fx.db).Workouts(context.Background(), group, "", today.AddDays(-30), today)
	if err != nil {
		fx.t.Fatal(err)
	}
	return es
}

func (fx *fixture) metric(line string) bool {
	var b strings.Builder
	fx.reg.Write(&b)
	return strings.Contains(b.String(), line)
}

func (fx *fixture) metricsText() string {
	var b strings.Builder
	fx.reg.Write(&b)
	return b.String()
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s = %q\nwant it to contain %q", what, got, w)
		}
	}
}

// script is a model answering from a list of steps, recording requests.
type script struct {
	mu    sync.Mutex
	steps []func(req llm.Request) (llm.Response, error)
	reqs  []llm.Request
}

func (s *script) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
	if len(s.steps) == 0 {
		return llm.Response{}, errors.New("script: no more steps")
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	return step(req)
}

func (s *script) requests() []llm.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]llm.Request(nil), s.reqs...)
}

func answer(text string) func(llm.Request) (llm.Response, error) {
	return func(llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: text}, Usage: llm.Usage{InputTokens: 10, OutputTokens: 5}}, nil
	}
}

func fail(err error) func(llm.Request) (llm.Response, error) {
	return func(llm.Request) (llm.Response, error) { return llm.Response{}, err }
}

func loadPrompts(t *testing.T) *prompts.Set {
	t.Helper()
	p, err := prompts.Load("", prompts.WithLocation(madrid), prompts.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func describe(es []sqlstore.Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s %s %s %d %s", e.MemberName, e.Date, e.Activity, e.Minutes, e.SourceMessageID))
	}
	return strings.Join(out, "; ")
}
