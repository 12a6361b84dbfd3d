package rules

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
)

// The Vietnamese lunar calendar (âm lịch) is lunisolar: a month starts on the civil day, in
// Vietnam's time (UTC+7), that holds the instant of a new moon; the month that holds the winter
// solstice is the 11th; and when 13 months run from one 11th month to the next, the first of
// them with no major solar term (a multiple of 30° of the sun's longitude) is a leap month that
// repeats the number of the month before it.
//
// The rules are those of the Chinese calendar, but Vietnam counts days in UTC+7 since 1968 and
// China in UTC+8, so a new moon or a solstice shortly before midnight in Hanoi lands on
// different days in the two countries. Tết 1985 (21 Jan in Vietnam, 20 Feb in China) and Tết
// 2007 (17 Feb against 18 Feb) are the best-known results. The Chinese calendar must never be
// used in its place.
//
// New moons come from the periodic terms of Meeus, "Astronomical Algorithms", 2nd ed., ch. 49
// (a few seconds of error), the sun's longitude from the same book's ch. 25 low-accuracy
// series (about 0.01°, a quarter of an hour), and ΔT from the Espenak–Meeus polynomials.
//
// NOTE: that accuracy decides every month start of 1990–2100 with room to spare, except new
// moons within minutes of midnight in Hanoi: 10 Dec 1996, 29 Dec 1997 and 21 Apr 2031 about
// four minutes before it, 21 Sep 1998 a minute after it, and after 2050, where ΔT itself is
// uncertain by minutes, a dozen more. No leap month and no 11th month of 1990–2100 depends on
// a solar term within half an hour of midnight. The published Tết and Hùng Kings dates of
// 1990–2100 in the tests agree; going further would take a full ephemeris.
//
// NOTE: before 1968 Vietnam reckoned its calendar in UTC+8; dates before then come out as
// UTC+7 gives them, not as the calendars of the time were printed.

// LunarMinYear and LunarMaxYear bound the Gregorian years for which lunar dates are supported:
// [LunarToSolar] refuses lunar years outside them and [SolarToLunar] is only checked inside them.
const (
	LunarMinYear = 1900
	LunarMaxYear = 2199
)

// ErrInvalidLunarDate is returned, wrapped, by [LunarToSolar] for a lunar date that does not
// exist: a leap month in a year without it, day 30 of a 29-day month, a year out of range.
var ErrInvalidLunarDate = errors.New("invalid lunar date")

// LunarDate is a date of the Vietnamese lunar calendar. Year is the Gregorian year in which the
// lunar year begins (lunar 1/1 of Year falls in January or February of Year); Month is 1 to 12;
// Leap marks the leap month (tháng nhuận) that follows the ordinary month of the same number.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// String writes the day and the month the Vietnamese way, day first: "1/1", "10/3". A leap
// month carries the letter n, for nhuận (leap): "15/4n" is the 15th of the leap 4th month.
// The year is left out.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%dn", l.Day, l.Month)
	}
	return fmt.Sprintf("%d/%d", l.Day, l.Month)
}

// SolarToLunar returns the Vietnamese lunar date of the civil date d. Dates outside
// [LunarMinYear]..[LunarMaxYear] are computed the same way, with growing uncertainty.
func SolarToLunar(d Date) LunarDate {
	return vietnamLunar.toLunar(d)
}

// LunarToSolar returns the civil date of the Vietnamese lunar date l. It fails with
// [ErrInvalidLunarDate] when l does not exist.
func LunarToSolar(l LunarDate) (Date, error) {
	return vietnamLunar.toSolar(l)
}

const (
	// julianDayOfEpoch is the Julian day number of 1970-01-01, day 0 of [Date.DayNumber].
	julianDayOfEpoch = 2440588
	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588861
	// newMoonEpoch is the mean new moon of 6 Jan 2000 (Meeus's lunation k = 0), in TT.
	newMoonEpoch = 2451550.09766
)

