package rules

import (
	"fmt"
	"time"
)

// pos is a moment on the calendar's table: a row and a clock time on that day, in seconds
// after midnight (up to 86400, the end of the day).
type pos struct {
	day int32
	sec int64
}

// deemedWhy says which rule set the deemed receipt.
type deemedWhy uint8

const (
	inSession     deemedWhy = iota // received inside a session: the clock starts at once
	beforeSession                  // received before a session of a working day: at its start
	afterClose                     // received after the day's last session: next working day
	notWorking                     // received on a day that is not worked: next working day
	afterCutoff                    // received at or after the cut-off: next working day
)

// trace records the steps of one deadline computation, for [Calendar.Explain].
type trace struct {
	received pos
	deemed   pos
	why      deemedWhy
	counted  pos // before the snap
	due      pos
}

// Deadline computes the deadline of something received at received, with processing time d,
// counted under policy p with the procedure's cut-off (NoCutoff for none).
//
// received may be in any location: it is converted to the calendar's zone and truncated to
// the second. The clock starts at the deemed receipt ([Calendar.DeemedReceipt]). Then:
//   - "0d" (and "0cd") ends at the end of the last session of the deemed receipt day;
//   - calendar days end at the end of the day N calendar days after the day of receipt itself
//     (DOMAIN.md: "N days after the receipt day"), or of the next working day when that day is
//     not worked;
//   - hours, and days in [ModeHour], walk forward through the sessions, a day counting as the
//     configured hours per day; a walk that ends exactly at a session's end stops there;
//   - days in [ModeDay] end at the end of the N-th working day after the deemed receipt day,
//     and a fraction adds the first session of the next working day (a fraction above one
//     half adds the whole day).
//
// Last the policy's snap is applied. The result is in [Calendar.Zone], in whole seconds. It is
// an error when d or p is invalid, when cutoff is neither NoCutoff nor a time of day, and when
// the receipt or the deadline falls outside the calendar's years ([ErrOutOfRange]).
func (c *Calendar) Deadline(received time.Time, d Duration, p Policy, cutoff ClockTime) (
	time.Time, error,
) {
	tr, err := c.compute(received, d, p, cutoff)
	if err != nil {
		return time.Time{}, err
	}
	return c.timeOf(tr.due), nil
}

// DeemedReceipt returns the moment from which a processing time is counted for something
// received at received:
//   - inside a session of a working day: received itself, truncated to the second;
//   - before a session of the same working day (early morning, lunch break): the start of
//     that session;
//   - at or after the end of the day's last session, on a day that is not worked, or at or
//     after the cut-off (when cutoff is not NoCutoff): the start of the first session of the
//     next working day.
func (c *Calendar) DeemedReceipt(received time.Time, cutoff ClockTime) (time.Time, error) {
	if err := checkCutoff(cutoff); err != nil {
		return time.Time{}, err
	}
	r, err := c.posOf(received)
	if err == nil {
		r, _, err = c.deem(r, cutoff)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("deemed receipt of %s: %w", received.Format(time.RFC3339),
			err)
	}
	return c.timeOf(r), nil
}

// compute runs every step of a deadline computation and records them.
func (c *Calendar) compute(received time.Time, d Duration, p Policy, cutoff ClockTime) (
	trace, error,
) {
	var tr trace
	if err := d.Validate(); err != nil {
		return tr, err
	}
	if err := p.validate(); err != nil {
		return tr, err
	}
	if err := checkCutoff(cutoff); err != nil {
		return tr, err
	}

	var err error
	if tr.received, err = c.posOf(received); err != nil {
		return tr, fmt.Errorf("received %s: %w", received.Format(time.RFC3339), err)
	}
	tr.deemed, tr.why, err = c.deem(tr.received, cutoff)
	if err == nil {
		tr.counted, err = c.count(tr.received, tr.deemed, d, p.Mode)
	}
	if err == nil {
		tr.due, err = c.snap(tr.counted, p.Snap)
	}
	if err != nil {
		return tr, fmt.Errorf("deadline of %s after %s: %w", received.Format(time.RFC3339), d, err)
	}
	return tr, nil
}

func checkCutoff(cutoff ClockTime) error {
	if cutoff != NoCutoff && (cutoff < 0 || cutoff > secondsPerDay) {
		return fmt.Errorf("%w: cut-off %d: want a time of day or none", ErrBadPolicy, int32(cutoff))
	}
	return nil
}

// posOf places t on the table: its date and clock time in the calendar's zone, truncated to
// the second.
func (c *Calendar) posOf(t time.Time) (pos, error) {
	local := t.In(c.zone)
	_, offset := local.Zone()
	wall := local.Unix() + int64(offset)
	dayNum := wall / secondsPerDay
	if wall < 0 && wall%secondsPerDay != 0 {
		dayNum--
	}

	row := dayNum - int64(c.firstDay)
	if row < 0 || row >= int64(len(c.days)) {
		return pos{}, ErrOutOfRange
	}
	return pos{day: int32(row), sec: wall - dayNum*secondsPerDay}, nil
}

// timeOf returns the instant of p in the calendar's zone.
func (c *Calendar) timeOf(p pos) time.Time {
	return time.Date(1970, time.January, 1+c.firstDay+int(p.day), 0, 0, int(p.sec), 0, c.zone)
}

