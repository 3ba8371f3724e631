-- +goose Up
-- Checkpoints of graph runs; see migrations/postgres/0001_checkpoints.sql for
-- the meaning of each table. created_at is UTC text in a fixed-width layout
-- ("2006-01-02T15:04:05.000000000Z"), so it sorts as it reads.
CREATE TABLE checkpoints (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id  TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    parent_id  TEXT    NOT NULL DEFAULT '',
    branch     TEXT    NOT NULL DEFAULT '',
    step       INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    vals       BLOB    NOT NULL,
    log_lens   TEXT    NOT NULL,
    next       TEXT    NOT NULL,
    source     TEXT    NOT NULL DEFAULT '',
    metadata   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    CONSTRAINT checkpoints_thread_id_key UNIQUE (thread_id, id),
    CONSTRAINT checkpoints_one_child UNIQUE (thread_id, branch, parent_id)
);
CREATE INDEX checkpoints_thread_seq ON checkpoints (thread_id, seq);

CREATE TABLE checkpoint_logs (
    thread_id TEXT    NOT NULL,
    branch    TEXT    NOT NULL,
    channel   TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    entry     BLOB    NOT NULL,
    PRIMARY KEY (thread_id, branch, channel, seq)
) WITHOUT ROWID;

CREATE TABLE checkpoint_writes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id     TEXT    NOT NULL,
    checkpoint_id TEXT    NOT NULL,
    node          TEXT    NOT NULL,
    kind          INTEGER NOT NULL,
    value         BLOB,
    FOREIGN KEY (thread_id, checkpoint_id) REFERENCES checkpoints (thread_id, id) ON DELETE CASCADE
);
CREATE INDEX checkpoint_writes_checkpoint ON checkpoint_writes (thread_id, checkpoint_id, seq);
