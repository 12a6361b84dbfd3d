package rules

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// paidHolidays is the number of paid holidays of the Labour Code 45/2019/QH14, art. 112(1).
// A twelfth holiday in law changes this number, not the code.
const paidHolidays = 11

// workingDaysLost is the check of the calendar data's README: weekday days off minus make-up
// working days.
func workingDaysLost(days []DayOff) int {
	n := 0
	for _, d := range days {
		switch {
		case d.Kind == KindMakeupWorkday:
			n--
		case !isWeekend(d.Date):
			n++
		}
	}
	return n
}

func countKind(days []DayOff, k Kind) int {
	n := 0
	for _, d := range days {
		if d.Kind == k {
			n++
		}
	}
	return n
}

// TestHolidayElevenEveryYear checks every year 1990-2100, official or derived, under every Tết
// placement: eleven holiday rows, eleven working days lost, dates in the year, in order, once.
func TestHolidayElevenEveryYear(t *testing.T) {
	t.Parallel()

	require.Equal(t, []int{2021, 2022, 2023, 2024, 2025, 2026}, OfficialYears())

	placements := []int{0, TetStartsOnNewYear, 1, 2, 3, 4}
	for y := 1990; y <= 2100; y++ {
		for _, before := range placements {
			days, derived := DaysOffInYear(y, DeriveOptions{TetDaysBefore: before})
			official := y >= 2021 && y <= 2026
			require.Equal(t, !official, derived, "%d", y)

			require.Equal(t, paidHolidays, countKind(days, KindHoliday), "%d holidays", y)
			require.Equal(t, paidHolidays, workingDaysLost(days), "%d working days lost", y)
			for i, d := range days {
				require.Equal(t, y, d.Date.Year, "%d: %s", y, d.Date)
				require.NotEmpty(t, d.Name)
				require.NotEmpty(t, d.Ref)
				if official {
					require.Equal(t, SourceOfficial, d.Source)
				} else {
					require.Equal(t, SourceDerived, d.Source)
				}
				if i > 0 {
					require.True(t, days[i-1].Date.Before(d.Date), "%d: order at %s", y, d.Date)
				}
			}
		}
	}
}

type dayKind struct {
	date string
	kind Kind
}

func dayKinds(days []DayOff) []dayKind {
	out := make([]dayKind, len(days))
	for i, d := range days {
		out[i] = dayKind{d.Date.String(), d.Kind}
	}
	return out
}

