-- +goose Up
-- Model tokens per day, for the console's overview (console/usage.go).
-- One row per local day (YYYY-MM-DD in ASSISTANT_TIMEZONE) and model; the
-- serving process adds its counts every few seconds, so a crash loses at
-- most those seconds' counts, never a conversation. Nothing here names a
-- thread.
CREATE TABLE model_usage (
    day           TEXT   NOT NULL,
    model         TEXT   NOT NULL,
    calls         BIGINT NOT NULL DEFAULT 0,
    input_tokens  BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, model)
);