// nextWorking returns the first working day after row i.
func (c *Calendar) nextWorking(i int32) (int32, error) {
	if int(i)+1 >= len(c.days) || int(c.days[i+1].next) >= len(c.days) {
		return 0, ErrOutOfRange
	}
	return c.days[i+1].next, nil
}

// deem applies the rules of [Calendar.DeemedReceipt] to r.
func (c *Calendar) deem(r pos, cutoff ClockTime) (pos, deemedWhy, error) {
	why := afterClose
	switch {
	case !c.days[r.day].working:
		why = notWorking
	case cutoff != NoCutoff && r.sec >= int64(cutoff):
		why = afterCutoff
	default:
		for _, s := range c.sets[c.days[r.day].set].sessions {
			switch {
			case r.sec < int64(s.Start):
				return pos{r.day, int64(s.Start)}, beforeSession, nil
			case r.sec < int64(s.End):
				return r, inSession, nil
			}
		}
	}

	i, err := c.nextWorking(r.day)
	if err != nil {
		return pos{}, why, err
	}
	return pos{i, int64(c.sets[c.days[i].set].first().Start)}, why, nil
}

// count finds the deadline, before any snap, from the receipt: calendar days from the day of
// received itself, every other unit from the deemed receipt from.
func (c *Calendar) count(received, from pos, d Duration, m Mode) (pos, error) {
	switch {
	case d.Unit != WorkingHours && d.Milli == 0:
		return c.endOfDay(from.day), nil
	case d.Unit == CalendarDays:
		// N >= 1 days after the receipt day, moved to a working day, ends at or after the
		// start of the deemed receipt, the first working day after the receipt at the latest.
		target := int64(received.day) + d.Milli/milliPerUnit
		if target >= int64(len(c.days)) || int(c.days[target].next) >= len(c.days) {
			return pos{}, ErrOutOfRange
		}
		return c.endOfDay(c.days[target].next), nil
	case d.Unit == WorkingHours:
		return c.walk(from, ceilDiv(d.Milli*3600, milliPerUnit))
	case m == ModeHour:
		return c.walk(from, ceilDiv(d.Milli*c.daySeconds, milliPerUnit))
	}

	whole, frac := d.Milli/milliPerUnit, d.Milli%milliPerUnit
	k := int64(c.days[from.day].ord) + whole
	if frac > 0 {
		k++
	}
	if k >= int64(len(c.workDays)) {
		return pos{}, ErrOutOfRange
	}
	i := c.workDays[k]
	if frac > 0 && frac <= milliPerUnit/2 {
		return pos{i, int64(c.sets[c.days[i].set].first().End)}, nil
	}
	return c.endOfDay(i), nil
}

// walk moves forward from from, a moment inside or at an edge of a session of a working day,
// through secs seconds of session time. A walk that ends exactly at a session's end stays
// there.
func (c *Calendar) walk(from pos, secs int64) (pos, error) {
	if secs == 0 {
		return from, nil
	}
	set := &c.sets[c.days[from.day].set]
	target := c.cumStart(from.day) + set.workedBefore(from.sec) + secs
	if target > c.days[len(c.days)-1].cumEnd {
		return pos{}, ErrOutOfRange
	}

	// The first working day whose cumulative end reaches target holds the deadline. It lies
	// at most secs/minDayLen+1 working days after from.
	lo := int64(c.days[from.day].ord)
	hi := min(lo+secs/c.minDayLen+2, int64(len(c.workDays)))
	for lo < hi {
		mid := lo + (hi-lo)/2
		if c.days[c.workDays[mid]].cumEnd >= target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}

	i := c.workDays[lo]
	return pos{i, c.sets[c.days[i].set].clockAfter(target - c.cumStart(i))}, nil
}

// endOfDay returns the end of the last session of row i.
func (c *Calendar) endOfDay(i int32) pos {
	return pos{i, int64(c.sets[c.days[i].set].last().End)}
}

// Snap rounds t up as s says: to the first end of a session ([SnapSession]) or of a working
// day's last session ([SnapDay]) at or after t; [SnapNone] returns t. A moment inside a session
// goes to that session's end, a moment exactly at a session's end stays, and a moment outside
// the sessions (lunch break, evening, a day off) goes to the next end. Snapping twice gives the
// same result as snapping once. t is converted to the calendar's zone and truncated to the
// second.
func (c *Calendar) Snap(t time.Time, s Snap) (time.Time, error) {
	if s > SnapDay {
		return time.Time{}, fmt.Errorf("%w: snap %s", ErrBadPolicy, s)
	}
	p, err := c.posOf(t)
	if err == nil {
		p, err = c.snap(p, s)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("snap %s: %w", t.Format(time.RFC3339), err)
	}
	return c.timeOf(p), nil
}

// snap applies the rules of [Calendar.Snap] to p.
func (c *Calendar) snap(p pos, s Snap) (pos, error) {
	if s == SnapNone {
		return p, nil
	}
	if c.days[p.day].working {
		set := &c.sets[c.days[p.day].set]
		for _, ss := range set.sessions {
			if p.sec <= int64(ss.End) {
				if s == SnapDay {
					return c.endOfDay(p.day), nil
				}
				return pos{p.day, int64(ss.End)}, nil
			}
		}
	}

	i, err := c.nextWorking(p.day)
	if err != nil {
		return pos{}, err
	}
	if s == SnapDay {
		return c.endOfDay(i), nil
	}
	return pos{i, int64(c.sets[c.days[i].set].first().End)}, nil
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
