package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExplain(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name     string
		received string
		dur      Duration
		policy   Policy
		cutoff   ClockTime
		lines    []string // each must appear, in this order, as the start of a line
	}{
		{"over Tết 2021", "2021-02-09 16:00", Hours(2), processing, NoCutoff, []string{
			"received: 2021-02-09 16:00:00 (Tue)",
			"deemed receipt: 2021-02-09 16:00:00 (Tue), inside the session 13:00-17:00",
			"skipped 2021-02-10 (Wed): public holiday Tết Nguyên đán",
			"skipped 2021-02-13 (Sat): weekend; public holiday Tết Nguyên đán",
			"skipped 2021-02-15 (Mon): compensatory day off Nghỉ bù Tết",
			"skipped 2021-02-16 (Tue): compensatory day off",
			"counted 2h: session time walked from the deemed receipt; ends 2021-02-17 08:30:00",
			"snap session: moved up to the end of the session 07:30-11:30, 2021-02-17 11:30:00",
			"deadline: 2021-02-17T11:30:00+07:00",
		}},
		{"make-up Saturday", "2024-04-26 10:00", Days(3), appointment, NoCutoff, []string{
			"deemed receipt: 2024-04-26 10:00:00 (Fri), inside the session 07:30-11:30",
			"skipped 2024-04-27 (Sat): weekend",
			"skipped 2024-04-29 (Mon): day off swapped for a make-up day",
			"skipped 2024-04-30 (Tue): public holiday Ngày Chiến thắng",
			"worked 2024-05-04 (Sat): make-up working day Làm bù cho ngày 29/04/2024",
			"counted 3d: in day mode, the deemed receipt day is not counted; working day 3",
			"snap none: kept as counted",
			"deadline: 2024-05-04T17:00:00+07:00",
		}},
		{"cut-off", "2024-03-04 15:10", Days(1), legacy, mustClock("15:00"), []string{
			"deemed receipt: 2024-03-05 07:30:00 (Tue), the next working day (received at or " +
				"after the cut-off 15:00)",
			"counted 1d: in hour mode, 8h of session time at 8h a day; ends " +
				"2024-03-05 17:00:00 (Tue)",
		}},
		{"lunch", "2024-03-04 12:00", Hours(1), Policy{ModeHour, SnapDay}, NoCutoff, []string{
			"deemed receipt: 2024-03-04 13:00:00 (Mon), the start of the next session",
			"snap day: moved up to the end of the day, 2024-03-04 17:00:00 (Mon)",
		}},
		{"day off", "2024-03-09 10:00", Duration{CalendarDays, 5000}, processing, NoCutoff,
			[]string{
				"deemed receipt: 2024-03-11 07:30:00 (Mon), the next working day (received on a " +
					"day that is not worked)",
				"skipped 2024-03-09 (Sat): weekend",
				"counted 5cd: 5 calendar days after the receipt day 2024-03-09 (Sat) is 2024-03-14 " +
					"(Thu); ends 2024-03-14 17:00:00 (Thu)",
				"snap session: unchanged, already at the end of its session",
			}},
		{"calendar day off", "2024-02-07 17:30", Duration{CalendarDays, 1000}, legacy, NoCutoff, []string{
			"deemed receipt: 2024-02-15 07:30:00 (Thu), the next working day (received after " +
				"the last session ended at 17:00)",
			"counted 1cd: 1 calendar days after the receipt day 2024-02-07 (Wed) is 2024-02-08 " +
				"(Thu), not a working day: moved to the next working day; ends 2024-02-15 17:00:00 (Thu)",
		}},
		{"after closing, 0d", "2024-03-04 17:00", Days(0), legacy, NoCutoff, []string{
			"deemed receipt: 2024-03-05 07:30:00 (Tue), the next working day (received after " +
				"the last session ended at 17:00)",
			"counted 0d: ends at the end of the deemed receipt day, 2024-03-05 17:00:00 (Tue)",
		}},
		{"half day", "2024-03-04 09:00", Duration{WorkingDays, 1500}, appointment, NoCutoff,
			[]string{"counted 1.5d: in day mode, the deemed receipt day is not counted; the " +
				"half day is the first session of working day 2 after it; ends " +
				"2024-03-06 11:30:00 (Wed)"}},
		{"above a half", "2024-03-04 09:00", Duration{WorkingDays, 1750}, appointment,
			NoCutoff, []string{"counted 1.75d: in day mode, the deemed receipt day is not " +
				"counted; the fraction above a half counts as a whole day: working day 2 after " +
				"it; ends 2024-03-06 17:00:00 (Wed)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cal := officialCalendar()
			due, lines, err := cal.Explain(at(tc.received), tc.dur, tc.policy, tc.cutoff)
			require.NoError(t, err)
			want, err := cal.Deadline(at(tc.received), tc.dur, tc.policy, tc.cutoff)
			require.NoError(t, err)
			require.Equal(t, want, due)

			next := 0
			for _, l := range lines {
				if next < len(tc.lines) && strings.HasPrefix(l, tc.lines[next]) {
					next++
				}
			}
			require.Equal(t, len(tc.lines), next, "missing %q in:\n%s", tc.lines[min(next,
				len(tc.lines)-1)], strings.Join(lines, "\n"))
		})
	}
}

func TestExplainErrors(t *testing.T) {
	t.Parallel()

	_, lines, err := Default().Explain(at("1980-01-01 10:00"), Days(1), legacy, NoCutoff)
	require.ErrorIs(t, err, ErrOutOfRange)
	require.Nil(t, lines)
}

func TestHoursText(t *testing.T) {
	t.Parallel()

	require.Equal(t, "8h", hoursText(8*3600))
	require.Equal(t, "7h30m", hoursText(7*3600+1800))
	require.Equal(t, "0h00m04s", hoursText(4))
}

// DOMAIN.md: "Derived years are reported as derived." No notice for 2027 is on file, so a
// deadline counted into 2027 says so. By hand: 2d by day from Thu 2026-12-31 skips Fri
// 1 January 2027 (Tết Dương lịch) and the weekend: Mon 4 (1), Tue 5 (2), ending 17:00.
// A deadline counted within 2024, a year with its notice on file, has no such line.
func TestExplainDerivedYear(t *testing.T) {
	t.Parallel()
	cal := officialCalendar()

	due, lines, err := cal.Explain(at("2026-12-31 10:00"), Days(2), appointment, NoCutoff)
	require.NoError(t, err)
	require.Equal(t, at("2027-01-05 17:00"), due)
	require.Contains(t, lines, "calendar 2027: derived from the Labour Code 45/2019/QH14, no notice on file")
	for _, l := range lines {
		require.NotContains(t, l, "calendar 2026", "2026 has its notice on file")
	}

	_, lines, err = cal.Explain(at("2024-03-04 10:00"), Days(2), appointment, NoCutoff)
	require.NoError(t, err)
	for _, l := range lines {
		require.False(t, strings.HasPrefix(l, "calendar "), "2024 has its notice on file: %q", l)
	}
}
