package console

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/switchboardhq/switchboard/checkpoint"
	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	csqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/llm/openai"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools"
)

const ownerPassword = "correct horse battery"

// clock is a settable clock: real time plus an offset tests advance.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// testDB is a migrated database and the saver on it.
type testDB struct {
	name  string
	db    *sql.DB
	saver checkpoint.Saver
}

func sqliteDB(t testing.TB) testDB {
	t.Helper()
	ctx := context.Background()
	db, err := csqlite.Open(ctx, filepath.Join(t.TempDir(), "console.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	return testDB{name: "sqlite", db: db, saver: csqlite.New(db)}
}

func postgresDB(t testing.TB) testDB {
	t.Helper()
	pool := pgtest.New(t)
	db := migrations.OpenPostgres(pool)
	t.Cleanup(func() { db.Close() })
	return testDB{name: "postgres", db: db, saver: cpostgres.New(pool)}
}

// eachDB runs fn on SQLite and on Postgres.
func eachDB(t *testing.T, fn func(t *testing.T, d testDB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteDB(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, postgresDB(t)) })
}

// harness is a console on a real database with a real agent whose model
// is a fake OpenAI-compatible server.
type harness struct {
	t     testing.TB
	d     testDB
	clock *clock
	model *llmtest.Server
	agent *agent.Agent
	c     *Console
	srv   *httptest.Server
}

// hoursTool is the lab's tool in tests.
type hoursArgs struct {
	Day string `json:"day" jsonschema:"the day asked about"`
}

func newHarness(t testing.TB, d testDB, opts ...func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, d: d, clock: &clock{}}
	h.model = llmtest.NewOpenAI(t)
	m, err := openai.New(openai.Config{BaseURL: h.model.BaseURL(), Model: "test-model"})
	if err != nil {
		t.Fatal(err)
	}
	hours, err := tools.New("opening_hours", "The opening hours on a day", func(ctx context.Context, a hoursArgs) (string, error) {
		return "Open 9:00-17:00 on " + a.Day, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set, err := tools.NewSet(hours)
	if err != nil {
		t.Fatal(err)
	}
	h.agent, err = agent.New(agent.Config{
		Model: m, Saver: d.saver, Now: h.clock.Now,
		Tools: func(string) agent.Toolbox { return set },
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		DB:           d.db,
		Password:     ownerPassword,
		PublicURL:    "http://localhost:8080",
		Saver:        d.saver,
		Lab:          AgentLab{Agent: h.agent},
		Graph:        h.agent.Graph().Mermaid(),
		Checks:       []Check{{Name: "Database", Check: d.db.PingContext}},
		Leaderboards: GymStore{Store: sqlstore.New(d.db)},
		Now:          h.clock.Now,
		BcryptCost:   bcrypt.MinCost,
		SignInBurst:  1000,
		Logger:       slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(&cfg)
	}
	h.c, err = New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", h.c)
	mux.Handle(Prefix, h.c)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// addStaff adds a staff account with password "staff password".
func (h *harness) addStaff(name string) {
	h.t.Helper()
	if _, err := h.c.Accounts().Set(context.Background(), name, RoleStaff, "staff password"); err != nil {
		h.t.Fatal(err)
	}
}

// user is a browser-like client: a cookie jar, redirects not followed.
type user struct {
	h      *harness
	client *http.Client
}

func (h *harness) anonymous() *user {
	jar, _ := cookiejar.New(nil)
	return &user{h: h, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       time.Minute,
	}}
}

// signIn signs in and fails the test unless it worked.
func (h *harness) signIn(name, password string) *user {
	h.t.Helper()
	u := h.anonymous()
	resp := u.post("/console/signin", url.Values{"name": {name}, "password": {password}}, false)
	if resp.status != http.StatusSeeOther {
		h.t.Fatalf("sign in as %s: %d %s", name, resp.status, resp.body)
	}
	return u
}

type response struct {
	status int
	header http.Header
	body   string
}

func (u *user) do(req *http.Request) response {
	u.h.t.Helper()
	resp, err := u.client.Do(req)
	if err != nil {
		u.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (u *user) get(path string) response {
	u.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u.h.srv.URL+path, nil)
	return u.do(req)
}

// token is the session cookie's value, "" when signed out.
func (u *user) token() string {
	base, _ := url.Parse(u.h.srv.URL + Prefix + "/")
	for _, c := range u.client.Jar.Cookies(base) {
		if c.Name == cookieName {
			return c.Value
		}
	}
	return ""
}

// post sends a form; withCSRF adds the session's form token.
func (u *user) post(path string, form url.Values, withCSRF bool) response {
	u.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		form.Set("csrf", csrfToken(u.token()))
	}
	req, _ := http.NewRequest(http.MethodPost, u.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return u.do(req)
}

// seedMessage inserts an inbound row as the store does and returns its id.
func seedInbound(t testing.TB, d testDB, thread, body string, media string, at time.Time) int64 {
	t.Helper()
	var id int64
	if media == "" {
		media = "[]"
	}
	err := d.db.QueryRow(`INSERT INTO inbound_messages (channel, provider_id, thread_id, from_addr, body, media, profile_name, received_at)
		VALUES ('twilio', $1, $2, $2, $3, $4, 'Ana', $5) RETURNING id`,
		thread+body+at.String(), thread, body, media, dbArg(d.db, at)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedReply inserts a reply with one part in the given status.
func seedReply(t testing.TB, d testDB, thread, key, body, status string, at time.Time) int64 {
	t.Helper()
	var id int64
	rowStatus := "sent"
	if status == "pending" || status == "failed" {
		rowStatus = status
	}
	err := d.db.QueryRow(`INSERT INTO outbox (thread_id, channel, to_addr, key, body, status, created_at, updated_at)
		VALUES ($1, 'twilio', $1, $2, $3, $4, $5, $5) RETURNING id`, thread, key, body, rowStatus, dbArg(d.db, at)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if rowStatus == "sent" {
		if _, err := d.db.Exec(`INSERT INTO outbox_parts (outbox_id, part, channel, provider_id, status, updated_at) VALUES ($1, 0, 'twilio', $2, $3, $4)`,
			id, key+thread, status, dbArg(d.db, at)); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// seedHistory stores msgs as the thread's checkpointed message log.
func seedHistory(t testing.TB, d testDB, thread string, msgs []llm.Message) string {
	t.Helper()
	entries := make([][]byte, len(msgs))
	for i, m := range msgs {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		entries[i] = b
	}
	cp := checkpoint.Checkpoint{ThreadID: thread, ID: checkpoint.NewID(), Version: 1, Source: "loop",
		Values:  map[string][]byte{"Watermark": []byte("0"), "ProfileName": []byte(`"Ana"`)},
		LogLens: map[string]int{messagesLog: len(entries)}}
	if err := d.saver.Put(context.Background(), cp, map[string][][]byte{messagesLog: entries}); err != nil {
		t.Fatal(err)
	}
	return cp.ID
}

func agentText(s string) flows.Input { return flows.Text(s) }

func checkpointListAll() checkpoint.ListOptions { return checkpoint.ListOptions{} }
