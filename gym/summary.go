package gym

import (
	"slices"
	"strings"
)

// Period is the span a summary covers.
type Period string

// The summary periods. Weeks run Monday to Sunday (ISO 8601).
const (
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// Range returns the first and last day (both inclusive) of the period that
// contains today: Monday to Sunday for a week, the 1st to the last day for
// a month. Any other Period is treated as a week.
func (p Period) Range(today Date) (from, to Date) {
	if p == PeriodMonth {
		from = Date{today.Year, today.Month, 1}
		return from, NewDate(today.Year, today.Month+1, 0)
	}
	back := (int(today.Weekday()) + 6) % 7 // days since Monday
	from = today.AddDays(-back)
	return from, from.AddDays(6)
}

// MemberStats is one member's line of a summary.
type MemberStats struct {
	Member string `json:"member"`
	// Rank is the 1-based leaderboard position; members tied on sessions
	// and minutes share a rank ("1, 2, 2, 4").
	Rank       int     `json:"rank"`
	Sessions   int     `json:"sessions"`
	Minutes    int     `json:"minutes"`
	DistanceKm float64 `json:"distance_km"`
	Calories   int     `json:"calories"`
	// ActiveDays is the number of distinct days with a workout in the
	// period.
	ActiveDays int `json:"active_days"`
	// Streak is the current streak in days as of Summary.Today (see
	// Streak), computed over every workout given, not just the period's.
	Streak int `json:"streak"`
}

// Summary is the week's or month's leaderboard of a group.
type Summary struct {
	Period Period `json:"period"`
	// From and To bound the period, both inclusive; Today is the day the
	// summary was computed for.
	From  Date `json:"from"`
	To    Date `json:"to"`
	Today Date `json:"today"`
	// Members is the leaderboard: most sessions first, then most minutes,
	// then member id.
	Members       []MemberStats `json:"members"`
	TotalSessions int           `json:"total_sessions"`
	TotalMinutes  int           `json:"total_minutes"`
}

// Summarize computes the summary of period p containing today from
// workouts (any order; workouts outside the period only feed streaks, and
// workouts after today are ignored). Every member of members appears, with
// zeros if they did nothing; members who logged but are not listed appear
// too. It is the reference the SQL summary queries are checked against.
func Summarize(workouts []Workout, p Period, today Date, members []string) Summary {
	from, to := p.Range(today)
	s := Summary{Period: p, From: from, To: to, Today: today}
	if p != PeriodMonth {
		s.Period = PeriodWeek
	}
	stats := map[string]*MemberStats{}
	days := map[string][]Date{}   // every day, for streaks
	active := map[string][]Date{} // days in the period
	get := func(m string) *MemberStats {
		if st, ok := stats[m]; ok {
			return st
		}
		st := &MemberStats{Member: m}
		stats[m] = st
		return st
	}
	for _, m := range members {
		get(m)
	}
	for _, w := range workouts {
		if w.Date.After(today) {
			continue
		}
		days[w.Member] = append(days[w.Member], w.Date)
		if w.Date.Before(from) || w.Date.After(to) {
			continue
		}
		st := get(w.Member)
		st.Sessions++
		st.Minutes += w.Minutes
		st.DistanceKm += w.DistanceKm
		st.Calories += w.Calories
		if !slices.Contains(active[w.Member], w.Date) {
			active[w.Member] = append(active[w.Member], w.Date)
		}
		s.TotalSessions++
		s.TotalMinutes += w.Minutes
	}
	for m, st := range stats {
		st.ActiveDays = len(active[m])
		st.Streak = Streak(days[m], today)
		st.DistanceKm = roundKm(st.DistanceKm)
		s.Members = append(s.Members, *st)
	}
	slices.SortFunc(s.Members, func(a, b MemberStats) int {
		switch {
		case a.Sessions != b.Sessions:
			return b.Sessions - a.Sessions
		case a.Minutes != b.Minutes:
			return b.Minutes - a.Minutes
		}
		return strings.Compare(a.Member, b.Member)
	})
	for i := range s.Members {
		if i > 0 && s.Members[i].Sessions == s.Members[i-1].Sessions && s.Members[i].Minutes == s.Members[i-1].Minutes {
			s.Members[i].Rank = s.Members[i-1].Rank
		} else {
			s.Members[i].Rank = i + 1
		}
	}
	return s
}

func roundKm(v float64) float64 {
	return float64(int64(v*100+0.5)) / 100
}

// Streak returns the current streak: the number of consecutive days with
// at least one workout ending today, or ending yesterday when today has
// none yet (a streak stays alive until the day is over). Duplicate dates
// count once and dates after today are ignored; order does not matter.
func Streak(dates []Date, today Date) int {
	set := make(map[Date]bool, len(dates))
	for _, d := range dates {
		if !d.After(today) {
			set[d] = true
		}
	}
	day := today
	if !set[day] {
		day = day.AddDays(-1)
	}
	n := 0
	for set[day] {
		n++
		day = day.AddDays(-1)
	}
	return n
}
