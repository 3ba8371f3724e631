package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// Voice speaks replies (VOICE_REPLIES). A spoken reply is decided when it
// is recorded (store.Outbound.Voice) and goes out as a voice note, part 0
// of the reply, then, unless Text is false, as text. The voice note is
// synthesised once: it is kept in Files and named in the outbox before it
// is sent, so a retried send reuses it. Speech that fails, and a voice note
// the channel refuses for good, fall back to the text alone. The text is
// what the agent's history keeps either way.
type Voice struct {
	// Always speaks every answer; otherwise only the answer to a turn that
	// had a voice note is spoken (mirror).
	Always bool
	// Text sends the text after the voice note (VOICE_REPLIES_TEXT).
	Text bool
	// Speaker makes the audio; required.
	Speaker llm.Speaker
	// Files keeps the voice notes between synthesis and send (and serves
	// them at their links); required.
	Files AudioStore
	// Link returns a signed link to file id valid until expires, for
	// channels that fetch media by URL (Twilio); nil makes no links.
	Link func(id string, expires time.Time) string
	// TTL is how long a voice note is kept (default DefaultVoiceTTL).
	TTL time.Duration
}

// DefaultVoiceTTL is how long a voice note is kept by default: long enough
// for a send retried through an outage, short enough not to keep people's
// replies around.
const DefaultVoiceTTL = 24 * time.Hour

// maxLinkTTL bounds a voice note's link: the provider fetches it within
// seconds of the send.
const maxLinkTTL = time.Hour

// AudioStore keeps voice notes (webhooks/mediastore.Dir).
type AudioStore interface {
	Put(ctx context.Context, thread string, data []byte, contentType string, expires time.Time) (string, error)
	Open(ctx context.Context, id string) ([]byte, string, error)
}

// VoiceSender is a Sender that can send voice notes.
type VoiceSender interface {
	SendVoice(ctx context.Context, to string, note webhooks.VoiceNote) (string, error)
}

func (v *Voice) ttl() time.Duration {
	if v.TTL > 0 {
		return v.TTL
	}
	return DefaultVoiceTTL
}

// spoken sets how out goes: spoken when voice replies are on, the channel
// sends voice notes, the text fits one speech request, and (mirror) the
// turn had a voice note.
func (r *Runner) spoken(out store.Outbound, turn []store.Inbound) store.Outbound {
	v := r.Voice
	if v == nil || v.Speaker == nil || v.Files == nil || strings.TrimSpace(out.Body) == "" ||
		utf8.RuneCountInString(out.Body) > llm.MaxSpeechInput {
		return out
	}
	if _, ok := r.Channels[out.Channel].Sender.(VoiceSender); !ok {
		return out
	}
	if !v.Always && !hasVoiceNote(turn) {
		return out
	}
	out.Voice = store.VoiceOnly
	if v.Text {
		out.Voice = store.VoiceAndText
	}
	return out
}

func hasVoiceNote(turn []store.Inbound) bool {
	for _, m := range turn {
		for _, md := range m.Media {
			if mediaKind(md.ContentType) == "audio" {
				return true
			}
		}
	}
	return false
}

// voiceNote returns the reply's voice note: the one recorded in the outbox
// when it is still kept, or a new one, synthesised and recorded before it
// is sent. When the reply must go out as text instead (speech failed,
// voice replies were turned off, the channel sends no voice notes), the
// outbox records the fallback and out.Voice becomes "".
func (r *Runner) voiceNote(ctx context.Context, ch Channel, out *store.Outbound, log *slog.Logger) (note webhooks.VoiceNote, err error) {
	v := r.Voice
	if v == nil || v.Speaker == nil || v.Files == nil {
		return note, r.textOnly(ctx, out, "voice replies are off", log)
	}
	if _, ok := ch.Sender.(VoiceSender); !ok {
		return note, r.textOnly(ctx, out, "the channel sends no voice notes", log)
	}
	if out.Audio != "" {
		data, ct, err := v.Files.Open(ctx, out.Audio)
		if err == nil {
			return r.note(out.Audio, data, ct), nil
		}
		// Expired or lost: speak it again.
		log.Info("voice note no longer kept; speaking the reply again", "err", err)
	}
	data, ct, err := v.Speaker.Speak(ctx, out.Body)
	if err == nil && len(data) == 0 {
		err = errors.New("empty audio")
	}
	if err != nil {
		if ctx.Err() != nil {
			return note, ctx.Err() // shutdown or job timeout: the job retries
		}
		return note, r.textOnly(ctx, out, fmt.Sprintf("text to speech failed: %v", err), log)
	}
	id, err := v.Files.Put(ctx, out.Thread, data, ct, r.now().Add(v.ttl()))
	if err != nil {
		return note, r.textOnly(ctx, out, fmt.Sprintf("voice note not stored: %v", err), log)
	}
	changed, err := r.Store.SetVoice(ctx, out.ID, out.Voice, id)
	if err != nil {
		return note, err
	}
	if !changed {
		return note, fmt.Errorf("flows: reply %d changed while its voice note was made", out.ID)
	}
	out.Audio = id
	return r.note(id, data, ct), nil
}

func (r *Runner) note(id string, data []byte, ct string) webhooks.VoiceNote {
	n := webhooks.VoiceNote{Audio: data, ContentType: ct}
	if r.Voice.Link != nil {
		n.URL = r.Voice.Link(id, r.now().Add(min(r.Voice.ttl(), maxLinkTTL)))
	}
	return n
}

// textOnly records that the reply goes out as text, and why.
func (r *Runner) textOnly(ctx context.Context, out *store.Outbound, why string, log *slog.Logger) error {
	log.Warn("voice reply not possible; sending the text", "reason", thread.MaskError(out.Thread, errors.New(why)))
	r.Metrics.voice("fallback")
	if _, err := r.Store.SetVoice(ctx, out.ID, "", ""); err != nil {
		return err
	}
	out.Voice, out.Audio = "", ""
	return nil
}
