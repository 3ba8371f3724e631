-- +goose Up
-- The business front desk; see migrations/postgres/0005_business.sql for
-- the meaning of each table and column. Times are UTC text in a fixed-width
-- layout ("2006-01-02T15:04:05.000000000Z"), so text order is time order.
-- AUTOINCREMENT keeps booking references from being reused after a delete.
CREATE TABLE business_profile (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    document      TEXT    NOT NULL,
    source_sha256 TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE business_faqs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    position   INTEGER NOT NULL,
    question   TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE bookings (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id         TEXT NOT NULL,
    customer_name     TEXT NOT NULL DEFAULT '',
    service           TEXT NOT NULL,
    requested_time    TEXT NOT NULL DEFAULT '',
    start_at          TEXT NOT NULL,
    end_at            TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending',
    source_message_id TEXT,
    notice_status     TEXT NOT NULL DEFAULT '',
    notice_reason     TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CONSTRAINT bookings_source_key UNIQUE (source_message_id),
    CONSTRAINT bookings_status CHECK (status IN ('pending', 'approved', 'completed', 'declined', 'cancelled')),
    CONSTRAINT bookings_period CHECK (end_at > start_at)
);
CREATE INDEX bookings_holding ON bookings (service, start_at) WHERE status IN ('pending', 'approved');
CREATE INDEX bookings_thread ON bookings (thread_id, start_at);
CREATE INDEX bookings_status_start ON bookings (status, start_at);

CREATE TABLE booking_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id  INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL DEFAULT '',
    at          TEXT    NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, id);

CREATE TABLE leads (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id         TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    requirement       TEXT NOT NULL,
    source_message_id TEXT,
    created_at        TEXT NOT NULL,
    CONSTRAINT leads_source_key UNIQUE (source_message_id)
);
CREATE INDEX leads_thread ON leads (thread_id);
CREATE INDEX leads_created ON leads (created_at);

CREATE TABLE business_optouts (
    thread_id    TEXT PRIMARY KEY,
    opted_out_at TEXT NOT NULL
) WITHOUT ROWID;
