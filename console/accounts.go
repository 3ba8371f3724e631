package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Role is what an account may do.
type Role string

// The roles. An owner does everything; staff run the day (conversations,
// hand-off, bookings, leads, the lab) but see neither the accounts, the
// business settings nor the developer's inspector.
const (
	RoleOwner Role = "owner"
	RoleStaff Role = "staff"
)

// OwnerAccount is the account whose password is CONSOLE_PASSWORD.
const OwnerAccount = "owner"

// Password bounds: bcrypt reads at most 72 bytes.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 72
)

// Errors callers branch on.
var (
	// ErrNoAccount: no account has that name.
	ErrNoAccount = errors.New("console: no such account")
	// ErrBadName: an account name must be 1-32 lowercase letters, digits,
	// dots, dashes or underscores, starting with a letter or digit.
	ErrBadName = errors.New("console: an account name is 1 to 32 lowercase letters, digits, '.', '-' or '_', starting with a letter or digit")
	// ErrBadPassword: a password out of bounds.
	ErrBadPassword = fmt.Errorf("console: a password has %d to %d bytes", MinPasswordLen, MaxPasswordLen)
	// ErrBadRole: a role other than owner or staff.
	ErrBadRole = errors.New("console: the role is owner or staff")
)

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

// ParseRole checks a role's spelling.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleOwner, RoleStaff:
		return r, nil
	default:
		return "", ErrBadRole
	}
}

// Account is a console user.
type Account struct {
	Name      string
	Role      Role
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Session is a signed-in browser.
type Session struct {
	// ID is a short public handle (the start of the token's hash), for
	// revoking from the accounts page; it cannot be used as a cookie.
	ID        string
	Account   string
	Role      Role
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	Address   string
	Agent     string
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	At      time.Time
	Account string
	Action  string
	Detail  string
}

// Accounts keeps the console's accounts, sessions, sign-in failures and
// audit trail in SQL: one text for Postgres (pgx's database/sql adapter)
// and SQLite, every value a parameter. Safe for concurrent use.
type Accounts struct {
	db   *sql.DB
	now  func() time.Time
	cost int
}

// NewAccounts returns the account store on db, which has the migrations
// applied. cost is bcrypt's cost (0: bcrypt.DefaultCost); now is the clock
// (nil: time.Now).
func NewAccounts(db *sql.DB, cost int, now func() time.Time) *Accounts {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if now == nil {
		now = time.Now
	}
	return &Accounts{db: db, now: now, cost: cost}
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// CheckName validates an account name.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return ErrBadName
	}
	return nil
}

// CheckPassword validates a password's length.
func CheckPassword(pw string) error {
	if len(pw) < MinPasswordLen || len(pw) > MaxPasswordLen {
		return ErrBadPassword
	}
	return nil
}