// TestHolidayDerivedByHand compares derived years with lists worked out by hand from the Labour
// Code, the weekday of each date and the published Tết and Hùng Kings dates.
func TestHolidayDerivedByHand(t *testing.T) {
	t.Parallel()

	const h, c = KindHoliday, KindCompensatory
	tests := []struct {
		year   int
		before int
		want   []dayKind
	}{{
		// 1 Jan Fri. Tết Sat 6 Feb: Thu 4 to Mon 8, the weekend days make up Tue 9 and Wed 10.
		// Hùng Kings Fri 16 Apr. 1 May Sat → Mon 3 May. 2 Sep Thu, with Fri 3 Sep.
		year: 2027,
		want: []dayKind{
			{"2027-01-01", h},
			{"2027-02-04", h}, {"2027-02-05", h}, {"2027-02-06", h}, {"2027-02-07", h},
			{"2027-02-08", h}, {"2027-02-09", c}, {"2027-02-10", c},
			{"2027-04-16", h}, {"2027-04-30", h}, {"2027-05-01", h}, {"2027-05-03", c},
			{"2027-09-02", h}, {"2027-09-03", h},
		},
	}, {
		// 1 Jan Sat → Mon 3 Jan. Tết Wed 26 Jan: Mon 24 to Fri 28. Hùng Kings Tue 4 Apr.
		// 30 Apr Sun → Tue 2 May, Mon 1 May being a holiday. 2 Sep Sat, with Fri 1 Sep → Mon 4.
		year: 2028,
		want: []dayKind{
			{"2028-01-01", h}, {"2028-01-03", c},
			{"2028-01-24", h}, {"2028-01-25", h}, {"2028-01-26", h}, {"2028-01-27", h},
			{"2028-01-28", h},
			{"2028-04-04", h}, {"2028-04-30", h}, {"2028-05-01", h}, {"2028-05-02", c},
			{"2028-09-01", h}, {"2028-09-02", h}, {"2028-09-04", c},
		},
	}, {
		// Tết Tue 13 Feb: Sun 11 to Thu 15, Sun 11 → Fri 16. 2 Sep Sun, with Mon 3 Sep → Tue 4.
		year: 2029,
		want: []dayKind{
			{"2029-01-01", h},
			{"2029-02-11", h}, {"2029-02-12", h}, {"2029-02-13", h}, {"2029-02-14", h},
			{"2029-02-15", h}, {"2029-02-16", c},
			{"2029-04-23", h}, {"2029-04-30", h}, {"2029-05-01", h},
			{"2029-09-02", h}, {"2029-09-03", h}, {"2029-09-04", c},
		},
	}, {
		// 2027, Tết from the eve: Fri 5 to Tue 9 Feb, Sat and Sun → Wed 10 and Thu 11.
		year:   2027,
		before: 1,
		want: []dayKind{
			{"2027-01-01", h},
			{"2027-02-05", h}, {"2027-02-06", h}, {"2027-02-07", h}, {"2027-02-08", h},
			{"2027-02-09", h}, {"2027-02-10", c}, {"2027-02-11", c},
			{"2027-04-16", h}, {"2027-04-30", h}, {"2027-05-01", h}, {"2027-05-03", c},
			{"2027-09-02", h}, {"2027-09-03", h},
		},
	}, {
		// 2027, Tết from lunar 1/1: Sat 6 to Wed 10 Feb, Sat and Sun → Thu 11 and Fri 12.
		year:   2027,
		before: TetStartsOnNewYear,
		want: []dayKind{
			{"2027-01-01", h},
			{"2027-02-06", h}, {"2027-02-07", h}, {"2027-02-08", h}, {"2027-02-09", h},
			{"2027-02-10", h}, {"2027-02-11", c}, {"2027-02-12", c},
			{"2027-04-16", h}, {"2027-04-30", h}, {"2027-05-01", h}, {"2027-05-03", c},
			{"2027-09-02", h}, {"2027-09-03", h},
		},
	}, {
		// 2027, four days before: Tue 2 to Sat 6 Feb, Sat → Mon 8.
		year:   2027,
		before: 4,
		want: []dayKind{
			{"2027-01-01", h},
			{"2027-02-02", h}, {"2027-02-03", h}, {"2027-02-04", h}, {"2027-02-05", h},
			{"2027-02-06", h}, {"2027-02-08", c},
			{"2027-04-16", h}, {"2027-04-30", h}, {"2027-05-01", h}, {"2027-05-03", c},
			{"2027-09-02", h}, {"2027-09-03", h},
		},
	}}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.year)+"/"+strconv.Itoa(tc.before), func(t *testing.T) {
			t.Parallel()
			days, derived := DaysOffInYear(tc.year, DeriveOptions{TetDaysBefore: tc.before})
			require.True(t, derived)
			require.Equal(t, tc.want, dayKinds(days))
		})
	}
}

