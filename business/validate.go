package business

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// validator turns a rawFile into a Profile, collecting every problem.
type validator struct {
	file string
	errs []error
}

func (v *validator) fail(s scalar, field string, err error) {
	if s.field != "" {
		field = s.field
	}
	v.errs = append(v.errs, &FileError{File: v.file, Line: s.line, Field: field, Err: err})
}

// text checks a free-text value's length; required values must be set.
func (v *validator) text(s scalar, field string, required bool, max int) string {
	if !s.set || s.val == "" {
		if required {
			v.fail(s, field, errors.New("required"))
		}
		return ""
	}
	if n := utf8.RuneCountInString(s.val); n > max {
		v.fail(s, field, fmt.Errorf("too long (%d characters; at most %d)", n, max))
	}
	return s.val
}

// duration parses an optional duration within [min, max]; unset gives def.
func (v *validator) duration(s scalar, field string, def, min, max time.Duration) time.Duration {
	if !s.set {
		return def
	}
	d, err := ParseDuration(s.val)
	if err != nil {
		v.fail(s, field, err)
		return def
	}
	if d < min || d > max {
		v.fail(s, field, fmt.Errorf("%s is out of range (%s to %s)", s.val, FormatDuration(min), FormatDuration(max)))
		return def
	}
	if d%time.Minute != 0 {
		v.fail(s, field, fmt.Errorf("%s is not a whole number of minutes", s.val))
	}
	return d
}

// count parses an optional whole number within [1, max]; unset gives def.
func (v *validator) count(s scalar, field string, def, max int) int {
	if !s.set {
		return def
	}
	n, err := strconv.Atoi(s.val)
	if err != nil || n < 1 || n > max {
		v.fail(s, field, fmt.Errorf("%q is not a whole number from 1 to %d", s.val, max))
		return def
	}
	return n
}

func (v *validator) profile(raw *rawFile) *Profile {
	p := &Profile{
		Name:        v.text(raw.Name, "name", true, maxShort),
		Category:    v.text(raw.Category, "category", false, maxShort),
		Description: v.text(raw.Description, "description", false, maxLong),
		Address:     v.text(raw.Address, "address", false, maxShort),
		Phone:       v.text(raw.Phone, "phone", false, maxShort),
		Website:     v.text(raw.Website, "website", false, maxShort),
		Greeting:    v.text(raw.Greeting, "greeting", false, maxShort),
	}
	p.Location = v.zone(raw.Timezone)
	for i, l := range raw.Languages {
		if lang, ok := languageTag(l.val); ok {
			p.Languages = append(p.Languages, lang)
		} else {
			v.fail(l, fmt.Sprintf("languages[%d]", i), fmt.Errorf("%q is not a language code (want one such as es, en or pt-BR)", l.val))
		}
	}
	p.Hours = v.hours(&raw.Hours)
	if len(raw.Closed) > maxClosed {
		v.fail(raw.Closed[maxClosed], "closed", fmt.Errorf("at most %d closed dates", maxClosed))
	}
	for i, c := range raw.Closed {
		d, err := ParseDate(c.val)
		if err != nil {
			v.fail(c, fmt.Sprintf("closed[%d]", i), err)
			continue
		}
		p.Closed = append(p.Closed, d)
	}
	b := raw.Booking
	p.Booking = Rules{
		MinNotice: v.duration(b.MinNotice, "booking.min_notice", DefaultMinNotice, 0, 30*Day),
		Horizon:   v.duration(b.Horizon, "booking.horizon", DefaultHorizon, time.Hour, 730*Day),
		Duration:  v.duration(b.Duration, "booking.duration", DefaultDuration, 5*time.Minute, Day),
		Capacity:  v.count(b.Capacity, "booking.capacity", DefaultCapacity, 1000),
		SlotStep:  v.duration(b.SlotStep, "booking.slot_step", DefaultSlotStep, 5*time.Minute, 4*time.Hour),
	}
	if p.Booking.Horizon <= p.Booking.MinNotice {
		v.fail(b.Horizon, "booking.horizon", fmt.Errorf("the horizon (%s) must be longer than the minimum notice (%s)", FormatDuration(p.Booking.Horizon), FormatDuration(p.Booking.MinNotice)))
	}
	v.services(raw, p)
	v.faqs(raw, p)
	return p
}