// lunarCalendar computes lunar dates for one time zone; the zone is a parameter so that tests
// can show the Chinese calendar (UTC+8) apart from the Vietnamese one.
type lunarCalendar struct {
	zoneHours float64
	years     sync.Map // Gregorian year → *lunarYearMonths, the months ending in that year
}

var vietnamLunar = &lunarCalendar{zoneHours: 7}

// lunarYearMonths holds the months from the 11th month that starts in Gregorian year Y-1 up to,
// not including, the 11th month that starts in year Y: 12 months, or 13 with a leap month.
type lunarYearMonths struct {
	year   int   // Y
	starts []int // Julian day numbers of the month starts; the last one is the next 11th month
	leap   int   // index in starts of the leap month, or -1
}

// months returns the month table that ends with the 11th month starting in Gregorian year y.
func (c *lunarCalendar) months(y int) *lunarYearMonths {
	if m, ok := c.years.Load(y); ok {
		return m.(*lunarYearMonths)
	}

	first := c.eleventhMonth(y - 1)
	last := c.eleventhMonth(y)
	m := &lunarYearMonths{year: y, leap: -1}
	for k := first; k <= last; k++ {
		m.starts = append(m.starts, c.newMoonDay(k))
	}

	// Thirteen months: the first one (after the 11th, which holds the solstice) that holds no
	// major solar term is the leap month.
	if last-first == 13 {
		for i := 1; i < 13; i++ {
			if c.termAtDayStart(m.starts[i]) == c.termAtDayStart(m.starts[i+1]) {
				m.leap = i
				break
			}
		}
	}

	stored, _ := c.years.LoadOrStore(y, m)
	return stored.(*lunarYearMonths)
}

// number returns the month number of the month at index i and whether it is a leap month.
func (m *lunarYearMonths) number(i int) (month int, leap bool) {
	n := i
	if m.leap >= 0 && i >= m.leap {
		n = i - 1
		leap = i == m.leap
	}
	return (n+10)%12 + 1, leap
}

// lunarYear returns the lunar year of the month at index i: the 11th and 12th months (leap or
// not) before the first month belong to the year before.
func (m *lunarYearMonths) lunarYear(i int) int {
	if month, _ := m.number(i); month >= 11 && i <= 3 {
		return m.year - 1
	}
	return m.year
}

func (c *lunarCalendar) toLunar(d Date) LunarDate {
	jd := d.DayNumber() + julianDayOfEpoch

	m := c.months(d.Year)
	if jd >= m.starts[len(m.starts)-1] {
		m = c.months(d.Year + 1)
	}

	// The index of the last month start at or before jd.
	i := sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > jd }) - 1
	month, leap := m.number(i)
	return LunarDate{Year: m.lunarYear(i), Month: month, Day: jd - m.starts[i] + 1, Leap: leap}
}

func (c *lunarCalendar) toSolar(l LunarDate) (Date, error) {
	if l.Year < LunarMinYear || l.Year > LunarMaxYear {
		return Date{}, fmt.Errorf("%w: year %d is outside %d–%d", ErrInvalidLunarDate,
			l.Year, LunarMinYear, LunarMaxYear)
	}
	return c.findSolar(l)
}

// findSolar is toSolar without the check of the year's range.
func (c *lunarCalendar) findSolar(l LunarDate) (Date, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return Date{}, fmt.Errorf("%w: %s of %d", ErrInvalidLunarDate, l, l.Year)
	}

	// Months 11 and 12 of lunar year Y start in Gregorian year Y, in the table ending in Y+1.
	m := c.months(l.Year)
	if l.Month >= 11 {
		m = c.months(l.Year + 1)
	}

	for i := 0; i < len(m.starts)-1; i++ {
		month, leap := m.number(i)
		if month != l.Month || leap != l.Leap || m.lunarYear(i) != l.Year {
			continue
		}
		if length := m.starts[i+1] - m.starts[i]; l.Day > length {
			return Date{}, fmt.Errorf("%w: %s of %d: the month has %d days",
				ErrInvalidLunarDate, l, l.Year, length)
		}
		return DateFromDayNumber(m.starts[i] + l.Day - 1 - julianDayOfEpoch), nil
	}
	if l.Leap {
		return Date{}, fmt.Errorf("%w: lunar year %d has no leap month %d",
			ErrInvalidLunarDate, l.Year, l.Month)
	}
	return Date{}, fmt.Errorf("%w: %s of %d", ErrInvalidLunarDate, l, l.Year)
}

