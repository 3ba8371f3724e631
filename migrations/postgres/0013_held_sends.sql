-- +goose Up
-- held marks a reply its run sends itself (store.Store.CompleteHeld): it
-- has no send job until the run gives up on it (HandOver) or is found to
-- have died (SweepHeld). The partial index finds the held replies left
-- unsent.
ALTER TABLE outbox ADD COLUMN held boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_held ON outbox (created_at) WHERE held AND status = 'pending';
