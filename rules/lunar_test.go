package rules

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLunarPublishedTable checks Tết (lunar 1/1) and Hùng Kings' day (lunar 10/3) of every year
// against a published table typed into testdata, both ways.
func TestLunarPublishedTable(t *testing.T) {
	t.Parallel()

	f, err := os.Open("testdata/vn-tet-hung-kings.csv")
	require.NoError(t, err)
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"year", "tet", "hung_kings"}, rows[0])
	rows = rows[1:]
	require.Len(t, rows, 2100-1990+1, "one row per year 1990-2100")

	for i, row := range rows {
		year, err := strconv.Atoi(row[0])
		require.NoError(t, err)
		require.Equal(t, 1990+i, year, "rows in year order")
		tet := parseTestDate(t, row[1])
		hung := parseTestDate(t, row[2])

		require.Equal(t, LunarDate{Year: year, Month: 1, Day: 1}, SolarToLunar(tet), "Tết %d", year)
		require.Equal(t, LunarDate{Year: year, Month: 3, Day: 10}, SolarToLunar(hung),
			"Hùng Kings %d", year)

		got, err := LunarToSolar(LunarDate{Year: year, Month: 1, Day: 1})
		require.NoError(t, err)
		require.Equal(t, tet, got, "Tết %d", year)
		got, err = LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10})
		require.NoError(t, err)
		require.Equal(t, hung, got, "Hùng Kings %d", year)

		// The eve of Tết is the last day of the 12th month of the year before.
		eve := SolarToLunar(tet.AddDays(-1))
		require.Equal(t, year-1, eve.Year)
		require.Equal(t, 12, eve.Month)
		require.Contains(t, []int{29, 30}, eve.Day)
	}
}

// TestLunarDiffersFromChinese checks the years in which Vietnam's Tết, counted in UTC+7, is not
// China's, counted in UTC+8; the same code run for UTC+8 must give China's date.
func TestLunarDiffersFromChinese(t *testing.T) {
	t.Parallel()

	chinese := &lunarCalendar{zoneHours: 8}
	tests := []struct {
		year           int
		vietnam, china string
	}{
		// In 1968 Vietnam had just moved to UTC+7: Tết came a day before China's.
		{year: 1968, vietnam: "1968-01-29", china: "1968-01-30"},
		// The 1984 winter solstice fell just before midnight on 21 Dec in Hanoi, just after it
		// in Beijing, where 22 Dec was also a new moon day: the 11th month and all the months
		// after it differ.
		{year: 1985, vietnam: "1985-01-21", china: "1985-02-20"},
		{year: 2007, vietnam: "2007-02-17", china: "2007-02-18"},
		{year: 2030, vietnam: "2030-02-02", china: "2030-02-03"},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.year), func(t *testing.T) {
			t.Parallel()
			vn, err := LunarToSolar(LunarDate{Year: tc.year, Month: 1, Day: 1})
			require.NoError(t, err)
			require.Equal(t, parseTestDate(t, tc.vietnam), vn)

			cn, err := chinese.toSolar(LunarDate{Year: tc.year, Month: 1, Day: 1})
			require.NoError(t, err)
			require.Equal(t, parseTestDate(t, tc.china), cn)
		})
	}
}

