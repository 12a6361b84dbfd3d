package rules

// Tests with random inputs: seeded property tests of the deadline engine against a slow
// reference, and fuzz targets for the parsers.

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// referenceDeadline computes a deadline the slow and obvious way, walking day by day through
// the sessions that cal reports, to check the table arithmetic of [Calendar.Deadline].
func referenceDeadline(cal *Calendar, hoursPerDay float64, received time.Time, d Duration,
	p Policy, cutoff ClockTime) time.Time {
	local := received.In(cal.Zone())
	day := DateOf(local)
	sec := int64(local.Hour()*3600 + local.Minute()*60 + local.Second())
	sessions := func() []Session { return cal.Sessions(day) }
	nextDay := func() {
		for day = day.AddDays(1); !cal.IsWorkingDay(day); day = day.AddDays(1) {
		}
		sec = int64(sessions()[0].Start)
	}
	lastEnd := func() int64 { ss := sessions(); return int64(ss[len(ss)-1].End) }

	receiptDay := day
	// Deemed receipt.
	if !cal.IsWorkingDay(day) || cutoff != NoCutoff && sec >= int64(cutoff) || sec >= lastEnd() {
		nextDay()
	}
	for _, s := range sessions() {
		if sec < int64(s.End) {
			sec = max(sec, int64(s.Start))
			break
		}
	}

	// Counting.
	whole, frac := d.Milli/1000, d.Milli%1000
	switch {
	case d.Unit != WorkingHours && d.Milli == 0:
		sec = lastEnd()
	case d.Unit == CalendarDays:
		day = receiptDay.AddDays(int(whole))
		if !cal.IsWorkingDay(day) {
			nextDay()
		}
		sec = lastEnd()
	case d.Unit == WorkingDays && p.Mode == ModeDay:
		if frac > 0 {
			whole++
		}
		for range whole {
			nextDay()
		}
		sec = lastEnd()
		if frac > 0 && frac <= 500 {
			sec = int64(sessions()[0].End)
		}
	default:
		left := (d.Milli*3600 + 999) / 1000
		if d.Unit == WorkingDays {
			left = (d.Milli*int64(hoursPerDay*3600) + 999) / 1000
		}
		for left > 0 {
			for _, s := range sessions() {
				from := max(sec, int64(s.Start))
				if left == 0 || from >= int64(s.End) {
					continue
				}
				step := min(left, int64(s.End)-from)
				sec, left = from+step, left-step
			}
			if left > 0 {
				nextDay()
			}
		}
	}

	// Snap.
	switch p.Snap {
	case SnapSession:
		for _, s := range sessions() {
			if sec <= int64(s.End) {
				sec = int64(s.End)
				break
			}
		}
	case SnapDay:
		sec = lastEnd()
	}
	return day.In(cal.Zone(), int(sec))
}

// propertyCalendars are the calendars the property tests run on, with their hours per day.
var propertyCalendars = sync.OnceValue(func() map[string]struct {
	cal   *Calendar
	hours float64
} {
	summer, _ := ParseSessions("07:00-11:00,13:30-17:30")
	three, _ := ParseSessions("07:00-10:00,10:15-11:45,13:00-16:30")
	odd, err := NewCalendar(Config{
		Sessions:    three,
		HoursPerDay: 7.5,
		Seasons: []Season{
			{mustDate("2021-04-15"), mustDate("2021-10-14"), summer},
			{mustDate("2024-04-15"), mustDate("2024-10-14"), summer},
		},
		DaysOff: officialDaysOff(),
	})
	if err != nil {
		panic(err)
	}
	return map[string]struct {
		cal   *Calendar
		hours float64
	}{"official": {officialCalendar(), 8}, "three sessions": {odd, 7.5}}
})

func randomReceived(r *rand.Rand, cal *Calendar) time.Time {
	from := Date{1990, 1, 1}.DayNumber()
	if r.Intn(2) == 0 {
		from = Date{2020, 6, 1}.DayNumber() // around the official years
	}
	day := DateFromDayNumber(from + r.Intn(Date{2027, 6, 1}.DayNumber()-from))
	if r.Intn(4) == 0 {
		day = DateFromDayNumber(Date{1990, 1, 1}.DayNumber() + r.Intn(40000))
	}

	sec := r.Intn(secondsPerDay)
	if r.Intn(2) == 0 { // a session boundary, give or take a second
		ss := cal.Sessions(day)
		s := ss[r.Intn(len(ss))]
		sec = int([]ClockTime{s.Start, s.End}[r.Intn(2)]) + r.Intn(3) - 1
	}
	return day.In(cal.Zone(), sec).Add(time.Duration(r.Intn(1000)) * time.Millisecond)
}

func randomDuration(r *rand.Rand) Duration {
	switch r.Intn(3) {
	case 0:
		frac := []int64{0, 500, int64(r.Intn(1000))}[r.Intn(3)]
		return Duration{WorkingDays, int64(r.Intn(61))*1000 + frac}
	case 1:
		return Duration{WorkingHours, int64(r.Intn(480*1000 + 1))}
	}
	return Duration{CalendarDays, int64(r.Intn(366)) * 1000}
}

