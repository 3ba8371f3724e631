package google

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/switchboardhq/switchboard/tools/calendar"
)

// Google's OAuth endpoints for installed apps.
var endpoint = oauth2.Endpoint{
	AuthURL:   "https://accounts.google.com/o/oauth2/auth",
	TokenURL:  "https://oauth2.googleapis.com/token",
	AuthStyle: oauth2.AuthStyleInParams,
}

// clientFile is the JSON Google's console downloads for an OAuth client.
type clientFile struct {
	Installed *clientCreds `json:"installed"`
	Web       *clientCreds `json:"web"`
}

type clientCreds struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	AuthURI      string `json:"auth_uri"`
	TokenURI     string `json:"token_uri"`
}

// OAuthConfig returns the OAuth client configuration: from the client JSON
// file when one is configured, else from the client id and secret, with
// Google's endpoints unless overridden. redirectURL may be empty (token
// refreshes need none).
func OAuthConfig(g calendar.GoogleConfig, redirectURL string) (*oauth2.Config, error) {
	c := &oauth2.Config{ClientID: g.ClientID, ClientSecret: g.ClientSecret, Endpoint: endpoint, Scopes: []string{Scope}, RedirectURL: redirectURL}
	if g.ClientFile != "" {
		data, err := os.ReadFile(g.ClientFile)
		if err != nil {
			return nil, fmt.Errorf("google calendar: GOOGLE_OAUTH_CLIENT_FILE: %w", err)
		}
		var f clientFile
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("google calendar: GOOGLE_OAUTH_CLIENT_FILE: %w", err)
		}
		creds := f.Installed
		if creds == nil {
			creds = f.Web
		}
		if creds == nil || creds.ClientID == "" {
			return nil, errors.New(`google calendar: GOOGLE_OAUTH_CLIENT_FILE: no "installed" or "web" client in the file`)
		}
		c.ClientID, c.ClientSecret = creds.ClientID, creds.ClientSecret
		if creds.AuthURI != "" {
			c.Endpoint.AuthURL = creds.AuthURI
		}
		if creds.TokenURI != "" {
			c.Endpoint.TokenURL = creds.TokenURI
		}
	}
	if c.ClientID == "" {
		return nil, errors.New("google calendar: no OAuth client: set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET, or GOOGLE_OAUTH_CLIENT_FILE")
	}
	if g.AuthURL != "" {
		c.Endpoint.AuthURL = g.AuthURL
	}
	if g.TokenURL != "" {
		c.Endpoint.TokenURL = g.TokenURL
	}
	return c, nil
}

// TokenStore keeps an OAuth token between runs.
type TokenStore interface {
	// Load returns the stored token.
	Load() (*oauth2.Token, error)
	// Save replaces the stored token.
	Save(*oauth2.Token) error
}

// FileTokenStore keeps the token as JSON in a file readable by its owner
// only, replaced atomically.
type FileTokenStore struct {
	// Path is the file (GOOGLE_TOKEN_FILE).
	Path string
}

// Load implements TokenStore.
func (f FileTokenStore) Load() (*oauth2.Token, error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("google token: %w", err)
	}
	var t oauth2.Token
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("google token %s: %w", f.Path, err)
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil, fmt.Errorf("google token %s: no token in the file", f.Path)
	}
	return &t, nil
}

// Save implements TokenStore.
func (f FileTokenStore) Save(t *oauth2.Token) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".google-token-*")
	if err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("google token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("google token: %w", err)
	}
	return nil
}

// persisting is the token source of TokenSource.
type persisting struct {
	ctx    context.Context
	cfg    *oauth2.Config
	store  TokenStore
	logger *slog.Logger

	mu   sync.Mutex
	base oauth2.TokenSource
	last string // the access token last loaded or saved
}

// TokenSource returns a token source that starts from the stored token,
// refreshes it with cfg when it expires, and saves every new token back to
// store (oauth2 has no refresh hook; this is it). Failures are
// *calendar.AuthError: a missing token, or a refresh token that is expired
// or revoked. After a failure the store is read again on the next call, so
// a token saved by `assistant calendar auth` is picked up without a
// restart. ctx carries the HTTP client for refreshes (oauth2.HTTPClient)
// and must outlive the source.
func TokenSource(ctx context.Context, cfg *oauth2.Config, store TokenStore, logger *slog.Logger) oauth2.TokenSource {
	if logger == nil {
		logger = slog.Default()
	}
	return &persisting{ctx: ctx, cfg: cfg, store: store, logger: logger}
}

// Token implements oauth2.TokenSource.
func (p *persisting) Token() (*oauth2.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.base == nil {
		t, err := p.store.Load()
		if err != nil {
			return nil, &calendar.AuthError{Err: err}
		}
		p.base = p.cfg.TokenSource(p.ctx, t)
		p.last = t.AccessToken
	}
	t, err := p.base.Token()
	if err != nil {
		p.base = nil
		return nil, &calendar.AuthError{Err: err}
	}
	if t.AccessToken != p.last {
		if err := p.store.Save(t); err != nil {
			// The token works for this process; say so, and go on.
			p.logger.Error("could not save the refreshed Google token; the next start may need `assistant calendar auth`", "error", err)
		}
		p.last = t.AccessToken
	}
	return t, nil
}

