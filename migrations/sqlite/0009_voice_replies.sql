-- +goose Up
-- Voice replies (VOICE_REPLIES). voice says how a reply goes out: '' as text,
-- 'voice' as a voice note alone, 'voice+text' as a voice note and then the
-- text. audio names the synthesised voice note in the media store once it is
-- made, before it is sent, so a retried send reuses it rather than speaking
-- (and paying for) the text again. A reply whose speech failed falls back to
-- text: voice becomes ''.
ALTER TABLE outbox ADD COLUMN voice TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN audio TEXT NOT NULL DEFAULT '';
