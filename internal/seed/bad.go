package seed

import (
	"time"

	"fixer/rules"
)

// badDossier appends a dossier whose data the repair must skip and report. None of them is
// late or overdue under its stored deadline, so they never change the lateness counts; the
// summary classifies those with a stored deadline by it (on time), as fixer report does.
func (g *generator) badDossier(b *batch, kind badKind, received time.Time) error {
	onTime := func(d dossierRow) {
		c := d.completed
		g.sum.add(rules.Classify(d.due, &c, c, g.loc))
	}
	switch kind {
	case badNoReceipt:
		g.sum.NoReceipt++
		// The receipt time was lost; the code still carries the day.
		p := g.cat.pick(g.r)
		d := g.newRow(p, p.agency, received)
		d.received = time.Time{}
		d.status = statusDone
		d.completed = officeTimeOn(g.r, g.loc, addWorkingDays(g.cal, rules.DateOf(received), 2))
		b.dossiers = append(b.dossiers, d)
		return nil

	case badCompletedBefore:
		p := g.cat.pick(g.r)
		due, err := g.legacy(received, p.legacy, p.clock)
		if err != nil {
			return err
		}
		d := g.newRow(p, p.agency, received)
		d.appointment, d.due = due, due
		d.status, d.isLate = statusDone, 0
		d.completed = received.Add(-time.Duration(3600+g.r.IntN(3*86400)) * time.Second)
		onTime(d)
		b.dossiers = append(b.dossiers, d)
		return nil

	case badUnknownProcedure:
		// A procedure deleted from the catalogue after its dossiers were received; the legacy
		// system had counted five working days.
		due, err := g.legacy(received, rules.Days(5), rules.NoCutoff)
		if err != nil {
			return err
		}
		d := g.newRow(nil, g.r.IntN(len(g.cat.agencies)), received)
		d.procedureID = unknownProcedureBase + g.nextID%1000
		d.appointment, d.due = due, due
		d.status, d.completed, d.isLate = statusDone, g.onTime(received, due), 0
		onTime(d)
		b.dossiers = append(b.dossiers, d)
		return nil
	}

	// A procedure with an unusable processing time: NULL (the legacy system stored no
	// deadline) or "5xyz" (it read the leading 5 as working days).
	p := &g.cat.procs[g.cat.bad[0]]
	if kind == badUnitTime {
		p = &g.cat.procs[g.cat.bad[1]]
	}
	d := g.newRow(p, p.agency, received)
	d.status = statusDone
	limit := time.Date(received.Year(), received.Month(), received.Day()+7, 17, 0, 0, 0, g.loc)
	if p.hasLegacy {
		due, err := g.legacy(received, p.legacy, p.clock)
		if err != nil {
			return err
		}
		d.appointment, d.due, d.isLate, limit = due, due, 0, due
	}
	d.completed = g.onTime(received, limit)
	if p.hasLegacy {
		onTime(d)
	} else {
		g.sum.NoDeadline++
	}
	if err := g.chain(b, d.id, p.steps, received, d.completed, len(p.steps), false); err != nil {
		return err
	}
	b.dossiers = append(b.dossiers, d)
	return nil
}
