package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/switchboardhq/switchboard/webhooks"
)

// cookieName is the session cookie. Its token is random; the database keeps
// only its hash.
const cookieName = "switchboard_console"

// csrfToken is the form token of a session: an HMAC of the session's
// token, so only the cookie's holder can compute it, and nothing more
// needs storing.
func csrfToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("switchboard console form token"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func validCSRF(sessionToken, got string) bool {
	return got != "" && hmac.Equal([]byte(csrfToken(sessionToken)), []byte(got))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-sign-in destination inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix + "/"
	}
	return next
}

func (c *Console) setCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    token,
		Path:     Prefix + "/",
		Expires:  expires,
		HttpOnly: true,
		Secure:   c.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (c *Console) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix + "/", MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}

// clientAddr is the client's address: the one the server's router found
// behind the proxies it trusts (TRUSTED_PROXIES), else the TCP peer.
func clientAddr(r *http.Request) string { return webhooks.ClientIP(r) }

// allowSignIn takes a token from the address's limiter. The map is bounded:
// past 10,000 addresses it starts over, which only ever loosens the limit
// for a moment.
func (c *Console) allowSignIn(addr string) bool {
	c.limMu.Lock()
	defer c.limMu.Unlock()
	l, ok := c.limiters[addr]
	if !ok {
		if len(c.limiters) >= 10000 {
			c.limiters = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(c.cfg.SignInRate, c.cfg.SignInBurst)
		c.limiters[addr] = l
	}
	return l.AllowN(c.now(), 1)
}

type signInView struct {
	Name  string
	Next  string
	Error string
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request, rq *request) {
	next := safeNext(r.URL.Query().Get("next"))
	if rq.token != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	c.render(w, r, rq, "signin", "Sign in", signInView{Next: next})
}

func (c *Console) signIn(w http.ResponseWriter, r *http.Request, rq *request) {
	ctx := r.Context()
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("name")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	again := func(status int, msg string) {
		w.WriteHeader(status)
		c.render(w, r, rq, "signin", "Sign in", signInView{Name: name, Next: next, Error: msg})
	}
	if !c.allowSignIn(clientAddr(r)) {
		c.audit(ctx, clip(name, 64), "sign-in refused", "too many attempts from "+clientAddr(r))
		again(http.StatusTooManyRequests, "Too many attempts from this device. Wait a minute and try again.")
		return
	}
	if name == "" || password == "" {
		again(http.StatusBadRequest, "Enter your account name and password.")
		return
	}
	if CheckName(name) != nil || len(password) > MaxPasswordLen {
		again(http.StatusUnauthorized, "That account name and password do not match.")
		return
	}
	until, err := c.accounts.LockedUntil(ctx, name, c.cfg.MaxFailures, c.cfg.LockFor)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !until.IsZero() {
		c.audit(ctx, name, "sign-in refused", "account locked")
		again(http.StatusTooManyRequests, "Too many wrong passwords for this account. It is locked until "+
			until.In(c.cfg.Location).Format("15:04")+"; try again then.")
		return
	}
	acct, err := c.accounts.Verify(ctx, name, password)
	if errors.Is(err, ErrNoAccount) {
		if err := c.accounts.RecordFailure(ctx, name); err != nil {
			c.fail(w, r, err)
			return
		}
		c.audit(ctx, name, "sign-in failed", "wrong name or password from "+clientAddr(r))
		again(http.StatusUnauthorized, "That account name and password do not match.")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.accounts.ClearFailures(ctx, name); err != nil {
		c.fail(w, r, err)
		return
	}
	if rq.token != "" {
		// A new sign-in replaces the browser's old session.
		if err := c.accounts.EndSession(ctx, rq.token); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	token, err := c.accounts.StartSession(ctx, acct.Name, c.cfg.SessionTTL, clientAddr(r), r.UserAgent())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.setCookie(w, token, c.now().Add(c.cfg.SessionTTL))
	c.audit(ctx, acct.Name, "signed in", "from "+clientAddr(r))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := c.accounts.EndSession(r.Context(), rq.token); err != nil {
		c.fail(w, r, err)
		return
	}
	c.clearCookie(w)
	c.audit(r.Context(), rq.session.Account, "signed out", "")
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

type accountsView struct {
	Accounts []Account
	Sessions []Session
	Current  string
}

func (c *Console) accountsPage(w http.ResponseWriter, r *http.Request, rq *request) {
	accts, err := c.accounts.List(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	sess, err := c.accounts.Sessions(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for i := range accts {
		accts[i].CreatedAt = accts[i].CreatedAt.In(c.cfg.Location)
	}
	for i := range sess {
		sess[i].CreatedAt, sess[i].LastSeen = sess[i].CreatedAt.In(c.cfg.Location), sess[i].LastSeen.In(c.cfg.Location)
	}
	c.render(w, r, rq, "accounts", "Accounts", accountsView{Accounts: accts, Sessions: sess, Current: rq.session.ID})
}

func (c *Console) revokeSession(w http.ResponseWriter, r *http.Request, rq *request) {
	id := r.PostFormValue("session")
	ok, err := c.accounts.Revoke(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if !ok {
		http.Error(w, "That session has already ended.", http.StatusNotFound)
		return
	}
	c.audit(r.Context(), rq.session.Account, "ended a session", "session "+id)
	if id == rq.session.ID {
		c.clearCookie(w)
		http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, Prefix+"/accounts", http.StatusSeeOther)
}

type activityView struct {
	Entries []AuditEntry
}

func (c *Console) activity(w http.ResponseWriter, r *http.Request, rq *request) {
	entries, err := c.accounts.AuditTrail(r.Context(), 300)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, rq, "activity", "Activity log", activityView{Entries: c.localEntries(entries)})
}

// localEntries shows audit times in the console's zone.
func (c *Console) localEntries(es []AuditEntry) []AuditEntry {
	for i := range es {
		es[i].At = es[i].At.In(c.cfg.Location)
	}
	return es
}
