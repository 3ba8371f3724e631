// Package console is Switchboard's web console: server-rendered pages at
// /console/ for the business owner (overview, conversations, the lab, gym
// leaderboards) and for the developer (the inspector: checkpoints, state,
// time travel, the graph).
//
// Guarantees:
//   - Every page but sign-in needs a signed-in account; an anonymous request
//     is sent to sign-in. Each route names the role it needs, and an owner
//     does everything while staff do only the day's work.
//   - Passwords are stored only as bcrypt hashes; the owner's comes from
//     CONSOLE_PASSWORD. Sessions live in the database (they survive
//     restarts, expire, and can be revoked); the cookie holds a random
//     token whose SHA-256 is all the database keeps.
//   - Cross-site requests that change anything are refused twice over:
//     net/http's CrossOriginProtection, and a per-session token in every
//     form. Sign-in attempts are rate-limited per address and locked per
//     name after repeated failures.
//   - Every action that changes something is written to an audit trail the
//     console shows.
//   - Pages are html/template (contextual escaping: what customers wrote is
//     always data), with embedded CSS and a small embedded script that only
//     adds live updates: lists and forms work without it.
package console

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Prefix is where the console is mounted.
const Prefix = "/console"

// Check is a named readiness check shown on the overview.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
	// Note, when set, says more about a passing check ("last answered 2
	// minutes ago") in place of "working".
	Note func() string
}

// Config configures a Console. DB is required; everything else that is
// nil turns its page off or hides what it would show.
type Config struct {
	// DB holds the console's tables (migration 0006) and the store's
	// message tables the conversation pages read.
	DB *sql.DB
	// Password is CONSOLE_PASSWORD: the owner account's password. Required.
	Password string
	// PublicURL decides whether cookies are Secure (https).
	PublicURL string
	// Location is the time zone pages show times in (default UTC).
	Location *time.Location
	// Saver holds the threads' checkpoints: tool calls in transcripts, the
	// inspector, the lab.
	Saver checkpoint.Saver
	// Conversations reads threads and messages; nil reads the store's
	// tables on DB (NewSQLConversations).
	Conversations Conversations
	// Lab runs a turn of the agent; nil turns the lab off.
	Lab Lab
	// Graph is the agent graph in Mermaid (graph.Compiled.Mermaid).
	Graph string
	// Checks are the readiness checks the overview shows.
	Checks []Check
	// Usage counts the model's tokens per day for the overview; nil
	// leaves the figures out.
	Usage *Usage
	// Leaderboards reads gym chats; nil hides the gym page.
	Leaderboards Leaderboards
	// Business is the front desk (bookings, leads, FAQs, profile); nil
	// hides its pages.
	Business Business
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// BcryptCost is bcrypt's cost (default bcrypt.DefaultCost; tests lower
	// it).
	BcryptCost int
	// SessionTTL is how long a sign-in lasts (default 7 days).
	SessionTTL time.Duration
	// MaxFailures failed sign-ins of one name within LockFor lock it for
	// LockFor (defaults 5 and 15 minutes).
	MaxFailures int
	LockFor     time.Duration
	// SignInRate and SignInBurst bound sign-in attempts per client address
	// (defaults: 10 at once, then one every 6 seconds).
	SignInRate  rate.Limit
	SignInBurst int
}

// Console is the console's http.Handler. Mount it at Prefix+"/" (it serves
// Prefix itself with a redirect).
type Console struct {
	cfg      Config
	accounts *Accounts
	conv     Conversations
	pages    *templates
	handler  http.Handler
	secure   bool
	log      *slog.Logger

	limMu    sync.Mutex
	limiters map[string]*rate.Limiter

	labMu   sync.Mutex
	labBusy map[string]bool
}