// Set creates the account or, when it exists, sets its role and password.
// A changed password ends the account's sessions. It reports whether the
// account was created.
func (a *Accounts) Set(ctx context.Context, name string, role Role, password string) (created bool, err error) {
	if err := CheckName(name); err != nil {
		return false, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return false, err
	}
	if err := CheckPassword(password); err != nil {
		return false, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), a.cost)
	if err != nil {
		return false, fmt.Errorf("console: hash password: %w", err)
	}
	now := ms(a.now())
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("console: set account: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE console_accounts SET role = $2, password_hash = $3, updated_at = $4 WHERE name = $1`,
		name, string(role), string(hash), now)
	if err != nil {
		return false, fmt.Errorf("console: set account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		created = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO console_accounts (name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			name, string(role), string(hash), now); err != nil {
			return false, fmt.Errorf("console: add account: %w", err)
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE account = $1 AND revoked_at IS NULL`, name, now); err != nil {
		return false, fmt.Errorf("console: end sessions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("console: set account: %w", err)
	}
	return created, nil
}

// EnsureOwner makes the owner account's password password, unless it
// already is (bcrypt comparison): the hash, and the owner's sessions,
// survive restarts with an unchanged CONSOLE_PASSWORD. It reports whether
// it changed anything.
func (a *Accounts) EnsureOwner(ctx context.Context, password string) (bool, error) {
	if err := CheckPassword(password); err != nil {
		return false, fmt.Errorf("CONSOLE_PASSWORD: %w", err)
	}
	var hash, role string
	err := a.db.QueryRowContext(ctx, `SELECT password_hash, role FROM console_accounts WHERE name = $1`, OwnerAccount).Scan(&hash, &role)
	switch {
	case err == nil && Role(role) == RoleOwner && bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil:
		return false, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("console: read owner: %w", err)
	}
	if _, err := a.Set(ctx, OwnerAccount, RoleOwner, password); err != nil {
		return false, err
	}
	return true, nil
}

// Remove deletes the account and its sessions.
func (a *Accounts) Remove(ctx context.Context, name string) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("console: remove account: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE account = $1`, name); err != nil {
		return fmt.Errorf("console: remove sessions: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM console_accounts WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("console: remove account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %q", ErrNoAccount, name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("console: remove account: %w", err)
	}
	return nil
}

// List returns every account, by name.
func (a *Accounts) List(ctx context.Context) ([]Account, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT name, role, created_at, updated_at FROM console_accounts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("console: list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var ac Account
		var role string
		var c, u int64
		if err := rows.Scan(&ac.Name, &role, &c, &u); err != nil {
			return nil, fmt.Errorf("console: list accounts: %w", err)
		}
		ac.Role, ac.CreatedAt, ac.UpdatedAt = Role(role), fromMS(c), fromMS(u)
		out = append(out, ac)
	}
	return out, rows.Err()
}

// Verify checks name's password and returns the account. A wrong password
// and an unknown name are the same error (ErrNoAccount), and take the same
// time: a bcrypt comparison runs either way.
func (a *Accounts) Verify(ctx context.Context, name, password string) (Account, error) {
	var hash, role string
	err := a.db.QueryRowContext(ctx, `SELECT password_hash, role FROM console_accounts WHERE name = $1`, name).Scan(&hash, &role)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return Account{}, ErrNoAccount
	}
	if err != nil {
		return Account{}, fmt.Errorf("console: read account: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Account{}, ErrNoAccount
	}
	return Account{Name: name, Role: Role(role)}, nil
}

// dummyHash is compared against for unknown names, so they cost what a
// known name costs.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// RecordFailure notes a failed sign-in for name.
func (a *Accounts) RecordFailure(ctx context.Context, name string) error {
	if _, err := a.db.ExecContext(ctx, `INSERT INTO console_signin_failures (account, at) VALUES ($1, $2)`, name, ms(a.now())); err != nil {
		return fmt.Errorf("console: record failure: %w", err)
	}
	return nil
}

// LockedUntil returns when name may try again: after max failures within
// window, until window after the latest of them; the zero time when it is
// not locked. Failures older than the window are removed here.
func (a *Accounts) LockedUntil(ctx context.Context, name string, max int, window time.Duration) (time.Time, error) {
	now := a.now()
	since := ms(now.Add(-window))
	if _, err := a.db.ExecContext(ctx, `DELETE FROM console_signin_failures WHERE at < $1`, since); err != nil {
		return time.Time{}, fmt.Errorf("console: prune failures: %w", err)
	}
	var n int
	var last sql.NullInt64
	if err := a.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM console_signin_failures WHERE account = $1 AND at >= $2`, name, since).Scan(&n, &last); err != nil {
		return time.Time{}, fmt.Errorf("console: count failures: %w", err)
	}
	if n < max || !last.Valid {
		return time.Time{}, nil
	}
	until := fromMS(last.Int64).Add(window)
	if !until.After(now) {
		return time.Time{}, nil
	}
	return until, nil
}

// ClearFailures forgets name's failed sign-ins (after a successful one).
func (a *Accounts) ClearFailures(ctx context.Context, name string) error {
	if _, err := a.db.ExecContext(ctx, `DELETE FROM console_signin_failures WHERE account = $1`, name); err != nil {
		return fmt.Errorf("console: clear failures: %w", err)
	}
	return nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// publicID is the handle of a session shown on the accounts page.
func publicID(tokenHash string) string { return tokenHash[:16] }

// StartSession makes a session for name lasting ttl and returns its token,
// the cookie's value.
func (a *Accounts) StartSession(ctx context.Context, name string, ttl time.Duration, address, agent string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("console: session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := a.now()
	if _, err := a.db.ExecContext(ctx, `INSERT INTO console_sessions (token_hash, account, created_at, expires_at, last_seen, address, agent)
		VALUES ($1, $2, $3, $4, $3, $5, $6)`, hashToken(token), name, ms(now), ms(now.Add(ttl)), clip(address, 64), clip(agent, 200)); err != nil {
		return "", fmt.Errorf("console: start session: %w", err)
	}
	return token, nil
}

// ErrNoSession: the token names no live session (unknown, expired or
// revoked).
var ErrNoSession = errors.New("console: not signed in")

// Session returns the live session of token, marking it seen (at most
// once a minute, to spare the database).
func (a *Accounts) Session(ctx context.Context, token string) (Session, error) {
	if token == "" || len(token) > 100 {
		return Session{}, ErrNoSession
	}
	h := hashToken(token)
	var s Session
	var role string
	var created, expires, seen int64
	var revoked sql.NullInt64
	err := a.db.QueryRowContext(ctx, `SELECT s.account, a.role, s.created_at, s.expires_at, s.last_seen, s.revoked_at, s.address, s.agent
		FROM console_sessions s JOIN console_accounts a ON a.name = s.account WHERE s.token_hash = $1`, h).
		Scan(&s.Account, &role, &created, &expires, &seen, &revoked, &s.Address, &s.Agent)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("console: read session: %w", err)
	}
	now := a.now()
	if revoked.Valid || !fromMS(expires).After(now) {
		return Session{}, ErrNoSession
	}
	s.ID, s.Role = publicID(h), Role(role)
	s.CreatedAt, s.ExpiresAt, s.LastSeen = fromMS(created), fromMS(expires), fromMS(seen)
	if now.Sub(s.LastSeen) > time.Minute {
		if _, err := a.db.ExecContext(ctx, `UPDATE console_sessions SET last_seen = $2 WHERE token_hash = $1`, h, ms(now)); err != nil {
			return Session{}, fmt.Errorf("console: touch session: %w", err)
		}
		s.LastSeen = now
	}
	return s, nil
}

// EndSession revokes the session of token (signing out).
func (a *Accounts) EndSession(ctx context.Context, token string) error {
	if _, err := a.db.ExecContext(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`,
		hashToken(token), ms(a.now())); err != nil {
		return fmt.Errorf("console: end session: %w", err)
	}
	return nil
}

