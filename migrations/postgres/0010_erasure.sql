-- +goose Up
-- Erasure requests (package privacy): someone texted "delete my data" and
-- was asked to confirm. member_id is '' for a whole conversation and the
-- participant's id in a group (only their messages and workouts go). A
-- request is answered by the confirmation word within privacy's window and
-- is removed with everything else when it is carried out, or when it is
-- declined or stale.
CREATE TABLE erasure_requests (
    thread_id text        NOT NULL,
    member_id text        NOT NULL DEFAULT '',
    asked_at  timestamptz NOT NULL,
    PRIMARY KEY (thread_id, member_id)
);
