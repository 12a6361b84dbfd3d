package rules

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sync"
	"time"
)

// noticesCSV holds the days off and make-up working days of the government's notices,
// one row per day, in the format that [ParseDaysOff] reads.
//
//go:embed data/days-off.csv
var noticesCSV []byte

// noticesFileName names the embedded data in error messages.
const noticesFileName = "rules/data/days-off.csv"

// shippedNotices returns the embedded notices by year. The data is parsed on first use; it is
// checked by the package's tests, so a parse error is a broken build and panics.
var shippedNotices = sync.OnceValue(func() map[int][]DayOff {
	days, err := parseDaysOff(bytes.NewReader(noticesCSV), noticesFileName,
		SourceOfficial)
	if err != nil {
		panic(fmt.Sprintf("embedded calendar data: %v", err))
	}
	return groupByYear(days)
})

func groupByYear(days []DayOff) map[int][]DayOff {
	byYear := make(map[int][]DayOff)
	for _, d := range days {
		byYear[d.Date.Year] = append(byYear[d.Date.Year], d)
	}
	return byYear
}

// OfficialYears returns, in order, the years whose government notice ships with fixer. Any other
// year is derived by [DaysOffInYear].
func OfficialYears() []int {
	years := make([]int, 0, len(shippedNotices()))
	for y := range shippedNotices() {
		years = append(years, y)
	}
	slices.Sort(years)
	return years
}

// DefaultTetDaysBefore is the default number of Lunar New Year days placed before lunar 1/1 in a
// derived year: the last two days of the old year and the first three of the new, as the
// notices for 2021, 2023, 2024 and 2025 placed them (2022 and 2026 had one day before).
const DefaultTetDaysBefore = 2

// TetStartsOnNewYear is the [DeriveOptions.TetDaysBefore] value that starts the Lunar New Year
// break on lunar 1/1 itself, with no day before it.
const TetStartsOnNewYear = -1

// DeriveOptions tune how a year with no notice on file is derived from the Labour Code.
type DeriveOptions struct {
	// TetDaysBefore is how many of the five Lunar New Year days fall before the first day of
	// the lunar year: 1 to 4, [TetStartsOnNewYear] for none, zero for [DefaultTetDaysBefore].
	// [DaysOffInYear] reads values above 4 as 4 and other negative values as none; see
	// [DeriveOptions.Validate].
	TetDaysBefore int
}

// Validate reports a TetDaysBefore outside the values [DeriveOptions] documents.
func (o DeriveOptions) Validate() error {
	if o.TetDaysBefore < TetStartsOnNewYear || o.TetDaysBefore > 4 {
		return fmt.Errorf("tet days before %d: want 1 to 4, %d for none, or 0 for the default (%d)",
			o.TetDaysBefore, TetStartsOnNewYear, DefaultTetDaysBefore)
	}
	return nil
}

// tetDaysBefore returns the effective number of break days before lunar 1/1, 0 to 4.
func (o DeriveOptions) tetDaysBefore() int {
	switch n := o.TetDaysBefore; {
	case n == 0:
		return DefaultTetDaysBefore
	case n < 0:
		return 0
	case n > 4:
		return 4
	default:
		return n
	}
}

// DaysOffInYear returns the calendar exceptions of year y, in date order: the official notice
// when one ships with fixer (see [OfficialYears]), otherwise days derived from the Labour Code,
// in which case derived is true.
//
// A derived year has the eleven paid holidays of the Labour Code 45/2019/QH14, art. 112(1):
//   - 1 January;
//   - five Lunar New Year (Tết) days, placed by [DeriveOptions.TetDaysBefore];
//   - Hùng Kings' day (Giỗ Tổ Hùng Vương), lunar 10/3, see [LunarToSolar];
//   - 30 April and 1 May;
//   - 2 September and one adjacent day. The adjacent day is the neighbour of 2 September that
//     is a weekday; when both are, the one on a Monday or a Friday, so that the break joins the
//     weekend; when neither is (2 September on a Wednesday), the day before. This matches the
//     notices of 2021 to 2026.
//
// Each holiday is listed on its own date, weekends included, and each one on a Saturday or a
// Sunday adds a compensatory day off (art. 111(3)) on the next weekday that is not already a
// day off, taken in date order. A derived year has no swapped days and no make-up days.
//
// NOTE: a year before 2021 is derived with these rules too, though the law then in force
// differed (no Hùng Kings' day before 2007, four Tết days before 2013, no adjacent day to
// 2 September before 2021); the shipped notices start in 2021. A holiday added to the law
// later (24 November was proposed in 2026) reaches a year's notice as rows of data, but the
// derived years only through a change to this function.
func DaysOffInYear(y int, o DeriveOptions) (days []DayOff, derived bool) {
	return daysOffFrom(shippedNotices(), y, o)
}

