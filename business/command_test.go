package business_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/business"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		want business.Command
	}{
		{"bookings", business.Command{Verb: business.VerbBookings}},
		{"  BOOKINGS ", business.Command{Verb: business.VerbBookings}},
		{"Leads", business.Command{Verb: business.VerbLeads}},
		{"help", business.Command{Verb: business.VerbHelp}},
		{"Help?", business.Command{Verb: business.VerbHelp}},
		{"approve B12", business.Command{Verb: business.VerbApprove, Ref: 12}},
		{"Approve b12", business.Command{Verb: business.VerbApprove, Ref: 12}},
		{"APPROVE 12", business.Command{Verb: business.VerbApprove, Ref: 12}},
		{"approve B12.", business.Command{Verb: business.VerbApprove, Ref: 12}},
		{"approve #B7", business.Command{Verb: business.VerbApprove, Ref: 7}},
		{"complete B3", business.Command{Verb: business.VerbComplete, Ref: 3}},
		{"decline B12", business.Command{Verb: business.VerbDecline, Ref: 12}},
		{"decline 12 we are fully booked that week", business.Command{Verb: business.VerbDecline, Ref: 12, Text: "we are fully booked that week"}},
		{"Cancel B4  trainer is ill\nsorry!", business.Command{Verb: business.VerbCancel, Ref: 4, Text: "trainer is ill\nsorry!"}},
		{"pause +34600111222", business.Command{Verb: business.VerbPause, Thread: "whatsapp:+34600111222"}},
		{"pause +34 600 111 222", business.Command{Verb: business.VerbPause, Thread: "whatsapp:+34600111222"}},
		{"Resume 0034600111222", business.Command{Verb: business.VerbResume, Thread: "whatsapp:+34600111222"}},
		{"resume whatsapp:+34600111222", business.Command{Verb: business.VerbResume, Thread: "whatsapp:+34600111222"}},
		{"reply +34600111222 See you at 10!", business.Command{Verb: business.VerbReply, Thread: "whatsapp:+34600111222", Text: "See you at 10!"}},
		{"reply +34-600-111-222 Hola,\nte esperamos.", business.Command{Verb: business.VerbReply, Thread: "whatsapp:+34600111222", Text: "Hola,\nte esperamos."}},
		{"reply +34600111222\fSee you at 10!", business.Command{Verb: business.VerbReply, Thread: "whatsapp:+34600111222", Text: "See you at 10!"}},
		{"decline B12\u00a0fully booked", business.Command{Verb: business.VerbDecline, Ref: 12, Text: "fully booked"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := business.ParseCommand(tc.in)
			if !ok {
				t.Fatalf("ParseCommand(%q): not a command", tc.in)
			}
			if got != tc.want {
				t.Errorf("ParseCommand(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseCommandNotCommands(t *testing.T) {
	for _, in := range []string{
		"", "   ", "hello", "what bookings do I have tomorrow?", "bookings for tomorrow",
		"approve", "approve B", "approve Bx", "approve B0", "approve B-3", "approve +34600111222",
		"approve B12 and B13", "approve the booking", "approveB12", "complete",
		"decline", "cancel my dentist appointment", "cancel", "pause", "pause the music",
		"pause 120363012345678901@g.us", "resume work", "reply", "reply +34600111222",
		"reply hello there", "help me with my taxes", "leads please", "I approve B12",
	} {
		if got, ok := business.ParseCommand(in); ok {
			t.Errorf("ParseCommand(%q) = %+v, want not a command", in, got)
		}
	}
}

func TestRef(t *testing.T) {
	for in, want := range map[string]business.Ref{"B12": 12, "b1": 1, "7": 7, " B42 ": 42} {
		got, err := business.ParseRef(in)
		if err != nil || got != want {
			t.Errorf("ParseRef(%q) = %v, %v", in, got, err)
		}
	}
	if business.Ref(12).String() != "B12" {
		t.Errorf("String = %s", business.Ref(12))
	}
	for _, in := range []string{"", "B", "x12", "B1.5", "B9999999999999", "+12"} {
		if _, err := business.ParseRef(in); err == nil {
			t.Errorf("ParseRef(%q) succeeded", in)
		}
	}
}

func TestParseOpt(t *testing.T) {
	tests := map[string]business.Opt{
		"STOP": business.OptOut, "stop": business.OptOut, " Stop\n": business.OptOut, "UNSUBSCRIBE": business.OptOut,
		"baja": business.OptOut, "Parar": business.OptOut,
		"START": business.OptIn, "start": business.OptIn, " Alta ": business.OptIn,
		"stop it": business.OptNone, "please stop": business.OptNone, "STOP.": business.OptNone, "start now": business.OptNone,
		"": business.OptNone, "hola": business.OptNone, "dar de baja": business.OptNone, "alto": business.OptNone,
	}
	for in, want := range tests {
		if got := business.ParseOpt(in); got != want {
			t.Errorf("ParseOpt(%q) = %v, want %v", in, got, want)
		}
	}
}
