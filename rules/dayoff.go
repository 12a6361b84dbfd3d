package rules

// Kind says why a day is in the calendar's list of exceptions.
type Kind string

// The kinds of calendar exception, as written in the calendar data files.
const (
	// KindHoliday is a public holiday (ngày lễ), listed even when it falls on a weekend.
	KindHoliday Kind = "holiday"
	// KindCompensatory is a weekday off because a holiday fell on a weekend (nghỉ bù).
	KindCompensatory Kind = "compensatory"
	// KindSwapOff is a weekday off in exchange for a make-up working day (nghỉ hoán đổi).
	KindSwapOff Kind = "swap_off"
	// KindMakeupWorkday is a Saturday or Sunday worked in exchange for a swapped day (làm bù).
	KindMakeupWorkday Kind = "makeup_workday"
)

// Source values of a [DayOff].
const (
	SourceOfficial = "official" // from a government notice shipped with fixer
	SourceDerived  = "derived"  // derived from the Labour Code for a year with no notice on file
	SourceLocal    = "local"    // from a province's own calendar file named in the configuration
)

// DayOff is one entry of the working calendar's exceptions: a day off, or a make-up working day.
type DayOff struct {
	Date   Date
	Kind   Kind
	Name   string // Vietnamese name, e.g. "Giỗ Tổ Hùng Vương"
	Source string // SourceOfficial, SourceDerived or SourceLocal
	Ref    string // the notice or rule it comes from
}

// IsOff reports whether the entry takes a day out of the working calendar.
func (d DayOff) IsOff() bool { return d.Kind != KindMakeupWorkday }
