package webhooks_test

import (
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks"
)

func TestReceivedAt(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		stamp time.Time
		want  time.Time
	}{
		{"zero", time.Time{}, now},
		{"this second, cut to the second", now.Add(-400 * time.Millisecond).Truncate(time.Second), now},
		{"within FreshWithin", now.Add(-4 * time.Second), now},
		{"a skewed clock ahead", now.Add(time.Minute), now},
		{"delivered late", now.Add(-2 * time.Hour), now.Add(-2 * time.Hour)},
		{"beyond maxAge", now.Add(-8 * 24 * time.Hour), now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := webhooks.ReceivedAt(tt.stamp, now, 7*24*time.Hour); !got.Equal(tt.want) {
				t.Errorf("ReceivedAt(%v) = %v, want %v", tt.stamp, got, tt.want)
			}
		})
	}
}