// AuthorizeOptions configures Authorize.
type AuthorizeOptions struct {
	// ListenAddr is the loopback address of the redirect listener
	// (127.0.0.1:0 when empty: any free port).
	ListenAddr string
	// NoListener skips the loopback listener: the user pastes the code
	// (for a server without a browser, with the client's redirect URL set
	// to RedirectURL).
	NoListener bool
	// RedirectURL is the redirect used with NoListener (default
	// http://127.0.0.1 — the browser then fails to load it, and its
	// address bar holds the code to paste).
	RedirectURL string
	// Timeout bounds the wait for the user (default 10 minutes).
	Timeout time.Duration
}

// Authorize runs the installed-app OAuth flow: it prints the consent URL
// to out, then takes the code from the loopback redirect or from a line
// pasted on in (the code, or the whole redirect URL), whichever comes
// first, checks the state, and exchanges the code (with PKCE) for a token
// with a refresh token.
func Authorize(ctx context.Context, cfg *oauth2.Config, in io.Reader, out io.Writer, opts AuthorizeOptions) (*oauth2.Token, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	c := *cfg
	var stateBytes [16]byte
	if _, err := rand.Read(stateBytes[:]); err != nil {
		return nil, fmt.Errorf("oauth: %w", err)
	}
	state := hex.EncodeToString(stateBytes[:])
	verifier := oauth2.GenerateVerifier()

	type result struct {
		code string
		err  error
	}
	results := make(chan result, 2)
	if !opts.NoListener {
		addr := opts.ListenAddr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("oauth: loopback listener: %w", err)
		}
		c.RedirectURL = "http://" + ln.Addr().String() + "/callback"
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/callback" {
				http.NotFound(w, r)
				return
			}
			code, err := codeFrom(r.URL.Query(), state)
			if err != nil {
				http.Error(w, html.EscapeString(err.Error()), http.StatusBadRequest)
			} else {
				fmt.Fprint(w, "Switchboard is authorized. You can close this tab.")
			}
			// The page reaches the browser before the code goes on: once
			// it does, the exchange can finish and close the listener.
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			results <- result{code, err}
		})}
		go func() { _ = srv.Serve(ln) }()
		defer func() {
			// Let the browser's request finish rather than cut it off
			// (Close would): the user sees the page, not a reset.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if srv.Shutdown(sctx) != nil {
				srv.Close()
			}
		}()
	} else {
		c.RedirectURL = opts.RedirectURL
		if c.RedirectURL == "" {
			c.RedirectURL = "http://127.0.0.1"
		}
	}
	authURL := c.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier))
	fmt.Fprintf(out, "Open this URL in a browser and allow access to the calendar:\n\n  %s\n\n", authURL)
	if opts.NoListener {
		fmt.Fprint(out, "Then paste the code (or the whole address the browser ends on) here: ")
	} else {
		fmt.Fprintf(out, "Waiting for the browser at %s ... (or paste the code, or the address the browser ends on, here)\n", c.RedirectURL)
	}
	if in != nil {
		go func() {
			sc := bufio.NewScanner(in)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				code, err := pasted(line, state)
				results <- result{code, err}
				return
			}
		}()
	}
	var r result
	select {
	case r = <-results:
	case <-ctx.Done():
		return nil, fmt.Errorf("oauth: no code received: %w", ctx.Err())
	}
	if r.err != nil {
		return nil, r.err
	}
	tok, err := c.Exchange(ctx, r.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("oauth: exchanging the code: %w", err)
	}
	if tok.RefreshToken == "" {
		return nil, errors.New("oauth: Google sent no refresh token; remove the app's access in the Google account and run the command again")
	}
	return tok, nil
}

// codeFrom reads the code of a redirect, checking its state.
func codeFrom(q url.Values, state string) (string, error) {
	if e := q.Get("error"); e != "" {
		return "", fmt.Errorf("oauth: authorization refused: %s", e)
	}
	if q.Get("state") != state {
		return "", errors.New("oauth: the redirect's state does not match this request; start again")
	}
	code := q.Get("code")
	if code == "" {
		return "", errors.New("oauth: the redirect has no code")
	}
	return code, nil
}

// pasted reads a pasted line: a redirect URL (whose state is checked) or a
// bare code.
func pasted(line, state string) (string, error) {
	if u, err := url.Parse(line); err == nil && u.RawQuery != "" && (u.Scheme == "http" || u.Scheme == "https") {
		return codeFrom(u.Query(), state)
	}
	if strings.ContainsAny(line, " \t") {
		return "", errors.New("oauth: that does not look like a code")
	}
	return line, nil
}
