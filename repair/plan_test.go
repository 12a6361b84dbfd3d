package repair

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/rules"
)

func resolved(t *testing.T, edit func(*Config)) *Resolved {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	r, err := cfg.Resolve()
	require.NoError(t, err)
	return r
}

func proc1d(t *testing.T) *Procedure {
	t.Helper()
	d, err := rules.ParseDuration("1d")
	require.NoError(t, err)
	return &Procedure{Key: "1", Code: "1.000001", Time: d, Cutoff: rules.NoCutoff,
		Profile: map[string]Value{}, Steps: map[string]*Step{}}
}

func changesOf(o Outcome) map[string]string {
	out := map[string]string{}
	for _, r := range o.Rows {
		for _, c := range r.Changes {
			out[c.Table+"."+c.Column] = c.Old.String + " -> " + c.New.String
		}
	}
	return out
}

// The expected values come from DOMAIN.md worked by hand: a 1d procedure received Monday
// 2021-03-08 10:15:42 has its appointment (day counting) at the end of Tuesday, 17:00, and its
// processing deadline (8 working hours, snapped to the session end) at Tuesday 11:30.
func TestPlannerDossier(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	asOf := time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone)
	p := NewPlanner(cfg, asOf)

	for _, tc := range []struct {
		name   string
		d      Dossier
		want   map[string]string
		skip   SkipReason
		before rules.Class
		after  rules.Class
		held   [2]int // EarlierHeld, LateDaysHeld
		hidden bool
	}{
		{
			name: "late by minutes becomes on time",
			d: Dossier{Key: "1", Received: Text("2021-03-08 10:15:42"), Appointment: Text("2021-03-09 10:15:42"),
				Due: Text("2021-03-09 10:15:42"), Completed: Text("2021-03-09 10:40:00"), IsLate: Text("1")},
			want: map[string]string{
				"dossiers.appointment_at": "2021-03-09 10:15:42 -> 2021-03-09 17:00:00",
				"dossiers.due_at":         "2021-03-09 10:15:42 -> 2021-03-09 11:30:00",
				"dossiers.is_late":        "1 -> 0",
			},
			before: rules.ClassLateHours, after: rules.ClassOnTime,
		},
		{
			name: "late by a day keeps its deadlines and says what moving them would hide",
			d: Dossier{Key: "2", Received: Text("2021-03-08 10:15:42"), Appointment: Text("2021-03-09 10:15:42"),
				Due: Text("2021-03-09 10:15:42"), Completed: Text("2021-03-10 08:00:00"), IsLate: Text("1")},
			want:   map[string]string{},
			before: rules.ClassLateDays, after: rules.ClassLateDays, held: [2]int{0, 2}, hidden: false,
		},
		{
			name: "a stored deadline later than the rule's is kept",
			d: Dossier{Key: "3", Received: Text("2021-03-08 10:15:42"), Appointment: Text("2021-03-12 10:00:00"),
				Due: Text("2021-03-12 10:00:00")},
			want:   map[string]string{},
			before: rules.ClassOverdue, after: rules.ClassOverdue, held: [2]int{2, 0},
		},
		{
			name: "missing deadlines are filled; an open dossier gets no lateness flag",
			d:    Dossier{Key: "4", Received: Text("2021-03-08 10:15:42"), IsLate: Null},
			want: map[string]string{
				"dossiers.appointment_at": " -> 2021-03-09 17:00:00",
				"dossiers.due_at":         " -> 2021-03-09 11:30:00",
			},
			before: rules.ClassOverdue, after: rules.ClassOverdue,
		},
		{
			name: "a MySQL zero date is never overwritten",
			d: Dossier{Key: "5", Received: Text("2021-03-08 10:15:42"), Appointment: Text("0000-00-00 00:00:00"),
				Due: Text("2021-03-09 10:15:42")},
			want:   map[string]string{"dossiers.due_at": "2021-03-09 10:15:42 -> 2021-03-09 11:30:00"},
			before: rules.ClassOverdue, after: rules.ClassOverdue,
		},
		{
			name: "fractional seconds are not a change",
			d: Dossier{Key: "6", Received: Text("2021-03-08 10:15:42.730"), Appointment: Text("2021-03-09 17:00:00.000000"),
				Due: Text("2021-03-09 11:30:00.4")},
			want:   map[string]string{},
			before: rules.ClassOverdue, after: rules.ClassOverdue,
		},
		{
			name: "text with a zone is written in its own form and offset",
			d: Dossier{Key: "13", Received: Text("2021-03-08T03:15:42Z"), Appointment: Text("2021-03-09T03:15:42Z"),
				Due: Text("2021-03-09 10:15:42+07")},
			want: map[string]string{
				"dossiers.appointment_at": "2021-03-09T03:15:42Z -> 2021-03-09T10:00:00Z",
				"dossiers.due_at":         "2021-03-09 10:15:42+07 -> 2021-03-09 11:30:00+07",
			},
			before: rules.ClassOverdue, after: rules.ClassOverdue,
		},
		{name: "no receipt", d: Dossier{Key: "7"}, skip: SkipNoReceipt},
		{name: "unreadable receipt", d: Dossier{Key: "8", Received: Text("31/02/2021")}, skip: SkipBadReceipt},
		{name: "completed before receipt", skip: SkipCompletedEarly,
			d: Dossier{Key: "9", Received: Text("2021-03-08 10:00:00"), Completed: Text("2021-03-08 09:59:59")}},
		{name: "clock stopped", skip: SkipPaused, d: Dossier{Key: "10", Received: Text("2021-03-08 10:00:00"), Paused: true}},
		{name: "appointment re-set", skip: SkipRescheduled, d: Dossier{Key: "11", Received: Text("2021-03-08 10:00:00"), Rescheduled: true}},
		{name: "deadline extended", skip: SkipExtended, d: Dossier{Key: "12", Received: Text("2021-03-08 10:00:00"), Extended: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := p.Dossier(&tc.d, proc1d(t))
			if tc.skip != "" {
				require.NotNil(t, o.Skip)
				require.Equal(t, tc.skip, o.Skip.Reason)
				require.Empty(t, o.Rows)
				return
			}
			require.Nil(t, o.Skip)
			require.Equal(t, tc.want, changesOf(o))
			require.Equal(t, tc.before, o.Before)
			require.Equal(t, tc.after, o.After)
			require.Equal(t, tc.held, [2]int{o.EarlierHeld, o.LateDaysHeld})
			require.Equal(t, tc.hidden, o.HiddenIfMoved)
		})
	}
}

