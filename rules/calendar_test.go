package rules

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// officialDaysOff is the official calendar of 2021–2026 as the government's notices give it,
// written out here so that the engine can be checked against it whatever data ships.
func officialDaysOff() []DayOff {
	rows := []struct {
		date string
		kind Kind
		name string
	}{
		{"2021-01-01", KindHoliday, "Tết Dương lịch"},
		{"2021-02-10", KindHoliday, "Tết Nguyên đán"},
		{"2021-02-11", KindHoliday, "Tết Nguyên đán"},
		{"2021-02-12", KindHoliday, "Tết Nguyên đán"},
		{"2021-02-13", KindHoliday, "Tết Nguyên đán"},
		{"2021-02-14", KindHoliday, "Tết Nguyên đán"},
		{"2021-02-15", KindCompensatory, "Nghỉ bù Tết"},
		{"2021-02-16", KindCompensatory, "Nghỉ bù Tết"},
		{"2021-04-21", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2021-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2021-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2021-05-03", KindCompensatory, "Nghỉ bù Quốc tế Lao động"},
		{"2021-09-02", KindHoliday, "Quốc khánh"},
		{"2021-09-03", KindHoliday, "Quốc khánh"},
		{"2022-01-01", KindHoliday, "Tết Dương lịch"},
		{"2022-01-03", KindCompensatory, "Nghỉ bù Tết Dương lịch"},
		{"2022-01-31", KindHoliday, "Tết Nguyên đán"},
		{"2022-02-01", KindHoliday, "Tết Nguyên đán"},
		{"2022-02-02", KindHoliday, "Tết Nguyên đán"},
		{"2022-02-03", KindHoliday, "Tết Nguyên đán"},
		{"2022-02-04", KindHoliday, "Tết Nguyên đán"},
		{"2022-04-10", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2022-04-11", KindCompensatory, "Nghỉ bù Giỗ Tổ Hùng Vương"},
		{"2022-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2022-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2022-05-02", KindCompensatory, "Nghỉ bù Ngày Chiến thắng"},
		{"2022-05-03", KindCompensatory, "Nghỉ bù Quốc tế Lao động"},
		{"2022-09-01", KindHoliday, "Quốc khánh"},
		{"2022-09-02", KindHoliday, "Quốc khánh"},
		{"2023-01-01", KindHoliday, "Tết Dương lịch"},
		{"2023-01-02", KindCompensatory, "Nghỉ bù Tết Dương lịch"},
		{"2023-01-20", KindHoliday, "Tết Nguyên đán"},
		{"2023-01-21", KindHoliday, "Tết Nguyên đán"},
		{"2023-01-22", KindHoliday, "Tết Nguyên đán"},
		{"2023-01-23", KindHoliday, "Tết Nguyên đán"},
		{"2023-01-24", KindHoliday, "Tết Nguyên đán"},
		{"2023-01-25", KindCompensatory, "Nghỉ bù Tết"},
		{"2023-01-26", KindCompensatory, "Nghỉ bù Tết"},
		{"2023-04-29", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2023-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2023-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2023-05-02", KindCompensatory, "Nghỉ bù Giỗ Tổ Hùng Vương"},
		{"2023-05-03", KindCompensatory, "Nghỉ bù Ngày Chiến thắng"},
		{"2023-09-01", KindHoliday, "Quốc khánh"},
		{"2023-09-02", KindHoliday, "Quốc khánh"},
		{"2023-09-04", KindCompensatory, "Nghỉ bù Quốc khánh"},
		{"2024-01-01", KindHoliday, "Tết Dương lịch"},
		{"2024-02-08", KindHoliday, "Tết Nguyên đán"},
		{"2024-02-09", KindHoliday, "Tết Nguyên đán"},
		{"2024-02-10", KindHoliday, "Tết Nguyên đán"},
		{"2024-02-11", KindHoliday, "Tết Nguyên đán"},
		{"2024-02-12", KindHoliday, "Tết Nguyên đán"},
		{"2024-02-13", KindCompensatory, "Nghỉ bù Tết"},
		{"2024-02-14", KindCompensatory, "Nghỉ bù Tết"},
		{"2024-04-18", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2024-04-29", KindSwapOff, "Nghỉ hoán đổi"},
		{"2024-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2024-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2024-05-04", KindMakeupWorkday, "Làm bù cho ngày 29/04/2024"},
		{"2024-09-02", KindHoliday, "Quốc khánh"},
		{"2024-09-03", KindHoliday, "Quốc khánh"},
		{"2025-01-01", KindHoliday, "Tết Dương lịch"},
		{"2025-01-27", KindHoliday, "Tết Nguyên đán"},
		{"2025-01-28", KindHoliday, "Tết Nguyên đán"},
		{"2025-01-29", KindHoliday, "Tết Nguyên đán"},
		{"2025-01-30", KindHoliday, "Tết Nguyên đán"},
		{"2025-01-31", KindHoliday, "Tết Nguyên đán"},
		{"2025-04-07", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2025-04-26", KindMakeupWorkday, "Làm bù cho ngày 02/05/2025"},
		{"2025-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2025-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2025-05-02", KindSwapOff, "Nghỉ hoán đổi"},
		{"2025-09-01", KindHoliday, "Quốc khánh"},
		{"2025-09-02", KindHoliday, "Quốc khánh"},
		{"2026-01-01", KindHoliday, "Tết Dương lịch"},
		{"2026-01-02", KindSwapOff, "Nghỉ hoán đổi"},
		{"2026-01-10", KindMakeupWorkday, "Làm bù cho ngày 02/01/2026"},
		{"2026-02-16", KindHoliday, "Tết Nguyên đán"},
		{"2026-02-17", KindHoliday, "Tết Nguyên đán"},
		{"2026-02-18", KindHoliday, "Tết Nguyên đán"},
		{"2026-02-19", KindHoliday, "Tết Nguyên đán"},
		{"2026-02-20", KindHoliday, "Tết Nguyên đán"},
		{"2026-04-26", KindHoliday, "Giỗ Tổ Hùng Vương"},
		{"2026-04-27", KindCompensatory, "Nghỉ bù Giỗ Tổ Hùng Vương"},
		{"2026-04-30", KindHoliday, "Ngày Chiến thắng"},
		{"2026-05-01", KindHoliday, "Quốc tế Lao động"},
		{"2026-08-22", KindMakeupWorkday, "Làm bù cho ngày 31/08/2026"},
		{"2026-08-31", KindSwapOff, "Nghỉ hoán đổi"},
		{"2026-09-01", KindHoliday, "Quốc khánh"},
		{"2026-09-02", KindHoliday, "Quốc khánh"},
	}
	out := make([]DayOff, len(rows))
	for i, r := range rows {
		out[i] = DayOff{Date: mustDate(r.date), Kind: r.kind, Name: r.name, Source: SourceLocal}
	}
	return out
}

// officialCalendar is a calendar whose 2021–2026 days off are given explicitly, so that the
// tests of the engine do not depend on the data that ships with it.
var officialCalendar = sync.OnceValue(func() *Calendar {
	c, err := NewCalendar(Config{DaysOff: officialDaysOff()})
	if err != nil {
		panic(err)
	}
	return c
})

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestOfficialYearsHaveElevenPaidDays(t *testing.T) {
	t.Parallel()

	// The rule every notice obeys: weekdays off minus make-up days = 11 paid holidays.
	forEachCalendar(t, func(t *testing.T, cal *Calendar) {
		for y := 2021; y <= 2026; y++ {
			lost := 0
			for d := (Date{y, time.January, 1}); d.Year == y; d = d.AddDays(1) {
				weekday := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
				switch {
				case weekday && !cal.IsWorkingDay(d):
					lost++
				case !weekday && cal.IsWorkingDay(d):
					lost--
				}
			}
			require.Equal(t, 11, lost, "year %d", y)
		}
	})
}

// forEachCalendar runs check on the calendar with the official days off given explicitly and,
// in a subtest named "built-in", on [Default], whose days off come from the shipped data.
func forEachCalendar(t *testing.T, check func(t *testing.T, cal *Calendar)) {
	t.Run("explicit", func(t *testing.T) {
		t.Parallel()
		check(t, officialCalendar())
	})
	t.Run("built-in", func(t *testing.T) {
		t.Parallel()
		check(t, Default())
	})
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()

	cases := []struct {
		date    string
		working bool
	}{
		{"2021-02-09", true},  // Tuesday before Tết
		{"2021-02-15", false}, // compensatory
		{"2021-02-17", true},  // first day back
		{"2024-04-29", false}, // swapped off
		{"2024-05-04", true},  // make-up Saturday
		{"2024-05-05", false}, // Sunday
		{"2025-04-26", true},  // make-up Saturday
		{"2025-05-02", false}, // swapped off
		{"2026-01-02", false}, // swapped off
		{"2026-01-10", true},  // make-up Saturday
		{"2026-08-22", true},  // make-up Saturday
		{"2026-08-31", false}, // swapped off
		{"2026-09-03", true},
		{"1989-12-29", false}, // before the calendar's range
		{"2101-01-03", false}, // after it
	}
	forEachCalendar(t, func(t *testing.T, cal *Calendar) {
		for _, tc := range cases {
			require.Equal(t, tc.working, cal.IsWorkingDay(mustDate(tc.date)), tc.date)
		}
	})
}

func TestNewCalendarRejectsBadConfig(t *testing.T) {
	t.Parallel()

	d := mustDate
	morning := []Session{{7 * 3600, 11 * 3600}}
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"overlapping sessions", Config{Sessions: []Session{{7 * 3600, 12 * 3600},
			{11 * 3600, 17 * 3600}}}, "starts before the previous one ends"},
		{"empty sessions", Config{Sessions: []Session{}}, "non-empty"},
		{"negative hours", Config{HoursPerDay: -1}, "hours per day -1"},
		{"too many hours", Config{HoursPerDay: 25}, "hours per day 25"},
		{"season backwards", Config{Seasons: []Season{{d("2024-10-01"), d("2024-04-01"),
			morning}}}, "ends before it starts"},
		{"seasons overlap", Config{Seasons: []Season{
			{d("2024-04-01"), d("2024-06-30"), morning},
			{d("2024-06-30"), d("2024-09-30"), morning}}}, "overlap"},
		{"bad kind", Config{DaysOff: []DayOff{{Date: d("2024-03-05"), Kind: "party"}}},
			`unknown kind "party"`},
		{"no such date", Config{DaysOff: []DayOff{{Date: Date{2024, 2, 30}, Kind: KindHoliday}}},
			"2024-02-30: no such date"},
		{"derive options", Config{Derive: DeriveOptions{TetDaysBefore: 9}}, "tet days before 9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewCalendar(tc.cfg)
			require.ErrorIs(t, err, ErrBadConfig)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestLocalDaysOffReplaceBuiltIn(t *testing.T) {
	t.Parallel()

	// A province works 2024-09-03 (built in as a holiday) and closes 2024-03-05 (a Tuesday).
	cal, err := NewCalendar(Config{DaysOff: []DayOff{
		{Date: mustDate("2024-09-03"), Kind: KindMakeupWorkday, Name: "làm việc"},
		{Date: mustDate("2024-03-05"), Kind: KindHoliday, Name: "ngày lễ tỉnh"},
	}})
	require.NoError(t, err)

	require.True(t, cal.IsWorkingDay(mustDate("2024-09-03")))
	require.False(t, cal.IsWorkingDay(mustDate("2024-03-05")))
	require.Equal(t, []DayOff{{Date: mustDate("2024-03-05"), Kind: KindHoliday,
		Name: "ngày lễ tỉnh"}}, cal.Entries(mustDate("2024-03-05")))
	require.Empty(t, cal.Entries(mustDate("1900-01-01")))
}

func TestDerivedYears(t *testing.T) {
	t.Parallel()

	derived := Default().DerivedYears()
	require.Contains(t, derived, 1990)
	require.Contains(t, derived, 2027)
	for y := 2021; y <= 2026; y++ {
		require.NotContains(t, derived, y, "the notices of 2021–2026 ship with fixer")
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()

	build := func(cfg Config) string {
		c, err := NewCalendar(cfg)
		require.NoError(t, err)
		return c.Fingerprint()
	}
	base := build(Config{})
	require.Len(t, base, 64)
	require.Equal(t, base, Default().Fingerprint())
	require.Equal(t, base, build(Config{Sessions: DefaultSessions(), HoursPerDay: 8}),
		"defaults written out give the same fingerprint")

	summer := Season{mustDate("2024-04-15"), mustDate("2024-10-14"),
		[]Session{{7 * 3600, 11 * 3600}, {13*3600 + 1800, 17*3600 + 1800}}}
	others := []Config{
		{HoursPerDay: 7.5},
		{Sessions: []Session{{7 * 3600, 11 * 3600}, {13 * 3600, 17 * 3600}}},
		{Seasons: []Season{summer}},
		{DaysOff: []DayOff{{Date: mustDate("2024-03-05"), Kind: KindHoliday}}},
		{Zone: time.FixedZone("ICT", 7*3600)},
	}
	seen := map[string]bool{base: true}
	for _, cfg := range others {
		f := build(cfg)
		require.False(t, seen[f], "%+v", cfg)
		seen[f] = true
	}

	// An entry that changes nothing (a make-up entry on a working Tuesday) changes nothing.
	require.Equal(t, base, build(Config{DaysOff: []DayOff{
		{Date: mustDate("2024-03-05"), Kind: KindMakeupWorkday}}}))
}

func TestSeasonSessions(t *testing.T) {
	t.Parallel()

	summer := []Session{{7 * 3600, 11 * 3600}, {13*3600 + 1800, 17*3600 + 1800}}
	cal, err := NewCalendar(Config{Seasons: []Season{
		{mustDate("2024-04-15"), mustDate("2024-10-14"), summer}}})
	require.NoError(t, err)

	require.Equal(t, DefaultSessions(), cal.Sessions(mustDate("2024-04-14")))
	require.Equal(t, summer, cal.Sessions(mustDate("2024-04-15")))
	require.Equal(t, summer, cal.Sessions(mustDate("2024-10-14")))
	require.Equal(t, DefaultSessions(), cal.Sessions(mustDate("2024-10-15")))
	require.Nil(t, cal.Sessions(mustDate("2101-01-01")))
}

func TestDeadlineAcrossHolidayBlocks(t *testing.T) {
	t.Parallel()

	cases := []dueCase{
		// Tết 2021: Wed 10 Feb to Tue 16 Feb off (two compensatory days); back Wed 17 Feb.
		{"2021-02-09 10:00", "1d", legacy, "", "2021-02-17 10:00:00"},
		{"2021-02-09 10:00", "1d", appointment, "", "2021-02-17 17:00:00"},
		{"2021-02-09 10:00", "0.5d", appointment, "", "2021-02-17 11:30:00"},
		{"2021-02-12 09:00", "4h", legacy, "", "2021-02-17 11:30:00"},
		{"2021-02-09 16:00", "2h", processing, "", "2021-02-17 11:30:00"},
		// Tết 2022 to 2026.
		{"2022-01-28 14:00", "1d", appointment, "", "2022-02-07 17:00:00"},
		{"2023-01-19 10:00", "1d", legacy, "", "2023-01-27 10:00:00"},
		{"2024-02-07 16:30", "4h", processing, "", "2024-02-15 11:30:00"},
		{"2025-01-24 10:00", "5cd", legacy, "", "2025-02-03 17:00:00"},
		{"2026-02-13 09:00", "0.5d", appointment, "", "2026-02-23 11:30:00"},
		// 30/4–1/5 and Hùng Kings' day.
		{"2021-04-29 14:00", "1d", legacy, "", "2021-05-04 14:00:00"},
		{"2021-04-29 09:00", "2d", appointment, "", "2021-05-05 17:00:00"},
		{"2021-04-26 10:00", "5cd", legacy, "", "2021-05-04 17:00:00"},
		{"2022-04-29 16:30", "3h", processing, "", "2022-05-04 11:30:00"},
		{"2022-04-08 17:00", "1h", legacy, "", "2022-04-12 08:30:00"},
		{"2023-04-28 11:30", "1d", legacy, "", "2023-05-04 11:30:00"},
		{"2023-04-28 11:30", "1d", appointment, "", "2023-05-04 17:00:00"},
		{"2024-04-17 15:00", "4h", legacy, "", "2024-04-19 09:30:00"},
		{"2024-04-26 10:00", "3d", appointment, "", "2024-05-04 17:00:00"},
		{"2024-04-26 15:30", "0d", legacy, "15:00", "2024-05-02 17:00:00"},
		{"2024-05-02 13:00", "2d", legacy, "", "2024-05-04 11:30:00"},
		{"2024-05-04 08:00", "1h", legacy, "", "2024-05-04 09:00:00"},
		{"2025-04-04 16:00", "2h", legacy, "", "2025-04-08 08:30:00"},
		{"2025-04-25 16:00", "2h", legacy, "", "2025-04-26 08:30:00"},
		{"2025-04-29 10:00", "1d", appointment, "", "2025-05-05 17:00:00"},
		{"2026-04-24 09:00", "2d", appointment, "", "2026-04-29 17:00:00"},
		{"2026-04-24 09:00", "3d", appointment, "", "2026-05-04 17:00:00"},
		// 2 September.
		{"2021-09-01 13:00", "1d", processing, "", "2021-09-06 11:30:00"},
		{"2022-08-31 09:00", "1d", appointment, "", "2022-09-05 17:00:00"},
		{"2023-08-31 10:00", "1d", legacy, "", "2023-09-05 10:00:00"},
		{"2024-08-31 10:00", "1d", appointment, "", "2024-09-05 17:00:00"},
		{"2025-08-29 17:30", "1h", legacy, "", "2025-09-03 08:30:00"},
		{"2026-08-21 16:00", "2h", legacy, "", "2026-08-22 08:30:00"},
		{"2026-08-21 10:00", "1d", appointment, "", "2026-08-22 17:00:00"},
		{"2026-08-28 10:00", "1d", appointment, "", "2026-09-03 17:00:00"},
		// Year boundaries, and the make-up Saturday of January 2026.
		{"2021-12-31 15:00", "4h", legacy, "", "2022-01-04 09:30:00"},
		{"2023-12-29 17:00", "1h", legacy, "", "2024-01-02 08:30:00"},
		{"2025-12-31 16:00", "1d", legacy, "", "2026-01-05 16:00:00"},
		{"2025-12-31 10:00", "5d", appointment, "", "2026-01-09 17:00:00"},
		{"2025-12-31 10:00", "6d", appointment, "", "2026-01-10 17:00:00"},
		{"2026-01-09 16:00", "4h", legacy, "", "2026-01-10 10:30:00"},
	}
	forEachCalendar(t, func(t *testing.T, cal *Calendar) {
		checkDue(t, cal, cases)
	})
}
