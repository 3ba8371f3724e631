-- +goose Up
-- The console's accounts, sign-in sessions, sign-in failures and audit trail
-- (package console). Times are Unix milliseconds, the same in both
-- databases, so the console's SQL is one text for Postgres and SQLite.

-- Accounts. password_hash is bcrypt; a password is never stored in clear.
-- The "owner" account's password comes from CONSOLE_PASSWORD.
CREATE TABLE console_accounts (
    name          text   PRIMARY KEY,
    role          text   NOT NULL CHECK (role IN ('owner', 'staff')),
    password_hash text   NOT NULL,
    created_at    bigint NOT NULL,
    updated_at    bigint NOT NULL
);

-- Sessions, keyed by the SHA-256 of the cookie's token (a stolen database
-- does not give working cookies). A session ends at expires_at or when
-- revoked; removing an account removes its sessions.
CREATE TABLE console_sessions (
    token_hash text   PRIMARY KEY,
    account    text   NOT NULL REFERENCES console_accounts (name) ON DELETE CASCADE,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    last_seen  bigint NOT NULL,
    revoked_at bigint,
    address    text   NOT NULL DEFAULT '',
    agent      text   NOT NULL DEFAULT ''
);
CREATE INDEX console_sessions_account ON console_sessions (account);

-- Failed sign-ins per account name typed (known or not): enough of them in
-- a window locks the name for a while.
CREATE TABLE console_signin_failures (
    account text   NOT NULL,
    at      bigint NOT NULL
);
CREATE INDEX console_signin_failures_account ON console_signin_failures (account, at);

-- Who did what, when.
CREATE TABLE console_audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      bigint NOT NULL,
    account text   NOT NULL,
    action  text   NOT NULL,
    detail  text   NOT NULL DEFAULT ''
);
CREATE INDEX console_audit_at ON console_audit (at);