func TestPlannerHiddenLateness(t *testing.T) {
	t.Parallel()
	// Received Mon 15:30 with 2d; the stored (wrong) deadline Tue 15:30 was missed on Wed 09:00,
	// a later date: late by days. The rule gives an appointment of Wed 17:00 (two working days
	// after Monday) and a deadline of Wed 17:00 (16 h: 1.5 h Mon, 8 h Tue, 6.5 h Wed ending
	// 15:30, snapped to the session end). Moving them would make the result on time and hide a
	// delay of days, so both are kept and counted.
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone))
	two, err := rules.ParseDuration("2d")
	require.NoError(t, err)
	proc := &Procedure{Key: "1", Time: two, Cutoff: rules.NoCutoff}
	d := Dossier{Key: "1", Received: Text("2021-03-08 15:30:00"), Appointment: Text("2021-03-09 15:30:00"),
		Due: Text("2021-03-09 15:30:00"), Completed: Text("2021-03-10 09:00:00"), IsLate: Text("1")}
	o := p.Dossier(&d, proc)
	require.Empty(t, changesOf(o))
	require.True(t, o.HiddenIfMoved)
	require.Equal(t, 2, o.LateDaysHeld)

	cfg = resolved(t, func(c *Config) { c.Guards.AllowHidingLateDays = true })
	o = NewPlanner(cfg, p.AsOf).Dossier(&d, proc)
	require.Equal(t, map[string]string{
		"dossiers.appointment_at": "2021-03-09 15:30:00 -> 2021-03-10 17:00:00",
		"dossiers.due_at":         "2021-03-09 15:30:00 -> 2021-03-10 17:00:00",
		"dossiers.is_late":        "1 -> 0",
	}, changesOf(o))
}