// daysOffFrom is [DaysOffInYear] over the notices given, by year.
func daysOffFrom(notices map[int][]DayOff, y int, o DeriveOptions) ([]DayOff, bool) {
	if official, ok := notices[y]; ok {
		return slices.Clone(official), false
	}
	return deriveDaysOff(y, o), true
}

const labourCode = "Labour Code 45/2019/QH14"

// deriveDaysOff applies the Labour Code to year y; see [DaysOffInYear].
func deriveDaysOff(y int, o DeriveOptions) []DayOff {
	holiday := func(d Date, name, rule string) DayOff {
		return DayOff{Date: d, Kind: KindHoliday, Name: name, Source: SourceDerived,
			Ref: "derived from " + labourCode + " art. 112(1): " + rule}
	}

	days := []DayOff{
		holiday(Date{y, time.January, 1}, "Tết Dương lịch", "New Year's Day, 1 January"),
	}

	// Month 1 and month 3 exist in every lunar year, so these lookups cannot fail.
	tet, _ := vietnamLunar.findSolar(LunarDate{Year: y, Month: 1, Day: 1})
	before := o.tetDaysBefore()
	tetRule := fmt.Sprintf("Lunar New Year, 5 days, %d of them before lunar 1/1", before)
	for i := -before; i < 5-before; i++ {
		d := tet.AddDays(i)
		days = append(days, holiday(d, tetDayName(d, i), tetRule))
	}

	hung, _ := vietnamLunar.findSolar(LunarDate{Year: y, Month: 3, Day: 10})
	days = append(days,
		holiday(hung, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hùng Kings' day, lunar 10/3"),
		holiday(Date{y, time.April, 30}, "Ngày Chiến thắng 30/4", "Victory Day, 30 April"),
		holiday(Date{y, time.May, 1}, "Ngày Quốc tế Lao động", "International Labour Day, 1 May"))

	national := Date{y, time.September, 2}
	days = append(days,
		holiday(national, "Quốc khánh", "National Day, 2 September"),
		holiday(nationalDayNeighbour(national), "Quốc khánh (ngày liền kề)",
			"National Day, the adjacent day: the weekday neighbour of 2 September, a Monday "+
				"or Friday first, else the day before"))

	slices.SortStableFunc(days, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	return addCompensatoryDays(days)
}

// tetDayName names the Tết day d, which is offset days after lunar 1/1: "Tết Nguyên đán
// (29 tháng Chạp)", "Tết Nguyên đán (30 tháng Chạp, giao thừa)", "Tết Nguyên đán (mùng 2)".
func tetDayName(d Date, offset int) string {
	l := SolarToLunar(d)
	switch {
	case offset == -1:
		return fmt.Sprintf("Tết Nguyên đán (%d tháng Chạp, giao thừa)", l.Day)
	case offset < 0:
		return fmt.Sprintf("Tết Nguyên đán (%d tháng Chạp)", l.Day)
	default:
		return fmt.Sprintf("Tết Nguyên đán (mùng %d)", l.Day)
	}
}

// nationalDayNeighbour returns the day adjacent to 2 September that is taken with it; the rule
// is documented on [DaysOffInYear].
func nationalDayNeighbour(national Date) Date {
	before, after := national.AddDays(-1), national.AddDays(1)
	switch {
	case isWeekend(before):
		return after
	case isWeekend(after):
		return before
	case after.Weekday() == time.Friday:
		return after
	default: // before is a Monday, or neither neighbour touches a weekend.
		return before
	}
}

// addCompensatoryDays returns holidays, in date order, with a compensatory day off after each
// one that falls on a weekend: the next weekday that is not already a day off.
func addCompensatoryDays(holidays []DayOff) []DayOff {
	off := make(map[Date]bool, len(holidays))
	for _, h := range holidays {
		off[h.Date] = true
	}

	out := slices.Clone(holidays)
	for _, h := range holidays {
		if !isWeekend(h.Date) {
			continue
		}
		d := h.Date.AddDays(1)
		for isWeekend(d) || off[d] {
			d = d.AddDays(1)
		}
		off[d] = true
		out = append(out, DayOff{
			Date:   d,
			Kind:   KindCompensatory,
			Name:   "Nghỉ bù " + h.Name,
			Source: h.Source,
			Ref: fmt.Sprintf("derived from %s art. 111(3): %s fell on a %s; off on the next "+
				"working day", labourCode, h.Date, h.Date.Weekday()),
		})
	}

	slices.SortStableFunc(out, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	return out
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
