package cli

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
)

const (
	gymGroup = "120363012345678901@g.us"
	evoKey   = "evo-instance-token-123"
)

// TestE2EGymGroupWithoutModel runs the gym flow end to end through the
// Evolution webhook with no model configured: workouts are recorded, a
// duplicate is refused, a summary is answered, and metrics count it all.
func TestE2EGymGroupWithoutModel(t *testing.T) {
	evo := evolutiontest.NewServer(t, "gym", evoKey)
	e := newE2E(t, map[string]string{
		"OPENAI_API_KEY":     "",
		"OPENAI_BASE_URL":    "",
		"OLLAMA_HOST":        "http://127.0.0.1:1",
		"EVOLUTION_URL":      evo.URL,
		"EVOLUTION_API_KEY":  evoKey,
		"EVOLUTION_INSTANCE": "gym",
		"GYM_CHATS":          gymGroup,
		"GYM_BURST_WINDOW":   "200ms",
		"ASSISTANT_TIMEZONE": "Europe/Madrid",
	})
	e.start()
	send := func(participant, name, id, text string) {
		t.Helper()
		body := evolutiontest.Body("messages.upsert", "gym", evoKey, evolutiontest.GroupText(gymGroup, participant, name, id, text))
		resp, err := http.Post("http://"+e.addr+"/webhooks/evolution", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("webhook = %d", resp.StatusCode)
		}
	}
	wait := func(n int) []evolutiontest.Message {
		t.Helper()
		got := evo.WaitMessages(n, 20*time.Second)
		if len(got) < n {
			t.Fatalf("%d replies, want %d: %+v", len(got), n, got)
		}
		return got
	}
	send("34600000001@s.whatsapp.net", "Ana", "M1", "biceps 45 min 💪")
	first := wait(1)
	send("34600000002@s.whatsapp.net", "Luis", "M2", "pecho y tríceps 50 min")
	wait(2)
	send("34600000001@s.whatsapp.net", "Ana", "M3", "biceps 45 min")
	dup := wait(3)
	send("34600000002@s.whatsapp.net", "Luis", "M4", "¿cómo vamos esta semana?")
	all := wait(4)
	for _, m := range all {
		if m.Number != gymGroup {
			t.Fatalf("reply went to %q, want the group", m.Number)
		}
	}
	if !strings.Contains(strings.ToLower(first[0].Text), "45") {
		t.Fatalf("first reply does not confirm the workout: %q", first[0].Text)
	}
	if !strings.Contains(strings.ToLower(dup[2].Text), "already") && !strings.Contains(strings.ToLower(dup[2].Text), "ya") {
		t.Fatalf("duplicate reply = %q", dup[2].Text)
	}
	summary := all[3].Text
	if !strings.Contains(summary, "Ana") || !strings.Contains(summary, "Luis") {
		t.Fatalf("summary = %q", summary)
	}
	// The same delivery again (Evolution retries): nothing new happens.
	send("34600000001@s.whatsapp.net", "Ana", "M1", "biceps 45 min 💪")
	time.Sleep(time.Second)
	if n := len(evo.Messages()); n != 4 {
		t.Fatalf("%d replies after a redelivery, want 4", n)
	}
	body := getMetrics(t, e.addr)
	for _, want := range []string{`switchboard_runs_total{flow="gym",outcome="ok"} 4`, "duplicate"} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q:\n%s", want, body)
		}
	}
	// A group not in GYM_CHATS is not answered.
	other := evolutiontest.Body("messages.upsert", "gym", evoKey, evolutiontest.GroupText("120363099999999999@g.us", "34600000003@s.whatsapp.net", "Eva", "M9", "hola"))
	resp, _ := http.Post("http://"+e.addr+"/webhooks/evolution", "application/json", bytes.NewReader(other))
	resp.Body.Close()
	time.Sleep(500 * time.Millisecond)
	if n := len(evo.Messages()); n != 4 {
		t.Fatalf("an unlisted group got a reply (%d messages)", n)
	}
}

// TestE2EGymBurstIsOneRun: three quick messages from a member become one
// run of the gym pipeline, one workout and one reply.
func TestE2EGymBurstIsOneRun(t *testing.T) {
	evo := evolutiontest.NewServer(t, "gym", evoKey)
	e := newE2E(t, map[string]string{
		"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "OLLAMA_HOST": "http://127.0.0.1:1",
		"EVOLUTION_URL": evo.URL, "EVOLUTION_API_KEY": evoKey, "EVOLUTION_INSTANCE": "gym",
		"GYM_CHATS": gymGroup, "GYM_BURST_WINDOW": "1500ms", // wide enough for a loaded CI machine to post all three
	})
	e.start()
	for i, text := range []string{"leg day", "1h 10", "💪"} {
		body := evolutiontest.Body("messages.upsert", "gym", evoKey,
			evolutiontest.GroupText(gymGroup, "34600000001@s.whatsapp.net", "Ana", fmt.Sprint("B", i), text))
		resp, err := http.Post("http://"+e.addr+"/webhooks/evolution", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	evo.WaitMessages(1, 20*time.Second)
	time.Sleep(1500 * time.Millisecond) // anything more would arrive by now
	got := evo.Messages()
	if len(got) != 1 || !strings.Contains(got[0].Text, "70") {
		t.Fatalf("replies = %+v, want one confirming 70 minutes", got)
	}
	if body := getMetrics(t, e.addr); !strings.Contains(body, `switchboard_runs_total{flow="gym",outcome="ok"} 1`) {
		t.Fatalf("want exactly one gym run:\n%s", body)
	}
}
