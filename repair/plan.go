package repair

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fixer/rules"
)

// Rule names recorded with each change in the audit.
const (
	RuleProfile     = "profile"
	RuleAppointment = "appointment"
	RuleDeadline    = "deadline"
	RuleStep        = "step_deadline"
	RuleLateFlag    = "late_flag"
	RuleSetOnChange = "set_on_change"
)

// Outcome is what the planner decided for one dossier.
type Outcome struct {
	Rows   []RowChange
	Skip   *Skip
	Before rules.Class // lateness under the stored deadline
	After  rules.Class // lateness under the deadline after the repair
	// Classified is true when Before and After were computed. A skipped dossier is classified
	// by its stored deadline when that can be read, and keeps its class (After equals Before).
	Classified bool
	// Deleted is true for a soft-deleted dossier, left alone with its steps.
	Deleted bool
	// Closed is true for a dossier whose status is one of the schema's closed_statuses
	// (withdrawn, cancelled, rejected): it has no result, so it is in no lateness class.
	Closed bool
	// Held counts deadlines kept because the computed one was earlier (EarlierHeld) or because
	// the result missed the stored one by whole days (LateDaysHeld); HiddenIfMoved is true when
	// moving such a deadline would have turned a late-by-days result into a lesser class.
	EarlierHeld   int
	LateDaysHeld  int
	HiddenIfMoved bool
	// Kept lists each of those deadlines, so that a run can name them, not only count them.
	Kept []Kept
	// StepSkips lists the steps of the dossier left alone: no or an unreadable start, an
	// unreadable deadline or completion, a completion before the start, or a step its
	// procedure does not have.
	StepSkips []Skip
}

// Reasons a deadline is kept although the new rule computed another.
const (
	KeptLateDays = "late_by_days" // the result missed the stored deadline by whole days
	KeptEarlier  = "earlier"      // the new rule gave an earlier deadline
)

// Kept is one stored deadline the guards kept, with the value the new rule computed for it.
type Kept struct {
	Table    string `json:"table"`
	Key      string `json:"key"`
	Code     string `json:"code"`
	Column   string `json:"column"`
	Reason   string `json:"reason"` // KeptLateDays or KeptEarlier
	Stored   string `json:"stored"`
	Computed string `json:"computed"`
	// LessLate: moving it would have turned the late-by-days result into a lesser class.
	LessLate bool `json:"less_late,omitempty"`
}

// keptAt names the deadline a guard decides on, for the list of kept deadlines.
// keptAt names a deadline the guards may keep: its row, its column, and its value as read and
// the layout it is written in, so that the kept value and the computed one are shown as the
// column spells them.
type keptAt struct {
	table, key, code, column string
	raw                      Value
	layout                   string
}

// Planner computes the target values of procedures and dossiers. It is pure: it reads nothing
// and writes nothing, so the dry run and the real run decide alike.
type Planner struct {
	cfg *Resolved
	// AsOf is the present moment for overdue classification.
	AsOf time.Time
	// RunAt is the value of "{now}" in set_on_change columns.
	RunAt time.Time
	// Native reports whether a column has a native date/time type, whose values are read and
	// written in ISO form whatever the schema's time_layout (which is for text columns). Nil
	// means every column follows the layout.
	Native func(table, column string) bool
	// FlagWords, when set, says how a flag column's type spells true and false: the spelling
	// of a flag that replaces NULL or an unknown spelling.
	FlagWords func(table, column string) (yes, no string, ok bool)
	// DateOnly reports whether a column holds a date without a time of day (a DATE column),
	// read and written as 2006-01-02. Nil means none does.
	DateOnly func(table, column string) bool

	onChangeOnce sync.Once
	onChange     []ColumnValue // the set_on_change columns in order, with "{now}" rendered
}

// layoutOf returns the layout of a time column: 2006-01-02 for a DATE column, the table's
// time_layout for text columns, ""
// (ISO) for native ones.
func (p *Planner) layoutOf(table, column, layout string) string {
	if p.DateOnly != nil && p.DateOnly(table, column) {
		return time.DateOnly
	}
	if layout == "" || (p.Native != nil && p.Native(table, column)) {
		return ""
	}
	return layout
}

