package repair

import (
	"sort"
	"strconv"

	"fixer/rules"
)

// Summary is what a run found and did. The same structure reports a dry run and a real one.
type Summary struct {
	Kind        string `json:"kind"` // plan | apply | rollback
	DryRun      bool   `json:"dry_run"`
	ChangesetID int64  `json:"changeset_id,omitempty"`
	RunID       string `json:"run_id,omitempty"`
	Resumed     bool   `json:"resumed,omitempty"`

	DossiersScanned   int64 `json:"dossiers_scanned"`
	ProceduresChanged int64 `json:"procedures_changed"`
	// RowsToChange counts rows a dry run would change; RowsChanged rows a real run changed.
	RowsToChange  int64 `json:"rows_to_change"`
	RowsChanged   int64 `json:"rows_changed"`
	ValuesChanged int64 `json:"values_changed"`
	RowsSkipped   int64 `json:"rows_skipped"`
	// DossiersSkipped counts the dossiers among RowsSkipped; the rest are procedures and steps.
	DossiersSkipped int64 `json:"dossiers_skipped"`
	Conflicts       int64 `json:"conflicts"`
	// AlreadyRestored counts, in a rollback, values that already held their old value.
	AlreadyRestored int64 `json:"already_restored,omitempty"`

	SkipsByReason map[SkipReason]int64 `json:"skips_by_reason"`
	// Transitions counts dossiers by lateness class before -> after, e.g. "late_hours -> on_time".
	// A dossier the repair skips keeps its class: it counts as X -> X under its stored deadline.
	Transitions map[string]int64 `json:"transitions"`
	// Closed counts the dossiers whose status is one of closed_statuses: they have no result and
	// are in no lateness class.
	Closed int64 `json:"closed"`
	// Deleted counts the soft-deleted dossiers (schema.dossiers.deleted), left alone and in no
	// lateness class.
	Deleted int64 `json:"deleted"`
	// Unclassified counts the other dossiers in no class: skipped, and without a readable stored
	// deadline (or with an unreadable completion time).
	Unclassified int64 `json:"unclassified"`
	// EarlierHeld counts deadlines kept because the new rule gave an earlier one.
	EarlierHeld int64 `json:"earlier_held"`
	// LateDaysHeld counts deadlines kept because the result missed them by whole days;
	// HiddenIfMoved counts the dossiers among them that moving would have made look less late.
	LateDaysHeld  int64 `json:"late_days_held"`
	HiddenIfMoved int64 `json:"late_days_hidden_if_moved"`

	Agencies []AgencySummary `json:"agencies"`
	Sample   []Change        `json:"sample"`
	Skips    []Skip          `json:"skips"`
	// Kept lists the deadlines the guards kept (up to maxSkips; EarlierHeld and LateDaysHeld
	// count them all).
	Kept     []Kept   `json:"kept"`
	Conflict []Change `json:"conflict_rows,omitempty"`

	StopReason string `json:"stop_reason"`

	agencies map[string]*AgencySummary
	// onSkip and onKept receive every skip and every kept deadline, listed or not.
	onSkip func(Skip)
	onKept func(Kept)
}

// AgencySummary is the per-agency part of a [Summary].
type AgencySummary struct {
	Agency     string           `json:"agency"`
	Name       string           `json:"name,omitempty"`
	Procedures int64            `json:"procedures_changed"`
	Dossiers   int64            `json:"dossiers_changed"`
	Before     map[string]int64 `json:"before"`
	After      map[string]int64 `json:"after"`
	// Closed counts the agency's dossiers with a closed status, in no lateness class.
	Closed int64 `json:"closed"`
}

// Limits on what a summary keeps in memory; counts are always complete.
const (
	maxSample = 20
	maxSkips  = 1000
)

func newSummary(kind string, dry bool) *Summary {
	return &Summary{Kind: kind, DryRun: dry, SkipsByReason: map[SkipReason]int64{},
		Transitions: map[string]int64{}, agencies: map[string]*AgencySummary{}}
}

func (s *Summary) agency(id string) *AgencySummary {
	a := s.agencies[id]
	if a == nil {
		a = &AgencySummary{Agency: id, Before: map[string]int64{}, After: map[string]int64{}}
		s.agencies[id] = a
	}
	return a
}

func (s *Summary) addSkip(k Skip) {
	s.RowsSkipped++
	s.SkipsByReason[k.Reason]++
	if s.onSkip != nil {
		s.onSkip(k)
	}
	if len(s.Skips) < maxSkips {
		s.Skips = append(s.Skips, k)
	}
}

func (s *Summary) addOutcome(d *Dossier, o Outcome) {
	a := s.agency(d.AgencyID)
	if o.Skip != nil {
		s.addSkip(*o.Skip)
		s.DossiersSkipped++
	}
	switch {
	case o.Deleted:
		s.Deleted++
	case o.Closed:
		s.Closed++
		a.Closed++
	case o.Classified:
		s.Transitions[o.Before.String()+" -> "+o.After.String()]++
		a.Before[o.Before.String()]++
		a.After[o.After.String()]++
	default:
		s.Unclassified++
	}
	for _, k := range o.StepSkips {
		s.addSkip(k)
	}
	s.EarlierHeld += int64(o.EarlierHeld)
	for _, k := range o.Kept {
		if s.onKept != nil {
			s.onKept(k)
		}
		if len(s.Kept) < maxSkips {
			s.Kept = append(s.Kept, k)
		}
	}
	s.LateDaysHeld += int64(o.LateDaysHeld)
	if o.HiddenIfMoved {
		s.HiddenIfMoved++
	}
}

// leftAlone counts again a dossier the database left alone: it keeps its class, and is no
// longer one of its agency's changed dossiers.
func (s *Summary) leftAlone(m move) {
	a := s.agency(m.agency)
	a.Dossiers--
	if !m.classified || m.before == m.after {
		return
	}
	was := m.before + " -> " + m.after
	if s.Transitions[was]--; s.Transitions[was] == 0 {
		delete(s.Transitions, was)
	}
	s.Transitions[m.before+" -> "+m.before]++
	if a.After[m.after]--; a.After[m.after] == 0 {
		delete(a.After, m.after)
	}
	a.After[m.before]++
}

// addSample keeps the first changes of each table, so that dossiers show beside procedures.
func (s *Summary) addSample(rows []RowChange) {
	for _, r := range rows {
		if len(s.Sample) >= maxSample {
			return
		}
		n := 0
		for _, c := range s.Sample {
			if c.Table == r.Table {
				n++
			}
		}
		if n+len(r.Changes) > maxSample/3 {
			continue
		}
		s.Sample = append(s.Sample, r.Changes...)
	}
}

// finish orders the per-agency list.
func (s *Summary) finish(names map[string]string) {
	s.Agencies = s.Agencies[:0]
	for _, a := range s.agencies {
		a.Name = names[a.Agency]
		s.Agencies = append(s.Agencies, *a)
	}
	sort.Slice(s.Agencies, func(i, j int) bool { return keyLess(s.Agencies[i].Agency, s.Agencies[j].Agency) })
}

// ClassNames lists the lateness classes in report order.
var ClassNames = []string{
	rules.ClassOnTime.String(), rules.ClassLateHours.String(), rules.ClassLateDays.String(),
	rules.ClassOverdue.String(), rules.ClassOpen.String(),
}

// keyLess orders keys numerically when both are integers, as text otherwise.
func keyLess(a, b string) bool {
	x, err1 := strconv.ParseInt(a, 10, 64)
	y, err2 := strconv.ParseInt(b, 10, 64)
	if err1 == nil && err2 == nil {
		return x < y
	}
	return a < b
}
