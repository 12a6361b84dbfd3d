package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ClockTime is a time of day as seconds after midnight, from 0 to 86400 (24:00, the end of
// the day, usable as the end of a session).
type ClockTime int32

// NoCutoff means that a procedure has no cut-off time: see [Calendar.DeemedReceipt].
const NoCutoff ClockTime = -1

const secondsPerDay = 86400

// ErrBadClock reports a time of day that [ParseClock] cannot read.
var ErrBadClock = errors.New("want HH:MM or HH:MM:SS between 00:00 and 24:00")

// ParseClock reads a time of day written "15:00", "7:30" or "07:30:00". "24:00" is accepted
// as the end of the day.
func ParseClock(s string) (ClockTime, error) {
	v := strings.TrimSpace(s)
	parts := strings.Split(v, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return 0, fmt.Errorf("invalid time of day %q: %w", s, ErrBadClock)
	}

	limits := []int{24, 59, 59}
	total := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || !allDigits(p) || len(p) > 2 || (i > 0 && len(p) != 2) || n > limits[i] {
			return 0, fmt.Errorf("invalid time of day %q: %w", s, ErrBadClock)
		}
		total = total*60 + n
	}
	if len(parts) == 2 {
		total *= 60
	}
	if total > secondsPerDay {
		return 0, fmt.Errorf("invalid time of day %q: %w", s, ErrBadClock)
	}
	return ClockTime(total), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// String formats c as HH:MM, or HH:MM:SS when it has seconds; [NoCutoff] reads "none".
func (c ClockTime) String() string {
	if c < 0 {
		return "none"
	}
	h, m, s := c/3600, c/60%60, c%60
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// Session is a working period of a day, such as the morning 07:30–11:30 (buổi sáng). A moment
// t is inside it when Start <= t < End.
type Session struct{ Start, End ClockTime }

// String formats s as "07:30-11:30".
func (s Session) String() string { return s.Start.String() + "-" + s.End.String() }

// Length returns the session's working time in seconds.
func (s Session) Length() int64 { return int64(s.End - s.Start) }

// DefaultSessions are the sessions of a working day when the configuration sets none: morning
// 07:30–11:30 and afternoon 13:00–17:00, eight working hours.
func DefaultSessions() []Session {
	return []Session{{Start: 7*3600 + 1800, End: 11*3600 + 1800}, {Start: 13 * 3600, End: 17 * 3600}}
}

// ErrBadSessions reports a list of sessions that is empty, unordered or overlapping.
var ErrBadSessions = errors.New("want ordered, non-overlapping, non-empty sessions " +
	"such as 07:30-11:30,13:00-17:00")

// ParseSessions reads a day's sessions written "07:30-11:30,13:00-17:00". The sessions must be
// in order, must not overlap and must each last some time; otherwise the error names the value.
func ParseSessions(s string) ([]Session, error) {
	var out []Session
	for _, part := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, fmt.Errorf("invalid sessions %q: %w", s, ErrBadSessions)
		}
		start, err := ParseClock(from)
		if err != nil {
			return nil, fmt.Errorf("invalid sessions %q: %w", s, err)
		}
		end, err := ParseClock(to)
		if err != nil {
			return nil, fmt.Errorf("invalid sessions %q: %w", s, err)
		}
		out = append(out, Session{Start: start, End: end})
	}
	if err := validateSessions(out); err != nil {
		return nil, fmt.Errorf("invalid sessions %q: %w", s, err)
	}
	return out, nil
}

// validateSessions checks that ss is non-empty, ordered and without overlaps, and that each
// session lies within the day and lasts some time.
func validateSessions(ss []Session) error {
	if len(ss) == 0 {
		return ErrBadSessions
	}
	prevEnd := ClockTime(0)
	for i, s := range ss {
		if s.Start < 0 || s.End > secondsPerDay || s.Start >= s.End {
			return fmt.Errorf("session %s: %w", s, ErrBadSessions)
		}
		if i > 0 && s.Start < prevEnd {
			return fmt.Errorf("session %s starts before the previous one ends: %w", s,
				ErrBadSessions)
		}
		prevEnd = s.End
	}
	return nil
}

// Season gives the days from From to To, both included, their own sessions, such as summer
// office hours. It overrides [Config.Sessions] on those days.
type Season struct {
	From, To Date
	Sessions []Session
}

// sessionSet is one distinct list of sessions used by days of the calendar, with derived sums.
type sessionSet struct {
	sessions []Session
	length   int64 // working seconds of a working day with these sessions
}

func newSessionSet(ss []Session) sessionSet {
	set := sessionSet{sessions: ss}
	for _, s := range ss {
		set.length += s.Length()
	}
	return set
}

func (set *sessionSet) first() Session { return set.sessions[0] }
func (set *sessionSet) last() Session  { return set.sessions[len(set.sessions)-1] }

// workedBefore returns the working seconds of the day before clock time sec.
func (set *sessionSet) workedBefore(sec int64) int64 {
	var n int64
	for _, s := range set.sessions {
		switch {
		case sec >= int64(s.End):
			n += s.Length()
		case sec > int64(s.Start):
			n += sec - int64(s.Start)
		}
	}
	return n
}

// clockAfter returns the clock time at which r working seconds of the day have passed, for
// 0 < r <= set.length. Time that runs out exactly at a session's end stays at that end.
func (set *sessionSet) clockAfter(r int64) int64 {
	for _, s := range set.sessions {
		if r <= s.Length() {
			return int64(s.Start) + r
		}
		r -= s.Length()
	}
	return int64(set.last().End)
}

// holding returns the index of the session that holds clock time sec (start <= sec <= end),
// or -1 when sec lies outside every session.
func (set *sessionSet) holding(sec int64) int {
	for i, s := range set.sessions {
		if sec >= int64(s.Start) && sec <= int64(s.End) {
			return i
		}
	}
	return -1
}
