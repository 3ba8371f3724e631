-- +goose Up
-- Checkpoints of graph runs, one row per superstep snapshot. seq orders them
-- (the most recently stored is the thread's latest); the unique index on
-- (thread_id, branch, parent_id) is what lets exactly one writer advance a
-- thread from a given parent.
CREATE TABLE checkpoints (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  text        NOT NULL,
    id         text        NOT NULL,
    parent_id  text        NOT NULL DEFAULT '',
    branch     text        NOT NULL DEFAULT '',
    step       bigint      NOT NULL,
    version    integer     NOT NULL,
    vals       bytea       NOT NULL,
    log_lens   jsonb       NOT NULL,
    next       jsonb       NOT NULL,
    source     text        NOT NULL DEFAULT '',
    metadata   jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT checkpoints_thread_id_key UNIQUE (thread_id, id),
    CONSTRAINT checkpoints_one_child UNIQUE (thread_id, branch, parent_id)
);
CREATE INDEX checkpoints_thread_seq ON checkpoints (thread_id, seq);

-- The append-only log channels (the message history), one row per entry, per
-- branch: a fork copies the entries it needs. Entries are never updated;
-- Prune never deletes them, DeleteThread does.
CREATE TABLE checkpoint_logs (
    thread_id text    NOT NULL,
    branch    text    NOT NULL,
    channel   text    NOT NULL,
    seq       integer NOT NULL,
    entry     bytea   NOT NULL,
    PRIMARY KEY (thread_id, branch, channel, seq)
);

-- Pending writes of a superstep that did not complete, recorded against the
-- checkpoint it started from; they go when the checkpoint goes.
CREATE TABLE checkpoint_writes (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id     text     NOT NULL,
    checkpoint_id text     NOT NULL,
    node          text     NOT NULL,
    kind          smallint NOT NULL,
    value         bytea,
    FOREIGN KEY (thread_id, checkpoint_id) REFERENCES checkpoints (thread_id, id) ON DELETE CASCADE
);
CREATE INDEX checkpoint_writes_checkpoint ON checkpoint_writes (thread_id, checkpoint_id, seq);