// Revoke ends the session with public id id; it reports whether one was
// live.
func (a *Accounts) Revoke(ctx context.Context, id string) (bool, error) {
	if len(id) != 16 {
		return false, nil
	}
	res, err := a.db.ExecContext(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE token_hash LIKE $1 AND revoked_at IS NULL`,
		strings.ToLower(id)+"%", ms(a.now()))
	if err != nil {
		return false, fmt.Errorf("console: revoke: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RevokeAccount ends every session of name and returns how many.
func (a *Accounts) RevokeAccount(ctx context.Context, name string) (int, error) {
	res, err := a.db.ExecContext(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE account = $1 AND revoked_at IS NULL`, name, ms(a.now()))
	if err != nil {
		return 0, fmt.Errorf("console: revoke sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Sessions lists the live sessions, newest first.
func (a *Accounts) Sessions(ctx context.Context) ([]Session, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT s.token_hash, s.account, a.role, s.created_at, s.expires_at, s.last_seen, s.address, s.agent
		FROM console_sessions s JOIN console_accounts a ON a.name = s.account
		WHERE s.revoked_at IS NULL AND s.expires_at > $1 ORDER BY s.created_at DESC LIMIT 200`, ms(a.now()))
	if err != nil {
		return nil, fmt.Errorf("console: list sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var s Session
		var h, role string
		var c, e, l int64
		if err := rows.Scan(&h, &s.Account, &role, &c, &e, &l, &s.Address, &s.Agent); err != nil {
			return nil, fmt.Errorf("console: list sessions: %w", err)
		}
		s.ID, s.Role, s.CreatedAt, s.ExpiresAt, s.LastSeen = publicID(h), Role(role), fromMS(c), fromMS(e), fromMS(l)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Audit appends to the audit trail.
func (a *Accounts) Audit(ctx context.Context, account, action, detail string) error {
	if _, err := a.db.ExecContext(ctx, `INSERT INTO console_audit (at, account, action, detail) VALUES ($1, $2, $3, $4)`,
		ms(a.now()), clip(account, 64), clip(action, 64), clip(detail, 500)); err != nil {
		return fmt.Errorf("console: audit: %w", err)
	}
	return nil
}

// AuditTrail returns the newest entries first, at most limit.
func (a *Accounts) AuditTrail(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT at, account, action, detail FROM console_audit ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("console: audit trail: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Account, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("console: audit trail: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// clip bounds a string someone else chose before it is stored.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