// New builds the console and sets the owner's password from cfg.Password
// (unchanged passwords keep the stored hash and the owner's sessions).
func New(ctx context.Context, cfg Config) (*Console, error) {
	if cfg.DB == nil {
		return nil, errors.New("console: a database is required")
	}
	if cfg.Password == "" {
		return nil, errors.New("console: CONSOLE_PASSWORD is not set")
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 7 * 24 * time.Hour
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = 5
	}
	if cfg.LockFor <= 0 {
		cfg.LockFor = 15 * time.Minute
	}
	if cfg.SignInRate == 0 {
		cfg.SignInRate = rate.Every(6 * time.Second)
	}
	if cfg.SignInBurst <= 0 {
		cfg.SignInBurst = 10
	}
	c := &Console{
		cfg:      cfg,
		accounts: NewAccounts(cfg.DB, cfg.BcryptCost, cfg.Now),
		conv:     cfg.Conversations,
		secure:   strings.HasPrefix(strings.ToLower(cfg.PublicURL), "https://"),
		log:      cfg.Logger.With("component", "console"),
		limiters: map[string]*rate.Limiter{},
		labBusy:  map[string]bool{},
	}
	if c.conv == nil {
		c.conv = NewSQLConversations(cfg.DB)
	}
	var err error
	if c.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	changed, err := c.accounts.EnsureOwner(ctx, cfg.Password)
	if err != nil {
		return nil, err
	}
	if changed {
		if err := c.accounts.Audit(ctx, "system", "owner password set", "from CONSOLE_PASSWORD"); err != nil {
			return nil, err
		}
	}
	c.handler = c.routes()
	return c, nil
}

// Accounts returns the account store (the CLI and tests use it).
func (c *Console) Accounts() *Accounts { return c.accounts }

// ServeHTTP serves the console.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.handler.ServeHTTP(w, r) }

// access says who may use a route.
type access int

const (
	public    access = iota // anyone: sign-in, static files
	anyRole                 // a signed-in owner or staff
	ownerOnly               // a signed-in owner
)

// request is what a handler gets besides the http pair.
type request struct {
	session Session
	token   string
	csrf    string
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, rq *request)

func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, a access, fn handlerFunc) { mux.Handle(pattern, c.guard(a, fn)) }

	mux.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix+"/static/", staticHandler()))
	mux.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	})
	h("GET "+Prefix+"/signin", public, c.signInPage)
	h("POST "+Prefix+"/signin", public, c.signIn)
	h("POST "+Prefix+"/signout", anyRole, c.signOut)

	h("GET "+Prefix+"/{$}", anyRole, c.overview)
	h("GET "+Prefix+"/live", anyRole, c.overviewLive)
	h("GET "+Prefix+"/conversations", anyRole, c.conversations)
	h("GET "+Prefix+"/conversation", anyRole, c.conversation)
	h("GET "+Prefix+"/lab", anyRole, c.labPage)
	h("GET "+Prefix+"/lab/transcript", anyRole, c.labTranscript)
	h("POST "+Prefix+"/lab/send", anyRole, c.labSend)
	h("POST "+Prefix+"/lab/reset", anyRole, c.labReset)
	h("GET "+Prefix+"/gym", anyRole, c.gym)
	h("GET "+Prefix+"/bookings", anyRole, c.bookings)
	h("POST "+Prefix+"/bookings/decide", anyRole, c.decide)
	h("GET "+Prefix+"/leads", anyRole, c.leads)
	h("GET "+Prefix+"/leads.csv", anyRole, c.leadsCSV)
	h("POST "+Prefix+"/leads/contacted", anyRole, c.leadContacted)
	h("GET "+Prefix+"/handoff", anyRole, c.handoffPage)
	h("POST "+Prefix+"/handoff/pause", anyRole, c.handoffPause)
	h("POST "+Prefix+"/handoff/resume", anyRole, c.handoffResume)
	h("POST "+Prefix+"/handoff/reply", anyRole, c.handoffReply)
	h("GET "+Prefix+"/faqs", ownerOnly, c.faqs)
	h("POST "+Prefix+"/faqs/add", ownerOnly, c.addFAQ)
	h("POST "+Prefix+"/faqs/remove", ownerOnly, c.removeFAQ)
	h("GET "+Prefix+"/business", ownerOnly, c.profile)
	h("POST "+Prefix+"/business", ownerOnly, c.saveProfile)
	h("POST "+Prefix+"/faqs/move", ownerOnly, c.moveFAQ)

	h("GET "+Prefix+"/inspector", ownerOnly, c.inspector)
	h("GET "+Prefix+"/inspector/thread", ownerOnly, c.inspectorThread)
	h("GET "+Prefix+"/inspector/checkpoint", ownerOnly, c.inspectorCheckpoint)
	h("POST "+Prefix+"/inspector/fork", ownerOnly, c.inspectorFork)
	h("GET "+Prefix+"/accounts", ownerOnly, c.accountsPage)
	h("POST "+Prefix+"/accounts/revoke", ownerOnly, c.revokeSession)
	h("GET "+Prefix+"/activity", ownerOnly, c.activity)

	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		c.notFound(w, r)
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
		http.Error(w, "This request came from another site and was refused.", http.StatusForbidden)
	}))
	return securityHeaders(cop.Handler(mux))
}

