-- +goose Up
-- A reply the run sends itself (store.Store.CompleteHeld) has its send job
-- held back as a fallback; send_job names that job, so that sending the
-- reply deletes it and giving up on it (HandOver) makes it run at once.
-- NULL for replies whose job runs at once (Complete).
ALTER TABLE outbox ADD COLUMN send_job BIGINT;
