package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"fixer/rules"
)

// Dossier statuses, as stored in dossiers.status.
const (
	statusProcessing = "processing"
	statusPaused     = "paused"
	statusDone       = "done"
	statusWithdrawn  = "withdrawn"
)

// Rates that shape the province. lateRate and stuckRate are calibrated so that the default
// size reproduces the counts of the 2021 letter: see DefaultDossiers.
const (
	lateRate      = 0.0329  // resolved late, per dossier due before the as-of moment
	lateDaysShare = 0.18    // of those, late by whole days; the rest late by hours
	stuckRate     = 0.00268 // left open past the deadline, per dossier due before the as-of moment

	withdrawnRate   = 0.01
	pausedDoneRate  = 0.04 // finished dossiers whose clock was stopped on the way
	pausedOpenRate  = 0.25 // open dossiers currently waiting for a supplement
	rescheduledRate = 0.015
	extendedRate    = 0.01
)

// dossierRow is one row of the dossiers table. A zero time is NULL; isLate -1 is NULL.
type dossierRow struct {
	id          int64
	code        string
	procedureID int64
	agencyID    int64
	received    time.Time
	appointment time.Time
	due         time.Time
	completed   time.Time
	status      string
	isLate      int8
	paused      int
	rescheduled time.Time
	extended    time.Time
}

// stepRow is one row of the dossier_steps table. A zero time is NULL.
type stepRow struct {
	id        int64
	dossierID int64
	stepID    int64
	no        int
	started   time.Time
	due       time.Time
	completed time.Time
}

// batch is the unit the generator hands to the loader: some dossiers and their steps.
type batch struct {
	dossiers []dossierRow
	steps    []stepRow
}

// badKind marks a dossier generated with data the repair must skip and report.
type badKind uint8

const (
	badNone             badKind = iota
	badNoReceipt                // received_at NULL
	badCompletedBefore          // completed_at before received_at
	badUnknownProcedure         // procedure_id names no procedure
	badNullTime                 // its procedure's processing_time is NULL
	badUnitTime                 // its procedure's processing_time has an unknown unit
)

var badKinds = []badKind{
	badNoReceipt, badCompletedBefore, badUnknownProcedure, badNullTime, badUnitTime,
}

// unknownProcedureBase is above every generated procedure id.
const unknownProcedureBase = 90000

// generator produces the dossiers of the year in id and receipt order.
type generator struct {
	cal  *rules.Calendar
	loc  *time.Location
	cat  *catalog
	r    *rand.Rand
	days *receiptDays

	asOf    time.Time // the moment lateness is judged, see asOfFor
	yearEnd time.Time // the moment the database is read: open dossiers are open then

	nextID     int64
	nextStepID int64
	bad        map[int64]badKind
	seq        []int // dossier numbers per agency, reset each day

	owedLate, owedLateDays, owedStuck float64

	officeDays [][2]span // scratch for officeIn

	sum *Summary
}

func newGenerator(cal *rules.Calendar, cat *catalog, opts Options, r *rand.Rand,
	sum *Summary) *generator {

	loc := cal.Zone()
	g := &generator{
		cal: cal, loc: loc, cat: cat, r: r,
		days:    newReceiptDays(cal, opts.Year, int64(opts.Dossiers), r),
		asOf:    asOfFor(opts.Year, loc),
		yearEnd: time.Date(opts.Year, 12, 31, 23, 59, 59, 0, loc),
		bad:     map[int64]badKind{},
		seq:     make([]int, len(cat.agencies)),
		sum:     sum,
	}

	// A few bad rows of each kind, spread over the year: three for a province's year, more
	// for the large volumes used to measure speed.
	n := int64(opts.Dossiers)
	if n >= 200 {
		per := min(8, 3+n/200000)
		slots := per * int64(len(badKinds))
		for s := range slots {
			g.bad[1+(2*s+1)*n/(2*slots)] = badKinds[s%int64(len(badKinds))]
		}
	}
	return g
}

// asOfFor is the moment at which the generator judges lateness: 17:00 on 9 December for 2021,
// the date of the provincial letter whose counts the default province reproduces, otherwise
// the last second of the year.
func asOfFor(year int, loc *time.Location) time.Time {
	if year == 2021 {
		return time.Date(2021, 12, 9, 17, 0, 0, 0, loc)
	}
	return time.Date(year, 12, 31, 23, 59, 59, 0, loc)
}

// legacy returns the deadline the legacy system stored: hour counting, no rounding.
func (g *generator) legacy(t time.Time, d rules.Duration, cutoff rules.ClockTime) (time.Time, error) {
	due, err := g.cal.Deadline(t, d, rules.LegacyPolicy, cutoff)
	if err != nil {
		return time.Time{}, fmt.Errorf("legacy deadline of %s from %s: %w", d, t.Format(timeLayout), err)
	}
	return due.In(g.loc).Truncate(time.Second), nil
}

