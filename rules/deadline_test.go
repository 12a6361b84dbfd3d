package rules

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// dueCase is one deadline worked out by hand. Times are local wall-clock in Asia/Ho_Chi_Minh
// unless they carry a zone; cutoff is "" for none.
type dueCase struct {
	received string
	dur      string
	policy   Policy
	cutoff   string
	want     string
}

const wallLayout = "2006-01-02 15:04:05"

// at reads a wall-clock time in Asia/Ho_Chi_Minh, or an RFC 3339 instant.
func at(s string) time.Time {
	t, err := ParseReceived(s, nil)
	if err != nil {
		panic(err)
	}
	return t
}

func checkDue(t *testing.T, cal *Calendar, cases []dueCase) {
	t.Helper()
	for _, tc := range cases {
		d, err := ParseDuration(tc.dur)
		require.NoError(t, err)
		cutoff := NoCutoff
		if tc.cutoff != "" {
			cutoff, err = ParseClock(tc.cutoff)
			require.NoError(t, err)
		}

		got, err := cal.Deadline(at(tc.received), d, tc.policy, cutoff)
		require.NoError(t, err, "%+v", tc)
		require.Equal(t, tc.want, got.Format(wallLayout), "%+v", tc)
		require.Equal(t, cal.Zone(), got.Location())
	}
}

var (
	legacy      = LegacyPolicy
	appointment = AppointmentPolicy2021
	processing  = DeadlinePolicy2021
)

func TestDeadlineFieldCases(t *testing.T) {
	t.Parallel()

	checkDue(t, officialCalendar(), []dueCase{
		// Case 4, lunch break: Monday 2024-03-04.
		{"2024-03-04 11:00", "4h", legacy, "", "2024-03-04 16:30:00"},
		{"2024-03-04 12:15", "1h", legacy, "", "2024-03-04 14:00:00"},
		{"2024-03-04 16:00", "4h", legacy, "", "2024-03-05 10:30:00"},
		// Case 5, receipt on a day off: the clock starts Monday 07:30 and 8 h end exactly at
		// 17:00, which stays; after closing on Monday, the clock starts Tuesday.
		{"2024-03-09 10:00", "8h", legacy, "", "2024-03-11 17:00:00"},
		{"2024-03-11 17:30", "1h", legacy, "", "2024-03-12 08:30:00"},
		// Cases 1 and 2 as the engine sees them: instants given in UTC.
		{"2024-03-04T01:00:00Z", "4h", legacy, "", "2024-03-04 13:30:00"},
		{"2024-03-04T09:30:00Z", "2h", legacy, "", "2024-03-05 09:00:00"},
		// The example of `fixer due`: Monday 10:15:42 + 1 day of 8 hours.
		{"2021-03-08T03:15:42Z", "1d", legacy, "", "2021-03-09 10:15:42"},
	})
}

func TestDeadlineReceiptTimes(t *testing.T) {
	t.Parallel()

	checkDue(t, officialCalendar(), []dueCase{
		{"2024-03-04 06:00", "1h", legacy, "", "2024-03-04 08:30:00"},    // before opening
		{"2024-03-04 07:30", "1h", legacy, "", "2024-03-04 08:30:00"},    // at opening
		{"2024-03-04 11:30", "1h", legacy, "", "2024-03-04 14:00:00"},    // at the morning's end
		{"2024-03-04 12:00", "1h", legacy, "", "2024-03-04 14:00:00"},    // lunch break
		{"2024-03-04 13:00", "1h", legacy, "", "2024-03-04 14:00:00"},    // afternoon start
		{"2024-03-04 17:00", "1h", legacy, "", "2024-03-05 08:30:00"},    // at closing
		{"2024-03-04 20:00", "1h", legacy, "", "2024-03-05 08:30:00"},    // evening
		{"2024-03-04 11:00", "0.5h", legacy, "", "2024-03-04 11:30:00"},  // ends at a session end
		{"2024-03-04 11:29:59", "1h", legacy, "", "2024-03-04 13:59:59"}, // one second left
		{"2024-03-08 16:30", "1h", legacy, "", "2024-03-11 08:00:00"},    // over a weekend
		{"2024-03-04 09:00:00.9", "1h", legacy, "", "2024-03-04 10:00:00"},
		{"2024-03-04 09:00", "1.25h", legacy, "", "2024-03-04 10:15:00"},
		{"2024-03-04 09:00", "0.001h", legacy, "", "2024-03-04 09:00:04"}, // 3.6 s, rounded up
		// Cut-off 15:00.
		{"2024-03-04 14:59:59", "1h", legacy, "15:00", "2024-03-04 15:59:59"},
		{"2024-03-04 15:00", "1h", legacy, "15:00", "2024-03-05 08:30:00"},
		{"2024-03-04 14:00", "0d", legacy, "15:00", "2024-03-04 17:00:00"},
		{"2024-03-08 15:30", "0d", legacy, "15:00", "2024-03-11 17:00:00"},
		{"2024-03-09 09:00", "1h", legacy, "15:00", "2024-03-11 08:30:00"},
	})
}

