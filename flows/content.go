package flows

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

// Texts the user gets about attachments the assistant could not use.
const (
	noteUnsupported   = "I can read text, voice notes and images, but I can't open %s yet — could you describe it in a message?"
	noteNoTranscriber = "I can't listen to voice notes here yet — could you type it instead?"
	noteAudioFailed   = "I couldn't make out your voice note — could you type it or send it again?"
	noteImageFailed   = "I couldn't open your image — could you send it again?"
	noteTooManyImages = "I can look at up to %d images at a time — I've read the first ones; send the rest in a later message."
)

// MaxTextBytes bounds the text of one inbound message as the model sees it
// and the checkpoint stores it (WhatsApp itself caps a message at 4,096
// characters; voice-note transcripts are appended within the same bound).
const MaxTextBytes = 16 << 10

// turn builds the model's input from the pending messages, and the notes
// to send the user about attachments that could not be used. A failed
// download or transcription never stops the text of the message.
func (r *Runner) turn(ctx context.Context, pending []store.Inbound, log *slog.Logger) (Input, []string) {
	var in Input
	var notes []string
	nImages := 0
	note := func(n string) {
		for _, x := range notes {
			if x == n {
				return
			}
		}
		notes = append(notes, n)
	}
	for _, m := range pending {
		if m.ProfileName != "" {
			in.ProfileName = m.ProfileName
		}
		text := strings.TrimSpace(m.Body)
		var images []llm.Part
		for i, md := range m.Media {
			kind := mediaKind(md.ContentType)
			switch kind {
			case "audio":
				t, n := r.transcribe(ctx, m, md, i, log)
				if n != "" {
					note(n)
				}
				if t != "" {
					text = strings.TrimSpace(text + "\n[voice note] " + t)
				}
			case "image":
				if nImages >= MaxImagesPerTurn {
					r.Metrics.media("image", "over_limit")
					note(fmt.Sprintf(noteTooManyImages, MaxImagesPerTurn))
					continue
				}
				p, err := r.image(ctx, m, md)
				if err != nil {
					log.Warn("image download failed", "message_id", m.ID, "err", err)
					r.Metrics.media("image", "failed")
					note(noteImageFailed)
					continue
				}
				r.Metrics.media("image", "ok")
				images = append(images, p)
				nImages++
			default:
				r.Metrics.media(kind, "unsupported")
				note(fmt.Sprintf(noteUnsupported, describe(kind)))
			}
		}
		text = boundText(text)
		if text == "" && len(images) == 0 {
			continue // nothing the model can use; the notes answer it
		}
		msg := llm.Message{Role: llm.RoleUser, Content: text, ID: strconv.FormatInt(m.ID, 10), Time: m.ReceivedAt}
		if len(images) > 0 {
			if text != "" {
				msg.Parts = append(msg.Parts, llm.Part{Type: llm.PartText, Text: text})
			}
			msg.Parts = append(msg.Parts, images...)
		}
		if r.LogContent {
			log.Debug("inbound content", "message_id", m.ID, "text", text)
		}
		in.Messages = append(in.Messages, msg)
		in.Seqs = append(in.Seqs, m.ID)
	}
	return in, notes
}

func (r *Runner) fetcher(channel string) MediaFetcher {
	return r.Channels[channel].Media
}

func (r *Runner) transcribe(ctx context.Context, m store.Inbound, md store.Media, i int, log *slog.Logger) (text, note string) {
	if r.Transcriber == nil {
		r.Metrics.media("audio", "no_transcriber")
		return "", noteNoTranscriber
	}
	f := r.fetcher(m.Channel)
	if f == nil {
		return "", fmt.Sprintf(noteUnsupported, "attachments on this channel")
	}
	data, ct, err := f.Fetch(ctx, md.URL)
	if err != nil {
		log.Warn("voice note download failed", "message_id", m.ID, "err", err)
		r.Metrics.media("audio", "failed")
		return "", noteAudioFailed
	}
	if ct == "" {
		ct = md.ContentType
	}
	name := "voice-" + strconv.Itoa(i) + extension(ct)
	t, err := r.Transcriber.Transcribe(ctx, bytes.NewReader(data), name, ct)
	if err != nil || strings.TrimSpace(t) == "" {
		log.Warn("voice note transcription failed", "message_id", m.ID, "err", err)
		r.Metrics.media("audio", "failed")
		return "", noteAudioFailed
	}
	r.Metrics.media("audio", "ok")
	return strings.TrimSpace(t), ""
}

func (r *Runner) image(ctx context.Context, m store.Inbound, md store.Media) (llm.Part, error) {
	f := r.fetcher(m.Channel)
	if f == nil {
		return llm.Part{}, fmt.Errorf("channel %q fetches no media", m.Channel)
	}
	data, _, err := f.Fetch(ctx, md.URL)
	if err != nil {
		return llm.Part{}, err
	}
	// The bytes decide what they are, not the type the webhook or the
	// download claimed: anything else never reaches the model as an image.
	data, ct, err := prepareImage(data)
	if err != nil {
		return llm.Part{}, err
	}
	return llm.Part{Type: llm.PartImage, ImageURL: llm.DataURL(ct, data)}, nil
}

// boundText cuts text to MaxTextBytes, at a rune boundary.
func boundText(text string) string {
	if len(text) <= MaxTextBytes {
		return text
	}
	cut := MaxTextBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + " […]"
}

// whatsappType prefixes the content type of a flagged message type.
const whatsappType = "application/x-whatsapp-"

// mediaKind maps a MIME type to audio, image, video, document or sticker,
// or to the kind of a flagged WhatsApp message ("reaction", "contacts",
// "location", "unsupported").
func mediaKind(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(contentType)
	}
	switch {
	case strings.HasPrefix(mt, whatsappType):
		// A message type the channel flagged as one the assistant cannot
		// use (webhooks/meta.UnsupportedType). Kinds are metric labels:
		// only the known ones are kept.
		switch t := strings.TrimPrefix(mt, whatsappType); t {
		case "reaction", "contacts", "location":
			return t
		}
		return "unsupported"
	case mt == "image/webp":
		return "sticker" // WhatsApp stickers arrive as WebP
	case strings.HasPrefix(mt, "audio/"):
		return "audio"
	case strings.HasPrefix(mt, "image/"):
		return "image"
	case strings.HasPrefix(mt, "video/"):
		return "video"
	default:
		return "document"
	}
}

func describe(kind string) string {
	switch kind {
	case "reaction":
		return "reactions"
	case "contacts":
		return "contact cards"
	case "location":
		return "locations"
	case "unsupported":
		return "that kind of message"
	case "video":
		return "videos"
	case "sticker":
		return "stickers"
	default:
		return "documents or other files"
	}
}

func extension(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "audio/ogg", "audio/opus":
		return ".ogg"
	case "audio/mpeg":
		return ".mp3"
	case "audio/mp4", "audio/aac", "audio/x-m4a":
		return ".m4a"
	case "audio/amr":
		return ".amr"
	case "audio/wav", "audio/x-wav":
		return ".wav"
	case "audio/webm":
		return ".webm"
	}
	return ".ogg"
}