func TestProfileChanges(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Now())
	proc := proc1d(t)
	proc.Profile = map[string]Value{"appointment_count": Text("hour"), "appointment_snap": Text("none"),
		"deadline_count": Text("hour"), "deadline_snap": Null}
	got := map[string]string{}
	for _, c := range p.ProfileChanges(proc) {
		got[c.Column] = c.New.String
	}
	require.Equal(t, map[string]string{"appointment_count": "day", "deadline_snap": "session"}, got)

	proc.TimeErr = errTest
	require.Empty(t, p.ProfileChanges(proc), "a procedure whose time cannot be read is left untouched")
}

func TestSetOnChange(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, func(c *Config) {
		c.Schema.Dossiers.SetOnChange = map[string]string{"sync_flag": "1", "updated_at": "{now}"}
	})
	p := NewPlanner(cfg, time.Now())
	p.RunAt = time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	d := Dossier{Key: "1", Received: Text("2021-03-08 10:15:42"), Due: Text("2021-03-09 10:15:42"),
		Appointment: Text("2021-03-09 17:00:00"), Extra: map[string]Value{"sync_flag": Text("0"), "updated_at": Null}}
	got := changesOf(p.Dossier(&d, proc1d(t)))
	require.Equal(t, "0 -> 1", got["dossiers.sync_flag"])
	require.Equal(t, " -> 2026-12-04 08:00:00", got["dossiers.updated_at"], "{now} in the configured zone")

	d.Due = Text("2021-03-09 11:30:00")
	require.Empty(t, changesOf(p.Dossier(&d, proc1d(t))), "nothing set when the dossier does not change")
}

var errTest = errTestT("test")

type errTestT string

func (e errTestT) Error() string { return string(e) }

// A dossier the repair skips keeps its stored deadline, so it is classified by it, the same
// before and after; one without a readable stored deadline stays unclassified. The 1d
// procedure's dossiers below are due Tue 2021-03-09 10:00 as stored; the present is Dec 2021.
func TestPlannerClassifiesSkippedByStoredDeadline(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone))
	received, due := Text("2021-03-08 10:00:00"), Text("2021-03-09 10:00:00")

	for _, tc := range []struct {
		name     string
		d        Dossier
		noProc   bool
		skip     SkipReason
		class    rules.Class
		unknown  bool // no class at all
		isClosed bool
	}{
		{name: "clock stopped, completed two days after its deadline", skip: SkipPaused, class: rules.ClassLateDays,
			d: Dossier{Key: "1", Received: received, Due: due, Completed: Text("2021-03-11 09:00:00"), Paused: true}},
		{name: "appointment re-set, completed two hours after its deadline", skip: SkipRescheduled,
			class: rules.ClassLateHours,
			d:     Dossier{Key: "2", Received: received, Due: due, Completed: Text("2021-03-09 12:00:00"), Rescheduled: true}},
		{name: "deadline extended, still open", skip: SkipExtended, class: rules.ClassOverdue,
			d: Dossier{Key: "3", Received: received, Due: due, Extended: true}},
		{name: "unknown procedure, completed at its deadline", skip: SkipUnknownProcedure, noProc: true,
			class: rules.ClassOnTime, d: Dossier{Key: "4", Received: received, Due: due, Completed: due}},
		{name: "no receipt time, completed the next day", skip: SkipNoReceipt, class: rules.ClassLateDays,
			d: Dossier{Key: "5", Due: due, Completed: Text("2021-03-10 08:00:00")}},
		{name: "clock stopped, no stored deadline", skip: SkipPaused, unknown: true,
			d: Dossier{Key: "6", Received: received, Completed: Text("2021-03-11 09:00:00"), Paused: true}},
		{name: "unreadable stored deadline", skip: SkipBadTimestamp, unknown: true,
			d: Dossier{Key: "7", Received: received, Due: Text("31/02/2021"), Completed: Text("2021-03-11 09:00:00")}},
		{name: "clock stopped and withdrawn", skip: SkipPaused, isClosed: true,
			d: Dossier{Key: "8", Received: received, Due: due, Completed: Text("2021-03-11 09:00:00"), Paused: true,
				Status: "withdrawn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			proc := proc1d(t)
			if tc.noProc {
				proc = nil
			}
			o := p.Dossier(&tc.d, proc)
			require.NotNil(t, o.Skip)
			require.Equal(t, tc.skip, o.Skip.Reason)
			require.Empty(t, o.Rows)
			require.Equal(t, tc.isClosed, o.Closed)
			if tc.unknown || tc.isClosed {
				require.False(t, o.Classified)
				return
			}
			require.True(t, o.Classified)
			require.Equal(t, tc.class, o.Before)
			require.Equal(t, tc.class, o.After, "a skipped dossier keeps its class")
		})
	}
}

