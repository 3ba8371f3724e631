package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/llm/openai"
)

func TestSpeak(t *testing.T) {
	cases := []struct {
		name               string
		cfg                openai.SpeechConfig
		wantModel, wantVoc string
	}{
		{"defaults", openai.SpeechConfig{}, "gpt-4o-mini-tts", "alloy"},
		{"configured", openai.SpeechConfig{Model: "tts-1", Voice: "nova", APIKey: "sk-tts"}, "tts-1", "nova"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := llmtest.NewOpenAI(t)
			s.Push(llmtest.Reply{})
			c.cfg.BaseURL = s.BaseURL()
			audio, ct, err := openai.NewSpeaker(c.cfg).Speak(context.Background(), "  Your booking is confirmed. ")
			if err != nil {
				t.Fatal(err)
			}
			if ct != "audio/ogg" || string(audio) != string(llmtest.SpeechAudio) {
				t.Fatalf("got %q, %d bytes", ct, len(audio))
			}
			r := s.Last()
			var body struct{ Model, Voice, Input, Response_format string }
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			if r.Path != "/v1/audio/speech" || body.Model != c.wantModel || body.Voice != c.wantVoc ||
				body.Input != "Your booking is confirmed." || body.Response_format != "opus" {
				t.Fatalf("request %s %+v", r.Path, body)
			}
			if c.cfg.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+c.cfg.APIKey {
				t.Fatalf("authorization %q", r.Header.Get("Authorization"))
			}
		})
	}
}

func TestSpeakRefuses(t *testing.T) {
	s := llmtest.NewOpenAI(t)
	sp := openai.NewSpeaker(openai.SpeechConfig{BaseURL: s.BaseURL()})
	ctx := context.Background()
	if _, _, err := sp.Speak(ctx, strings.Repeat("a", llm.MaxSpeechInput+1)); !errors.Is(err, llm.ErrSpeechTooLong) {
		t.Errorf("long text: err %v", err)
	}
	if _, _, err := sp.Speak(ctx, " "); err == nil {
		t.Error("blank text: want an error")
	}
	s.Push(llmtest.Reply{Audio: []byte("ID3 an mp3")})
	if _, _, err := sp.Speak(ctx, "hi"); err == nil || !strings.Contains(err.Error(), "not OGG/Opus") {
		t.Errorf("mp3 answer: err %v", err)
	}
	s.Push(llmtest.Reply{Status: http.StatusUnauthorized})
	var ae *llm.APIError
	if _, _, err := sp.Speak(ctx, "hi"); !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Errorf("401: err %v", err)
	}
}

func TestSpeakRetry(t *testing.T) {
	s := llmtest.NewOpenAI(t)
	s.Push(llmtest.Reply{Status: http.StatusServiceUnavailable}, llmtest.Reply{})
	p := llm.RetryPolicy{MaxAttempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}
	audio, _, err := llm.SpeakerWithRetry(openai.NewSpeaker(openai.SpeechConfig{BaseURL: s.BaseURL()}), p).Speak(context.Background(), "hi")
	if err != nil || len(audio) == 0 || len(s.Requests()) != 2 {
		t.Fatalf("got %d bytes after %d requests: %v", len(audio), len(s.Requests()), err)
	}
}
