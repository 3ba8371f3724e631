package cli

import (
	"fmt"
	"net"
	"strings"

	"github.com/switchboardhq/switchboard/console"
)

// startInfo is what the next steps printed at start-up depend on.
type startInfo struct {
	// addr is the address the server listens on (ln.Addr()).
	addr string
	// consoleOn, modelOn: the console and a language model are configured.
	consoleOn, modelOn bool
	// twilioOn: Twilio credentials are set; skipSignature: unsigned Twilio
	// webhooks are accepted (TWILIO_SKIP_SIGNATURE).
	twilioOn, skipSignature bool
	// channels are the other channels that are on ("meta", "evolution",
	// "json").
	channels []string
	// logContent: LOG_MESSAGE_CONTENT is on, so the dev outbox shows the
	// replies' text.
	logContent bool
}

// localURL is how a browser or curl on this machine reaches addr.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && (ip.IsUnspecified() || ip.IsLoopback())) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// nextSteps is what a person who just started the assistant can do next:
// talk to it (the console's lab, a simulated WhatsApp message, the
// terminal), and what to set for a model and a channel. It is printed once
// the server listens, when a person reads the log.
func nextSteps(s startInfo) string {
	base := localURL(s.addr)
	var b strings.Builder
	fmt.Fprintf(&b, "\nSwitchboard is running at %s. Next steps:\n\n", base)
	if s.consoleOn {
		fmt.Fprintf(&b, "  Talk to it in the browser: %s%s/lab (sign in as %q with CONSOLE_PASSWORD)\n", base, console.Prefix, console.OwnerAccount)
	} else {
		b.WriteString("  Talk to it in the browser: set CONSOLE_PASSWORD (in .env) and restart, then open " + base + console.Prefix + "/lab\n")
	}
	b.WriteString("  Talk to it in a terminal:  go run ./cmd/assistant chat\n")
	const curl = "curl -s %s/webhooks/twilio -d From=whatsapp:+15551234567 -d To=whatsapp:+14155238886 -d MessageSid=SMlocal$(date +%%s) --data-urlencode Body='Hello!'\n"
	switch {
	case s.skipSignature:
		b.WriteString("  Simulate a WhatsApp message (TWILIO_SKIP_SIGNATURE=true is on):\n    ")
		fmt.Fprintf(&b, curl, base)
		if !s.twilioOn {
			b.WriteString(devOutboxNote(s.logContent))
		}
	case !s.twilioOn:
		b.WriteString("  Simulate a WhatsApp message: restart with TWILIO_SKIP_SIGNATURE=true (local tests only), then\n    ")
		fmt.Fprintf(&b, curl, base)
		b.WriteString(devOutboxNote(s.logContent))
	}
	if !s.modelOn {
		b.WriteString("  A language model: set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_API_KEY, or OPENAI_BASE_URL for a local\n" +
			"    OpenAI-compatible server (Ollama: http://localhost:11434/v1). Until then users get a short apology.\n")
	}
	if !s.twilioOn && len(s.channels) == 0 {
		b.WriteString("  A WhatsApp channel: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM and PUBLIC_URL\n" +
			"    (or META_* for the Cloud API, EVOLUTION_* for groups, WEBHOOK_TOKEN for the JSON webhook).\n")
	}
	b.WriteString("  Every setting, with comments: .env.example. Health: " + base + "/healthz\n")
	return b.String()
}

func devOutboxNote(logContent bool) string {
	if logContent {
		return "    The reply is written to this log (dev outbox).\n"
	}
	return "    The reply is written to this log (dev outbox); LOG_MESSAGE_CONTENT=true shows its text.\n"
}

// toolAttrs are the start-up line's counts of the tools really offered: to
// every personal thread (the local calendar is each sender's own), to the
// owners when the calendar is theirs only, and to customers at a front
// desk.
func (a *app) toolAttrs() []any {
	everyone := a.tools
	// No owner is named by an empty thread id's neighbour, so a calendar
	// allowed to it is allowed to every sender.
	if a.calendar.Allowed("\x00") {
		everyone = a.withCalendar
	}
	defs := everyone.Defs()
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	attrs := []any{"tools", len(defs), "tool_names", strings.Join(names, ",")}
	if everyone != a.withCalendar && len(a.owners) > 0 {
		attrs = append(attrs, "owner_tools", a.withCalendar.Len())
	}
	if a.front != nil {
		attrs = append(attrs, "customer_tools", len(a.customerToolbox().Defs()))
	}
	return attrs
}