// NewPlanner returns a planner for the resolved configuration.
func NewPlanner(cfg *Resolved, asOf time.Time) *Planner {
	return &Planner{cfg: cfg, AsOf: asOf, RunAt: time.Now()}
}

// ProfileChanges returns the changes that bring a procedure's deadline configuration columns to
// the target profile. A procedure whose processing time cannot be read is left untouched.
func (p *Planner) ProfileChanges(proc *Procedure) []Change {
	if proc.TimeErr != nil {
		return nil
	}
	s := p.cfg.Schema.Procedures
	target := []struct{ col, value string }{
		{s.AppointmentCount, p.cfg.Appointment.Mode.String()},
		{s.AppointmentSnap, p.cfg.Appointment.Snap.String()},
		{s.DeadlineCount, p.cfg.Deadline.Mode.String()},
		{s.DeadlineSnap, p.cfg.Deadline.Snap.String()},
	}
	var out []Change
	for _, t := range target {
		if t.col == "" {
			continue
		}
		old := proc.Profile[t.col]
		if old.Valid && old.String == t.value {
			continue
		}
		out = append(out, Change{Table: s.Table, Key: proc.Key, Column: t.col,
			Old: old, New: Text(t.value), Rule: RuleProfile})
	}
	return out
}

// Dossier plans one dossier.
func (p *Planner) Dossier(d *Dossier, proc *Procedure) Outcome {
	cfg, loc := p.cfg, p.cfg.Zone
	schema := cfg.Schema.Dossiers
	layout := func(col string) string { return p.layoutOf(schema.Table, col, schema.TimeLayout) }
	if d.Deleted {
		return Outcome{Deleted: true}
	}
	closed := p.closed(d)
	skip := func(r SkipReason, format string, args ...any) Outcome {
		o := Outcome{Closed: closed, Skip: &Skip{Table: schema.Table, Key: d.Key, Code: d.Code, Reason: r,
			Detail: fmt.Sprintf(format, args...)}}
		if !closed {
			p.classifyStored(&o, d)
		}
		return o
	}

	received, ok, err := parseStamp(d.Received, layout(schema.Received), loc)
	switch {
	case err != nil:
		return skip(SkipBadReceipt, "%s %q is not a time: %v", cfg.Schema.Dossiers.Received, d.Received.String, err)
	case !ok:
		return skip(SkipNoReceipt, "%s is empty", cfg.Schema.Dossiers.Received)
	}
	var stored [3]*time.Time // appointment, due, completion
	for i, c := range [3]struct {
		col string
		v   Value
	}{{schema.Appointment, d.Appointment}, {schema.Due, d.Due}, {schema.Completed, d.Completed}} {
		t, ok, err := parseStamp(c.v, layout(c.col), loc)
		if err != nil {
			return skip(SkipBadTimestamp, "%s %q is not a time: %v", c.col, c.v.String, err)
		}
		if ok {
			stored[i] = &t
		}
	}
	completed := stored[2]
	if completed != nil && completed.Before(received) {
		return skip(SkipCompletedEarly, "completed %s before received %s",
			completed.Format(time.DateTime), received.Format(time.DateTime))
	}
	if proc == nil {
		return skip(SkipUnknownProcedure, "procedure %q not found", d.ProcedureKey)
	}
	if proc.TimeErr != nil {
		return skip(durationSkip(proc.TimeErr), "procedure %s: %v", proc.Code, proc.TimeErr)
	}
	if d.Paused && cfg.Guards.Paused == "skip" {
		return skip(SkipPaused, "clock stopped for a supplement; review by hand or set guards.paused")
	}
	if d.Rescheduled && cfg.Guards.Rescheduled == "skip" {
		return skip(SkipRescheduled, "appointment officially re-set; review by hand or set guards.rescheduled")
	}
	if d.Extended && cfg.Guards.Extended == "skip" {
		return skip(SkipExtended, "deadline extended; review by hand or set guards.extended")
	}

	newAppt, err := cfg.Calendar.Deadline(received, proc.Time, cfg.Appointment, proc.Cutoff)
	if err != nil {
		return skip(SkipOutOfRange, "%v", err)
	}
	newDue, err := cfg.Calendar.Deadline(received, proc.Time, cfg.Deadline, proc.Cutoff)
	if err != nil {
		return skip(SkipOutOfRange, "%v", err)
	}

	// A closed dossier has no result: its completion time (the withdrawal, the refusal) is not
	// judged against a deadline, so the guards treat it as not completed.
	result := completed
	if closed {
		result = nil
	}
	var out Outcome
	var changes []Change
	storedDue := stored[1]
	finalDue := storedDue

	// A MySQL zero date is read as missing but never overwritten: such a column is left exactly
	// as it is, since writing it back may be refused under NO_ZERO_DATE.
	if schema.Appointment != "" && !zeroDate(d.Appointment) {
		if v, changed := p.guard(&out, keptAt{schema.Table, d.Key, d.Code, schema.Appointment,
			d.Appointment, layout(schema.Appointment)}, stored[0], newAppt, result); changed &&
			Text(formatLike(v, d.Appointment, layout(schema.Appointment), loc)) != d.Appointment {
			changes = append(changes, Change{Table: schema.Table, Key: d.Key, Column: schema.Appointment,
				Old: d.Appointment, New: Text(formatLike(v, d.Appointment, layout(schema.Appointment), loc)),
				Rule: RuleAppointment})
		}
	}
	if schema.Due != "" && !zeroDate(d.Due) {
		v, changed := p.guard(&out, keptAt{schema.Table, d.Key, d.Code, schema.Due, d.Due,
			layout(schema.Due)}, storedDue, newDue, result)
		// A layout without the time of day renders a moved deadline as the same text.
		if changed && Text(formatLike(v, d.Due, layout(schema.Due), loc)) != d.Due {
			changes = append(changes, Change{Table: schema.Table, Key: d.Key, Column: schema.Due,
				Old: d.Due, New: Text(formatLike(v, d.Due, layout(schema.Due), loc)), Rule: RuleDeadline})
		}
		finalDue = &v
	}

	if closed {
		out.Closed = true
	} else {
		if storedDue != nil {
			out.Before = rules.Classify(*storedDue, completed, p.AsOf, loc)
		} else {
			out.Before = rules.Classify(newDue, completed, p.AsOf, loc)
		}
		if finalDue != nil {
			out.After = rules.Classify(*finalDue, completed, p.AsOf, loc)
		} else {
			out.After = rules.Classify(newDue, completed, p.AsOf, loc)
		}
		out.Classified = true
	}

	// The lateness flag of a closed dossier is left as it is: it has no result to be late.
	if schema.IsLate != "" && result != nil && finalDue != nil {
		isLate := result.After(*finalDue)
		// A boolean column reads as true/false: compare the meaning, not the spelling.
		if !d.IsLate.Valid || Flag(d.IsLate) != isLate {
			changes = append(changes, Change{Table: schema.Table, Key: d.Key, Column: schema.IsLate,
				Old: d.IsLate, New: Text(p.flag(isLate, d.IsLate, schema.Table, schema.IsLate)), Rule: RuleLateFlag})
		}
	}

	steps := p.steps(&out, d, proc, closed)
	if len(changes) > 0 || len(steps) > 0 {
		// A dossier whose steps change is a changed dossier too: the columns that tell the portal
		// to re-synchronise it are set either way.
		changes = append(changes, p.setOnChange(d)...)
	}
	if len(changes) == 0 && len(steps) == 0 {
		return out
	}
	// Every column the decision was made from, as read: a dossier completed, paused, extended or
	// re-dated meanwhile must be judged again, not overwritten, and neither must its steps.
	onChange := p.onChangeValues()
	guard := append(make([]ColumnValue, 0, 6+len(d.Watched)+len(onChange)),
		ColumnValue{schema.Received, d.Received}, ColumnValue{schema.Completed, d.Completed},
		ColumnValue{schema.Procedure, Text(d.ProcedureKey)}, ColumnValue{schema.Appointment, d.Appointment},
		ColumnValue{schema.Due, d.Due}, ColumnValue{schema.IsLate, d.IsLate})
	guard = guardOf(append(guard, d.Watched...))
	for _, c := range onChange {
		guard = append(guard, ColumnValue{c.Column, d.Extra[c.Column]})
	}
	out.Rows = make([]RowChange, 0, 1+len(steps))
	if len(changes) > 0 {
		out.Rows = append(out.Rows, RowChange{Table: schema.Table, Key: d.Key, Code: d.Code, Changes: changes, Guard: guard})
	}
	for i := range steps {
		steps[i].ParentGuard = guard
	}
	out.Rows = append(out.Rows, steps...)
	return out
}

