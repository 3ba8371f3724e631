package prompts

import (
	"strings"
	"time"
	"unicode"

	"github.com/switchboardhq/switchboard/llm"
)

// FrontDeskData is what the front-desk prompt (frontdesk.tmpl), the system
// prompt of a business's customer threads, is rendered from. The business
// package builds it from a profile (business.FrontDeskData); every field
// but CustomerName is the owner's, approved text.
type FrontDeskData struct {
	// Now is the current time; zero means the Set's clock.
	Now time.Time
	// Location is the business's time zone, which the clock fields and
	// all hours are in; nil means the Set's zone.
	Location *time.Location

	Name, Category, Description, Address, Phone, Website, Greeting string
	// Languages are the business's languages, preferred first.
	Languages []string
	// Week is the regular opening hours, Monday first.
	Week []FrontDeskDay
	// Days are the coming days from today, with their dates and the
	// hours that apply (closed dates included).
	Days []FrontDeskDay
	// Closed lists the later closed dates ("Fri 25 Dec 2026").
	Closed []string
	// MinNotice and Horizon are the booking rules, for people ("2 hours",
	// "60 days").
	MinNotice, Horizon string
	Services           []FrontDeskService
	FAQs               []FrontDeskFAQ
	// CustomerName is the name the channel reports for the customer. It is
	// chosen by the customer, so the template shows it quoted, as data;
	// FrontDesk strips control characters and bounds its length.
	CustomerName string
	// Tools are the tools offered on the thread; the prompt mentions only
	// these.
	Tools []llm.ToolDef
}

// FrontDeskDay is one day's opening hours.
type FrontDeskDay struct {
	// Day is "Monday" in Week, "Mon 7 Dec 2026" in Days.
	Day string
	// ISODate is the date in Days ("2026-12-07"); empty in Week.
	ISODate string
	// Hours is "07:00-15:00, 17:00-22:00", or "closed".
	Hours string
	// Today marks today in Days.
	Today bool
}

// FrontDeskService is a bookable service.
type FrontDeskService struct {
	Name        string
	Duration    string // "60 minutes"
	Capacity    int
	Price       string // empty: no price may be stated
	Description string
}

// FrontDeskFAQ is an approved question and answer.
type FrontDeskFAQ struct {
	Q, A string
}

// frontDeskView is what frontdesk.tmpl receives.
type frontDeskView struct {
	FrontDeskData
	clock
	// Has tells which tools are offered, by name.
	Has map[string]bool
}

// maxCustomerName bounds the customer's name in the prompt.
const maxCustomerName = 60

// FrontDesk renders the front-desk prompt.
func (s *Set) FrontDesk(data FrontDeskData) (string, error) {
	loc := data.Location
	if loc == nil {
		loc = s.loc
	}
	var c clock
	data.Now, c = clockIn(cmpTime(data.Now, s.now), loc)
	data.CustomerName = cleanName(data.CustomerName)
	v := frontDeskView{FrontDeskData: data, clock: c, Has: make(map[string]bool)}
	for _, t := range data.Tools {
		v.Has[t.Name] = true
	}
	return s.render(FrontDeskTemplate, v)
}

// cmpTime returns t, or now() when t is zero.
func cmpTime(t time.Time, now func() time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t
}

// cleanName keeps a display name on one line, without control or format
// characters (which could hide text), and at most maxCustomerName runes.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			r = ' '
		}
		if n == maxCustomerName {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