func randomCutoff(r *rand.Rand) ClockTime {
	if r.Intn(3) > 0 {
		return NoCutoff
	}
	return ClockTime(6*3600 + r.Intn(12*3600))
}

func TestDeadlineProperties(t *testing.T) {
	t.Parallel()

	for name, pc := range propertyCalendars() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewSource(20211209))
			cal := pc.cal
			for range 4000 {
				received, d, cutoff := randomReceived(r, cal), randomDuration(r), randomCutoff(r)
				p := Policy{Mode(r.Intn(2)), Snap(r.Intn(3))}
				msg := fmt.Sprintf("%s + %s %s cut-off %s", received.Format(time.RFC3339Nano), d, p,
					cutoff)

				got, err := cal.Deadline(received, d, p, cutoff)
				require.NoError(t, err, msg)
				require.Equal(t, referenceDeadline(cal, pc.hours, received, d, p, cutoff), got, msg)

				deemed, err := cal.DeemedReceipt(received, cutoff)
				require.NoError(t, err, msg)
				require.False(t, got.Before(deemed), "before the deemed receipt: %s", msg)

				again, err := cal.Snap(got, p.Snap)
				require.NoError(t, err)
				require.Equal(t, got, again, "snapping twice: %s", msg)
				unsnapped, err := cal.Deadline(received, d, Policy{p.Mode, SnapNone}, cutoff)
				require.NoError(t, err)
				snapped, err := cal.Snap(unsnapped, p.Snap)
				require.NoError(t, err)
				require.Equal(t, got, snapped, "snap after counting: %s", msg)

				requireInSession(t, cal, got, msg)

				// A longer duration of the same unit never ends earlier. In hour mode "0d" is
				// the end of the receipt day, longer than a short walk, so it starts the
				// comparison only in the other cases.
				longer := Duration{d.Unit, d.Milli + int64(r.Intn(5000))}
				if longer.Validate() == nil && !(d.Unit == WorkingDays && p.Mode == ModeHour &&
					d.Milli == 0) {
					later, err := cal.Deadline(received, longer, p, cutoff)
					require.NoError(t, err)
					require.False(t, later.Before(got), "%s is earlier for %s", later, msg)
				}
			}
		})
	}
}

// requireInSession checks that t lies inside or at the end of a session of a working day.
func requireInSession(t *testing.T, cal *Calendar, at time.Time, msg string) {
	t.Helper()
	local := at.In(cal.Zone())
	day := DateOf(local)
	require.True(t, cal.IsWorkingDay(day), "not a working day: %s", msg)
	clock := ClockTime(local.Hour()*3600 + local.Minute()*60 + local.Second())
	for _, s := range cal.Sessions(day) {
		if clock >= s.Start && clock <= s.End {
			return
		}
	}
	require.Failf(t, "outside the sessions", "%s at %s", msg, local)
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3d", "0.5d", "4h", "1.5h", "15cd", "0d", "365d", "2920h",
		"366d", "-1d", "1.2345h", "d", ".5d", "1e3d", " 3 D ", "0.5cd", "1,5d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			require.ErrorIs(t, err, ErrBadDuration)
			require.Contains(t, err.Error(), fmt.Sprintf("%q", s))
			return
		}
		require.NoError(t, d.Validate())
		back, err := ParseDuration(d.String())
		require.NoError(t, err)
		require.Equal(t, d, back)
	})
}

func FuzzParseTextDuration(f *testing.F) {
	for _, s := range []string{"05 ngày làm việc", "15 ngày", "trong ngày", "04 giờ", "0,5 ngày",
		"03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "5d", "05 (năm) ngày làm việc",
		"NỬA NGÀY", "1.000 ngày", "2 tuần", "ngày", "10 (mười) ngày", "01 tháng"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseTextDuration(s)
		if err != nil {
			require.ErrorIs(t, err, ErrBadDuration)
			require.Contains(t, err.Error(), fmt.Sprintf("%q", s))
			return
		}
		require.NoError(t, d.Validate())
		back, err := ParseTextDuration(d.String())
		require.NoError(t, err)
		require.Equal(t, d, back)
	})
}

func FuzzParseReceived(f *testing.F) {
	for _, s := range []string{"2021-03-08T03:15:42Z", "2021-03-08 10:15:42", "2021-03-08 10:15",
		"2021-03-08T10:15", "2021-03-08T10:15:42.123+07:00", "2021-02-30 10:00", "10:15",
		"2021-03-08", "2021-03-08 24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseReceived(s, nil)
		if err != nil {
			require.ErrorIs(t, err, ErrBadTime)
			require.Contains(t, err.Error(), fmt.Sprintf("%q", s))
			return
		}
		require.Equal(t, DefaultZoneName, got.Location().String())
		if _, offset := got.Zone(); got.Year() < 0 || got.Year() > 9999 || offset%60 != 0 {
			return // RFC 3339 cannot write it back (local mean time before 1906 is +07:06:40)
		}
		back, err := ParseReceived(got.Format(time.RFC3339Nano), nil)
		require.NoError(t, err)
		require.True(t, got.Equal(back), "%s != %s", got, back)
	})
}