func TestDeadlineModesAndSnaps(t *testing.T) {
	t.Parallel()

	hourSession := Policy{ModeHour, SnapSession}
	hourDay := Policy{ModeHour, SnapDay}
	daySession := Policy{ModeDay, SnapSession}
	checkDue(t, officialCalendar(), []dueCase{
		{"2024-03-04 09:10", "1h", legacy, "", "2024-03-04 10:10:00"},
		{"2024-03-04 09:10", "1h", hourSession, "", "2024-03-04 11:30:00"},
		{"2024-03-04 09:10", "1h", hourDay, "", "2024-03-04 17:00:00"},
		{"2024-03-04 09:10", "3h", legacy, "", "2024-03-04 13:40:00"},
		{"2024-03-04 09:10", "3h", hourSession, "", "2024-03-04 17:00:00"},
		{"2024-03-04 10:30", "1h", hourSession, "", "2024-03-04 11:30:00"}, // at a session end
		{"2024-03-04 09:10", "0.5d", legacy, "", "2024-03-04 14:40:00"},    // 4 h
		{"2024-03-04 09:10", "3d", legacy, "", "2024-03-07 09:10:00"},      // 24 h
		{"2024-03-04 09:10", "0d", legacy, "", "2024-03-04 17:00:00"},
		{"2024-03-04 09:10", "0h", legacy, "", "2024-03-04 09:10:00"},
		{"2024-03-04 09:10", "0h", hourSession, "", "2024-03-04 11:30:00"},
		{"2024-03-04 12:00", "0h", hourSession, "", "2024-03-04 17:00:00"},
		// Day mode: the deemed receipt day is not counted.
		{"2024-03-04 09:10", "0d", appointment, "", "2024-03-04 17:00:00"},
		{"2024-03-04 09:10", "0.5d", appointment, "", "2024-03-05 11:30:00"},
		{"2024-03-04 09:10", "1d", appointment, "", "2024-03-05 17:00:00"},
		{"2024-03-04 09:10", "1.5d", appointment, "", "2024-03-06 11:30:00"},
		{"2024-03-04 09:10", "1.5d", daySession, "", "2024-03-06 11:30:00"},
		{"2024-03-04 09:10", "0.25d", appointment, "", "2024-03-05 11:30:00"},
		{"2024-03-04 09:10", "0.75d", appointment, "", "2024-03-05 17:00:00"},
		{"2024-03-04 09:10", "3h", appointment, "", "2024-03-04 13:40:00"}, // hours stay hours
		{"2024-03-08 09:00", "2d", appointment, "", "2024-03-12 17:00:00"},
		{"2024-03-04 17:30", "1d", appointment, "", "2024-03-06 17:00:00"},
		// Calendar days, counted from the day of receipt itself ("N days after the receipt
		// day"), whatever the time of receipt: a day off or after closing does not move it.
		{"2024-03-04 10:00", "15cd", legacy, "", "2024-03-19 17:00:00"},
		{"2024-03-04 10:00", "15cd", appointment, "", "2024-03-19 17:00:00"},
		{"2024-03-04 10:00", "5cd", hourSession, "", "2024-03-11 17:00:00"}, // Saturday: Monday
		{"2024-03-09 10:00", "1cd", legacy, "", "2024-03-11 17:00:00"},      // Sunday: Monday
		{"2024-03-04 17:30", "1cd", legacy, "", "2024-03-05 17:00:00"},      // after closing: Tuesday
		{"2021-03-13 10:00", "15cd", legacy, "", "2021-03-29 17:00:00"},     // Sat; Sun 28: Mon 29
		// After closing on the eve of Tết 2024 (08-14/02 off): 08/02 is a holiday, so the
		// period ends with the first working day, Thu 15/02, not a day after it.
		{"2024-02-07 17:30", "1cd", legacy, "", "2024-02-15 17:00:00"},
		{"2024-03-04 10:00", "0cd", legacy, "", "2024-03-04 17:00:00"},
	})
}

