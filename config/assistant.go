package config

import "strings"

// Assistant is who the assistant is and whom it serves. The business
// front desk (BUSINESS_FILE, BOOKING_REMINDER, HANDOFF_TIMEOUT, ...) adds
// its settings here or in a file of its own.
type Assistant struct {
	// Name is how the assistant calls itself (ASSISTANT_NAME); empty lets
	// the prompt choose.
	Name string
	// Business is the business it answers for (BUSINESS_NAME); empty
	// means a personal assistant.
	Business string
	// Owners are the owners' thread ids (ASSISTANT_OWNERS).
	Owners []string
}

// Gym configures the gym groups' pipeline.
type Gym struct {
	// Tone is the replies' tone (GYM_TONE): GymToneSarcastic or
	// GymToneFriendly.
	Tone string
	// Enrolment is who counts as a member (GYM_ENROLMENT): GymEnrolOpen or
	// GymEnrolListed.
	Enrolment string
}

// The values GYM_TONE and GYM_ENROLMENT accept (flows/gymflow's tones and
// enrolments).
const (
	GymToneSarcastic = "sarcastic"
	GymToneFriendly  = "friendly"
	GymEnrolOpen     = "open"
	GymEnrolListed   = "listed"
)

func (p *parser) assistant() Assistant {
	return Assistant{
		Name:     p.raw("ASSISTANT_NAME"),
		Business: p.raw("BUSINESS_NAME"),
		Owners:   p.threads("ASSISTANT_OWNERS"),
	}
}

func (p *parser) gym() Gym {
	return Gym{
		Tone:      p.oneOf("GYM_TONE", GymToneSarcastic, GymToneSarcastic, GymToneFriendly),
		Enrolment: p.oneOf("GYM_ENROLMENT", GymEnrolOpen, GymEnrolOpen, GymEnrolListed),
	}
}

// threads reads a comma-separated list of thread ids
// (whatsapp:+15551234567).
func (p *parser) threads(name string) []string {
	var out []string
	for _, v := range p.list(name) {
		if strings.ContainsAny(v, " \t") || !strings.Contains(v, ":") {
			p.fail(name, v, "want thread ids such as whatsapp:+15551234567")
			continue
		}
		out = append(out, v)
	}
	return out
}