// closed reports whether the dossier's status is one of the schema's closed_statuses, compared
// exactly as the column reads.
func (p *Planner) closed(d *Dossier) bool {
	s := p.cfg.Schema.Dossiers
	return s.Status != "" && slices.Contains(s.ClosedStatuses, d.Status)
}

// classifyStored classifies a dossier the repair skips by the deadline stored now: it keeps
// that deadline, so its class is the same before and after. A dossier without a readable stored
// deadline, or with an unreadable completion, stays unclassified.
func (p *Planner) classifyStored(out *Outcome, d *Dossier) {
	s, loc := p.cfg.Schema.Dossiers, p.cfg.Zone
	if s.Due == "" {
		return
	}
	due, ok, err := parseStamp(d.Due, p.layoutOf(s.Table, s.Due, s.TimeLayout), loc)
	if err != nil || !ok {
		return
	}
	completed, done, err := parseStamp(d.Completed, p.layoutOf(s.Table, s.Completed, s.TimeLayout), loc)
	if err != nil {
		return
	}
	var result *time.Time
	if done {
		result = &completed
	}
	out.Before = rules.Classify(due, result, p.AsOf, loc)
	out.After = out.Before
	out.Classified = true
}

// guard applies the never-earlier and keep-late-by-days rules to one deadline. It returns the
// value to store and whether it differs from the stored one.
func (p *Planner) guard(out *Outcome, at keptAt, stored *time.Time, computed time.Time, completed *time.Time) (time.Time, bool) {
	loc := p.cfg.Zone
	if stored == nil {
		return computed, true
	}
	kept := func(reason string, lessLate bool) {
		out.Kept = append(out.Kept, Kept{Table: at.table, Key: at.key, Code: at.code, Column: at.column,
			Reason: reason, Stored: at.raw.String, Computed: formatLike(computed, at.raw, at.layout, loc),
			LessLate: lessLate})
	}
	if completed != nil && !p.cfg.Guards.AllowHidingLateDays &&
		rules.Classify(*stored, completed, p.AsOf, loc) == rules.ClassLateDays {
		if !computed.Equal(*stored) {
			out.LateDaysHeld++
			lessLate := rules.Classify(computed, completed, p.AsOf, loc) != rules.ClassLateDays
			if lessLate {
				out.HiddenIfMoved = true
			}
			kept(KeptLateDays, lessLate)
		}
		return *stored, false
	}
	if computed.Before(*stored) && !p.cfg.Guards.AllowEarlier {
		out.EarlierHeld++
		kept(KeptEarlier, false)
		return *stored, false
	}
	return computed, !computed.Equal(*stored)
}

