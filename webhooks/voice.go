package webhooks

// VoiceNote is a spoken reply as a channel's sender gets it: the audio
// (OGG/Opus plays as a WhatsApp voice note) and a signed, expiring link
// to the same bytes (PUBLIC_URL/media/<id>, see package mediastore) for
// channels that fetch media by URL. Senders use whichever their API takes:
// Twilio the link, Meta and Evolution the bytes.
type VoiceNote struct {
	Audio       []byte
	ContentType string
	// URL is "" when no public link can be made (no media store).
	URL string
}
