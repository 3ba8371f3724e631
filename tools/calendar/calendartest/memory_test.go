package calendartest_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/calendartest"
)

func TestMemoryConformance(t *testing.T) {
	calendartest.Run(t, calendartest.Harness{
		New:       func(*testing.T) calendar.Backend { return calendartest.NewMemory() },
		PerThread: true,
	})
}

func TestSharedConformance(t *testing.T) {
	// The memory backend keeps threads apart, but the suite's shared-mode
	// checks only use the owner's thread, so it stands in for a shared one.
	calendartest.Run(t, calendartest.Harness{
		New: func(*testing.T) calendar.Backend { return calendartest.NewMemory() },
	})
}