// steps plans the step deadlines of a dossier. The steps of a closed dossier are recomputed
// like any others, but, the dossier having no result, a step's completion does not hold its
// deadline under the late-by-days guard.
func (p *Planner) steps(out *Outcome, d *Dossier, proc *Procedure, closed bool) []RowChange {
	cfg, loc := p.cfg, p.cfg.Zone
	ds := cfg.Schema.DossierSteps
	layout := func(col string) string { return p.layoutOf(ds.Table, col, ds.TimeLayout) }
	var (
		rows    []RowChange
		changes []Change
		guards  []ColumnValue
	)
	for _, st := range d.Steps {
		skip := func(r SkipReason, format string, args ...any) {
			out.StepSkips = append(out.StepSkips, Skip{Table: ds.Table, Key: st.Key, Code: d.Code, Reason: r,
				Detail: fmt.Sprintf(format, args...)})
		}
		def := proc.Steps[st.StepKey]
		if def == nil {
			skip(SkipUnknownStep, "step %q is not a step of procedure %s", st.StepKey, proc.Code)
			continue
		}
		if def.TimeErr != nil {
			continue // NOTE: reported once per procedure step when the procedures are loaded
		}
		started, ok, err := parseStamp(st.Started, layout(ds.Started), loc)
		if err != nil {
			skip(SkipBadStart, "%s %q is not a time: %v", ds.Started, st.Started.String, err)
			continue
		}
		if !ok {
			skip(SkipNoStart, "%s is empty", ds.Started)
			continue
		}
		stored, okDue, err := parseStamp(st.Due, layout(ds.Due), loc)
		if err != nil {
			skip(SkipBadTimestamp, "%s %q is not a time: %v", ds.Due, st.Due.String, err)
			continue
		}
		if zeroDate(st.Due) {
			continue
		}
		completed, okDone, err := parseStamp(st.Completed, layout(ds.Completed), loc)
		if err != nil {
			skip(SkipBadTimestamp, "%s %q is not a time: %v", ds.Completed, st.Completed.String, err)
			continue
		}
		if okDone && completed.Before(started) {
			skip(SkipCompletedBefore, "completed %s before started %s",
				completed.In(loc).Format(time.DateTime), started.In(loc).Format(time.DateTime))
			continue
		}
		computed, err := cfg.Calendar.Deadline(started, def.Time, cfg.Step, rules.NoCutoff)
		if err != nil {
			continue
		}
		var storedPtr, completedPtr *time.Time
		if okDue {
			storedPtr = &stored
		}
		if okDone && !closed {
			completedPtr = &completed
		}
		v, changed := p.guard(out, keptAt{ds.Table, st.Key, d.Code, ds.Due, st.Due, layout(ds.Due)}, storedPtr, computed, completedPtr)
		if !changed {
			continue
		}
		nv := Text(formatLike(v, st.Due, layout(ds.Due), loc))
		if nv == st.Due {
			continue // the same text: a layout without the time of day
		}
		if rows == nil {
			// The rows of a dossier's steps share two arrays, one for their changes and one
			// for their guards, rather than two small ones each.
			rows = make([]RowChange, 0, len(d.Steps))
			changes = make([]Change, 0, len(d.Steps))
			guards = make([]ColumnValue, 0, 3*len(d.Steps))
		}
		changes = append(changes, Change{Table: ds.Table, Key: st.Key, Column: ds.Due, Old: st.Due, New: nv,
			Rule: RuleStep})
		from := len(guards)
		guards = append(guards, ColumnValue{ds.Started, st.Started}, ColumnValue{ds.Completed, st.Completed},
			ColumnValue{ds.Step, Text(st.StepKey)})
		guard := guardOf(guards[from:len(guards):len(guards)])
		guard = guard[:len(guard):len(guard)]
		guards = guards[:from+len(guard)]
		rows = append(rows, RowChange{Table: ds.Table, Key: st.Key, Code: d.Code,
			Changes: changes[len(changes)-1 : len(changes) : len(changes)], Guard: guard, Parent: d.Key})
	}
	return rows
}

