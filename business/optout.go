package business

import "strings"

// Opt is what a customer's message says about proactive messages.
type Opt int

// The values of Opt.
const (
	OptNone Opt = iota // an ordinary message
	OptOut             // STOP, UNSUBSCRIBE, BAJA or PARAR: no more notifications or reminders
	OptIn              // START or ALTA: notifications and reminders again
)

// ParseOpt recognizes the opt-out and opt-in words: the whole message,
// trimmed, must be exactly one of them, in any case. "stop" is an opt-out;
// "please stop calling" is an ordinary message.
func ParseOpt(text string) Opt {
	switch strings.ToUpper(strings.TrimSpace(text)) {
	case "STOP", "UNSUBSCRIBE", "BAJA", "PARAR":
		return OptOut
	case "START", "ALTA":
		return OptIn
	}
	return OptNone
}
