package seed

import (
	"math/rand/v2"
	"time"

	"fixer/rules"
)

// This file places the work of officials in office hours: results are signed during the
// sessions of working days. The deadlines themselves always come from the rules engine; these
// helpers only make the synthetic completion times look like people worked them.

// officeSessions are the default sessions, 07:30–11:30 and 13:00–17:00, in seconds.
var officeSessions = [2][2]int{{hm(7, 30), hm(11, 30)}, {hm(13, 0), hm(17, 0)}}

// maxSearchDays bounds the search for the next working day across long holidays.
const maxSearchDays = 30

// span is a stretch of office time on one day.
type span struct{ from, to time.Time }

// officeIn returns a moment inside the sessions of a working day, between lo and hi. Of the
// working days with office time in that interval, it takes the one at fraction f (0 the
// first, near 1 the last), then a moment uniformly in its office time there. It reports false
// when no working day has office time between lo and hi.
func (g *generator) officeIn(lo, hi time.Time, f float64) (time.Time, bool) {
	if !hi.After(lo) {
		return time.Time{}, false
	}
	g.officeDays = g.officeDays[:0]
	last := rules.DateOf(hi)
	for d := rules.DateOf(lo); !last.Before(d); d = d.AddDays(1) {
		if !g.cal.IsWorkingDay(d) {
			continue
		}
		var day [2]span
		for i, s := range officeSessions {
			from, to := d.In(g.loc, s[0]), d.In(g.loc, s[1])
			if from.Before(lo) {
				from = lo
			}
			if to.After(hi) {
				to = hi
			}
			if to.After(from) {
				day[i] = span{from, to}
			}
		}
		if !day[0].from.IsZero() || !day[1].from.IsZero() {
			g.officeDays = append(g.officeDays, day)
		}
	}
	if len(g.officeDays) == 0 {
		return time.Time{}, false
	}

	day := g.officeDays[min(int(f*float64(len(g.officeDays))), len(g.officeDays)-1)]
	var secs int64
	for _, s := range day {
		secs += int64(s.to.Sub(s.from) / time.Second)
	}
	n := g.r.Int64N(secs + 1)
	for _, s := range day {
		k := int64(s.to.Sub(s.from) / time.Second)
		if s.from.IsZero() || n > k {
			n -= k
			continue
		}
		return s.from.Add(time.Duration(n) * time.Second), true
	}
	return day[1].to, true
}

// officeTimeOn returns a random moment inside the sessions of day d.
func officeTimeOn(r *rand.Rand, loc *time.Location, d rules.Date) time.Time {
	s := officeSessions[r.IntN(len(officeSessions))]
	return d.In(loc, s[0]+r.IntN(s[1]-s[0]))
}

// addWorkingDays returns the n-th working day after d.
func addWorkingDays(cal *rules.Calendar, d rules.Date, n int) rules.Date {
	for n > 0 {
		d = d.AddDays(1)
		for range maxSearchDays {
			if cal.IsWorkingDay(d) {
				break
			}
			d = d.AddDays(1)
		}
		n--
	}
	return d
}

// between returns a moment a fraction f of the way from a to b, to the second.
func between(a, b time.Time, f float64) time.Time {
	span := b.Sub(a)
	if span <= 0 {
		return a
	}
	return a.Add(time.Duration(float64(span/time.Second)*f) * time.Second)
}