// onChangeValues returns the set_on_change columns in order with the values they are set to,
// "{now}" rendered.
func (p *Planner) onChangeValues() []ColumnValue {
	p.onChangeOnce.Do(func() {
		s := p.cfg.Schema.Dossiers
		for _, col := range sortedKeys(s.SetOnChange) {
			v := s.SetOnChange[col]
			if v == "{now}" {
				v = formatStamp(p.RunAt, p.layoutOf(s.Table, col, s.TimeLayout), p.cfg.Zone)
			}
			p.onChange = append(p.onChange, ColumnValue{col, Text(v)})
		}
	})
	return p.onChange
}

// setOnChange returns the extra columns set on every dossier fixer changes. The value "{now}"
// stands for the time of the run.
func (p *Planner) setOnChange(d *Dossier) []Change {
	s := p.cfg.Schema.Dossiers
	var out []Change
	for _, c := range p.onChangeValues() {
		old := d.Extra[c.Column]
		if old.Valid && old.String == c.Value.String {
			continue
		}
		out = append(out, Change{Table: s.Table, Key: d.Key, Column: c.Column, Old: old, New: c.Value,
			Rule: RuleSetOnChange})
	}
	return out
}

func zeroDate(v Value) bool { return v.Valid && isZeroDate(v.String) }

