-- +goose Up
-- The durable inbox and outbox (package store, backend store/postgres).
-- Every row belongs to one thread (thread_id, directly or through its outbox
-- row), so erasing a thread is a DELETE ... WHERE thread_id = $1 per table.

-- Inbound messages, stored before the webhook answers. id orders a thread's
-- messages (the agent's watermark); a provider's second delivery of a message
-- id meets the unique (channel, provider_id) and changes nothing.
-- processed_at stays NULL until the turn that read the message commits.
CREATE TABLE inbound_messages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel      text        NOT NULL,
    provider_id  text        NOT NULL,
    thread_id    text        NOT NULL,
    from_addr    text        NOT NULL DEFAULT '',
    to_addr      text        NOT NULL DEFAULT '',
    sender       text        NOT NULL DEFAULT '',
    profile_name text        NOT NULL DEFAULT '',
    body         text        NOT NULL DEFAULT '',
    media        jsonb       NOT NULL DEFAULT '[]',
    received_at  timestamptz NOT NULL,
    processed_at timestamptz,
    CONSTRAINT inbound_messages_provider_key UNIQUE (channel, provider_id)
);
-- A thread's unprocessed messages in id order (Pending), and the backlog.
CREATE INDEX inbound_messages_pending ON inbound_messages (thread_id, id) WHERE processed_at IS NULL;
-- A thread's recent messages (CountReceived, the rate limit).
CREATE INDEX inbound_messages_thread_received ON inbound_messages (thread_id, received_at);

-- Replies, recorded before they are sent. A thread has at most one reply
-- per key, so a turn retried after a crash does not reply twice.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  text        NOT NULL,
    channel    text        NOT NULL,
    to_addr    text        NOT NULL,
    key        text        NOT NULL,
    body       text        NOT NULL,
    parts_sent integer     NOT NULL DEFAULT 0,
    status     text        NOT NULL DEFAULT 'pending',
    error_code integer     NOT NULL DEFAULT 0,
    error      text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT outbox_thread_key UNIQUE (thread_id, key)
);

-- The parts of a split reply the channel accepted, with the channel's id for
-- each (delivery-status callbacks name it) and its latest status.
CREATE TABLE outbox_parts (
    outbox_id   bigint      NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    part        integer     NOT NULL,
    channel     text        NOT NULL,
    provider_id text        NOT NULL,
    status      text        NOT NULL,
    error_code  integer     NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (outbox_id, part),
    CONSTRAINT outbox_parts_provider_key UNIQUE (channel, provider_id)
);

-- Per-thread leases: one run of a thread at a time, across processes. A
-- lease past expires_at is free for the taking.
CREATE TABLE thread_leases (
    thread_id  text        PRIMARY KEY,
    owner      text        NOT NULL,
    expires_at timestamptz NOT NULL
);
