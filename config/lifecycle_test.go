package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/config"
)

func TestLifecycle(t *testing.T) {
	tests := []struct {
		env       map[string]string
		retention time.Duration
		turns     int
		every     time.Duration
	}{
		{nil, 0, 20, time.Hour},
		{map[string]string{"RETENTION": "off"}, 0, 20, time.Hour},
		{map[string]string{"RETENTION": "0"}, 0, 20, time.Hour},
		{map[string]string{"RETENTION": "90d"}, 90 * 24 * time.Hour, 20, time.Hour},
		{map[string]string{"RETENTION": "36h", "CHECKPOINT_RECENT_TURNS": "0"}, 36 * time.Hour, 0, time.Hour},
		{map[string]string{"CHECKPOINT_RECENT_TURNS": "5", "MAINTENANCE_INTERVAL": "10m"}, 0, 5, 10 * time.Minute},
	}
	for _, tc := range tests {
		c, err := config.Load(env(tc.env))
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		l := c.Lifecycle
		if l.Retention != tc.retention || l.CheckpointRecentTurns != tc.turns || l.MaintenanceInterval != tc.every {
			t.Errorf("%v: lifecycle = %+v", tc.env, l)
		}
	}
}

func TestLifecycleInvalidNamesTheVariable(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"RETENTION", "90", "at least a day"},
		{"RETENTION", "12h", "at least a day"},
		{"RETENTION", "-3d", "at least a day"},
		{"RETENTION", "forever", "at least a day"},
		{"CHECKPOINT_RECENT_TURNS", "-1", "from 0 to 100000"},
		{"CHECKPOINT_RECENT_TURNS", "all", "from 0 to 100000"},
		{"MAINTENANCE_INTERVAL", "0", "at least 1m"},
		{"MAINTENANCE_INTERVAL", "hourly", "duration"},
	}
	for _, tc := range tests {
		_, err := config.Load(env(map[string]string{tc.name: tc.value}))
		if err == nil || !strings.Contains(err.Error(), tc.name+"=") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: err = %v, want it to name the variable and say %q", tc.name, tc.value, err, tc.want)
		}
	}
}
