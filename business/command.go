package business

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/switchboardhq/switchboard/thread"
)

// Ref is a booking reference, written "B12".
type Ref int64

// String writes the reference as "B12".
func (r Ref) String() string { return "B" + strconv.FormatInt(int64(r), 10) }

// ParseRef reads a booking reference, with or without the B, any case:
// "B12", "b12", "12", "#B12". Trailing punctuation (a full stop typed on
// a phone) is ignored.
func ParseRef(s string) (Ref, error) {
	in := strings.TrimRight(strings.TrimSpace(s), ".,;!?")
	in = strings.TrimPrefix(in, "#")
	if len(in) > 0 && (in[0] == 'B' || in[0] == 'b') {
		in = in[1:]
	}
	n, err := strconv.ParseInt(in, 10, 64)
	if err != nil || n <= 0 || len(in) > 12 || in[0] == '+' {
		return 0, fmt.Errorf("%q is not a booking reference (want one such as B12)", s)
	}
	return Ref(n), nil
}

// Verb is an owner command's verb, as the owner types it.
type Verb string

// The owner commands.
const (
	VerbBookings Verb = "bookings" // list pending bookings
	VerbApprove  Verb = "approve"  // approve B12
	VerbDecline  Verb = "decline"  // decline B12 [reason]
	VerbComplete Verb = "complete" // complete B12
	VerbCancel   Verb = "cancel"   // cancel B12 [reason]
	VerbLeads    Verb = "leads"    // list leads
	VerbPause    Verb = "pause"    // pause +34600111222
	VerbResume   Verb = "resume"   // resume +34600111222
	VerbReply    Verb = "reply"    // reply +34600111222 text…
	VerbHelp     Verb = "help"     // the list of commands
)

// Command is an owner command, parsed. Only the fields its verb uses are
// set.
type Command struct {
	Verb Verb
	// Ref is the booking of approve, decline, complete and cancel.
	Ref Ref
	// Thread is the customer thread of pause, resume and reply, normalized
	// (thread.Normalize).
	Thread string
	// Text is the optional reason of decline and cancel, and the message
	// of reply.
	Text string
}

// MaxCommandLength bounds what ParseCommand looks at; a longer message is
// not a command.
const MaxCommandLength = 4096

// ParseCommand recognizes an owner command. The verb is case-insensitive
// and surrounding space is ignored. A reference may be written with or
// without the B. A number may be written in any spelling thread.Normalize
// accepts: for pause and resume the rest of the message is the number
// ("+34 600 111 222" works); for reply the number is the first word (no
// spaces inside: "+34600111222", "0034600111222", "+34-600-111-222") and
// the rest is the text.
//
// Anything else, including a known verb with missing or malformed
// arguments ("approve", "approve tomorrow's booking"), is not a command:
// ok is false and the message goes to the model as usual.
func ParseCommand(text string) (cmd Command, ok bool) {
	if len(text) > MaxCommandLength {
		return Command{}, false
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{}, false
	}
	verb := Verb(strings.ToLower(strings.TrimRight(fields[0], ".!?:")))
	args := fields[1:]
	rest := func(from int) string {
		// The rest of the message after the first from+1 words, with its
		// own spacing and line breaks kept. Words end where
		// strings.Fields ends them, at any Unicode space (a form feed, a
		// no-break space), so the rest is what args says it is.
		s := strings.TrimSpace(text)
		for range from + 1 {
			s = strings.TrimLeftFunc(s, unicode.IsSpace)
			i := strings.IndexFunc(s, unicode.IsSpace)
			if i < 0 {
				return ""
			}
			s = s[i:]
		}
		return strings.TrimSpace(s)
	}
	switch verb {
	case VerbBookings, VerbLeads, VerbHelp:
		if len(args) != 0 {
			return Command{}, false
		}
		return Command{Verb: verb}, true
	case VerbApprove, VerbComplete:
		if len(args) != 1 {
			return Command{}, false
		}
		ref, err := ParseRef(args[0])
		if err != nil {
			return Command{}, false
		}
		return Command{Verb: verb, Ref: ref}, true
	case VerbDecline, VerbCancel:
		if len(args) < 1 {
			return Command{}, false
		}
		ref, err := ParseRef(args[0])
		if err != nil {
			return Command{}, false
		}
		return Command{Verb: verb, Ref: ref, Text: rest(1)}, true
	case VerbPause, VerbResume:
		if len(args) < 1 {
			return Command{}, false
		}
		t, ok := customerThread(rest(0))
		if !ok {
			return Command{}, false
		}
		return Command{Verb: verb, Thread: t}, true
	case VerbReply:
		if len(args) < 2 {
			return Command{}, false
		}
		t, ok := customerThread(args[0])
		if !ok {
			return Command{}, false
		}
		return Command{Verb: verb, Thread: t, Text: rest(1)}, true
	}
	return Command{}, false
}

// customerThread normalizes a person's number or thread id; a group is not
// a customer.
func customerThread(s string) (string, bool) {
	t, err := thread.Normalize(s)
	if err != nil || strings.Contains(t, "@") {
		return "", false
	}
	return t, true
}

// CommandHelp is the reply to "help": every command with an example.
const CommandHelp = `Owner commands:
• bookings: the bookings waiting for you
• approve B12: confirm booking B12
• decline B12 [reason]: turn it down (the customer is told why)
• complete B12: mark it done
• cancel B12 [reason]: cancel an approved booking
• leads: the latest leads
• pause +34600111222: stop the assistant answering that customer
• resume +34600111222: let it answer again
• reply +34600111222 text: send that customer a message from you
• help: this list`