// TestHolidayDerivedNames checks the names and references of a derived year.
func TestHolidayDerivedNames(t *testing.T) {
	t.Parallel()

	days, _ := DaysOffInYear(2027, DeriveOptions{})
	names := make(map[string]string)
	for _, d := range days {
		names[d.Date.String()] = d.Name
		require.Contains(t, d.Ref, "Labour Code 45/2019/QH14")
	}

	// The 12th month of Bính Ngọ runs from 8 Jan to 5 Feb 2027 (new moon of 7 Jan 2027 at
	// 20:24 UT, 03:24 on 8 Jan in Hanoi): 29 days, so 5 Feb is its last day.
	require.Equal(t, "Tết Dương lịch", names["2027-01-01"])
	require.Equal(t, "Tết Nguyên đán (28 tháng Chạp)", names["2027-02-04"])
	require.Equal(t, "Tết Nguyên đán (29 tháng Chạp, giao thừa)", names["2027-02-05"])
	require.Equal(t, "Tết Nguyên đán (mùng 1)", names["2027-02-06"])
	require.Equal(t, "Tết Nguyên đán (mùng 3)", names["2027-02-08"])
	require.Equal(t, "Nghỉ bù Tết Nguyên đán (mùng 1)", names["2027-02-09"])
	require.Equal(t, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", names["2027-04-16"])
	require.Equal(t, "Quốc khánh (ngày liền kề)", names["2027-09-03"])
}

// TestHolidayOfficialByHand checks days of the notices, read from the notices themselves.
func TestHolidayOfficialByHand(t *testing.T) {
	t.Parallel()

	tests := []struct {
		date string
		kind Kind
		name string
	}{
		{"2021-02-15", KindCompensatory, "Nghỉ bù Tết (mùng 4)"},
		{"2021-05-03", KindCompensatory, "Nghỉ bù Quốc tế Lao động"},
		{"2022-01-03", KindCompensatory, "Nghỉ bù Tết Dương lịch"},
		{"2023-04-29", KindHoliday, "Giỗ Tổ Hùng Vương (10/3 âm lịch; trùng thứ Bảy)"},
		{"2024-04-29", KindSwapOff, "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)"},
		{"2024-05-04", KindMakeupWorkday, "Làm bù cho ngày 29/04/2024"},
		{"2025-04-26", KindMakeupWorkday, "Làm bù cho ngày 02/05/2025"},
		{"2026-01-02", KindSwapOff, "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)"},
		{"2026-08-31", KindSwapOff, "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			t.Parallel()
			d := parseTestDate(t, tc.date)
			days, derived := DaysOffInYear(d.Year, DeriveOptions{})
			require.False(t, derived)
			var found []DayOff
			for _, day := range days {
				if day.Date == d {
					found = append(found, day)
				}
			}
			require.Len(t, found, 1)
			require.Equal(t, tc.kind, found[0].Kind)
			require.Equal(t, tc.name, found[0].Name)
			require.Equal(t, SourceOfficial, found[0].Source)
			require.NotEmpty(t, found[0].Ref)
		})
	}

	// The official list holds the weekend holidays too, and nothing else of 2024's break.
	days, _ := DaysOffInYear(2024, DeriveOptions{})
	require.Equal(t, []dayKind{
		{"2024-01-01", KindHoliday},
		{"2024-02-08", KindHoliday}, {"2024-02-09", KindHoliday}, {"2024-02-10", KindHoliday},
		{"2024-02-11", KindHoliday}, {"2024-02-12", KindHoliday},
		{"2024-02-13", KindCompensatory}, {"2024-02-14", KindCompensatory},
		{"2024-04-18", KindHoliday}, {"2024-04-29", KindSwapOff}, {"2024-04-30", KindHoliday},
		{"2024-05-01", KindHoliday}, {"2024-05-04", KindMakeupWorkday},
		{"2024-09-02", KindHoliday}, {"2024-09-03", KindHoliday},
	}, dayKinds(days))
}

// TestHolidayOfficialAgreesWithLunar reads the lunar day that the notices write in a row's name
// ("mùng 4", "29 tháng Chạp", "10/3 âm lịch") and checks it against SolarToLunar.
func TestHolidayOfficialAgreesWithLunar(t *testing.T) {
	t.Parallel()

	firstMonth := regexp.MustCompile(`mùng (\d+)`)
	lastMonth := regexp.MustCompile(`(\d+) tháng Chạp`)
	checked := 0
	for _, y := range OfficialYears() {
		days, _ := DaysOffInYear(y, DeriveOptions{})
		for _, d := range days {
			l := SolarToLunar(d.Date)
			switch m := firstMonth.FindStringSubmatch(d.Name); {
			case m != nil:
				require.Equal(t, m[1]+"/1", l.String(), "%s %s", d.Date, d.Name)
				checked++
			case lastMonth.MatchString(d.Name):
				m = lastMonth.FindStringSubmatch(d.Name)
				require.Equal(t, m[1]+"/12", l.String(), "%s %s", d.Date, d.Name)
				checked++
			case strings.Contains(d.Name, "10/3 âm lịch"):
				require.Equal(t, "10/3", l.String(), "%s %s", d.Date, d.Name)
				checked++
			}
		}
	}
	// Five Tết days and Hùng Kings' day in each of six years, and the six compensatory days
	// of 2021, 2023 and 2024 named "mùng 4" and "mùng 5".
	require.Equal(t, 6*5+6+6, checked)
}

