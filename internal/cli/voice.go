package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/openai"
	"github.com/switchboardhq/switchboard/server"
	"github.com/switchboardhq/switchboard/webhooks/mediastore"
)

// Where voice replies keep their files, under ASSISTANT_DATA_DIR: the
// voice notes, and the key that signs their links (kept across restarts,
// so a link handed to Twilio just before one still works after it).
const (
	mediaDir     = "media"
	mediaKeyFile = "media-links.key"
)

// voiceSweepEvery is how often expired voice notes are removed.
const voiceSweepEvery = time.Hour

// voiceReplies is the runner's voice replies and what serves their files.
type voiceReplies struct {
	flows  *flows.Voice
	files  *mediastore.Dir
	signer *mediastore.Signer
}

// newVoiceReplies builds voice replies from cfg (VOICE_REPLIES, TTS_*);
// nil when they are off. Speech goes to TTS_BASE_URL with TTS_API_KEY,
// else to the OpenAI settings (OPENAI_BASE_URL, OPENAI_API_KEY).
func newVoiceReplies(cfg config.Config) (*voiceReplies, error) {
	v := cfg.Channels.Voice
	if v.Replies == config.VoiceOff || v.Replies == "" {
		return nil, nil
	}
	files, err := mediastore.NewDir(filepath.Join(cfg.DataDir, mediaDir))
	if err != nil {
		return nil, fmt.Errorf("VOICE_REPLIES: %w", err)
	}
	key, err := mediaKey(filepath.Join(cfg.DataDir, mediaKeyFile))
	if err != nil {
		return nil, fmt.Errorf("VOICE_REPLIES: %w", err)
	}
	signer, err := mediastore.NewSigner(key, cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	base, apiKey := v.BaseURL, v.APIKey
	if base == "" {
		base = strings.TrimRight(cfg.Models.OpenAIBaseURL, "/")
	}
	if apiKey == "" {
		apiKey = cfg.Models.OpenAIKey
	}
	speaker := openai.NewSpeaker(openai.SpeechConfig{Provider: "tts", BaseURL: base, APIKey: apiKey, Model: v.Model, Voice: v.Voice})
	return &voiceReplies{
		flows: &flows.Voice{
			Always:  v.Replies == config.VoiceAlways,
			Text:    v.Text,
			Speaker: llm.SpeakerWithRetry(speaker, llm.DefaultRetryPolicy()),
			Files:   files,
			Link:    signer.URL,
		},
		files:  files,
		signer: signer,
	}, nil
}

// mediaKey reads the link-signing key at path, or makes one there.
func mediaKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var k [32]byte
		if _, err := rand.Read(k[:]); err != nil {
			return nil, err
		}
		b = []byte(hex.EncodeToString(k[:]))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return mediaKey(path) // another process made it first
		}
		if err != nil {
			return nil, fmt.Errorf("media link key: %w", err)
		}
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("media link key: %w", err)
		}
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("media link key: %w", err)
	}
	b = []byte(strings.TrimSpace(string(b)))
	if len(b) < mediastore.MinKeyLength {
		return nil, fmt.Errorf("media link key %s: %d bytes, want at least %d (delete it to make a new one)", path, len(b), mediastore.MinKeyLength)
	}
	return b, nil
}

// register serves the voice notes at GET /media/<id> for signed links.
func (v *voiceReplies) register(srv *server.Server) {
	srv.Handle("GET /media/", mediastore.Handler(v.signer, v.files))
}

// sweep removes expired voice notes now and every voiceSweepEvery until
// ctx ends.
func (v *voiceReplies) sweep(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(voiceSweepEvery)
	defer t.Stop()
	for {
		if n, err := v.files.Sweep(ctx); err != nil {
			log.Warn("removing expired voice notes failed", "err", err)
		} else if n > 0 {
			log.Info("expired voice notes removed", "files", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// voiceFiles is the privacy.ThreadFiles of the voice notes kept under a
// data directory.
type voiceFiles string

// DeleteThread implements privacy.ThreadFiles.
func (dataDir voiceFiles) DeleteThread(ctx context.Context, thread string) error {
	return eraseVoiceNotes(ctx, string(dataDir), thread)
}

// eraseVoiceNotes removes a thread's voice notes, when voice replies ever
// kept any here.
func eraseVoiceNotes(ctx context.Context, dataDir, thread string) error {
	dir := filepath.Join(dataDir, mediaDir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	files, err := mediastore.NewDir(dir)
	if err != nil {
		return err
	}
	return files.DeleteThread(ctx, thread)
}
