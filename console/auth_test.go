package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"github.com/switchboardhq/switchboard/llm"
)

func TestAnonymousIsSentToSignIn(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	u := h.anonymous()
	for _, path := range []string{"/console/", "/console/conversations", "/console/conversation?t=whatsapp:%2B1", "/console/lab",
		"/console/lab/transcript", "/console/gym", "/console/inspector", "/console/inspector/thread?t=x",
		"/console/inspector/checkpoint?t=x&c=y", "/console/accounts", "/console/activity", "/console/live"} {
		r := u.get(path)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/console/signin?next=") {
			t.Errorf("GET %s: %d Location %q, want a redirect to sign-in", path, r.status, r.header.Get("Location"))
		}
	}
	for _, path := range []string{"/console/lab/send", "/console/lab/reset", "/console/inspector/fork", "/console/accounts/revoke", "/console/signout"} {
		if r := u.post(path, url.Values{"text": {"hi"}}, false); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/signin?next=%2Fconsole%2F" {
			t.Errorf("POST %s: %d Location %q, want a redirect to sign-in", path, r.status, r.header.Get("Location"))
		}
	}
	// A script's request gets 401, not the sign-in page.
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/console/live", nil)
	req.Header.Set("X-Console-Fetch", "1")
	if r := u.do(req); r.status != http.StatusUnauthorized {
		t.Errorf("fetch while signed out: %d, want 401", r.status)
	}
	// The sign-in page and static files are public.
	if r := u.get("/console/signin"); r.status != 200 || !strings.Contains(r.body, "Sign in to Switchboard") {
		t.Errorf("sign-in page: %d", r.status)
	}
	if r := u.get("/console/static/console.css"); r.status != 200 {
		t.Errorf("stylesheet: %d", r.status)
	}
	if r := u.get("/console"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/" {
		t.Errorf("GET /console: %d %q", r.status, r.header.Get("Location"))
	}
}

func TestSignInForm(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	cases := []struct {
		name, password string
		status         int
		says           string
	}{
		{"", "", http.StatusBadRequest, "Enter your account name and password."},
		{"owner", "", http.StatusBadRequest, "Enter your account name and password."},
		{"owner", "wrong password", http.StatusUnauthorized, "do not match"},
		{"nobody", ownerPassword, http.StatusUnauthorized, "do not match"},
		{"Bad Name!", ownerPassword, http.StatusUnauthorized, "do not match"},
		{"owner", strings.Repeat("x", 100), http.StatusUnauthorized, "do not match"},
	}
	for _, tc := range cases {
		r := h.anonymous().post("/console/signin", url.Values{"name": {tc.name}, "password": {tc.password}}, false)
		if r.status != tc.status || !strings.Contains(r.body, tc.says) {
			t.Errorf("sign in %q/%q: %d, want %d saying %q", tc.name, tc.password, r.status, tc.status, tc.says)
		}
	}
	u := h.anonymous()
	r := u.post("/console/signin", url.Values{"name": {" Owner "}, "password": {ownerPassword}, "next": {"/console/gym"}}, false)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/gym" {
		t.Fatalf("sign in: %d %q", r.status, r.header.Get("Location"))
	}
	ck := r.header.Get("Set-Cookie")
	for _, want := range []string{cookieName + "=", "Path=/console/", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("cookie %q is Secure on an http PUBLIC_URL", ck)
	}
	if r := u.get("/console/"); r.status != 200 || !strings.Contains(r.body, "Overview") {
		t.Fatalf("overview after sign-in: %d", r.status)
	}
	// A destination outside the console is ignored.
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/elsewhere", "/console/\\evil"} {
		r := h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {ownerPassword}, "next": {next}}, false)
		if r.header.Get("Location") != "/console/" {
			t.Errorf("next=%q: Location %q", next, r.header.Get("Location"))
		}
	}
}

func TestSecureCookieOnHTTPS(t *testing.T) {
	h := newHarness(t, sqliteDB(t), func(c *Config) { c.PublicURL = "https://bot.example.com" })
	r := h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {ownerPassword}}, false)
	if !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Fatalf("cookie %q is not Secure on https", r.header.Get("Set-Cookie"))
	}
}