// TestLunarLeapMonths checks leap months against the new moon dates published for those years.
func TestLunarLeapMonths(t *testing.T) {
	t.Parallel()

	tests := []struct {
		solar string
		lunar LunarDate
	}{
		// 2020: leap 4th month from 23 May (new moon 22 May 17:39 UT, 00:39 in Hanoi).
		{"2020-04-23", LunarDate{2020, 4, 1, false}},
		{"2020-05-22", LunarDate{2020, 4, 30, false}},
		{"2020-05-23", LunarDate{2020, 4, 1, true}},
		{"2020-06-06", LunarDate{2020, 4, 15, true}},
		{"2020-06-21", LunarDate{2020, 5, 1, false}},
		// 2023: leap 2nd month from 22 Mar (new moon 21 Mar 17:23 UT); 3rd month from 20 Apr.
		{"2023-02-20", LunarDate{2023, 2, 1, false}},
		{"2023-03-22", LunarDate{2023, 2, 1, true}},
		{"2023-03-25", LunarDate{2023, 2, 4, true}},
		{"2023-04-19", LunarDate{2023, 2, 29, true}},
		{"2023-04-20", LunarDate{2023, 3, 1, false}},
		// 2025: leap 6th month from 25 Jul (new moon 24 Jul 19:11 UT); 7th month from 23 Aug.
		{"2025-06-25", LunarDate{2025, 6, 1, false}},
		{"2025-07-25", LunarDate{2025, 6, 1, true}},
		{"2025-08-22", LunarDate{2025, 6, 29, true}},
		{"2025-08-23", LunarDate{2025, 7, 1, false}},
		// Days of the official notices: 2024-05-04 was a make-up Saturday, 26/3 Giáp Thìn;
		// 2021-02-15 was mùng 4 Tết Tân Sửu; 2026-02-16 was 29 tháng Chạp Ất Tỵ.
		{"2024-05-04", LunarDate{2024, 3, 26, false}},
		{"2021-02-15", LunarDate{2021, 1, 4, false}},
		{"2026-02-16", LunarDate{2025, 12, 29, false}},
	}
	for _, tc := range tests {
		t.Run(tc.solar, func(t *testing.T) {
			t.Parallel()
			d := parseTestDate(t, tc.solar)
			require.Equal(t, tc.lunar, SolarToLunar(d))
			back, err := LunarToSolar(tc.lunar)
			require.NoError(t, err)
			require.Equal(t, d, back)
		})
	}
}

func TestLunarDateString(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   LunarDate
		want string
	}{
		{LunarDate{2024, 1, 1, false}, "1/1"},
		{LunarDate{2024, 3, 10, false}, "10/3"},
		{LunarDate{2020, 4, 15, true}, "15/4n"},
		{LunarDate{2025, 12, 30, false}, "30/12"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, tc.in.String())
	}
}

func TestLunarToSolarInvalid(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		in   LunarDate
	}{
		{"no leap 3rd month in 2024", LunarDate{2024, 3, 1, true}},
		{"2023 has leap 2, not leap 4", LunarDate{2023, 4, 1, true}},
		// The 12th month of Ất Tỵ (2025) ran from 19 Jan to 16 Feb 2026: 29 days.
		{"30th of a 29-day month", LunarDate{2025, 12, 30, false}},
		{"month 13", LunarDate{2024, 13, 1, false}},
		{"day 0", LunarDate{2024, 1, 0, false}},
		{"year before range", LunarDate{1800, 1, 1, false}},
		{"year after range", LunarDate{2300, 1, 1, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := LunarToSolar(tc.in)
			require.ErrorIs(t, err, ErrInvalidLunarDate)
		})
	}
}

// TestLunarRoundTrip converts every day from 1990 to 2100 to the lunar calendar and back, and
// checks that lunar days run on without gaps: each day is the next lunar day, or the 1st of
// the next month after a 29th or 30th.
func TestLunarRoundTrip(t *testing.T) {
	t.Parallel()

	start := Date{1990, time.January, 1}
	end := Date{2100, time.December, 31}
	prev := SolarToLunar(start.AddDays(-1))
	leapMonths := 0

	for n := start.DayNumber(); n <= end.DayNumber(); n++ {
		d := DateFromDayNumber(n)
		l := SolarToLunar(d)

		back, err := LunarToSolar(l)
		require.NoError(t, err, "%s → %+v", d, l)
		require.Equal(t, d, back, "%s → %+v", d, l)

		if l.Day == 1 {
			require.Contains(t, []int{29, 30}, prev.Day, "%s: month before ended on day %d", d,
				prev.Day)
			if l.Leap {
				leapMonths++
				require.Equal(t, prev.Month, l.Month, "%s: leap month repeats the month before", d)
			}
		} else {
			require.Equal(t, LunarDate{prev.Year, prev.Month, prev.Day + 1, prev.Leap}, l, "%s", d)
		}
		prev = l
	}

	// Seven leap months every 19 years: about 40 in 111 years.
	require.InDelta(t, 111*7/19, leapMonths, 1)
}

func parseTestDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	require.NoError(t, err)
	return d
}
