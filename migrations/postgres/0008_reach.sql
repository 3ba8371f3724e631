-- +goose Up
-- Reaching a customer after the conversation (issue "After the
-- conversation"): WhatsApp's 24-hour window, templates and reminders.

-- An outbox row may carry an approved template (a Twilio Content SID and
-- its variables as a JSON object): the sender uses it instead of the body
-- when the thread's 24-hour window is closed. '' means free text only.
ALTER TABLE outbox ADD COLUMN content_sid       text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN content_variables text NOT NULL DEFAULT '';

-- The last inbound message of a thread: the start of its 24-hour window and
-- the channel its proactive messages go through.
CREATE INDEX inbound_messages_thread_last ON inbound_messages (thread_id, id DESC);

-- A booking whose decision the customer is still to be told of has
-- notice_status 'due' (set in the decision's transaction, so a crash before
-- the notice is recorded leaves it to the front desk's periodic job).
CREATE INDEX bookings_notice_due ON bookings (updated_at) WHERE notice_status = 'due';

-- One reminder per booking and start time: the primary key is the claim a
-- process takes before sending, so two processes, or a restart, never send
-- one twice. A booking moved to another time gets a reminder for the new
-- time. status: 'claimed' (being sent; a claim older than a few minutes is
-- taken over), 'sent', 'not_sent' (reason says why: opted out, outside the
-- window without a template, a permanent channel error).
CREATE TABLE booking_reminders (
    booking_id bigint      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    start_at   timestamptz NOT NULL,
    status     text        NOT NULL,
    reason     text        NOT NULL DEFAULT '',
    claimed_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (booking_id, start_at)
);
