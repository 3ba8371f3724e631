-- +goose Up
-- Hand-off to a human; see migrations/postgres/0011_handoff.sql for the
-- meaning of each table and column. Times are UTC text in a fixed-width
-- layout ("2006-01-02T15:04:05.000000000Z"), so text order is time order.
CREATE TABLE handoffs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id     TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    actor_kind    TEXT NOT NULL,
    actor_id      TEXT NOT NULL DEFAULT '',
    paused_at     TEXT NOT NULL,
    last_reply_at TEXT NOT NULL,
    ended_at      TEXT,
    ended_by      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX handoffs_open ON handoffs (thread_id) WHERE ended_at IS NULL;
CREATE INDEX handoffs_thread ON handoffs (thread_id, id);

CREATE TABLE human_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id   TEXT NOT NULL,
    key         TEXT NOT NULL,
    body        TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    recorded_at TEXT,
    CONSTRAINT human_replies_key UNIQUE (thread_id, key)
);
CREATE INDEX human_replies_unrecorded ON human_replies (thread_id, id) WHERE recorded_at IS NULL;

ALTER TABLE leads ADD COLUMN contacted_at TEXT;
ALTER TABLE leads ADD COLUMN contacted_by TEXT NOT NULL DEFAULT '';