func TestDeadlineHoursPerDay(t *testing.T) {
	t.Parallel()

	cal, err := NewCalendar(Config{HoursPerDay: 7.5, DaysOff: officialDaysOff()})
	require.NoError(t, err)
	checkDue(t, cal, []dueCase{
		{"2024-03-04 07:30", "1d", legacy, "", "2024-03-04 16:30:00"},
		{"2024-03-04 07:30", "2d", legacy, "", "2024-03-05 16:00:00"},
		{"2024-03-04 07:30", "4h", legacy, "", "2024-03-04 11:30:00"},
		{"2024-03-04 07:30", "1d", appointment, "", "2024-03-05 17:00:00"},
	})
}

func TestDeadlineSeasons(t *testing.T) {
	t.Parallel()

	summer, err := ParseSessions("07:00-11:00,13:30-17:30")
	require.NoError(t, err)
	cal, err := NewCalendar(Config{
		Seasons: []Season{{mustDate("2024-04-15"), mustDate("2024-10-14"), summer}},
		DaysOff: officialDaysOff(),
	})
	require.NoError(t, err)
	checkDue(t, cal, []dueCase{
		{"2024-06-03 10:00", "4h", legacy, "", "2024-06-03 16:30:00"},
		{"2024-06-03 12:00", "1h", legacy, "", "2024-06-03 14:30:00"},
		{"2024-06-03 12:00", "1h", processing, "", "2024-06-03 17:30:00"},
		{"2024-06-03 07:15", "0d", legacy, "", "2024-06-03 17:30:00"},
		{"2024-10-14 16:30", "2h", legacy, "", "2024-10-15 08:30:00"}, // into winter hours
		{"2024-04-12 16:00", "2h", legacy, "", "2024-04-15 08:00:00"}, // into summer hours
		{"2024-04-12 10:00", "0.5d", appointment, "", "2024-04-15 11:00:00"},
	})
}

func TestDeadlineThreeSessions(t *testing.T) {
	t.Parallel()

	ss, err := ParseSessions("07:00-11:00,13:00-16:00,18:00-20:00")
	require.NoError(t, err)
	cal, err := NewCalendar(Config{Sessions: ss, HoursPerDay: 9, DaysOff: officialDaysOff()})
	require.NoError(t, err)
	checkDue(t, cal, []dueCase{
		{"2024-03-04 10:00", "1d", legacy, "", "2024-03-05 10:00:00"},
		{"2024-03-04 15:00", "2h", legacy, "", "2024-03-04 19:00:00"},
		{"2024-03-04 15:00", "2h", processing, "", "2024-03-04 20:00:00"},
		{"2024-03-04 16:30", "0.5h", processing, "", "2024-03-04 20:00:00"},
		{"2024-03-04 10:00", "0.5d", appointment, "", "2024-03-05 11:00:00"},
	})
}

