-- +goose Up
-- The business front desk (package business, store business/bizstore,
-- tools tools/booking). Every customer row carries its thread_id, so
-- erasing a customer is DELETE FROM bookings WHERE thread_id = $1 (their
-- history goes with them) and the same on leads.

-- The business profile: one row, the profile as a business file
-- (business.Profile.YAML, without FAQs). source_sha256 is the hash of the
-- BUSINESS_FILE content last imported: start-up re-imports only when the
-- file changed, so console edits stand until then. version increases with
-- every change to the profile or the FAQs, for caches.
CREATE TABLE business_profile (
    id            integer     PRIMARY KEY CHECK (id = 1),
    document      text        NOT NULL,
    source_sha256 text        NOT NULL DEFAULT '',
    version       bigint      NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Approved FAQs, in position order.
CREATE TABLE business_faqs (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position   integer     NOT NULL,
    question   text        NOT NULL,
    answer     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Bookings. id is the reference's number (B<id>). source_message_id is the
-- customer message that asked for it: unique, so a retried turn or a
-- replayed tool call finds the booking instead of making a second one.
-- Bookings that hold a place are pending or approved; the capacity check
-- reads them by (service, start_at) under a per-service advisory lock.
-- notice_status/notice_reason record whether the customer could be told of
-- the latest owner decision ('', 'sent', 'not_sent').
CREATE TABLE bookings (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id         text        NOT NULL,
    customer_name     text        NOT NULL DEFAULT '',
    service           text        NOT NULL,
    requested_time    text        NOT NULL DEFAULT '',
    start_at          timestamptz NOT NULL,
    end_at            timestamptz NOT NULL,
    status            text        NOT NULL DEFAULT 'pending',
    source_message_id text,
    notice_status     text        NOT NULL DEFAULT '',
    notice_reason     text        NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bookings_source_key UNIQUE (source_message_id),
    CONSTRAINT bookings_status CHECK (status IN ('pending', 'approved', 'completed', 'declined', 'cancelled')),
    CONSTRAINT bookings_period CHECK (end_at > start_at)
);
CREATE INDEX bookings_holding ON bookings (service, start_at) WHERE status IN ('pending', 'approved');
CREATE INDEX bookings_thread ON bookings (thread_id, start_at);
CREATE INDEX bookings_status_start ON bookings (status, start_at);

-- Every status change of a booking, its creation included: who, when, why.
CREATE TABLE booking_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id  bigint      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    from_status text        NOT NULL DEFAULT '',
    to_status   text        NOT NULL,
    actor_kind  text        NOT NULL,
    actor_id    text        NOT NULL DEFAULT '',
    reason      text        NOT NULL DEFAULT '',
    at          timestamptz NOT NULL
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, id);

-- Leads: a customer's requirement for the team, one per source message.
CREATE TABLE leads (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id         text        NOT NULL,
    name              text        NOT NULL DEFAULT '',
    requirement       text        NOT NULL,
    source_message_id text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_source_key UNIQUE (source_message_id)
);
CREATE INDEX leads_thread ON leads (thread_id);
CREATE INDEX leads_created ON leads (created_at);

-- Customers who sent STOP (UNSUBSCRIBE, BAJA, PARAR): no proactive message
-- (booking notices, reminders) goes to them until they send START or ALTA.
CREATE TABLE business_optouts (
    thread_id     text        PRIMARY KEY,
    opted_out_at  timestamptz NOT NULL
);
