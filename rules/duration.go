package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Unit is the unit of a processing time.
type Unit uint8

// The units of a [Duration]. The zero Unit is not a unit, so that a duration never set is
// caught instead of being read as "0d".
const (
	// WorkingDays are days of the working calendar ("3d"; ngày làm việc).
	WorkingDays Unit = iota + 1
	// WorkingHours are hours of session time ("4h"; giờ làm việc).
	WorkingHours
	// CalendarDays are days of the civil calendar, working or not ("15cd"; ngày).
	CalendarDays
)

// String returns the unit's suffix: "d", "h" or "cd".
func (u Unit) String() string {
	switch u {
	case WorkingDays:
		return "d"
	case WorkingHours:
		return "h"
	case CalendarDays:
		return "cd"
	}
	return fmt.Sprintf("unit(%d)", uint8(u))
}

// MaxWorkingDays bounds every duration: 365 working days, the same number of calendar days,
// or the hours of 365 working days of 8 hours.
const MaxWorkingDays = 365

const milliPerUnit = 1000

// maxMilli is the largest amount, in thousandths, allowed for each unit.
var maxMilli = map[Unit]int64{
	WorkingDays:  MaxWorkingDays * milliPerUnit,
	WorkingHours: MaxWorkingDays * 8 * milliPerUnit,
	CalendarDays: MaxWorkingDays * milliPerUnit,
}

// Duration is a processing time: an amount of a [Unit], in thousandths of the unit, so that
// 0.5d is {WorkingDays, 500} and 1.5h is {WorkingHours, 1500}.
type Duration struct {
	Unit  Unit
	Milli int64
}

// Days returns a duration of n working days.
func Days(n int64) Duration { return Duration{Unit: WorkingDays, Milli: n * milliPerUnit} }

// Hours returns a duration of n working hours.
func Hours(n int64) Duration { return Duration{Unit: WorkingHours, Milli: n * milliPerUnit} }

// ErrBadDuration reports a duration that [ParseDuration] or [ParseTextDuration] cannot read,
// or one outside the allowed range. Errors wrapping it name the value and say what is wrong.
var ErrBadDuration = errors.New("invalid duration")

// ErrAmbiguousDuration reports a processing time written with more than one duration, such as a
// general one and one for some cases. It wraps [ErrBadDuration].
var ErrAmbiguousDuration = fmt.Errorf("%w: ambiguous", ErrBadDuration)

// durationForms is the hint given with a duration that cannot be read.
const durationForms = "want a number and a unit, such as 3d, 0.5d, 4h, 1.5h or 15cd"

// Validate reports whether d is a duration fixer can count: a known unit, an amount from zero
// to the [MaxWorkingDays] limit, and whole calendar days.
func (d Duration) Validate() error {
	if p := d.problem(); p != "" {
		return fmt.Errorf("%w %s: %s", ErrBadDuration, d, p)
	}
	return nil
}

// problem says what is wrong with d, or returns "" when d is valid.
func (d Duration) problem() string {
	limit, ok := maxMilli[d.Unit]
	switch {
	case !ok:
		return "no valid unit"
	case d.Milli < 0:
		return "negative"
	case d.Milli > limit:
		return fmt.Sprintf("over the limit of %d working days", MaxWorkingDays)
	case d.Unit == CalendarDays && d.Milli%milliPerUnit != 0:
		return "calendar days must be whole"
	}
	return ""
}

// IsZero reports whether d is an amount of nothing, whatever its unit.
func (d Duration) IsZero() bool { return d.Milli == 0 }

// String formats d as ParseDuration reads it: "3d", "0.5d", "1.25h", "15cd".
func (d Duration) String() string {
	return formatMilli(d.Milli) + d.Unit.String()
}

// formatMilli writes an amount in thousandths as a decimal number without trailing zeros.
func formatMilli(m int64) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	whole, frac := m/milliPerUnit, m%milliPerUnit
	if frac == 0 {
		return sign + strconv.FormatInt(whole, 10)
	}
	return sign + strconv.FormatInt(whole, 10) + "." +
		strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
}

// ParseDuration reads a processing time written as a number and a unit: "3d" or "0.5d"
// (working days), "4h" or "1.5h" (working hours), "15cd" (calendar days), "0d" (within the day
// of receipt). The number has at most three decimals; a space may separate it from the unit;
// case is ignored. A negative, malformed or over-limit value is an error that names it.
func ParseDuration(s string) (Duration, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(v, "-") {
		return Duration{}, fmt.Errorf("%w %q: negative", ErrBadDuration, s)
	}

	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	milli, ok := parseMilli(v[:i], '.')
	if !ok {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrBadDuration, s, durationForms)
	}

	var d Duration
	switch strings.TrimSpace(v[i:]) {
	case "d":
		d = Duration{Unit: WorkingDays, Milli: milli}
	case "h":
		d = Duration{Unit: WorkingHours, Milli: milli}
	case "cd":
		d = Duration{Unit: CalendarDays, Milli: milli}
	default:
		return Duration{}, fmt.Errorf("%w %q: unknown unit; %s", ErrBadDuration, s, durationForms)
	}
	if p := d.problem(); p != "" {
		return Duration{}, fmt.Errorf("%w %q: %s", ErrBadDuration, s, p)
	}
	return d, nil
}

// parseMilli reads a non-negative decimal number with at most three decimals after the
// separator sep, in thousandths. It refuses empty parts, signs, exponents and values too large
// to be a duration.
func parseMilli(s string, sep byte) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(s, string(sep))
	if whole == "" || len(whole) > 9 || !allDigits(whole) {
		return 0, false
	}
	if hasFrac && (frac == "" || len(frac) > 3 || !allDigits(frac)) {
		return 0, false
	}

	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	m := n * milliPerUnit
	if hasFrac {
		f, _ := strconv.ParseInt((frac + "00")[:3], 10, 64)
		m += f
	}
	return m, true
}
