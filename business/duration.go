package business

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours, the unit "d" of [ParseDuration].
const Day = 24 * time.Hour

// ParseDuration parses a duration as Go writes them ("90m", "1h30m", "2h")
// with one addition: a leading whole number of days with the unit "d"
// ("60d", "1d12h"). A day is 24 hours. Negative durations are refused.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty duration (want something like 90m, 2h or 60d)")
	}
	var days time.Duration
	if i := strings.IndexByte(in, 'd'); i >= 0 {
		n, err := strconv.Atoi(in[:i])
		if err != nil || n < 0 || n > 3660 {
			return 0, fmt.Errorf("%q is not a duration (want something like 90m, 2h or 60d)", s)
		}
		days = time.Duration(n) * Day
		in = in[i+1:]
		if in == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(in)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (want something like 90m, 2h or 60d)", s)
	}
	return days + d, nil
}

// FormatDuration writes d the way people read it: "60d", "1d12h", "2h",
// "1h30m", "45m". It is the inverse of [ParseDuration] for whole minutes.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0m"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	if days := d / Day; days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * Day
	}
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		d -= m * time.Minute
	}
	if d > 0 {
		b.WriteString(d.String())
	}
	return b.String()
}
