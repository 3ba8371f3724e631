-- +goose Up
-- Hand-off to a human (package business/bizstore, handoff.go).
--
-- handoffs: one row per time a customer thread was handed to a person
-- (the customer tool request_human, an owner's `pause`, the CLI or the
-- console). While ended_at is NULL the assistant stays silent on the
-- thread; at most one such open row per thread. last_reply_at starts at
-- paused_at and moves with each reply written by a person, so
-- HANDOFF_TIMEOUT counts from the last owner reply. ended_by says what gave
-- the thread back: 'owner', 'cli', 'console' or 'timeout'.
CREATE TABLE handoffs (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id     text        NOT NULL,
    reason        text        NOT NULL DEFAULT '',
    actor_kind    text        NOT NULL,
    actor_id      text        NOT NULL DEFAULT '',
    paused_at     timestamptz NOT NULL,
    last_reply_at timestamptz NOT NULL,
    ended_at      timestamptz,
    ended_by      text        NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX handoffs_open ON handoffs (thread_id) WHERE ended_at IS NULL;
CREATE INDEX handoffs_thread ON handoffs (thread_id, id);

-- human_replies: what a person at the business wrote to a customer (owner
-- `reply`, `assistant threads send`, the console), keyed like its outbox
-- row so a retried command records it once. recorded_at is set once the
-- assistant's history of the thread holds it: the assistant's next turn
-- sees the human part of the conversation.
CREATE TABLE human_replies (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id   text        NOT NULL,
    key         text        NOT NULL,
    body        text        NOT NULL,
    author      text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    recorded_at timestamptz,
    CONSTRAINT human_replies_key UNIQUE (thread_id, key)
);
CREATE INDEX human_replies_unrecorded ON human_replies (thread_id, id) WHERE recorded_at IS NULL;

-- A lead marked contacted in the console, and by whom.
ALTER TABLE leads ADD COLUMN contacted_at timestamptz;
ALTER TABLE leads ADD COLUMN contacted_by text NOT NULL DEFAULT '';
