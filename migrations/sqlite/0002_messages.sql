-- +goose Up
-- The durable inbox and outbox (package store, backend store/sqlite); see
-- migrations/postgres/0002_messages.sql for the meaning of each table. Times
-- are UTC text in a fixed-width layout ("2006-01-02T15:04:05.000000000Z"),
-- so text order is time order. AUTOINCREMENT keeps ids increasing even after
-- the newest rows are deleted: an inbound id is a watermark.
CREATE TABLE inbound_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    channel      TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    thread_id    TEXT NOT NULL,
    from_addr    TEXT NOT NULL DEFAULT '',
    to_addr      TEXT NOT NULL DEFAULT '',
    sender       TEXT NOT NULL DEFAULT '',
    profile_name TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    media        TEXT NOT NULL DEFAULT '[]',
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    CONSTRAINT inbound_messages_provider_key UNIQUE (channel, provider_id)
);
CREATE INDEX inbound_messages_pending ON inbound_messages (thread_id, id) WHERE processed_at IS NULL;
CREATE INDEX inbound_messages_thread_received ON inbound_messages (thread_id, received_at);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id  TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    to_addr    TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    parts_sent INTEGER NOT NULL DEFAULT 0,
    status     TEXT    NOT NULL DEFAULT 'pending',
    error_code INTEGER NOT NULL DEFAULT 0,
    error      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    CONSTRAINT outbox_thread_key UNIQUE (thread_id, key)
);

CREATE TABLE outbox_parts (
    outbox_id   INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    part        INTEGER NOT NULL,
    channel     TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    error_code  INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (outbox_id, part),
    CONSTRAINT outbox_parts_provider_key UNIQUE (channel, provider_id)
) WITHOUT ROWID;

CREATE TABLE thread_leases (
    thread_id  TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