// A withdrawn, cancelled or rejected dossier has no result. A 4h procedure received Mon
// 2024-03-04 09:00: 2.5 h in the morning session and 1.5 h in the afternoon end at 14:30, the
// appointment (hours are counted in hours; snap none); the deadline snaps to the end of the
// afternoon session, 17:00. The legacy system stored 13:00 for both and the dossier was closed
// on Wed 2024-03-06 10:00, two days later. Its step of 4h from the same start is due the same.
func TestPlannerClosedDossier(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Date(2024, 12, 9, 17, 0, 0, 0, cfg.Zone))
	four, err := rules.ParseDuration("4h")
	require.NoError(t, err)
	proc := &Procedure{Key: "7", Time: four, Cutoff: rules.NoCutoff,
		Steps: map[string]*Step{"1": {Key: "1", Time: four}}}
	dossier := func(status string, completed Value) Dossier {
		return Dossier{Key: "1", Status: status, Received: Text("2024-03-04 09:00:00"),
			Appointment: Text("2024-03-04 13:00:00"), Due: Text("2024-03-04 13:00:00"), Completed: completed,
			IsLate: Null, Steps: []DossierStep{{Key: "11", StepKey: "1", Started: Text("2024-03-04 09:00:00"),
				Due: Text("2024-03-04 13:00:00"), Completed: completed}}}
	}
	recomputed := map[string]string{
		"dossiers.appointment_at": "2024-03-04 13:00:00 -> 2024-03-04 14:30:00",
		"dossiers.due_at":         "2024-03-04 13:00:00 -> 2024-03-04 17:00:00",
		"dossier_steps.due_at":    "2024-03-04 13:00:00 -> 2024-03-04 17:00:00",
	}

	for _, status := range []string{"withdrawn", "cancelled", "rejected"} {
		for _, completed := range []Value{Text("2024-03-06 10:00:00"), Null} {
			d := dossier(status, completed)
			o := p.Dossier(&d, proc)
			require.Nil(t, o.Skip)
			require.True(t, o.Closed, status)
			require.False(t, o.Classified, "%s: in no lateness class", status)
			require.Equal(t, recomputed, changesOf(o), "%s: deadlines recomputed, lateness flag left alone", status)
			require.Zero(t, o.LateDaysHeld, "%s: no result, so no late-by-days guard", status)
		}
	}

	// The same dossier with a result was late by days: its deadlines are kept and it is flagged.
	d := dossier("done", Text("2024-03-06 10:00:00"))
	o := p.Dossier(&d, proc)
	require.False(t, o.Closed)
	require.Equal(t, rules.ClassLateDays, o.Before)
	require.Equal(t, map[string]string{"dossiers.is_late": " -> 1"}, changesOf(o))
	require.Equal(t, 3, o.LateDaysHeld)

	// The status column unmapped: no status is closed.
	cfg = resolved(t, func(c *Config) { c.Schema.Dossiers.Status = "" })
	d = dossier("withdrawn", Text("2024-03-06 10:00:00"))
	o = NewPlanner(cfg, p.AsOf).Dossier(&d, proc)
	require.False(t, o.Closed)
	require.Equal(t, rules.ClassLateDays, o.Before)
}