func TestDeadlineErrors(t *testing.T) {
	t.Parallel()

	cal := officialCalendar()
	cases := []struct {
		name     string
		received string
		d        Duration
		p        Policy
		cutoff   ClockTime
		want     error
	}{
		{"before 1990", "1989-12-31 10:00", Hours(1), legacy, NoCutoff, ErrOutOfRange},
		{"after 2100", "2101-01-02 10:00", Hours(1), legacy, NoCutoff, ErrOutOfRange},
		{"due after 2100", "2100-12-31 10:00", Days(1), appointment, NoCutoff, ErrOutOfRange},
		{"deemed after 2100", "2100-12-31 17:30", Hours(1), legacy, NoCutoff, ErrOutOfRange},
		{"calendar days after 2100", "2100-12-20 10:00", Duration{CalendarDays, 30000}, legacy,
			NoCutoff, ErrOutOfRange},
		{"no unit", "2024-03-04 10:00", Duration{}, legacy, NoCutoff, ErrBadDuration},
		{"negative", "2024-03-04 10:00", Hours(-1), legacy, NoCutoff, ErrBadDuration},
		{"too long", "2024-03-04 10:00", Days(366), legacy, NoCutoff, ErrBadDuration},
		{"bad mode", "2024-03-04 10:00", Hours(1), Policy{Mode: 9}, NoCutoff, ErrBadPolicy},
		{"bad cut-off", "2024-03-04 10:00", Hours(1), legacy, -5, ErrBadPolicy},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := cal.Deadline(at(tc.received), tc.d, tc.p, tc.cutoff)
			require.ErrorIs(t, err, tc.want)
		})
	}

	got, err := cal.Deadline(at("2100-12-31 10:00"), Hours(1), legacy, NoCutoff)
	require.NoError(t, err, "the last day of the range still works")
	require.Equal(t, "2100-12-31 11:00:00", got.Format(wallLayout))
}

func TestDeemedReceipt(t *testing.T) {
	t.Parallel()

	cal := officialCalendar()
	cases := []struct {
		received, cutoff, want string
	}{
		{"2024-03-04 10:00:30.5", "", "2024-03-04 10:00:30"},
		{"2024-03-04 05:00", "", "2024-03-04 07:30:00"},
		{"2024-03-04 12:59:59", "", "2024-03-04 13:00:00"},
		{"2024-03-04 17:00", "", "2024-03-05 07:30:00"},
		{"2024-03-04 15:00", "15:00", "2024-03-05 07:30:00"},
		{"2024-03-09 10:00", "", "2024-03-11 07:30:00"},
		{"2024-03-04T03:00:00+00:00", "", "2024-03-04 10:00:00"},
	}
	for _, tc := range cases {
		cutoff := NoCutoff
		if tc.cutoff != "" {
			cutoff = mustClock(tc.cutoff)
		}
		got, err := cal.DeemedReceipt(at(tc.received), cutoff)
		require.NoError(t, err)
		require.Equal(t, tc.want, got.Format(wallLayout), tc.received)
	}

	_, err := cal.DeemedReceipt(at("1980-01-01 10:00"), NoCutoff)
	require.ErrorIs(t, err, ErrOutOfRange)
}

func TestSnap(t *testing.T) {
	t.Parallel()

	cal := officialCalendar()
	cases := []struct {
		t    string
		s    Snap
		want string
	}{
		{"2024-03-04 09:00", SnapNone, "2024-03-04 09:00:00"},
		{"2024-03-04 07:30", SnapSession, "2024-03-04 11:30:00"},
		{"2024-03-04 11:30", SnapSession, "2024-03-04 11:30:00"},
		{"2024-03-04 12:00", SnapSession, "2024-03-04 17:00:00"},
		{"2024-03-04 18:00", SnapSession, "2024-03-05 11:30:00"},
		{"2024-03-04 18:00", SnapDay, "2024-03-05 17:00:00"},
		{"2024-03-04 09:00", SnapDay, "2024-03-04 17:00:00"},
		{"2024-03-09 09:00", SnapSession, "2024-03-11 11:30:00"},
		{"2024-05-03 18:00", SnapDay, "2024-05-04 17:00:00"}, // make-up Saturday
	}
	for _, tc := range cases {
		got, err := cal.Snap(at(tc.t), tc.s)
		require.NoError(t, err)
		require.Equal(t, tc.want, got.Format(wallLayout), "%s %s", tc.t, tc.s)
	}
}

func mustClock(s string) ClockTime {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}
