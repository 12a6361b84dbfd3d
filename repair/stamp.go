package repair

import "time"

// Time layouts that parseStampFast reads by hand when a table's time_layout names them.
const (
	dmyDateTimeLayout = "02/01/2006 15:04:05"
	dmyDateLayout     = "02/01/2006"
)

// parseStampFast reads the most common timestamp texts without time.ParseInLocation: the
// zone-less ISO forms when layout is "" (see [parseISOFast]) and the day-first forms when layout
// is one of the two day-first layouts (see [parseDMYFast]). It reports false for any other text,
// including NULL's empty text and the zero date, which [parseStampSlow] then handles; when it
// reports true, the time is the one parseStampSlow would return.
func parseStampFast(s, layout string, loc *time.Location) (time.Time, bool) {
	switch layout {
	case "":
		return parseISOFast(s, loc)
	case dmyDateTimeLayout:
		return parseDMYFast(s, true, loc)
	case dmyDateLayout:
		return parseDMYFast(s, false, loc)
	}
	return time.Time{}, false
}

// parseISOFast reads, in loc, exactly the texts that the zone-less entries of stampLayouts
// accept in their plainest spelling:
//
//	2006-01-02
//	2006-01-02 15:04
//	2006-01-02 15:04:05
//	2006-01-02 15:04:05.999999999
//	2006-01-02T15:04:05
//	2006-01-02T15:04:05.999999999
//
// Every field has its full width (a four-digit year, two-digit month, day, hour, minute and
// second), the fraction has one to nine digits after a period and is dropped, as parseStampSlow
// truncates to the second. Fields are range-checked as time.Parse checks them. Anything else (a
// zone, a comma, a one-digit hour, repeated spaces, ten or more fraction digits, a value out of
// range) is reported false and left to time.ParseInLocation, so that its result or error is
// unchanged.
func parseISOFast(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, month, day, ok := readDate(s[0:4], s[5:7], s[8:10])
	if !ok {
		return time.Time{}, false
	}
	var hour, minute, second int
	switch rest := s[10:]; {
	case rest == "":
		// A date alone: "2006-01-02".
	case len(rest) == 6 && rest[0] == ' ':
		// "2006-01-02 15:04", a form that only has the space separator.
		hour, minute, second, ok = readClock(rest[1:])
	case len(rest) >= 9 && (rest[0] == ' ' || rest[0] == 'T'):
		// Seconds, then optionally a fraction: "2006-01-02 15:04:05.999999999" or with 'T'.
		if len(rest) > 9 && !isFraction(rest[9:]) {
			return time.Time{}, false
		}
		hour, minute, second, ok = readClock(rest[1:9])
	default:
		return time.Time{}, false
	}
	if !ok {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, loc), true
}

// parseDMYFast reads, in loc, text in the layout "02/01/2006 15:04:05" (withClock true) or
// "02/01/2006" (withClock false), with every field at its full width, a single space, and
// nothing else: no fraction and no trailing text. Fields are range-checked as time.Parse checks
// them. Any other text is reported false and left to time.ParseInLocation.
func parseDMYFast(s string, withClock bool, loc *time.Location) (time.Time, bool) {
	n := len(dmyDateLayout)
	if withClock {
		n = len(dmyDateTimeLayout)
	}
	if len(s) != n || s[2] != '/' || s[5] != '/' {
		return time.Time{}, false
	}
	year, month, day, ok := readDate(s[6:10], s[3:5], s[0:2])
	var hour, minute, second int
	if ok && withClock {
		if s[10] != ' ' {
			return time.Time{}, false
		}
		hour, minute, second, ok = readClock(s[11:])
	}
	if !ok {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, loc), true
}

// readDate reads a four-digit year, a two-digit month and a two-digit day and reports whether
// they name a real day of the proleptic Gregorian calendar, as time.Parse requires.
func readDate(yyyy, mm, dd string) (year, month, day int, ok bool) {
	year, okYear := readDigits(yyyy)
	month, okMonth := readDigits(mm)
	day, okDay := readDigits(dd)
	ok = okYear && okMonth && okDay && month >= 1 && month <= 12 && day >= 1 &&
		day <= daysInMonth(month, year)
	return year, month, day, ok
}

// readClock reads "15:04" or "15:04:05" with two-digit fields and reports whether the hour is
// 0–23 and the minute and second 0–59, the ranges time.Parse accepts.
func readClock(s string) (hour, minute, second int, ok bool) {
	if (len(s) != 5 && len(s) != 8) || s[2] != ':' {
		return 0, 0, 0, false
	}
	hour, okHour := readDigits(s[0:2])
	minute, okMinute := readDigits(s[3:5])
	okSecond := true
	if len(s) == 8 {
		if s[5] != ':' {
			return 0, 0, 0, false
		}
		second, okSecond = readDigits(s[6:8])
	}
	ok = okHour && okMinute && okSecond && hour < 24 && minute < 60 && second < 60
	return hour, minute, second, ok
}

// isFraction reports whether s is a period followed by one to nine digits.
func isFraction(s string) bool {
	if len(s) < 2 || len(s) > 10 || s[0] != '.' {
		return false
	}
	_, ok := readDigits(s[1:])
	return ok
}

// readDigits returns the value of s and whether s consists of ASCII digits only. It is called
// with at most nine digits, so the value does not overflow.
func readDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysInMonth returns the number of days of month (1–12) in year, with the Gregorian leap years.
func daysInMonth(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatDateTime renders t's wall-clock time in its own location as t.Format(time.DateTime)
// does, without interpreting the layout. Years outside 0000–9999, which Format writes with a
// sign or more digits, are left to Format.
func formatDateTime(t time.Time) string {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format(time.DateTime)
	}
	hour, minute, second := t.Clock()
	var b [len(time.DateTime)]byte
	put2(b[0:], year/100)
	put2(b[2:], year%100)
	b[4] = '-'
	put2(b[5:], int(month))
	b[7] = '-'
	put2(b[8:], day)
	b[10] = ' '
	put2(b[11:], hour)
	b[13] = ':'
	put2(b[14:], minute)
	b[16] = ':'
	put2(b[17:], second)
	return string(b[:])
}

// put2 writes n (0–99) as two digits at the start of b.
func put2(b []byte, n int) {
	b[0] = byte('0' + n/10)
	b[1] = byte('0' + n%10)
}