func TestLockout(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	for i := range 5 {
		r := h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {"wrong password"}}, false)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	r := h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {ownerPassword}}, false)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "locked") {
		t.Fatalf("right password while locked: %d %s", r.status, r.body)
	}
	// Another account is not locked by the owner's failures.
	h.addStaff("sam")
	h.signIn("sam", "staff password")
	h.clock.Advance(16 * time.Minute)
	h.signIn("owner", ownerPassword)
	// A success clears the count.
	for range 4 {
		h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {"wrong password"}}, false)
	}
	h.signIn("owner", ownerPassword)
	h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {"wrong password"}}, false)
	h.signIn("owner", ownerPassword)
	trail, _ := h.c.Accounts().AuditTrail(context.Background(), 100)
	var failed, refused int
	for _, e := range trail {
		switch e.Action {
		case "sign-in failed":
			failed++
		case "sign-in refused":
			refused++
		}
	}
	if failed != 10 || refused != 1 {
		t.Errorf("audit trail: %d failures, %d refusals; want 10 and 1", failed, refused)
	}
}

func TestSignInRateLimit(t *testing.T) {
	h := newHarness(t, sqliteDB(t), func(c *Config) { c.SignInBurst, c.SignInRate = 3, rate.Every(time.Hour) })
	for i := range 3 {
		if r := h.anonymous().post("/console/signin", url.Values{"name": {"x" + string(rune('a'+i))}, "password": {"whatever1"}}, false); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	r := h.anonymous().post("/console/signin", url.Values{"name": {"owner"}, "password": {ownerPassword}}, false)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many attempts") {
		t.Fatalf("fourth attempt: %d", r.status)
	}
}

func TestRoles(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	h.addStaff("sam")
	owner := h.signIn("owner", ownerPassword)
	staff := h.signIn("sam", "staff password")
	thread := "whatsapp:+15550001111"
	seedInbound(t, h.d, thread, "hello", "", time.Now())
	cpID := seedHistory(t, h.d, thread, []llm.Message{{ID: "1", Role: llm.RoleUser, Content: "hello"}})
	q := "?t=" + url.QueryEscape(thread)
	both := []string{"/console/", "/console/live", "/console/conversations", "/console/conversation" + q, "/console/lab", "/console/lab/transcript", "/console/gym"}
	ownerOnly := []string{"/console/inspector", "/console/inspector/thread" + q, "/console/inspector/checkpoint" + q + "&c=" + cpID, "/console/accounts", "/console/activity"}
	for _, p := range both {
		if r := owner.get(p); r.status != 200 {
			t.Errorf("owner GET %s: %d", p, r.status)
		}
		if r := staff.get(p); r.status != 200 {
			t.Errorf("staff GET %s: %d", p, r.status)
		}
	}
	for _, p := range ownerOnly {
		if r := owner.get(p); r.status != 200 {
			t.Errorf("owner GET %s: %d", p, r.status)
		}
		if r := staff.get(p); r.status != http.StatusForbidden || !strings.Contains(r.body, "for the owner") {
			t.Errorf("staff GET %s: %d, want 403", p, r.status)
		}
	}
	if r := staff.post("/console/inspector/fork", url.Values{"thread": {thread}, "checkpoint": {cpID}}, true); r.status != http.StatusForbidden {
		t.Errorf("staff fork: %d", r.status)
	}
	if r := staff.post("/console/accounts/revoke", url.Values{"session": {"0123456789abcdef"}}, true); r.status != http.StatusForbidden {
		t.Errorf("staff revoke: %d", r.status)
	}
	// Staff see no owner links.
	if r := staff.get("/console/"); strings.Contains(r.body, "/console/inspector") || strings.Contains(r.body, "/console/accounts") {
		t.Error("staff's navigation links to owner pages")
	}
	if r := owner.get("/console/"); !strings.Contains(r.body, "/console/inspector") {
		t.Error("owner's navigation lacks the inspector")
	}
}