// TestHolidayNationalDayNeighbour checks the rule for the day taken with 2 September against
// the notices of 2021 to 2026, and the Sunday case, which no notice shows yet.
func TestHolidayNationalDayNeighbour(t *testing.T) {
	t.Parallel()

	tests := []struct {
		year int
		want string
	}{
		{2021, "2021-09-03"}, // Thu → Fri
		{2022, "2022-09-01"}, // Fri → Thu
		{2023, "2023-09-01"}, // Sat → Fri
		{2024, "2024-09-03"}, // Mon → Tue
		{2025, "2025-09-01"}, // Tue → Mon
		{2026, "2026-09-01"}, // Wed → Tue
		{2029, "2029-09-03"}, // Sun → Mon
	}
	for _, tc := range tests {
		got := nationalDayNeighbour(Date{tc.year, time.September, 2})
		require.Equal(t, tc.want, got.String(), "%d", tc.year)

		if tc.year > 2026 {
			continue
		}
		days, _ := DaysOffInYear(tc.year, DeriveOptions{})
		var adjacent []string
		for _, d := range days {
			if d.Name == "Quốc khánh (ngày liền kề)" {
				adjacent = append(adjacent, d.Date.String())
			}
		}
		require.Equal(t, []string{tc.want}, adjacent, "notice of %d", tc.year)
	}
}

// TestHolidayNoticeAsData shows that a later year's notice, with a twelfth holiday, is data
// only: the same parser and lookup take it, and it is official, not derived.
func TestHolidayNoticeAsData(t *testing.T) {
	t.Parallel()

	f, err := os.Open("testdata/days-off-twelve-holidays.csv")
	require.NoError(t, err)
	defer f.Close()
	days, err := parseDaysOff(f, "days-off-twelve-holidays.csv", SourceOfficial)
	require.NoError(t, err)

	notices := groupByYear(days)
	got, derived := daysOffFrom(notices, 2027, DeriveOptions{})
	require.False(t, derived)
	require.Len(t, got, 17)
	require.Equal(t, 12, countKind(got, KindHoliday))
	require.Equal(t, 12, workingDaysLost(got))
	require.Equal(t, dayKind{"2027-11-24", KindHoliday}, dayKinds(got)[15])

	_, derived = daysOffFrom(notices, 2028, DeriveOptions{})
	require.True(t, derived)
}

func TestHolidayDeriveOptionsValidate(t *testing.T) {
	t.Parallel()

	for _, ok := range []int{TetStartsOnNewYear, 0, 1, 2, 3, 4} {
		require.NoError(t, DeriveOptions{TetDaysBefore: ok}.Validate(), "%d", ok)
	}
	for _, bad := range []int{-2, 5, 30} {
		require.Error(t, DeriveOptions{TetDaysBefore: bad}.Validate(), "%d", bad)
	}
}

// TestHolidayDaysOffInYearCopies checks that a caller cannot change the shipped data.
func TestHolidayDaysOffInYearCopies(t *testing.T) {
	t.Parallel()

	days, _ := DaysOffInYear(2021, DeriveOptions{})
	days[0].Name = "changed"
	again, _ := DaysOffInYear(2021, DeriveOptions{})
	require.Equal(t, "Tết Dương lịch", again[0].Name)
}
