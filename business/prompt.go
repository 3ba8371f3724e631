package business

import (
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/prompts"
)

// PromptDays is how many days, from today, the front-desk prompt lists
// with their dates and hours.
const PromptDays = 8

// FrontDeskData builds the data of the front-desk prompt
// (prompts.Set.FrontDesk) for a customer at now: the profile, its hours
// in its own zone (the week, then the coming days with their dates and
// closures), the later closed dates within the booking horizon, the
// services, the booking rules and the approved FAQs. customerName is the
// channel's display name for the customer; tools are the tools offered on
// the thread.
func (p *Profile) FrontDeskData(now time.Time, customerName string, tools []llm.ToolDef) prompts.FrontDeskData {
	now = now.In(p.Location)
	d := prompts.FrontDeskData{
		Now: now, Location: p.Location,
		Name: p.Name, Category: p.Category, Description: p.Description, Address: p.Address,
		Phone: p.Phone, Website: p.Website, Greeting: p.Greeting,
		Languages:    p.Languages,
		MinNotice:    humanDuration(p.Booking.MinNotice),
		Horizon:      humanDuration(p.Booking.Horizon),
		CustomerName: customerName,
		Tools:        tools,
	}
	for _, wd := range mondayFirst {
		d.Week = append(d.Week, prompts.FrontDeskDay{Day: wd.String(), Hours: hoursText(p.Hours[wd])})
	}
	today := DateOf(now)
	for i := range PromptDays {
		day := today.AddDays(i)
		hours := hoursText(p.OpenOn(day))
		if p.IsClosedDate(day) {
			hours = "closed (exceptional closure)"
		}
		d.Days = append(d.Days, prompts.FrontDeskDay{
			Day: dayLabel(day), ISODate: day.String(), Hours: hours, Today: i == 0,
		})
	}
	after, last := today.AddDays(PromptDays-1), DateOf(now.Add(p.Booking.Horizon))
	for _, c := range p.Closed {
		if after.Before(c) && !last.Before(c) {
			d.Closed = append(d.Closed, dayLabel(c))
		}
	}
	for _, s := range p.ServiceList() {
		d.Services = append(d.Services, prompts.FrontDeskService{
			Name: s.Name, Duration: humanDuration(s.Duration), Capacity: s.Capacity, Price: s.Price, Description: s.Description,
		})
	}
	for _, f := range p.FAQs {
		d.FAQs = append(d.FAQs, prompts.FrontDeskFAQ{Q: f.Q, A: f.A})
	}
	return d
}

// hoursText writes a day's ranges, or "closed".
func hoursText(rs []Range) string {
	if len(rs) == 0 {
		return "closed"
	}
	return formatRanges(rs)
}

// dayLabel writes a date as "Mon 7 Dec 2026".
func dayLabel(d Date) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format("Mon 2 Jan 2006")
}
