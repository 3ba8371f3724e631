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

-- Indexes sized for the queries that exist: every query on checkpoints and
-- checkpoint_writes names the thread, so the seq-only primary keys served
-- none (and a thread's 300 turns kept 1,500 entries in each). The
-- (thread_id, seq) index becomes the primary key; the pending writes' own
-- index becomes theirs.
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_pkey;
DROP INDEX checkpoints_thread_seq;
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_pkey PRIMARY KEY (thread_id, seq);
ALTER TABLE checkpoint_writes DROP CONSTRAINT checkpoint_writes_pkey;
DROP INDEX checkpoint_writes_checkpoint;
ALTER TABLE checkpoint_writes ADD CONSTRAINT checkpoint_writes_pkey PRIMARY KEY (thread_id, checkpoint_id, seq);

-- A chunk compresses to a few kilobytes: keep it in the row (compressed)
-- rather than in TOAST's out-of-line pieces, which add a row and an index
-- entry per 2 KB.
ALTER TABLE checkpoint_log_chunks ALTER COLUMN entries SET STORAGE MAIN;
