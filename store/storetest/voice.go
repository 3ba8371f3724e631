package storetest

import (
	"context"
	"testing"

	"github.com/switchboardhq/switchboard/store"
)

// testSetVoice checks the voice of a reply: recorded by Complete, its audio
// set once before the first part is sent, and frozen after.
func testSetVoice(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230031"
	spoken := reply(thread, "k1", "hello")
	spoken.Voice = store.VoiceAndText
	ids := complete(t, s, thread, nil, spoken, reply(thread, "k2", "plain"))
	if o := outbound(t, s, ids[0]); o.Voice != store.VoiceAndText || o.Audio != "" {
		t.Fatalf("spoken reply: voice %q audio %q, want %q and none", o.Voice, o.Audio, store.VoiceAndText)
	}
	if o := outbound(t, s, ids[1]); o.Voice != "" {
		t.Fatalf("plain reply: voice %q, want none", o.Voice)
	}

	steps := []struct {
		name         string
		id           int64
		voice, audio string
		wantChanged  bool
		wantVoice    string
		wantAudio    string
	}{
		{"audio recorded", ids[0], store.VoiceAndText, "a1", true, store.VoiceAndText, "a1"},
		{"fallback to text", ids[0], "", "", true, "", ""},
		{"spoken again", ids[0], store.VoiceOnly, "a2", true, store.VoiceOnly, "a2"},
	}
	for _, st := range steps {
		changed, err := s.SetVoice(ctx, st.id, st.voice, st.audio)
		if err != nil {
			t.Fatalf("%s: SetVoice: %v", st.name, err)
		}
		o := outbound(t, s, st.id)
		if changed != st.wantChanged || o.Voice != st.wantVoice || o.Audio != st.wantAudio {
			t.Fatalf("%s: changed %v voice %q audio %q, want %v %q %q", st.name, changed, o.Voice, o.Audio,
				st.wantChanged, st.wantVoice, st.wantAudio)
		}
	}

	// Once the voice note (part 0) was sent, the reply's voice is frozen.
	if err := s.RecordPart(ctx, ids[0], 0, "SMv0", true); err != nil {
		t.Fatal(err)
	}
	if changed, err := s.SetVoice(ctx, ids[0], "", ""); err != nil || changed {
		t.Fatalf("SetVoice after a part was sent: changed %v, %v; want unchanged", changed, err)
	}
	if o := outbound(t, s, ids[0]); o.Voice != store.VoiceOnly || o.Audio != "a2" {
		t.Fatalf("after a sent part: voice %q audio %q", o.Voice, o.Audio)
	}
	if changed, err := s.SetVoice(ctx, 424242, "", ""); err != nil || changed {
		t.Fatalf("SetVoice of an unknown reply: changed %v, %v", changed, err)
	}
	if _, err := s.SetVoice(ctx, ids[1], "shout", ""); err == nil {
		t.Fatal("SetVoice with an unknown voice succeeded")
	}
	bad := reply(thread, "k3", "x")
	bad.Voice = "shout"
	if _, err := s.Complete(ctx, thread, nil, []store.Outbound{bad}); err == nil {
		t.Fatal("Complete with an unknown voice succeeded")
	}
}