// guardOf keeps the guard values of the columns the schema maps.
func guardOf(cols []ColumnValue) []ColumnValue {
	out := cols[:0]
	for _, c := range cols {
		if c.Column != "" {
			out = append(out, c)
		}
	}
	return out
}

// flagSpellings are the pairs (true, false) a lateness flag is written in, as the value it
// replaces is spelled.
var flagSpellings = [][2]string{{"1", "0"}, {"true", "false"}, {"t", "f"}, {"y", "n"}, {"yes", "no"},
	{"on", "off"}, {"có", "không"}, {"co", "khong"}, {"c", "k"}}

// flag spells a flag in table.col: as the value it replaces is spelled (flagLike), or, over
// NULL or an unknown spelling, as the column's type spells true and false (an ENUM's members).
func (p *Planner) flag(v bool, old Value, table, col string) string {
	if _, known := spellingOf(old); !known && p.FlagWords != nil {
		if yes, no, ok := p.FlagWords(table, col); ok {
			if v {
				return yes
			}
			return no
		}
	}
	return flagLike(v, old)
}

// FlagPair finds among the members of a column's type (a MySQL ENUM) a pair fixer can write as
// true and false, spelled as the members are.
func FlagPair(members []string) (yes, no string, ok bool) {
	for _, pair := range flagSpellings {
		yes, no = "", ""
		for _, m := range members {
			switch {
			case strings.EqualFold(strings.TrimSpace(m), pair[0]):
				yes = m
			case strings.EqualFold(strings.TrimSpace(m), pair[1]):
				no = m
			}
		}
		if yes != "" && no != "" {
			return yes, no, true
		}
	}
	return "", "", false
}

// spellingOf returns the pair of flagSpellings v is spelled in; known is false for NULL and
// other values.
func spellingOf(v Value) (pair [2]string, known bool) {
	was := strings.TrimSpace(v.String)
	if !v.Valid {
		return flagSpellings[0], false
	}
	for _, p := range flagSpellings {
		if strings.EqualFold(was, p[0]) || strings.EqualFold(was, p[1]) {
			return p, true
		}
	}
	return flagSpellings[0], false
}

// flagLike spells a flag as the value it replaces is spelled, in the same case: true/false over
// true/false (as a PostgreSQL boolean reads), Y/N over Y/N, Có/Không over Có/Không, and so on;
// 1/0 over NULL or anything else. A text column keeps the convention the application reads,
// and the audit records what the column will read as.
func flagLike(v bool, old Value) string {
	pair, _ := spellingOf(old)
	was := strings.TrimSpace(old.String)
	out := pair[1]
	if v {
		out = pair[0]
	}
	switch {
	case was != strings.ToLower(was) && was == strings.ToUpper(was) && len([]rune(was)) > 1:
		return strings.ToUpper(out)
	case was != strings.ToLower(was):
		r := []rune(out)
		return strings.ToUpper(string(r[0])) + string(r[1:])
	}
	return out
}