func TestCrossSiteAndFormTokens(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	u := h.signIn("owner", ownerPassword)
	if r := u.post("/console/lab/reset", nil, false); r.status != http.StatusForbidden || !strings.Contains(r.body, "expired") {
		t.Errorf("POST without a form token: %d", r.status)
	}
	if r := u.post("/console/lab/reset", url.Values{"csrf": {csrfToken("another session")}}, false); r.status != http.StatusForbidden {
		t.Errorf("POST with another session's token: %d", r.status)
	}
	for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://evil.example"}} {
		form := url.Values{"csrf": {csrfToken(u.token())}}
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/console/lab/reset", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		if r := u.do(req); r.status != http.StatusForbidden || !strings.Contains(r.body, "another site") {
			t.Errorf("POST with %v: %d %s", hdr, r.status, r.body)
		}
	}
	// Sign-in itself is protected from other sites too (login CSRF).
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/console/signin", strings.NewReader("name=owner&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := h.anonymous().do(req); r.status != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", r.status)
	}
	if r := u.post("/console/lab/reset", nil, true); r.status != http.StatusSeeOther {
		t.Errorf("same-site POST with its token: %d", r.status)
	}
	r := u.get("/console/")
	for _, hdr := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} {
		if r.header.Get(hdr) == "" {
			t.Errorf("no %s header", hdr)
		}
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q on a page", r.header.Get("Cache-Control"))
	}
}

func TestSessionsEnd(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	ctx := context.Background()
	h.addStaff("sam")
	signedOut := func(u *user) bool { return u.get("/console/").status == http.StatusSeeOther }

	// Signing out ends the session, even for a copied cookie.
	u := h.signIn("sam", "staff password")
	copyOf := h.anonymous()
	base, _ := url.Parse(h.srv.URL + "/console/")
	copyOf.client.Jar.SetCookies(base, u.client.Jar.Cookies(base))
	if r := u.post("/console/signout", nil, true); r.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.status)
	}
	if !signedOut(copyOf) {
		t.Error("a signed-out session still works")
	}

	// The owner ends a staff session from the accounts page.
	owner := h.signIn("owner", ownerPassword)
	staff := h.signIn("sam", "staff password")
	sessions, err := h.c.Accounts().Sessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, s := range sessions {
		if s.Account == "sam" {
			id = s.ID
		}
	}
	if r := owner.get("/console/accounts"); !strings.Contains(r.body, id) {
		t.Fatal("accounts page does not list the staff session")
	}
	if r := owner.post("/console/accounts/revoke", url.Values{"session": {id}}, true); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if !signedOut(staff) {
		t.Error("a revoked session still works")
	}
	if r := owner.post("/console/accounts/revoke", url.Values{"session": {id}}, true); r.status != http.StatusNotFound {
		t.Errorf("revoking twice: %d", r.status)
	}

	// Removing the account (the CLI's rm) and changing its password end
	// its sessions.
	staff = h.signIn("sam", "staff password")
	if _, err := h.c.Accounts().Set(ctx, "sam", RoleStaff, "a new password"); err != nil {
		t.Fatal(err)
	}
	if !signedOut(staff) {
		t.Error("a session survived a password change")
	}
	staff = h.signIn("sam", "a new password")
	if err := h.c.Accounts().Remove(ctx, "sam"); err != nil {
		t.Fatal(err)
	}
	if !signedOut(staff) {
		t.Error("a session survived its account's removal")
	}

	// Sessions expire.
	if signedOut(owner) {
		t.Fatal("owner signed out early")
	}
	h.clock.Advance(7*24*time.Hour + time.Minute)
	if !signedOut(owner) {
		t.Error("a session outlived its expiry")
	}
}

func TestSessionsSurviveRestart(t *testing.T) {
	d := sqliteDB(t)
	h := newHarness(t, d)
	u := h.signIn("owner", ownerPassword)
	// A second console on the same database with the same password: the
	// cookie still works, and the stored hash was kept.
	h2 := newHarness(t, d)
	u.h = h2
	if r := u.get("/console/"); r.status != 200 {
		t.Fatalf("after a restart: %d", r.status)
	}
	// A new CONSOLE_PASSWORD ends the owner's sessions.
	h3 := newHarness(t, d, func(c *Config) { c.Password = "another password" })
	u.h = h3
	if r := u.get("/console/"); r.status != http.StatusSeeOther {
		t.Fatalf("after a password change: %d", r.status)
	}
	h3.signIn("owner", "another password")
}

