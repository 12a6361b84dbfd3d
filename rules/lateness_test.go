package rules

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	t.Parallel()

	due := at("2024-03-04 11:30")
	now := at("2024-03-06 09:00")
	cases := []struct {
		name      string
		completed string // "" while open
		now       time.Time
		want      Class
	}{
		{"before", "2024-03-04 10:00", now, ClassOnTime},
		{"exactly at", "2024-03-04 11:30", now, ClassOnTime},
		{"a second late", "2024-03-04 11:30:01", now, ClassLateHours},
		{"late the same evening", "2024-03-04 23:59:59", now, ClassLateHours},
		{"next morning", "2024-03-05 00:00", now, ClassLateDays},
		// 2024-03-04 17:30 UTC is 00:30 on 5 March in Hanoi: another date.
		{"date in the zone, not UTC", "2024-03-04T17:30:00Z", now, ClassLateDays},
		{"open, not due", "", at("2024-03-04 11:30"), ClassOpen},
		{"open, past due", "", at("2024-03-04 11:30:01"), ClassOverdue},
	}
	for _, tc := range cases {
		var completed *time.Time
		if tc.completed != "" {
			c := at(tc.completed).UTC()
			completed = &c
		}
		require.Equal(t, tc.want, Classify(due.UTC(), completed, tc.now, nil), tc.name)
	}

	names := map[Class]string{ClassOnTime: "on_time", ClassLateHours: "late_hours",
		ClassLateDays: "late_days", ClassOverdue: "overdue", ClassOpen: "open"}
	for c, name := range names {
		require.Equal(t, name, c.String())
	}
}

func TestClassifyInAnotherZone(t *testing.T) {
	t.Parallel()

	// Due 23:00 UTC, done 01:00 UTC the next day: another date in UTC, the same date (06:00
	// and 08:00) in Hanoi.
	due := time.Date(2024, 3, 4, 23, 0, 0, 0, time.UTC)
	done := time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC)
	require.Equal(t, ClassLateHours, Classify(due, &done, done, nil))
	require.Equal(t, ClassLateDays, Classify(due, &done, done, time.UTC))
}
