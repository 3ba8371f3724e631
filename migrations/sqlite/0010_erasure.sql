-- +goose Up
-- Erasure requests; see migrations/postgres/0010_erasure.sql. asked_at is
-- UTC text in the stores' fixed-width layout.
CREATE TABLE erasure_requests (
    thread_id TEXT NOT NULL,
    member_id TEXT NOT NULL DEFAULT '',
    asked_at  TEXT NOT NULL,
    PRIMARY KEY (thread_id, member_id)
) WITHOUT ROWID;
