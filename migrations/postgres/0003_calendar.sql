-- +goose Up
-- Events of the built-in (local) calendar. Each thread has its own calendar:
-- every row is keyed by thread_id, every query filters on it, and erasing a
-- thread deletes its rows (DELETE FROM calendar_events WHERE thread_id = $1).
-- Times are Unix seconds (UTC) so the same SQL serves Postgres and SQLite;
-- the zone they are shown in is the assistant's (ASSISTANT_TIMEZONE).
-- attendees is a JSON array of lower-cased e-mail addresses.
CREATE TABLE calendar_events (
    thread_id    text    NOT NULL,
    id           text    NOT NULL,
    summary      text    NOT NULL,
    description  text    NOT NULL DEFAULT '',
    location     text    NOT NULL DEFAULT '',
    attendees    text    NOT NULL DEFAULT '[]',
    start_unix   bigint  NOT NULL,
    end_unix     bigint  NOT NULL,
    sequence     integer NOT NULL DEFAULT 0,
    created_unix bigint  NOT NULL,
    updated_unix bigint  NOT NULL,
    PRIMARY KEY (thread_id, id),
    CONSTRAINT calendar_events_end_after_start CHECK (end_unix > start_unix)
);
CREATE INDEX calendar_events_thread_start ON calendar_events (thread_id, start_unix);