func TestSummaryCountsSkippedAndClosedDossiers(t *testing.T) {
	t.Parallel()
	s := newSummary("plan", true)
	skip := &Skip{Table: "dossiers", Key: "1", Reason: SkipPaused}
	s.addOutcome(&Dossier{AgencyID: "1"}, Outcome{Skip: skip, Classified: true,
		Before: rules.ClassLateDays, After: rules.ClassLateDays})
	s.addOutcome(&Dossier{AgencyID: "1"}, Outcome{Skip: skip})
	s.addOutcome(&Dossier{AgencyID: "2"}, Outcome{Closed: true})
	s.addOutcome(&Dossier{AgencyID: "2"}, Outcome{Skip: skip, Closed: true})
	s.addOutcome(&Dossier{AgencyID: "2"}, Outcome{Classified: true, Before: rules.ClassLateHours,
		After: rules.ClassOnTime})
	s.finish(nil)

	require.Equal(t, map[string]int64{"late_days -> late_days": 1, "late_hours -> on_time": 1}, s.Transitions)
	require.EqualValues(t, 3, s.DossiersSkipped)
	require.EqualValues(t, 2, s.Closed)
	require.EqualValues(t, 1, s.Unclassified)
	require.Equal(t, map[string]int64{"late_days": 1}, s.Agencies[0].Before)
	require.Equal(t, map[string]int64{"late_days": 1}, s.Agencies[0].After)
	require.Zero(t, s.Agencies[0].Closed)
	require.Equal(t, map[string]int64{"late_hours": 1}, s.Agencies[1].Before)
	require.EqualValues(t, 2, s.Agencies[1].Closed)
}

// DOMAIN.md: a stored deadline a result missed by whole days is kept, "such dossiers are
// listed, with their count", and a computed deadline earlier than the stored one is "reported,
// not moved". Worked by hand: 3d received Mon 2021-03-08 09:47 gives an appointment at the end
// of the third working day after Monday, Thu 2021-03-11 17:00, and a deadline of 24 working
// hours (Mon 1h43 + 4h, Tue 8h, Wed 8h, Thu 2h17 to 09:47) snapped to the session end, Thu
// 11:30. Stored Wed 17:00 and completed Thu 09:00 is late by days, on time under the new rule.
// 4h received Mon 08:00 gives 13:30 (3.5h + 0.5h; the appointment counts hours in hours) and
// 17:00 after the snap, both earlier than a stored Tue 17:00.
func TestPlannerListsKeptDeadlines(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone))
	procOf := func(dur string) *Procedure {
		d, err := rules.ParseDuration(dur)
		require.NoError(t, err)
		return &Procedure{Key: dur, Code: "P" + dur, Time: d, Cutoff: rules.NoCutoff}
	}

	late := Dossier{Key: "3", Code: "D3", Received: Text("2021-03-08 09:47:00"),
		Appointment: Text("2021-03-10 17:00:00"), Due: Text("2021-03-10 17:00:00"),
		Completed: Text("2021-03-11 09:00:00"), IsLate: Text("1")}
	o := p.Dossier(&late, procOf("3d"))
	require.Empty(t, changesOf(o))
	require.Equal(t, []Kept{
		{Table: "dossiers", Key: "3", Code: "D3", Column: "appointment_at", Reason: KeptLateDays,
			Stored: "2021-03-10 17:00:00", Computed: "2021-03-11 17:00:00", LessLate: true},
		{Table: "dossiers", Key: "3", Code: "D3", Column: "due_at", Reason: KeptLateDays,
			Stored: "2021-03-10 17:00:00", Computed: "2021-03-11 11:30:00", LessLate: true},
	}, o.Kept)

	early := Dossier{Key: "4", Code: "D4", Received: Text("2021-03-08 08:00:00"),
		Appointment: Text("2021-03-09 17:00:00"), Due: Text("2021-03-09 17:00:00")}
	o = p.Dossier(&early, procOf("4h"))
	require.Empty(t, changesOf(o))
	require.Equal(t, []Kept{
		{Table: "dossiers", Key: "4", Code: "D4", Column: "appointment_at", Reason: KeptEarlier,
			Stored: "2021-03-09 17:00:00", Computed: "2021-03-08 13:30:00"},
		{Table: "dossiers", Key: "4", Code: "D4", Column: "due_at", Reason: KeptEarlier,
			Stored: "2021-03-09 17:00:00", Computed: "2021-03-08 17:00:00"},
	}, o.Kept)

	sum := newSummary("plan", true)
	sum.addOutcome(&late, p.Dossier(&late, procOf("3d")))
	sum.addOutcome(&early, o)
	require.Len(t, sum.Kept, 4)

	// Text dates in a layout of their own are shown as the column spells them, the stored one
	// as read and the computed one as it would be written.
	legacy := NewPlanner(resolved(t, func(c *Config) { c.Schema.Dossiers.TimeLayout = "02/01/2006 15:04:05" }),
		time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone))
	textLate := Dossier{Key: "5", Code: "D5", Received: Text("08/03/2021 09:47:00"),
		Appointment: Text("10/03/2021 17:00:00"), Due: Text("10/03/2021 17:00:00"),
		Completed: Text("11/03/2021 09:00:00"), IsLate: Text("1")}
	o = legacy.Dossier(&textLate, procOf("3d"))
	require.Empty(t, changesOf(o))
	require.Equal(t, []Kept{
		{Table: "dossiers", Key: "5", Code: "D5", Column: "appointment_at", Reason: KeptLateDays,
			Stored: "10/03/2021 17:00:00", Computed: "11/03/2021 17:00:00", LessLate: true},
		{Table: "dossiers", Key: "5", Code: "D5", Column: "due_at", Reason: KeptLateDays,
			Stored: "10/03/2021 17:00:00", Computed: "11/03/2021 11:30:00", LessLate: true},
	}, o.Kept)
}