// next appends the next dossier and its steps to b.
func (g *generator) next(b *batch) error {
	g.nextID++
	received := g.days.next(g.r)
	if g.days.dayChange {
		clear(g.seq)
	}

	if kind := g.bad[g.nextID]; kind != badNone {
		g.sum.Invalid++
		return g.badDossier(b, kind, received)
	}

	p := g.cat.pick(g.r)
	due, err := g.legacy(received, p.legacy, p.clock)
	if err != nil {
		return err
	}
	d := g.newRow(p, p.agency, received)
	d.appointment, d.due = due, due
	a := &g.cat.agencies[p.agency]

	if g.r.Float64() < withdrawnRate {
		return g.withdraw(b, d, p)
	}

	// The conversions keep each product rounded on its own: a fused multiply-add would round
	// differently on some processors and shift which dossier crosses the threshold.
	g.owedStuck += float64(stuckRate * a.lateness)
	g.owedLate += float64(lateRate * a.lateness)
	if g.owedStuck >= 1 && due.Before(g.asOf) {
		g.owedStuck--
		return g.leaveOpen(b, d, p)
	}
	if g.owedLate >= 1 && due.Before(g.asOf) {
		if c, ok := g.lateCompletion(due); ok {
			g.owedLate--
			return g.finish(b, d, p, c)
		}
	}

	c := g.onTime(received, due)
	if c.After(g.yearEnd) {
		return g.openAtYearEnd(b, d, p, c)
	}
	return g.finish(b, d, p, c)
}

// newRow starts a dossier row of procedure p (nil for an unknown one) at agency a.
func (g *generator) newRow(p *procedure, a int, received time.Time) dossierRow {
	g.seq[a]++
	d := dossierRow{
		id:       g.nextID,
		code:     fmt.Sprintf("%s-%s-%06d", g.cat.agencies[a].code, received.Format("060102"), g.seq[a]),
		agencyID: g.cat.agencies[a].id,
		received: received,
		isLate:   -1,
	}
	if p != nil {
		d.procedureID = p.id
	}
	return d
}

// lateCompletion returns a completion after due: on the same date (late by hours) or, for a
// share of them, on a later working day (late by days). Neither may fall after the as-of
// moment, so that the lateness is already visible then.
func (g *generator) lateCompletion(due time.Time) (time.Time, bool) {
	if g.owedLateDays+lateDaysShare >= 1 {
		k := 1
		switch n := g.r.IntN(100); {
		case n >= 95:
			k = 6 + g.r.IntN(5)
		case n >= 80:
			k = 3 + g.r.IntN(3)
		case n >= 60:
			k = 2
		}
		c := officeTimeOn(g.r, g.loc, addWorkingDays(g.cal, rules.DateOf(due), k))
		if !c.After(g.asOf) {
			g.owedLateDays += lateDaysShare - 1
			return c, true
		}
	}

	limit := rules.DateOf(due).In(g.loc, 86399)
	if g.asOf.Before(limit) {
		limit = g.asOf
	}
	room := int64(limit.Sub(due) / time.Second)
	if room < 1 {
		return time.Time{}, false
	}
	var late int64
	switch n := g.r.IntN(10); {
	case n < 6:
		late = 60 + g.r.Int64N(3540)
	case n < 9:
		late = 3600 + g.r.Int64N(2*3600)
	default:
		late = 3*3600 + g.r.Int64N(5*3600)
	}
	if late > room {
		late = 1 + g.r.Int64N(room)
	}
	g.owedLateDays += lateDaysShare
	return due.Add(time.Duration(late) * time.Second), true
}

// onTime returns a completion between receipt and due, in office hours when there are any,
// more often in the second half of the period (the later of two uniform draws).
func (g *generator) onTime(received, due time.Time) time.Time {
	if !due.After(received) {
		return received
	}
	if c, ok := g.officeIn(received, due, max(g.r.Float64(), g.r.Float64())); ok {
		return c
	}
	span := int64(due.Sub(received) / time.Second)
	return due.Add(-time.Duration(g.r.Int64N(min(span, 1800)+1)) * time.Second)
}

// finish records a dossier with a result at c.
func (g *generator) finish(b *batch, d dossierRow, p *procedure, c time.Time) error {
	d.status, d.completed, d.isLate = statusDone, c, 0
	if c.After(d.due) {
		d.isLate = 1
	}
	if g.r.Float64() < pausedDoneRate {
		d.paused = 1 + g.r.IntN(2)
	}
	g.markEvents(&d, c)
	if err := g.chain(b, d.id, p.steps, d.received, c, len(p.steps), false); err != nil {
		return err
	}
	g.count(d)
	b.dossiers = append(b.dossiers, d)
	return nil
}

