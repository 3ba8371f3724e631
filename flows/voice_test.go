package flows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks"
	"github.com/switchboardhq/switchboard/webhooks/mediastore"
)

// voiceSender sends texts and voice notes, logging both in order
// ("text:<body>", "voice:<audio>"); failures are scripted by attempt.
type voiceSender struct {
	mu    sync.Mutex
	log   []string
	links []string
	fails map[int]error // by attempt number, 1-based, texts and notes alike
	n     int
}

func (s *voiceSender) attempt(entry string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if err := s.fails[s.n]; err != nil {
		return "", err
	}
	s.log = append(s.log, entry)
	return fmt.Sprint("SM", s.n), nil
}

func (s *voiceSender) Send(ctx context.Context, to, body string) (string, error) {
	return s.attempt("text:" + body)
}

func (s *voiceSender) SendVoice(ctx context.Context, to string, note webhooks.VoiceNote) (string, error) {
	s.mu.Lock()
	s.links = append(s.links, note.URL)
	s.mu.Unlock()
	return s.attempt("voice:" + string(note.Audio))
}

func (s *voiceSender) sent() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, " / ")
}

// speaker speaks "ogg(<text>)", or fails with err; it counts its calls.
type speaker struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (s *speaker) Speak(ctx context.Context, text string) ([]byte, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return nil, "", s.err
	}
	return []byte("ogg(" + text + ")"), "audio/ogg", nil
}

type voiceEnv struct {
	*env
	vs      *voiceSender
	speaker *speaker
	files   *mediastore.Dir
}

func newVoiceEnv(t *testing.T, always, withText bool) *voiceEnv {
	files, err := mediastore.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ve := &voiceEnv{vs: &voiceSender{fails: map[int]error{}}, speaker: &speaker{}, files: files}
	ve.env = newEnv(t, func(r *flows.Runner) {
		ch := r.Channels["twilio"]
		ch.Sender, ch.MaxLength = ve.vs, 1600
		r.Channels["twilio"] = ch
		r.Voice = &flows.Voice{
			Always: always, Text: withText, Speaker: ve.speaker, Files: files,
			Link: func(id string, exp time.Time) string { return "https://bot.example/media/" + id },
		}
	})
	ve.now = time.Now() // the media store keeps files by the wall clock
	return ve
}

// TestVoiceReplies: in mirror mode a voice note is answered by a voice
// note and then the text, and a text by text; always speaks every answer;
// with the text turned off only the voice note goes.
func TestVoiceReplies(t *testing.T) {
	voice := store.Media{URL: "https://m/voice", ContentType: "audio/ogg"}
	const answer = "echo: [voice note] transcript of data:https://m/voice"
	cases := []struct {
		name             string
		always, withText bool
		body             string
		media            []store.Media
		want             string
	}{
		{"mirror voice note", false, true, "", []store.Media{voice}, "voice:ogg(" + answer + ") / text:" + answer},
		{"mirror text", false, true, "hi", nil, "text:echo: hi"},
		{"always text", true, true, "hi", nil, "voice:ogg(echo: hi) / text:echo: hi"},
		{"always, voice only", true, false, "hi", nil, "voice:ogg(echo: hi)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newVoiceEnv(t, tc.always, tc.withText)
			e.receive(tc.body, tc.media...)
			e.run()
			if got := e.vs.sent(); got != tc.want {
				t.Fatalf("sent %q\nwant %q", got, tc.want)
			}
			o, _ := e.store.Outbound(context.Background(), 1)
			if o.Status != store.StatusSent || !strings.HasPrefix(o.Body, "echo: ") {
				t.Fatalf("outbox %+v: the reply's text is kept, and it is sent", o)
			}
			if o.Voice != "" {
				if data, _, err := e.files.Open(context.Background(), o.Audio); err != nil || !strings.HasPrefix(string(data), "ogg(") {
					t.Fatalf("voice note %q not kept: %v", o.Audio, err)
				}
				if l := e.vs.links; len(l) != 1 || l[0] != "https://bot.example/media/"+o.Audio {
					t.Fatalf("links %q", l)
				}
			}
		})
	}
}

// TestVoiceReplyNothingDoubled: a send that fails after the voice note was
// made reuses it (one synthesis), and a failure after the voice note was
// sent sends only the rest.
func TestVoiceReplyNothingDoubled(t *testing.T) {
	e := newVoiceEnv(t, true, true)
	e.vs.fails[1] = errors.New("503") // the voice note, first try
	e.vs.fails[3] = errors.New("503") // the text, first try
	e.receive("hi")
	e.run()
	for range 3 {
		for _, id := range e.store.sendJobs {
			_, _ = e.runner.SendReply(context.Background(), id)
		}
	}
	if got, want := e.vs.sent(), "voice:ogg(echo: hi) / text:echo: hi"; got != want {
		t.Fatalf("sent %q, want %q", got, want)
	}
	if e.speaker.calls != 1 {
		t.Fatalf("%d syntheses, want 1: a retry reuses the stored voice note", e.speaker.calls)
	}
}

// TestVoiceReplyFallsBackToText: speech that fails, and a voice note the
// channel refuses for good, leave the text alone, even with the text
// turned off.
func TestVoiceReplyFallsBackToText(t *testing.T) {
	t.Run("speech fails", func(t *testing.T) {
		e := newVoiceEnv(t, true, false)
		e.speaker.err = &llm.APIError{StatusCode: 500, Message: "tts down"}
		e.receive("hi")
		e.run()
		if got := e.vs.sent(); got != "text:echo: hi" {
			t.Fatalf("sent %q", got)
		}
		if o, _ := e.store.Outbound(context.Background(), 1); o.Voice != "" || o.Status != store.StatusSent {
			t.Fatalf("outbox %+v, want the fallback recorded", o)
		}
	})
	t.Run("voice note refused", func(t *testing.T) {
		e := newVoiceEnv(t, true, false)
		e.vs.fails[1] = errPermanent
		e.receive("hi")
		e.run()
		if got := e.vs.sent(); got != "text:echo: hi" {
			t.Fatalf("sent %q", got)
		}
	})
	t.Run("channel without voice notes", func(t *testing.T) {
		e := newVoiceEnv(t, true, true)
		ch := e.runner.Channels["twilio"]
		ch.Sender = e.sender
		e.runner.Channels["twilio"] = ch
		e.receive("hi")
		e.run()
		if got := e.sender.sent; len(got) != 1 || got[0] != "echo: hi" || e.speaker.calls != 0 {
			t.Fatalf("sent %q, %d syntheses", got, e.speaker.calls)
		}
	})
}
