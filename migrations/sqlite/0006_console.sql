-- +goose Up
-- The console's accounts, sessions, sign-in failures and audit trail; see
-- migrations/postgres/0006_console.sql for the meaning of each table. Times
-- are Unix milliseconds.
CREATE TABLE console_accounts (
    name          TEXT    PRIMARY KEY,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'staff')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE console_sessions (
    token_hash TEXT    PRIMARY KEY,
    account    TEXT    NOT NULL REFERENCES console_accounts (name) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    revoked_at INTEGER,
    address    TEXT    NOT NULL DEFAULT '',
    agent      TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX console_sessions_account ON console_sessions (account);

CREATE TABLE console_signin_failures (
    account TEXT    NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX console_signin_failures_account ON console_signin_failures (account, at);

CREATE TABLE console_audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    account TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX console_audit_at ON console_audit (at);