func (v *validator) zone(s scalar) *time.Location {
	name := v.text(s, "timezone", true, maxShort)
	if name == "" {
		return time.UTC
	}
	// "Local" and "" would silently mean the server's zone.
	if name == "Local" || !strings.Contains(name, "/") && name != "UTC" {
		v.fail(s, "timezone", fmt.Errorf("%q is not an IANA time zone (want one such as Europe/Madrid)", name))
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.fail(s, "timezone", fmt.Errorf("%q is not an IANA time zone (want one such as Europe/Madrid)", name))
		return time.UTC
	}
	return loc
}

func (v *validator) hours(h *rawHours) Week {
	var w Week
	open := false
	for wd := range 7 {
		field := "hours." + weekdayKeys[wd]
		day := h.days[wd]
		if len(day) > maxRangesADay {
			v.fail(day[maxRangesADay], field, fmt.Errorf("at most %d ranges a day", maxRangesADay))
			continue
		}
		var rs []Range
		var lines []scalar
		for i, s := range day {
			r, err := ParseRange(s.val)
			if err != nil {
				v.fail(s, fmt.Sprintf("%s[%d]", field, i), err)
				continue
			}
			rs, lines = append(rs, r), append(lines, scalar{line: s.line})
		}
		if i, j, ok := overlap(rs); ok {
			v.fail(lines[j], field, fmt.Errorf("ranges %s and %s overlap", rs[i], rs[j]))
			continue
		}
		rs = sortRanges(rs)
		w[wd] = rs
		open = open || len(rs) > 0
	}
	if !open && len(v.errs) == 0 {
		v.errs = append(v.errs, &FileError{File: v.file, Line: h.line, Field: "hours", Err: errors.New("the business is never open: give at least one weekday a range such as 09:00-17:00")})
	}
	return w
}

func (v *validator) services(raw *rawFile, p *Profile) {
	if len(raw.Services) > maxServices {
		v.fail(raw.Services[maxServices].Name, "services", fmt.Errorf("at most %d services", maxServices))
		return
	}
	seen := map[string]bool{}
	for i, rs := range raw.Services {
		f := fmt.Sprintf("services[%d]", i)
		rs.Name.line = cmp.Or(rs.Name.line, rs.Duration.line, rs.Capacity.line, rs.Price.line, rs.Description.line)
		s := Service{
			Name:        v.text(rs.Name, f+".name", true, maxShort),
			Duration:    v.duration(rs.Duration, f+".duration", p.Booking.Duration, 5*time.Minute, Day),
			Capacity:    v.count(rs.Capacity, f+".capacity", p.Booking.Capacity, 1000),
			Price:       v.text(rs.Price, f+".price", false, maxShort),
			Description: v.text(rs.Description, f+".description", false, maxLong),
		}
		if s.Name != "" {
			if seen[fold(s.Name)] {
				v.fail(rs.Name, f+".name", fmt.Errorf("service %q is listed twice", s.Name))
			}
			seen[fold(s.Name)] = true
		}
		p.Services = append(p.Services, s)
	}
}

func (v *validator) faqs(raw *rawFile, p *Profile) {
	if len(raw.FAQs) > maxFAQs {
		v.fail(raw.FAQs[maxFAQs].Q, "faqs", fmt.Errorf("at most %d FAQs", maxFAQs))
		return
	}
	for i, rf := range raw.FAQs {
		f := fmt.Sprintf("faqs[%d]", i)
		// A missing value has no line of its own: point at its entry.
		rf.Q.line = cmp.Or(rf.Q.line, rf.A.line)
		rf.A.line = cmp.Or(rf.A.line, rf.Q.line)
		p.FAQs = append(p.FAQs, FAQ{
			Q: v.text(rf.Q, f+".q", true, maxShort),
			A: v.text(rf.A, f+".a", true, maxLong),
		})
	}
}

// languageTag checks a BCP 47-like tag ("es", "en", "pt-BR") and returns it
// with a lower-case language and an upper-case region.
func languageTag(s string) (string, bool) {
	lang, region, hasRegion := strings.Cut(strings.TrimSpace(s), "-")
	if len(lang) < 2 || len(lang) > 3 || !isLetters(lang) {
		return "", false
	}
	out := strings.ToLower(lang)
	if hasRegion {
		if len(region) < 2 || len(region) > 4 || !isAlnum(region) {
			return "", false
		}
		out += "-" + strings.ToUpper(region)
	}
	return out, true
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
