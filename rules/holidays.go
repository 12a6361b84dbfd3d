package rules

// DeriveOptions tune how a year with no notice on file is derived from the Labour Code.
type DeriveOptions struct {
	// TetDaysBefore is how many of the five Lunar New Year days fall before the first day of
	// the lunar year. Zero means the default.
	TetDaysBefore int
}

// DaysOffInYear returns the calendar exceptions of year y: the official notice when one ships
// with fixer, otherwise days derived from the Labour Code, in which case derived is true.
//
// Placeholder: replaced by the real implementation.
func DaysOffInYear(y int, o DeriveOptions) (days []DayOff, derived bool) {
	return nil, true
}
