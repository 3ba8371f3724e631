-- +goose Up
-- PostgreSQL only: its saver compacts older log entries into
-- checkpoint_log_chunks, and its checkpoint tables lose their seq-only
-- primary keys (see migrations/postgres/0007_checkpoint_storage.sql). The
-- SQLite saver keeps one row per entry; this version exists so both
-- dialects share their numbering.
SELECT 1;
