-- +goose Up
-- Older entries of the checkpoint logs, compacted by Prune: each row holds n
-- consecutive entries of one log from seq on (each a 4-byte big-endian length,
-- then the entry), large enough for PostgreSQL to compress. A log's chunks
-- hold a prefix of it, its checkpoint_logs rows the rest.
CREATE TABLE checkpoint_log_chunks (
    thread_id text    NOT NULL,
    branch    text    NOT NULL,
    channel   text    NOT NULL,
    seq       integer NOT NULL,
    n         integer NOT NULL,
    entries   bytea   NOT NULL,
    PRIMARY KEY (thread_id, branch, channel, seq)
);
