package rules

import (
	"errors"
	"fmt"
	"strings"
)

// Mode says how a duration in days is counted.
type Mode uint8

// The counting modes.
const (
	// ModeHour walks forward through the sessions from the deemed receipt until the duration,
	// in working time, is used up; a working day counts as [Config.HoursPerDay] hours. This is
	// what the legacy system did.
	ModeHour Mode = iota
	// ModeDay does not count the deemed receipt day and ends at the close of the N-th working
	// day after it (hẹn trả theo ngày). A half day adds the first session of the next working
	// day. Durations in hours are still counted in hours.
	ModeDay
)

// String returns "hour" or "day".
func (m Mode) String() string {
	switch m {
	case ModeHour:
		return "hour"
	case ModeDay:
		return "day"
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// ErrBadPolicy reports a counting mode or snap that cannot be read.
var ErrBadPolicy = errors.New("invalid policy")

// ParseMode reads "hour" or "day", ignoring case and surrounding space.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "hour":
		return ModeHour, nil
	case "day":
		return ModeDay, nil
	}
	return 0, fmt.Errorf("%w: counting mode %q: want hour or day", ErrBadPolicy, s)
}

// Snap says how a counted deadline is rounded up.
type Snap uint8

// The roundings applied after counting.
const (
	// SnapNone keeps the deadline as counted.
	SnapNone Snap = iota
	// SnapSession moves the deadline to the end of the session that holds it (cuối buổi); a
	// deadline exactly at a session's end stays.
	SnapSession
	// SnapDay moves the deadline to the end of the last session of its day.
	SnapDay
)

// String returns "none", "session" or "day".
func (s Snap) String() string {
	switch s {
	case SnapNone:
		return "none"
	case SnapSession:
		return "session"
	case SnapDay:
		return "day"
	}
	return fmt.Sprintf("snap(%d)", uint8(s))
}

// ParseSnap reads "none", "session" or "day", ignoring case and surrounding space.
func ParseSnap(s string) (Snap, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none":
		return SnapNone, nil
	case "session":
		return SnapSession, nil
	case "day":
		return SnapDay, nil
	}
	return 0, fmt.Errorf("%w: snap %q: want none, session or day", ErrBadPolicy, s)
}

// Policy is how a deadline is computed: a counting mode and a rounding.
type Policy struct {
	Mode Mode
	Snap Snap
}

// String formats p as "mode/snap", such as "hour/session".
func (p Policy) String() string { return p.Mode.String() + "/" + p.Snap.String() }

// validate reports a mode or snap outside the known values.
func (p Policy) validate() error {
	if p.Mode > ModeDay || p.Snap > SnapDay {
		return fmt.Errorf("%w %s", ErrBadPolicy, p)
	}
	return nil
}

// The policies of the repair profile ordered in 2021, and the legacy one it replaces.
var (
	// LegacyPolicy is what the legacy system did: hours and minutes, no rounding.
	LegacyPolicy = Policy{Mode: ModeHour, Snap: SnapNone}
	// AppointmentPolicy2021 computes the appointment of a dossier (ngày hẹn trả), by day.
	AppointmentPolicy2021 = Policy{Mode: ModeDay, Snap: SnapNone}
	// DeadlinePolicy2021 computes the processing deadline of a dossier and of each workflow
	// step (hạn xử lý): hours, rounded up to the end of the session.
	DeadlinePolicy2021 = Policy{Mode: ModeHour, Snap: SnapSession}
)