// securityHeaders sets what every console response carries: no framing, no
// sniffing, scripts and styles only from the console itself.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// guard resolves the session, sends the anonymous to sign-in, refuses
// what the role may not do, and checks the form token of every POST.
func (c *Console) guard(a access, fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		rq := &request{}
		if ck, err := r.Cookie(cookieName); err == nil {
			s, err := c.accounts.Session(r.Context(), ck.Value)
			switch {
			case err == nil:
				rq.session, rq.token, rq.csrf = s, ck.Value, csrfToken(ck.Value)
			case !errors.Is(err, ErrNoSession):
				c.fail(w, r, err)
				return
			}
		}
		if a == public {
			fn(w, r, rq)
			return
		}
		if rq.token == "" {
			c.toSignIn(w, r)
			return
		}
		if a == ownerOnly && rq.session.Role != RoleOwner {
			c.forbidden(w, r, rq)
			return
		}
		if r.Method == http.MethodPost && !validCSRF(rq.token, r.PostFormValue("csrf")) {
			c.log.Warn("form token missing or wrong", "path", r.URL.Path, "account", rq.session.Account)
			http.Error(w, "This form has expired. Go back, reload the page and try again.", http.StatusForbidden)
			return
		}
		fn(w, r, rq)
	})
}

func (c *Console) toSignIn(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	if r.Method != http.MethodGet {
		next = Prefix + "/"
	}
	if r.Header.Get("X-Console-Fetch") != "" {
		// A script's request: a redirect would hand it the sign-in page.
		http.Error(w, "Your session has ended. Sign in again.", http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, Prefix+"/signin?next="+urlQueryEscape(next), http.StatusSeeOther)
}

func (c *Console) forbidden(w http.ResponseWriter, r *http.Request, rq *request) {
	w.WriteHeader(http.StatusForbidden)
	c.render(w, r, rq, "message", "Not for this account", messageView{
		Heading: "This page is for the owner",
		Text:    "Your account can use the overview, bookings, leads, conversations, the hand-off, the lab and the gym pages. Ask the owner if you need more.",
	})
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "There is no such page in the console.", http.StatusNotFound)
}

// fail answers an internal error without its details, which go to the log.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	c.log.Error("console request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "Something went wrong on our side; it was logged. Try again in a moment.", http.StatusInternalServerError)
}

// audit writes the trail; a failure to write it is logged, not shown.
func (c *Console) audit(ctx context.Context, account, action, detail string) {
	if err := c.accounts.Audit(context.WithoutCancel(ctx), account, action, detail); err != nil {
		c.log.Error("audit trail write failed", "account", account, "action", action, "err", err)
	}
}

func (c *Console) now() time.Time { return c.cfg.Now() }

// localTime formats t in the console's zone.
func (c *Console) localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.cfg.Location).Format("2 Jan 15:04")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprint(err)
}