// eleventhMonth returns the lunation number k (Meeus's count) of the 11th lunar month that
// starts in Gregorian year y: the month whose days include the day of the winter solstice.
func (c *lunarCalendar) eleventhMonth(y int) int {
	dec31 := Date{y, 12, 31}.DayNumber() + julianDayOfEpoch

	// The last new moon day on or before 31 December.
	k := int(math.Floor((float64(dec31) - newMoonEpoch) / synodicMonth))
	for c.newMoonDay(k) > dec31 {
		k--
	}
	for c.newMoonDay(k+1) <= dec31 {
		k++
	}

	// That month starts in December. When the sun has already reached 270° at the start of its
	// first day, the solstice fell in the month before.
	if c.termAtDayStart(c.newMoonDay(k)) >= 9 {
		k--
	}
	return k
}

// newMoonDay returns the local Julian day number of the day that holds new moon k.
func (c *lunarCalendar) newMoonDay(k int) int {
	return int(math.Floor(newMoonUT(k) + 0.5 + c.zoneHours/24))
}

// termAtDayStart returns which 30° sector (0 to 11) of longitude the sun is in at local midnight
// at the start of the day with Julian day number jd. A month whose first day and next month's
// first day give the same sector holds no major solar term.
func (c *lunarCalendar) termAtDayStart(jd int) int {
	midnightUT := float64(jd) - 0.5 - c.zoneHours/24
	return int(sunLongitude(midnightUT)/30) % 12
}

// newMoonUT returns the instant, as a Julian date in UT, of the new moon of lunation k, k = 0
// being the new moon of 6 January 2000 (Meeus ch. 49).
func newMoonUT(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3, t4 := t*t, t*t*t, t*t*t*t

	jde := newMoonEpoch + synodicMonth*kf + 0.00015437*t2 - 0.000000150*t3 + 0.00000000073*t4

	e := 1 - 0.002516*t - 0.0000074*t2
	sunAnomaly := radians(2.5534 + 29.10535670*kf - 0.0000014*t2 - 0.00000011*t3)
	moonAnomaly := radians(201.5643 + 385.81693528*kf + 0.0107582*t2 + 0.00001238*t3 -
		0.000000058*t4)
	latitudeArg := radians(160.7108 + 390.67050284*kf - 0.0016118*t2 - 0.00000227*t3 +
		0.000000011*t4)
	node := radians(124.7746 - 1.56375588*kf + 0.0020672*t2 + 0.00000215*t3)

	m, mm, f := sunAnomaly, moonAnomaly, latitudeArg
	sin := math.Sin
	jde += -0.40720*sin(mm) +
		0.17241*e*sin(m) +
		0.01608*sin(2*mm) +
		0.01039*sin(2*f) +
		0.00739*e*sin(mm-m) -
		0.00514*e*sin(mm+m) +
		0.00208*e*e*sin(2*m) -
		0.00111*sin(mm-2*f) -
		0.00057*sin(mm+2*f) +
		0.00056*e*sin(2*mm+m) -
		0.00042*sin(3*mm) +
		0.00042*e*sin(m+2*f) +
		0.00038*e*sin(m-2*f) -
		0.00024*e*sin(2*mm-m) -
		0.00017*sin(node) -
		0.00007*sin(mm+2*m) +
		0.00004*sin(2*mm-2*f) +
		0.00004*sin(3*m) +
		0.00003*sin(mm+m-2*f) +
		0.00003*sin(2*mm+2*f) -
		0.00003*sin(mm+m+2*f) +
		0.00003*sin(mm-m+2*f) -
		0.00002*sin(mm-m-2*f) -
		0.00002*sin(3*mm+m) +
		0.00002*sin(4*mm)

	// Planetary arguments: {amplitude, constant, rate per lunation}.
	planetary := [...][3]float64{
		{0.000325, 299.77, 0.107408}, {0.000165, 251.88, 0.016321},
		{0.000164, 251.83, 26.651886}, {0.000126, 349.42, 36.412478},
		{0.000110, 84.66, 18.206239}, {0.000062, 141.74, 53.303771},
		{0.000060, 207.14, 2.453732}, {0.000056, 154.84, 7.306860},
		{0.000047, 34.52, 27.261239}, {0.000042, 207.19, 0.121824},
		{0.000040, 291.34, 1.844379}, {0.000037, 161.72, 24.198154},
		{0.000035, 239.56, 25.513099}, {0.000023, 331.55, 3.592518},
	}
	for i, p := range planetary {
		arg := p[1] + p[2]*kf
		if i == 0 {
			arg -= 0.009173 * t2
		}
		jde += p[0] * sin(radians(arg))
	}

	return jde - deltaTDays(jde)
}

