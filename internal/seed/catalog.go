package seed

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"fixer/rules"
)

// agency is one row of the agencies table, with the lateness propensity the generator gives it.
type agency struct {
	id   int64
	code string
	name string
	kind string

	// lateness scales how often this agency's dossiers are resolved late or left overdue;
	// the dossier-weighted mean over the province is 1.
	lateness float64
}

// procedure is one row of the procedures table and what the generator needs to use it.
type procedure struct {
	id       int64
	code     string
	name     string
	agency   int    // index into catalog.agencies
	timeText string // processing_time as stored; "" is NULL
	cutoff   string // cutoff_time as stored; "" is NULL
	volume   int64  // relative number of dossiers received

	// legacy is the duration the legacy system counted: the processing time, or, for "5xyz",
	// the leading number read as working days. hasLegacy is false when it counted nothing.
	legacy    rules.Duration
	hasLegacy bool
	clock     rules.ClockTime // the cut-off, or rules.NoCutoff
	usable    bool            // false for the procedures with an unusable processing time

	steps []procStep
}

// procStep is one row of procedure_steps.
type procStep struct {
	id       int64
	no       int
	name     string
	timeText string
	dur      rules.Duration
	halfHrs  int64 // the duration in half-hours of working time, to weigh the step
}

// catalog is the fixed part of the province: agencies, procedures and their workflows.
type catalog struct {
	agencies []agency
	procs    []procedure

	// cum holds the cumulative volume of the usable procedures, indexed like usable.
	cum    []int64
	usable []int
	bad    []int // indexes of the procedures with an unusable processing time

	steps int
}

// timeChoice is a processing time and its weight in the drawn distribution.
type timeChoice struct {
	text   string
	weight int
}

// processingTimes weighs the processing times of procedures whose template leaves it open:
// mostly 3, 5, 7, 10, 15 and 20 working days, a few same-day, hour and calendar-day limits.
var processingTimes = []timeChoice{
	{"0d", 3}, {"0.5d", 3}, {"1d", 4}, {"2d", 4}, {"3d", 14}, {"4d", 2}, {"5d", 15},
	{"6d", 1}, {"7d", 11}, {"8d", 1}, {"10d", 12}, {"12d", 2}, {"15d", 11}, {"20d", 8},
	{"25d", 1}, {"30d", 3}, {"15cd", 3}, {"30cd", 2}, {"4h", 3}, {"8h", 2},
}

// sameDayCutoff is the cut-off time of same-day procedures.
const sameDayCutoff = "15:00"

// buildCatalog draws the province's procedures from the templates with r.
func buildCatalog(r *rand.Rand) (*catalog, error) {
	c := &catalog{}
	for i, t := range departments {
		c.agencies = append(c.agencies, agency{
			id: int64(i + 1), code: fmt.Sprintf("%s.%02d", provinceCode, i+1),
			name: t.name, kind: kindDepartment,
		})
	}
	for i, name := range districtNames {
		c.agencies = append(c.agencies, agency{
			id: int64(len(departments) + i + 1), code: fmt.Sprintf("%s.%02d", provinceCode, 31+i),
			name: name, kind: kindDistrict,
		})
	}

	codes := map[string]bool{}
	newCode := func() string {
		for {
			prefix := "1."
			if r.IntN(5) == 0 {
				prefix = "2."
			}
			code := fmt.Sprintf("%s%06d", prefix, 100+r.IntN(12900))
			if !codes[code] {
				codes[code] = true
				return code
			}
		}
	}

	// District procedures share one processing time per template, as the national catalogue
	// sets the time of a district-level procedure for every district alike.
	shared := make([]string, len(districtProcs))
	for i, t := range districtProcs {
		shared[i] = t.time
		if shared[i] == "" {
			shared[i] = drawTime(r)
		}
	}

	add := func(agencyIdx int, t procTemplate, timeText string) error {
		p := procedure{
			id:       int64(len(c.procs) + 1),
			code:     newCode(),
			name:     t.name,
			agency:   agencyIdx,
			timeText: timeText,
			volume:   int64(t.volume) * int64(50+r.IntN(101)),
			clock:    rules.NoCutoff,
			usable:   true,
		}
		if err := p.setTime(r, t.cutoff); err != nil {
			return err
		}
		c.procs = append(c.procs, p)
		return nil
	}
	for i, t := range departments {
		for _, pt := range t.procs {
			tt := pt.time
			if tt == "" {
				tt = drawTime(r)
			}
			if err := add(i, pt, tt); err != nil {
				return nil, err
			}
		}
	}
	for d := range districtNames {
		for i, pt := range districtProcs {
			if err := add(len(departments)+d, pt, shared[i]); err != nil {
				return nil, err
			}
		}
	}
	for _, b := range badProcedures {
		p := procedure{
			id: int64(len(c.procs) + 1), code: newCode(), name: b.name, agency: b.agency,
			timeText: b.time, clock: rules.NoCutoff,
		}
		if b.time != "" {
			// The legacy system read the leading number of "5xyz" as working days.
			n, _ := strconv.Atoi(b.time[:1])
			p.legacy, p.hasLegacy = rules.Days(int64(n)), true
		}
		p.steps = splitSteps(r, 16*5)
		c.bad = append(c.bad, len(c.procs))
		c.procs = append(c.procs, p)
	}

	if err := c.finish(r); err != nil {
		return nil, err
	}
	return c, nil
}

