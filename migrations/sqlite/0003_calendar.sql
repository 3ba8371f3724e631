-- +goose Up
-- Events of the built-in (local) calendar; see
-- migrations/postgres/0003_calendar.sql for the meaning of each column.
CREATE TABLE calendar_events (
    thread_id    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    location     TEXT    NOT NULL DEFAULT '',
    attendees    TEXT    NOT NULL DEFAULT '[]',
    start_unix   INTEGER NOT NULL,
    end_unix     INTEGER NOT NULL,
    sequence     INTEGER NOT NULL DEFAULT 0,
    created_unix INTEGER NOT NULL,
    updated_unix INTEGER NOT NULL,
    PRIMARY KEY (thread_id, id),
    CONSTRAINT calendar_events_end_after_start CHECK (end_unix > start_unix)
) WITHOUT ROWID;
CREATE INDEX calendar_events_thread_start ON calendar_events (thread_id, start_unix);