// sunLongitude returns the sun's apparent geocentric longitude in degrees, in [0, 360), at the
// instant jdUT (a Julian date in UT), per Meeus ch. 25 (low accuracy).
func sunLongitude(jdUT float64) float64 {
	t := (jdUT + deltaTDays(jdUT) - 2451545.0) / 36525
	t2 := t * t

	meanLongitude := 280.46646 + 36000.76983*t + 0.0003032*t2
	anomaly := radians(357.52911 + 35999.05029*t - 0.0001537*t2)
	center := (1.914602-0.004817*t-0.000014*t2)*math.Sin(anomaly) +
		(0.019993-0.000101*t)*math.Sin(2*anomaly) +
		0.000289*math.Sin(3*anomaly)
	node := radians(125.04 - 1934.136*t)

	apparent := meanLongitude + center - 0.00569 - 0.00478*math.Sin(node)
	apparent = math.Mod(apparent, 360)
	if apparent < 0 {
		apparent += 360
	}
	return apparent
}

// deltaTDays returns TT − UT, in days, near the Julian date jd (Espenak–Meeus polynomials).
func deltaTDays(jd float64) float64 {
	y := 2000 + (jd-2451544.5)/365.2425
	var s float64
	switch {
	case y < 1900:
		u := (y - 1820) / 100
		s = -20 + 32*u*u
	case y < 1920:
		t := y - 1900
		s = -2.79 + 1.494119*t - 0.0598939*t*t + 0.0061966*t*t*t - 0.000197*t*t*t*t
	case y < 1941:
		t := y - 1920
		s = 21.20 + 0.84493*t - 0.076100*t*t + 0.0020936*t*t*t
	case y < 1961:
		t := y - 1950
		s = 29.07 + 0.407*t - t*t/233 + t*t*t/2547
	case y < 1986:
		t := y - 1975
		s = 45.45 + 1.067*t - t*t/260 - t*t*t/718
	case y < 2005:
		t := y - 2000
		s = 63.86 + 0.3345*t - 0.060374*t*t + 0.0017275*t*t*t + 0.000651814*t*t*t*t +
			0.00002373599*t*t*t*t*t
	case y < 2050:
		t := y - 2000
		s = 62.92 + 0.32217*t + 0.005589*t*t
	case y < 2150:
		u := (y - 1820) / 100
		s = -20 + 32*u*u - 0.5628*(2150-y)
	default:
		u := (y - 1820) / 100
		s = -20 + 32*u*u
	}
	return s / 86400
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }
