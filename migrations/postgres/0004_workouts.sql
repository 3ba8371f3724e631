-- +goose Up
-- Workouts logged in gym chats (package gym/sqlstore, flow flows/gym, tools
-- log_workout and workout_summary). chat_id is the conversation the workout
-- was logged in: a group's thread id, or a personal thread id for the tools;
-- every query filters on it, and erasing a chat is
-- DELETE FROM workouts WHERE chat_id = $1 (and the same on gym_members).
--
-- local_date is the civil day of the session in the assistant's time zone
-- (ASSISTANT_TIMEZONE), not an instant. source_message_id identifies the
-- message a workout came from ("<channel>:<provider id>", "#2", "#3"... for
-- the later workouts of one message); it is unique, so inserting the same
-- message's workout twice (a retried job) changes nothing. Workouts logged
-- without a message (tools) leave it NULL. Optional amounts are 0 when not
-- said.
CREATE TABLE workouts (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat_id           text             NOT NULL,
    member_id         text             NOT NULL,
    member_name       text             NOT NULL DEFAULT '',
    local_date        date             NOT NULL,
    activity          text             NOT NULL,
    minutes           integer          NOT NULL,
    sets              integer          NOT NULL DEFAULT 0,
    reps              integer          NOT NULL DEFAULT 0,
    distance_km       double precision NOT NULL DEFAULT 0,
    calories          integer          NOT NULL DEFAULT 0,
    source_message_id text,
    created_at        timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT workouts_source_key UNIQUE (source_message_id),
    CONSTRAINT workouts_amounts CHECK (minutes > 0 AND sets >= 0 AND reps >= 0 AND distance_km >= 0 AND calories >= 0)
);
-- The duplicate lookup: one member's workouts of one day in a chat.
CREATE INDEX workouts_member_day ON workouts (chat_id, member_id, local_date);
-- Summaries: a chat's workouts in a date range, grouped by member.
CREATE INDEX workouts_chat_day ON workouts (chat_id, local_date, member_id);

-- The known members of a gym chat, with the name shown in replies and
-- leaderboards. Depending on the flow's enrolment policy, a participant is
-- added the first time they post (open, the default) or only by an admin
-- (listed).
CREATE TABLE gym_members (
    chat_id      text        NOT NULL,
    member_id    text        NOT NULL,
    display_name text        NOT NULL DEFAULT '',
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, member_id)
);