func TestNewRequires(t *testing.T) {
	d := sqliteDB(t)
	ctx := context.Background()
	if _, err := New(ctx, Config{Password: "long enough"}); err == nil {
		t.Error("New without a database succeeded")
	}
	if _, err := New(ctx, Config{DB: d.db}); err == nil {
		t.Error("New without a password succeeded")
	}
	if _, err := New(ctx, Config{DB: d.db, Password: "short", BcryptCost: bcrypt.MinCost}); !errors.Is(err, ErrBadPassword) {
		t.Errorf("short CONSOLE_PASSWORD: %v", err)
	}
}

func TestAccountsStore(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		ctx := context.Background()
		clk := &clock{}
		a := NewAccounts(d.db, bcrypt.MinCost, clk.Now)
		if _, err := a.Set(ctx, "Bad Name", RoleStaff, "password1"); !errors.Is(err, ErrBadName) {
			t.Errorf("bad name: %v", err)
		}
		if _, err := a.Set(ctx, "sam", "admin", "password1"); !errors.Is(err, ErrBadRole) {
			t.Errorf("bad role: %v", err)
		}
		if _, err := a.Set(ctx, "sam", RoleStaff, "short"); !errors.Is(err, ErrBadPassword) {
			t.Errorf("short password: %v", err)
		}
		if created, err := a.Set(ctx, "sam", RoleStaff, "password1"); err != nil || !created {
			t.Fatalf("Set = %v, %v", created, err)
		}
		var stored string
		if err := d.db.QueryRow(`SELECT password_hash FROM console_accounts WHERE name = 'sam'`).Scan(&stored); err != nil || strings.Contains(stored, "password1") || !strings.HasPrefix(stored, "$2") {
			t.Fatalf("stored password %q (%v): want a bcrypt hash", stored, err)
		}
		if _, err := a.Verify(ctx, "sam", "password2"); !errors.Is(err, ErrNoAccount) {
			t.Errorf("wrong password: %v", err)
		}
		if ac, err := a.Verify(ctx, "sam", "password1"); err != nil || ac.Role != RoleStaff {
			t.Errorf("Verify = %+v, %v", ac, err)
		}
		tok, err := a.StartSession(ctx, "sam", time.Hour, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.db.QueryRow(`SELECT COUNT(*) FROM console_sessions WHERE token_hash = $1`, tok).Scan(&n); err != nil || n != 0 {
			t.Errorf("the token is stored in clear (%d, %v)", n, err)
		}
		s, err := a.Session(ctx, tok)
		if err != nil || s.Account != "sam" || s.Role != RoleStaff {
			t.Fatalf("Session = %+v, %v", s, err)
		}
		if n, err := a.RevokeAccount(ctx, "sam"); err != nil || n != 1 {
			t.Errorf("RevokeAccount = %d, %v", n, err)
		}
		if _, err := a.Session(ctx, tok); !errors.Is(err, ErrNoSession) {
			t.Errorf("revoked session: %v", err)
		}
		for range 3 {
			if err := a.RecordFailure(ctx, "sam"); err != nil {
				t.Fatal(err)
			}
		}
		if until, err := a.LockedUntil(ctx, "sam", 3, time.Minute); err != nil || until.IsZero() {
			t.Errorf("LockedUntil after 3 = %v, %v", until, err)
		}
		clk.Advance(2 * time.Minute)
		if until, err := a.LockedUntil(ctx, "sam", 3, time.Minute); err != nil || !until.IsZero() {
			t.Errorf("LockedUntil later = %v, %v", until, err)
		}
		if err := a.Audit(ctx, "sam", "did a thing", strings.Repeat("é", 600)); err != nil {
			t.Fatal(err)
		}
		trail, err := a.AuditTrail(ctx, 10)
		if err != nil || len(trail) != 1 || trail[0].Action != "did a thing" || len(trail[0].Detail) > 500 {
			t.Fatalf("AuditTrail = %+v, %v", trail, err)
		}
		if err := a.Remove(ctx, "sam"); err != nil {
			t.Fatal(err)
		}
		if err := a.Remove(ctx, "sam"); !errors.Is(err, ErrNoAccount) {
			t.Errorf("removing twice: %v", err)
		}
	})
}
