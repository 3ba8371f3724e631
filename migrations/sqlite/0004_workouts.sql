-- +goose Up
-- Workouts logged in gym chats and the known members of each chat; see
-- migrations/postgres/0004_workouts.sql for the meaning of each column.
-- local_date is "YYYY-MM-DD" text, so text order is date order.
CREATE TABLE workouts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id           TEXT    NOT NULL,
    member_id         TEXT    NOT NULL,
    member_name       TEXT    NOT NULL DEFAULT '',
    local_date        TEXT    NOT NULL,
    activity          TEXT    NOT NULL,
    minutes           INTEGER NOT NULL,
    sets              INTEGER NOT NULL DEFAULT 0,
    reps              INTEGER NOT NULL DEFAULT 0,
    distance_km       REAL    NOT NULL DEFAULT 0,
    calories          INTEGER NOT NULL DEFAULT 0,
    source_message_id TEXT,
    created_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CONSTRAINT workouts_source_key UNIQUE (source_message_id),
    CONSTRAINT workouts_amounts CHECK (minutes > 0 AND sets >= 0 AND reps >= 0 AND distance_km >= 0 AND calories >= 0),
    CONSTRAINT workouts_date_format CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
CREATE INDEX workouts_member_day ON workouts (chat_id, member_id, local_date);
CREATE INDEX workouts_chat_day ON workouts (chat_id, local_date, member_id);

CREATE TABLE gym_members (
    chat_id      TEXT NOT NULL,
    member_id    TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    joined_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (chat_id, member_id)
) WITHOUT ROWID;
