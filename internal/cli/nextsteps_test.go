package cli

import (
	"strings"
	"testing"
)

func TestNextSteps(t *testing.T) {
	const curl = "curl -s http://localhost:8080/webhooks/twilio -d From=whatsapp:+15551234567"
	tests := []struct {
		name    string
		in      startInfo
		want    []string
		notWant []string
	}{
		{"fresh clone", startInfo{addr: "[::]:8080"}, []string{
			"Switchboard is running at http://localhost:8080.",
			"set CONSOLE_PASSWORD (in .env) and restart, then open http://localhost:8080/console/lab",
			"go run ./cmd/assistant chat",
			"restart with TWILIO_SKIP_SIGNATURE=true", curl, "dev outbox); LOG_MESSAGE_CONTENT=true shows its text",
			"A language model: set OPENAI_API_KEY", "A WhatsApp channel: set TWILIO_ACCOUNT_SID", ".env.example"}, nil},
		{"console, model, local webhook", startInfo{addr: "127.0.0.1:9000", consoleOn: true, modelOn: true, skipSignature: true, logContent: true}, []string{
			"http://localhost:9000/console/lab (sign in as", "(TWILIO_SKIP_SIGNATURE=true is on)", "localhost:9000/webhooks/twilio", "dev outbox)."},
			[]string{"set CONSOLE_PASSWORD", "A language model", "restart with", "LOG_MESSAGE_CONTENT"}},
		{"production", startInfo{addr: "10.0.0.5:8080", consoleOn: true, modelOn: true, twilioOn: true}, []string{"http://10.0.0.5:8080/console/lab"},
			[]string{"curl", "A language model", "A WhatsApp channel"}},
		{"another channel", startInfo{addr: ":8080", modelOn: true, channels: []string{"meta"}}, []string{"http://localhost:8080"},
			[]string{"A WhatsApp channel"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := nextSteps(tc.in)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("has %q:\n%s", w, got)
				}
			}
		})
	}
}
