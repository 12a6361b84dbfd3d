package rules

import (
	"fmt"
	"time"
)

// Class is how a dossier stands against its deadline.
type Class uint8

// The classes of lateness.
const (
	// ClassOnTime: completed at or before the deadline (đúng hạn).
	ClassOnTime Class = iota
	// ClassLateHours: completed after the deadline but on the same date, late by hours or
	// minutes only. The 2021 repair exists to stop counting these.
	ClassLateHours
	// ClassLateDays: completed on a later date than the deadline (trễ hạn). The repair never
	// hides these.
	ClassLateDays
	// ClassOverdue: not completed, and the present moment is past the deadline (quá hạn).
	ClassOverdue
	// ClassOpen: not completed and not yet due.
	ClassOpen
)

// String returns the class's name as reports write it: "on_time", "late_hours",
// "late_days", "overdue" or "open".
func (c Class) String() string {
	switch c {
	case ClassOnTime:
		return "on_time"
	case ClassLateHours:
		return "late_hours"
	case ClassLateDays:
		return "late_days"
	case ClassOverdue:
		return "overdue"
	case ClassOpen:
		return "open"
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// Classify says how a dossier due at due stands. completed is its completion time, nil while
// it is open; now is the present moment. "The same date" is compared in loc (nil:
// Asia/Ho_Chi_Minh), so that a completion at 08:00 local is not on another date than a
// deadline at 06:00 local merely because both were stored in UTC.
func Classify(due time.Time, completed *time.Time, now time.Time, loc *time.Location) Class {
	if completed == nil {
		if now.After(due) {
			return ClassOverdue
		}
		return ClassOpen
	}

	switch {
	case !completed.After(due):
		return ClassOnTime
	case DateOf(completed.In(zoneOrDefault(loc))) == DateOf(due.In(zoneOrDefault(loc))):
		return ClassLateHours
	}
	return ClassLateDays
}
