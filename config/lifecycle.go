package config

import (
	"strconv"
	"strings"
	"time"
)

// Lifecycle is how long data is kept and how the stored history is
// trimmed: the periodic maintenance jobs' settings.
type Lifecycle struct {
	// Retention deletes messages, replies, checkpoints and the rest older
	// than this (RETENTION, such as 90d); 0 keeps everything.
	Retention time.Duration
	// CheckpointRecentTurns keeps every checkpoint of a thread's last N
	// turns and one per turn before them (CHECKPOINT_RECENT_TURNS); 0
	// keeps every checkpoint.
	CheckpointRecentTurns int
	// MaintenanceInterval is how often the retention and pruning jobs run
	// (MAINTENANCE_INTERVAL).
	MaintenanceInterval time.Duration
}

// minRetention is the shortest RETENTION accepted: anything shorter would
// delete conversations while they happen.
const minRetention = 24 * time.Hour

func (p *parser) lifecycle() Lifecycle {
	l := Lifecycle{
		Retention:             p.retention("RETENTION"),
		CheckpointRecentTurns: p.intRange("CHECKPOINT_RECENT_TURNS", 20, 0, 100000),
		MaintenanceInterval:   p.duration("MAINTENANCE_INTERVAL", time.Hour),
	}
	if v := p.raw("MAINTENANCE_INTERVAL"); v != "" && l.MaintenanceInterval < time.Minute {
		p.fail("MAINTENANCE_INTERVAL", v, "want a duration of at least 1m, such as 1h")
		l.MaintenanceInterval = time.Hour
	}
	return l
}

// retention reads a retention period: off (or unset, or 0), or a whole
// number of days ("90d") or a Go duration ("2160h") of at least a day.
func (p *parser) retention(name string) time.Duration {
	v := p.raw(name)
	switch strings.ToLower(v) {
	case "", "off", "0":
		return 0
	}
	const want = "want off, or a period of at least a day such as 90d or 2160h"
	var d time.Duration
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > 36600 {
			p.fail(name, v, want)
			return 0
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			p.fail(name, v, want)
			return 0
		}
	}
	if d < minRetention {
		p.fail(name, v, want)
		return 0
	}
	return d
}