// DOMAIN.md: "A row with no receipt time, a completion before its receipt, or a procedure that
// cannot be resolved is skipped and reported." A workflow step's start is its receipt. By hand,
// a 4h step started Mon 2021-04-19 08:00 ends 13:30 (3.5h + 0.5h), snapped to 17:00; the same
// step with no start, an unreadable start, a completion before its start, or a step key the
// procedure lacks is left alone and reported, each with its reason.
func TestPlannerReportsSkippedSteps(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, nil)
	p := NewPlanner(cfg, time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone))
	four, err := rules.ParseDuration("4h")
	require.NoError(t, err)
	proc := &Procedure{Key: "8", Code: "P8", Time: four, Cutoff: rules.NoCutoff,
		Steps: map[string]*Step{"81": {Key: "81", Time: four}}}
	d := Dossier{Key: "18", Code: "D18", Received: Text("2021-04-19 08:00:00"),
		Appointment: Text("2021-04-19 13:30:00"), Due: Text("2021-04-19 17:00:00"), IsLate: Null,
		Steps: []DossierStep{
			{Key: "181", StepKey: "81", Started: Text("2021-04-19 08:00:00"), Due: Text("2021-04-19 13:30:00")},
			{Key: "184", StepKey: "81", Started: Null, Due: Text("2021-04-19 13:30:00")},
			{Key: "185", StepKey: "81", Started: Text("garbage"), Due: Text("2021-04-19 13:30:00")},
			{Key: "186", StepKey: "81", Started: Text("2021-04-19 08:00:00"), Due: Text("2021-04-19 13:30:00"),
				Completed: Text("2021-04-16 09:00:00")},
			{Key: "187", StepKey: "999", Started: Text("2021-04-19 08:00:00"), Due: Text("2021-04-19 13:30:00")},
		}}
	o := p.Dossier(&d, proc)
	require.Nil(t, o.Skip)
	require.Equal(t, map[string]string{"dossier_steps.due_at": "2021-04-19 13:30:00 -> 2021-04-19 17:00:00"},
		changesOf(o))
	require.Len(t, o.Rows, 1)
	require.Equal(t, "181", o.Rows[0].Key)

	reasons := map[string]SkipReason{}
	for _, k := range o.StepSkips {
		require.Equal(t, "dossier_steps", k.Table)
		require.Equal(t, "D18", k.Code)
		reasons[k.Key] = k.Reason
	}
	require.Equal(t, map[string]SkipReason{"184": "no_step_start_time", "185": "unreadable_step_start_time",
		"186": "step_completed_before_start", "187": "unknown_step"}, reasons)

	sum := newSummary("plan", true)
	sum.addOutcome(&d, o)
	require.EqualValues(t, 4, sum.RowsSkipped)
	require.EqualValues(t, 0, sum.DossiersSkipped)
}