// leaveOpen records a dossier still unresolved past its deadline at the as-of moment, stuck
// in one of its steps.
func (g *generator) leaveOpen(b *batch, d dossierRow, p *procedure) error {
	d.status = statusProcessing
	if g.r.Float64() < pausedOpenRate {
		d.status, d.paused = statusPaused, 1+g.r.IntN(3)
	}
	limit := d.due
	if g.asOf.Before(limit) {
		limit = g.asOf
	}
	at := between(d.received, limit, g.r.Float64())
	if c, ok := g.officeIn(d.received, limit, g.r.Float64()); ok {
		at = c
	}
	g.markEvents(&d, at)
	if err := g.chain(b, d.id, p.steps, d.received, at, g.r.IntN(len(p.steps)), true); err != nil {
		return err
	}
	g.count(d)
	b.dossiers = append(b.dossiers, d)
	return nil
}

// openAtYearEnd records a dossier whose result, due at c, comes after the year's end: it is
// open in the database, with the steps started by then.
func (g *generator) openAtYearEnd(b *batch, d dossierRow, p *procedure, c time.Time) error {
	d.status = statusProcessing
	if g.r.Float64() < pausedOpenRate {
		d.status, d.paused = statusPaused, 1
	}
	g.markEvents(&d, g.yearEnd)
	from := len(b.steps)
	if err := g.chain(b, d.id, p.steps, d.received, c, len(p.steps), false); err != nil {
		return err
	}
	for i := from; i < len(b.steps); i++ {
		s := &b.steps[i]
		if s.started.After(g.yearEnd) {
			g.nextStepID -= int64(len(b.steps) - i)
			b.steps = b.steps[:i]
			break
		}
		if s.completed.After(g.yearEnd) {
			s.completed = time.Time{}
			g.nextStepID -= int64(len(b.steps) - i - 1)
			b.steps = b.steps[:i+1]
			break
		}
	}
	g.count(d)
	b.dossiers = append(b.dossiers, d)
	return nil
}

// withdraw records a dossier withdrawn by its applicant before the deadline.
func (g *generator) withdraw(b *batch, d dossierRow, p *procedure) error {
	limit := d.due
	if g.yearEnd.Before(limit) {
		limit = g.yearEnd
	}
	w := g.onTime(d.received, limit)
	d.status, d.completed = statusWithdrawn, w
	if err := g.chain(b, d.id, p.steps, d.received, w, 1+g.r.IntN(len(p.steps)), false); err != nil {
		return err
	}
	g.count(d)
	b.dossiers = append(b.dossiers, d)
	return nil
}

// markEvents sets, for a few dossiers, an apology letter re-setting the appointment or an
// extension of the deadline, issued during processing, before until.
func (g *generator) markEvents(d *dossierRow, until time.Time) {
	at := func() time.Time {
		f := g.r.Float64()
		if c, ok := g.officeIn(d.received, until, f); ok {
			return c
		}
		return between(d.received, until, f)
	}
	if g.r.Float64() < rescheduledRate {
		d.rescheduled = at()
	}
	if g.r.Float64() < extendedRate {
		d.extended = at()
	}
}

// chain appends the workflow steps of a dossier: each starts when the previous one ended
// (the first at receipt), is due by its legacy deadline, and the done-th ends at end. With
// openNext the step after the done ones is started and not finished.
func (g *generator) chain(b *batch, dossierID int64, steps []procStep, start, end time.Time,
	done int, openNext bool) error {

	var weights [4]float64
	var total float64
	for i := range done {
		weights[i] = float64(steps[i].halfHrs) * (0.6 + float64(0.8*g.r.Float64()))
		total += weights[i]
	}

	prev := start
	for i := range done {
		due, err := g.legacy(prev, steps[i].dur, rules.NoCutoff)
		if err != nil {
			return err
		}
		c := end
		if i < done-1 {
			// This step's share of the time left to the end.
			f := weights[i] / total
			total -= weights[i]
			if o, ok := g.officeIn(prev, end, f); ok {
				c = o
			} else {
				c = between(prev, end, f)
			}
		}
		g.appendStep(b, dossierID, steps[i], prev, due, c)
		prev = c
	}

	if openNext && done < len(steps) {
		due, err := g.legacy(prev, steps[done].dur, rules.NoCutoff)
		if err != nil {
			return err
		}
		g.appendStep(b, dossierID, steps[done], prev, due, time.Time{})
	}
	return nil
}

func (g *generator) appendStep(b *batch, dossierID int64, s procStep,
	started, due, completed time.Time) {

	g.nextStepID++
	b.steps = append(b.steps, stepRow{
		id: g.nextStepID, dossierID: dossierID, stepID: s.id, no: s.no,
		started: started, due: due, completed: completed,
	})
}

// count adds a well-formed dossier to the lateness classes of the summary.
func (g *generator) count(d dossierRow) {
	switch d.status {
	case statusWithdrawn:
		g.sum.Withdrawn++
		return
	case statusPaused:
		g.sum.Paused++
	}
	if !d.rescheduled.IsZero() {
		g.sum.Rescheduled++
	}
	if !d.extended.IsZero() {
		g.sum.Extended++
	}

	var class rules.Class
	if d.status == statusDone {
		c := d.completed
		class = rules.Classify(d.due, &c, c, g.loc)
	} else {
		class = rules.Classify(d.due, nil, g.asOf, g.loc)
	}
	g.sum.add(class)
}
