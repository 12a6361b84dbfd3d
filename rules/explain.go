package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Explain computes the same deadline as [Calendar.Deadline] and says how, one line per step:
// the receipt and the deemed receipt with the rule that set it, each day skipped and why
// (weekend, the name and kind of a day off), each make-up working day used, how the duration
// was counted, the snap applied, and the deadline.
func (c *Calendar) Explain(received time.Time, d Duration, p Policy, cutoff ClockTime) (
	time.Time, []string, error,
) {
	tr, err := c.compute(received, d, p, cutoff)
	if err != nil {
		return time.Time{}, nil, err
	}
	due := c.timeOf(tr.due)

	lines := []string{
		"received: " + c.wall(tr.received),
		c.explainDeemed(tr, cutoff),
	}
	lines = append(lines, c.explainDays(tr.received.day, tr.due.day)...)
	lines = append(lines, c.explainDerived(tr.received.day, tr.due.day)...)
	lines = append(lines,
		c.explainCount(tr, d, p.Mode),
		c.explainSnap(tr, p.Snap),
		"deadline: "+due.Format(time.RFC3339),
	)
	return due, lines, nil
}

// wall formats p as local wall-clock time with its weekday.
func (c *Calendar) wall(p pos) string {
	return c.timeOf(p).Format("2006-01-02 15:04:05 (Mon)")
}

func (c *Calendar) dayName(i int32) string {
	return c.timeOf(pos{day: i}).Format("2006-01-02 (Mon)")
}

func (c *Calendar) explainDeemed(tr trace, cutoff ClockTime) string {
	at := "deemed receipt: " + c.wall(tr.deemed)
	set := &c.sets[c.days[tr.received.day].set]
	switch tr.why {
	case inSession:
		session := set.first()
		for _, s := range set.sessions {
			if tr.received.sec >= int64(s.Start) && tr.received.sec < int64(s.End) {
				session = s
			}
		}
		return at + ", inside the session " + session.String()
	case beforeSession:
		return at + ", the start of the next session (received before it)"
	case afterClose:
		return at + ", the next working day (received after the last session ended at " +
			set.last().End.String() + ")"
	case notWorking:
		return at + ", the next working day (received on a day that is not worked)"
	}
	return at + ", the next working day (received at or after the cut-off " + cutoff.String() + ")"
}

// explainDays lists the days from row from to row to that are skipped, and those worked only
// because of a make-up entry.
func (c *Calendar) explainDays(from, to int32) []string {
	var lines []string
	for i := from; i <= to; i++ {
		wd := c.date(i).Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		switch {
		case !c.days[i].working:
			var why []string
			if weekend {
				why = append(why, "weekend")
			}
			for _, e := range c.entries[i] {
				if e.IsOff() {
					why = append(why, describeEntry(e))
				}
			}
			lines = append(lines, "skipped "+c.dayName(i)+": "+strings.Join(why, "; "))
		case weekend:
			var why []string
			for _, e := range c.entries[i] {
				why = append(why, describeEntry(e))
			}
			lines = append(lines, "worked "+c.dayName(i)+": "+strings.Join(why, "; "))
		}
	}
	return lines
}

// explainDerived names the years from row from to row to whose built-in days off were derived
// from the Labour Code because no notice is on file: a notice may yet change them.
func (c *Calendar) explainDerived(from, to int32) []string {
	var lines []string
	for y := c.date(from).Year; y <= c.date(to).Year; y++ {
		if slices.Contains(c.derived, y) {
			lines = append(lines, fmt.Sprintf("calendar %d: derived from the %s, no notice on file", y, labourCode))
		}
	}
	return lines
}

func describeEntry(e DayOff) string {
	kind := map[Kind]string{
		KindHoliday:       "public holiday",
		KindCompensatory:  "compensatory day off",
		KindSwapOff:       "day off swapped for a make-up day",
		KindMakeupWorkday: "make-up working day",
	}[e.Kind]
	if e.Name == "" {
		return kind
	}
	return kind + " " + e.Name
}

func (c *Calendar) explainCount(tr trace, d Duration, m Mode) string {
	head := fmt.Sprintf("counted %s: ", d)
	switch {
	case d.Unit != WorkingHours && d.Milli == 0:
		return head + "ends at the end of the deemed receipt day, " + c.wall(tr.counted)
	case d.Unit == CalendarDays:
		target := tr.received.day + int32(d.Milli/milliPerUnit)
		s := fmt.Sprintf("%d calendar days after the receipt day %s is %s", d.Milli/milliPerUnit,
			c.dayName(tr.received.day), c.dayName(target))
		if target != tr.counted.day {
			s += ", not a working day: moved to the next working day"
		}
		return head + s + "; ends " + c.wall(tr.counted)
	case d.Unit == WorkingHours:
		return head + "session time walked from the deemed receipt; ends " + c.wall(tr.counted)
	case m == ModeHour:
		secs := ceilDiv(d.Milli*c.daySeconds, milliPerUnit)
		return head + fmt.Sprintf("in hour mode, %s of session time at %s a day; ends %s",
			hoursText(secs), hoursText(c.daySeconds), c.wall(tr.counted))
	}

	whole, frac := d.Milli/milliPerUnit, d.Milli%milliPerUnit
	s := head + "in day mode, the deemed receipt day is not counted; "
	switch {
	case frac == 0:
		s += fmt.Sprintf("working day %d after it", whole)
	case frac <= milliPerUnit/2:
		s += fmt.Sprintf("the half day is the first session of working day %d after it", whole+1)
	default:
		s += fmt.Sprintf("the fraction above a half counts as a whole day: working day %d "+
			"after it", whole+1)
	}
	return s + "; ends " + c.wall(tr.counted)
}

// hoursText writes a number of seconds as "8h", "7h30m" or "0h00m04s".
func hoursText(secs int64) string {
	h, m, sec := secs/3600, secs%3600/60, secs%60
	switch {
	case sec != 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, sec)
	case m != 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%dh", h)
}

func (c *Calendar) explainSnap(tr trace, s Snap) string {
	head := "snap " + s.String() + ": "
	switch {
	case s == SnapNone:
		return head + "kept as counted"
	case tr.due == tr.counted && s == SnapSession:
		return head + "unchanged, already at the end of its session"
	case tr.due == tr.counted:
		return head + "unchanged, already at the end of its day"
	case s == SnapSession:
		set := &c.sets[c.days[tr.counted.day].set]
		return head + "moved up to the end of the session " +
			set.sessions[set.holding(tr.counted.sec)].String() + ", " + c.wall(tr.due)
	}
	return head + "moved up to the end of the day, " + c.wall(tr.due)
}
