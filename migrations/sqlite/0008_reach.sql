-- +goose Up
-- Reaching a customer after the conversation; see
-- migrations/postgres/0008_reach.sql for the meaning of each change.
ALTER TABLE outbox ADD COLUMN content_sid       TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN content_variables TEXT NOT NULL DEFAULT '';

CREATE INDEX inbound_messages_thread_last ON inbound_messages (thread_id, id DESC);

CREATE INDEX bookings_notice_due ON bookings (updated_at) WHERE notice_status = 'due';

CREATE TABLE booking_reminders (
    booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    start_at   TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    claimed_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (booking_id, start_at)
) WITHOUT ROWID;