// drawTime draws a processing time from the weighted distribution.
func drawTime(r *rand.Rand) string {
	total := 0
	for _, t := range processingTimes {
		total += t.weight
	}
	n := r.IntN(total)
	for _, t := range processingTimes {
		if n < t.weight {
			return t.text
		}
		n -= t.weight
	}
	return processingTimes[len(processingTimes)-1].text
}

// setTime parses the processing time, decides the cut-off and splits the workflow.
func (p *procedure) setTime(r *rand.Rand, templateCutoff bool) error {
	d, err := rules.ParseDuration(p.timeText)
	if err != nil {
		return fmt.Errorf("procedure %s: %w", p.name, err)
	}
	p.legacy, p.hasLegacy = d, true

	cut := templateCutoff
	switch {
	case d.Unit == rules.WorkingDays && d.Milli == 0:
		cut = cut || r.IntN(10) < 7
	case d.Unit == rules.WorkingDays && d.Milli == 500, d.Unit == rules.WorkingHours && d.Milli <= 4000:
		cut = cut || r.IntN(4) == 0
	}
	if cut {
		clock, err := rules.ParseClock(sameDayCutoff)
		if err != nil {
			return fmt.Errorf("cut-off %s: %w", sameDayCutoff, err)
		}
		p.cutoff, p.clock = sameDayCutoff, clock
	}

	p.steps = splitSteps(r, budgetHalfHours(d))
	return nil
}

// budgetHalfHours is the working time, in half-hours, that a procedure's steps may share: the
// procedure's time in working hours (8 a day), three hours for a same-day procedure, and five
// working days in seven for calendar days.
func budgetHalfHours(d rules.Duration) int64 {
	switch d.Unit {
	case rules.WorkingDays:
		if d.Milli == 0 {
			return 6
		}
		return d.Milli * 16 / 1000
	case rules.WorkingHours:
		return d.Milli * 2 / 1000
	case rules.CalendarDays:
		return d.Milli / 1000 * 5 / 7 * 16
	}
	return 16
}

// splitSteps splits a budget of half-hours into 2 to 4 steps whose times sum to no more than
// the budget: whole or half days from a day up, half-hours below.
func splitSteps(r *rand.Rand, budget int64) []procStep {
	k := 2 + r.IntN(3)
	if budget < 8 {
		k = 2
	}
	use := budget * int64(75+r.IntN(26)) / 100
	shares := stepShares[k]
	weights := make([]int64, k)
	var sum int64
	for i, s := range shares {
		weights[i] = int64(s) * int64(80+r.IntN(41))
		sum += weights[i]
	}

	parts := make([]int64, k)
	var total int64
	for i := range parts {
		p := use * weights[i] / sum
		if p >= 16 {
			p -= p % 8 // whole or half days
		}
		parts[i] = max(p, 1)
		total += parts[i]
	}
	for total > budget {
		big := 0
		for i := range parts {
			if parts[i] > parts[big] {
				big = i
			}
		}
		parts[big]--
		total--
	}

	steps := make([]procStep, k)
	for i, p := range parts {
		text := formatHalfHours(p)
		if p == 16 && r.IntN(5) == 0 {
			text = "8h"
		}
		d, _ := rules.ParseDuration(text) // formatHalfHours writes only valid durations
		steps[i] = procStep{no: i + 1, name: stepNames[k][i], timeText: text, dur: d, halfHrs: p}
	}
	return steps
}

// formatHalfHours writes a step time: "1d", "1.5d" from a day and in half days, else "4h",
// "1.5h".
func formatHalfHours(p int64) string {
	if p >= 16 && p%8 == 0 {
		if p%16 == 0 {
			return strconv.FormatInt(p/16, 10) + "d"
		}
		return strconv.FormatInt(p/16, 10) + ".5d"
	}
	if p%2 == 0 {
		return strconv.FormatInt(p/2, 10) + "h"
	}
	return strconv.FormatInt(p/2, 10) + ".5h"
}

// finish numbers the steps, builds the volume table and gives each agency its lateness.
func (c *catalog) finish(r *rand.Rand) error {
	var stepID int64
	for i := range c.procs {
		for j := range c.procs[i].steps {
			stepID++
			c.procs[i].steps[j].id = stepID
		}
	}
	c.steps = int(stepID)

	var cum int64
	agencyVolume := make([]int64, len(c.agencies))
	for i, p := range c.procs {
		if !p.usable {
			continue
		}
		cum += p.volume
		c.usable = append(c.usable, i)
		c.cum = append(c.cum, cum)
		agencyVolume[p.agency] += p.volume
	}
	if cum == 0 {
		return fmt.Errorf("catalogue has no usable procedure")
	}

	var weighted float64
	for i := range c.agencies {
		// Conversions round each product on its own, the same on every processor.
		c.agencies[i].lateness = 0.3 + float64(1.7*r.Float64())
		weighted += float64(c.agencies[i].lateness * float64(agencyVolume[i]))
	}
	mean := weighted / float64(cum)
	for i := range c.agencies {
		c.agencies[i].lateness /= mean
	}
	return nil
}

// pick draws a usable procedure in proportion to its volume.
func (c *catalog) pick(r *rand.Rand) *procedure {
	n := r.Int64N(c.cum[len(c.cum)-1])
	lo, hi := 0, len(c.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if c.cum[mid] > n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return &c.procs[c.usable[lo]]
}
