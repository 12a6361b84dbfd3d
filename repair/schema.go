package repair

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Schema maps fixer's logical tables and columns onto the database's own names. An empty column
// name means the database has no such column; the marked ones are required.
type Schema struct {
	Agencies     AgencyTable      `yaml:"agencies"`
	Procedures   ProcedureTable   `yaml:"procedures"`
	Steps        StepTable        `yaml:"procedure_steps"`
	Dossiers     DossierTable     `yaml:"dossiers"`
	DossierSteps DossierStepTable `yaml:"dossier_steps"`
}

// AgencyTable maps the optional table of agencies, used only to print their names in reports.
type AgencyTable struct {
	Table string `yaml:"table"`
	Key   string `yaml:"key"`
	Name  string `yaml:"name"`
}

// ProcedureTable maps the procedures table.
type ProcedureTable struct {
	Table          string `yaml:"table"`           // required
	Key            string `yaml:"key"`             // required: primary key
	Code           string `yaml:"code"`            // required
	Agency         string `yaml:"agency"`          //
	ProcessingTime string `yaml:"processing_time"` // required
	// TimeFormat of the processing time: "fixer" (5d, 0.5d, 4h, 15cd) or "text" (Vietnamese
	// free text such as "05 ngày làm việc").
	TimeFormat string `yaml:"time_format"`
	Cutoff     string `yaml:"cutoff"` // HH:MM text, optional
	// Columns holding the deadline configuration, rewritten to the target profile; optional.
	AppointmentCount string `yaml:"appointment_count"`
	AppointmentSnap  string `yaml:"appointment_snap"`
	DeadlineCount    string `yaml:"deadline_count"`
	DeadlineSnap     string `yaml:"deadline_snap"`
}

// StepTable maps the workflow steps of procedures; Table empty means there are none.
type StepTable struct {
	Table          string `yaml:"table"`
	Key            string `yaml:"key"`
	Procedure      string `yaml:"procedure"`
	ProcessingTime string `yaml:"processing_time"`
	TimeFormat     string `yaml:"time_format"`
}

// DossierTable maps the dossiers table.
type DossierTable struct {
	Table       string `yaml:"table"`     // required
	Key         string `yaml:"key"`       // required
	Code        string `yaml:"code"`      // required
	Procedure   string `yaml:"procedure"` // required
	Agency      string `yaml:"agency"`
	Received    string `yaml:"received_at"` // required
	Appointment string `yaml:"appointment_at"`
	Due         string `yaml:"due_at"`
	Completed   string `yaml:"completed_at"` // required
	Status      string `yaml:"status"`
	IsLate      string `yaml:"is_late"`
	// Paused names a numeric column, non-zero when the clock was stopped.
	Paused      string `yaml:"paused"`
	Rescheduled string `yaml:"rescheduled_at"`
	Extended    string `yaml:"extended_at"`
	// Deleted names a column that marks a soft-deleted dossier (a flag such as is_deleted, or a
	// time such as deleted_at): a dossier whose value is set (not NULL, 0, false, N or empty)
	// is left alone with its steps and counted in no lateness class.
	Deleted string `yaml:"deleted"`
	// TimeLayout is the Go layout of timestamps stored as text (e.g. "02/01/2006 15:04:05");
	// empty for native timestamp columns.
	TimeLayout string `yaml:"time_layout"`
	// ClosedStatuses are status values of dossiers that are neither finished nor open (such as
	// withdrawn): never counted as open or overdue.
	ClosedStatuses []string `yaml:"closed_statuses"`
	// SetOnChange lists extra columns set whenever fixer changes a dossier, e.g. a flag that
	// makes the portal re-synchronise it: column name to value.
	SetOnChange map[string]string `yaml:"set_on_change"`
}

// DossierStepTable maps the steps of dossiers; Table empty means there are none.
type DossierStepTable struct {
	Table      string `yaml:"table"`
	Key        string `yaml:"key"`
	Dossier    string `yaml:"dossier"`
	Step       string `yaml:"step"`
	Started    string `yaml:"started_at"`
	Due        string `yaml:"due_at"`
	Completed  string `yaml:"completed_at"`
	TimeLayout string `yaml:"time_layout"`
}

// ReferenceSchema is the mapping of the reference schema shipped in sql/reference.
func ReferenceSchema() Schema {
	return Schema{
		Agencies: AgencyTable{Table: "agencies", Key: "id", Name: "name"},
		Procedures: ProcedureTable{
			Table: "procedures", Key: "id", Code: "code", Agency: "agency_id",
			ProcessingTime: "processing_time", TimeFormat: "fixer", Cutoff: "cutoff_time",
			AppointmentCount: "appointment_count", AppointmentSnap: "appointment_snap",
			DeadlineCount: "deadline_count", DeadlineSnap: "deadline_snap",
		},
		Steps: StepTable{
			Table: "procedure_steps", Key: "id", Procedure: "procedure_id",
			ProcessingTime: "processing_time", TimeFormat: "fixer",
		},
		Dossiers: DossierTable{
			Table: "dossiers", Key: "id", Code: "code", Procedure: "procedure_id",
			Agency: "agency_id", Received: "received_at", Appointment: "appointment_at",
			Due: "due_at", Completed: "completed_at", Status: "status", IsLate: "is_late",
			Paused: "paused_count", Rescheduled: "rescheduled_at", Extended: "extended_at",
			ClosedStatuses: []string{"withdrawn", "cancelled", "rejected"},
		},
		DossierSteps: DossierStepTable{
			Table: "dossier_steps", Key: "id", Dossier: "dossier_id", Step: "step_id",
			Started: "started_at", Due: "due_at", Completed: "completed_at",
		},
	}
}

// validate checks that required names are present and every name is a plain identifier.
func (s Schema) validate() []error {
	var errs []error
	check := func(path, name string, required bool) {
		switch {
		case name == "" && required:
			errs = append(errs, fmt.Errorf("schema.%s: required, name the column", path))
		case name != "" && !schemaIdentRe.MatchString(name):
			errs = append(errs, fmt.Errorf("schema.%s %q: not a name fixer can use: a letter or _ first, then "+
				"letters (Vietnamese ones too), digits, _, $ or spaces, at most 64 in all, no quote or ?; "+
				"name the column as the database spells it, or rename it", path, name))
		}
	}
	p := s.Procedures
	for _, f := range []struct {
		path, name string
		req        bool
	}{
		{"procedures.table", p.Table, true}, {"procedures.key", p.Key, true},
		{"procedures.code", p.Code, true}, {"procedures.agency", p.Agency, false},
		{"procedures.processing_time", p.ProcessingTime, true}, {"procedures.cutoff", p.Cutoff, false},
		{"procedures.appointment_count", p.AppointmentCount, false},
		{"procedures.appointment_snap", p.AppointmentSnap, false},
		{"procedures.deadline_count", p.DeadlineCount, false},
		{"procedures.deadline_snap", p.DeadlineSnap, false},
		{"dossiers.table", s.Dossiers.Table, true}, {"dossiers.key", s.Dossiers.Key, true},
		{"dossiers.code", s.Dossiers.Code, true}, {"dossiers.procedure", s.Dossiers.Procedure, true},
		{"dossiers.agency", s.Dossiers.Agency, false}, {"dossiers.received_at", s.Dossiers.Received, true},
		{"dossiers.appointment_at", s.Dossiers.Appointment, false}, {"dossiers.due_at", s.Dossiers.Due, false},
		{"dossiers.completed_at", s.Dossiers.Completed, true}, {"dossiers.status", s.Dossiers.Status, false},
		{"dossiers.is_late", s.Dossiers.IsLate, false}, {"dossiers.paused", s.Dossiers.Paused, false},
		{"dossiers.rescheduled_at", s.Dossiers.Rescheduled, false},
		{"dossiers.extended_at", s.Dossiers.Extended, false},
	} {
		check(f.path, f.name, f.req)
	}
	for _, f := range []struct{ path, format string }{
		{"procedures.time_format", p.TimeFormat}, {"procedure_steps.time_format", s.Steps.TimeFormat},
	} {
		if f.format != "" && f.format != "fixer" && f.format != "text" {
			errs = append(errs, fmt.Errorf("schema.%s %q: use fixer (5d, 0.5d, 4h, 15cd) or text "+
				"(\"05 ngày làm việc\")", f.path, f.format))
		}
	}
	for _, f := range []struct{ path, layout string }{
		{"dossiers.time_layout", s.Dossiers.TimeLayout},
		{"dossier_steps.time_layout", s.DossierSteps.TimeLayout},
	} {
		if err := checkTimeLayout(f.layout); err != nil {
			errs = append(errs, fmt.Errorf("schema.%s %q: %w", f.path, f.layout, err))
		}
	}
	if s.Agencies.Table != "" {
		check("agencies.table", s.Agencies.Table, true)
		check("agencies.key", s.Agencies.Key, true)
		check("agencies.name", s.Agencies.Name, true)
	}
	if s.Steps.Table != "" {
		check("procedure_steps.table", s.Steps.Table, true)
		check("procedure_steps.key", s.Steps.Key, true)
		check("procedure_steps.procedure", s.Steps.Procedure, true)
		check("procedure_steps.processing_time", s.Steps.ProcessingTime, true)
	}
	if s.DossierSteps.Table != "" {
		d := s.DossierSteps
		check("dossier_steps.table", d.Table, true)
		check("dossier_steps.key", d.Key, true)
		check("dossier_steps.dossier", d.Dossier, true)
		check("dossier_steps.step", d.Step, true)
		check("dossier_steps.started_at", d.Started, true)
		check("dossier_steps.due_at", d.Due, true)
		check("dossier_steps.completed_at", d.Completed, false)
	}
	if s.DossierSteps.Table != "" && s.Steps.Table == "" {
		errs = append(errs, fmt.Errorf("schema.dossier_steps needs schema.procedure_steps: a step's time comes from it"))
	}
	errs = append(errs, s.Dossiers.validateSetOnChange(check)...)
	errs = append(errs, s.writtenOnce()...)
	return errs
}

// schemaIdentRe is a table or column name of the user's schema. Names are always quoted, the
// quote character doubled, so letters of any script and inner spaces are safe; a ? is not, as
// the MySQL driver would take it for a parameter.
var schemaIdentRe = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_$ ]{0,63}$`)

// writtenOnce refuses a column fixer writes that is also mapped to another role of its table:
// writing it would overwrite what another role reads, or write it twice. Names are compared
// without regard to case, as MySQL compares column names.
func (s Schema) writtenOnce() []error {
	type role struct{ path, name string }
	p, d, st := s.Procedures, s.Dossiers, s.DossierSteps
	tables := []struct {
		table          string
		written, other []role
	}{
		{"procedures", []role{{"appointment_count", p.AppointmentCount}, {"appointment_snap", p.AppointmentSnap},
			{"deadline_count", p.DeadlineCount}, {"deadline_snap", p.DeadlineSnap}},
			[]role{{"key", p.Key}, {"code", p.Code}, {"agency", p.Agency}, {"processing_time", p.ProcessingTime},
				{"cutoff", p.Cutoff}}},
		{"dossiers", []role{{"appointment_at", d.Appointment}, {"due_at", d.Due}, {"is_late", d.IsLate}},
			[]role{{"key", d.Key}, {"code", d.Code}, {"procedure", d.Procedure}, {"agency", d.Agency},
				{"received_at", d.Received}, {"completed_at", d.Completed}, {"status", d.Status},
				{"paused", d.Paused}, {"rescheduled_at", d.Rescheduled}, {"extended_at", d.Extended},
				{"deleted", d.Deleted}}},
		{"dossier_steps", []role{{"due_at", st.Due}}, []role{{"key", st.Key}, {"dossier", st.Dossier},
			{"step", st.Step}, {"started_at", st.Started}, {"completed_at", st.Completed}}},
	}
	var errs []error
	for _, t := range tables {
		all := append(slices.Clone(t.written), t.other...)
		for i, w := range t.written {
			if w.name == "" {
				continue
			}
			for j, o := range all {
				// Two written roles are told of once, at the first.
				if j > i && strings.EqualFold(w.name, o.name) {
					errs = append(errs, fmt.Errorf("schema.%s.%s %q is also mapped as schema.%s.%s: fixer writes "+
						"%s, and would overwrite what the other reads or write it twice; map each to a column of its own",
						t.table, w.path, w.name, t.table, o.path, w.name))
					break
				}
			}
		}
	}
	return errs
}

// validateSetOnChange checks the columns of set_on_change: plain identifiers, and none of the
// mapped columns of the dossiers table. Fixer reads those (the key, the receipt, the status...)
// or writes them (the deadlines, the lateness flag): setting one as well would write it twice
// in one statement, or overwrite what a deadline was computed from. Names are compared without
// regard to case, as MySQL compares column names.
func (d DossierTable) validateSetOnChange(check func(path, name string, required bool)) []error {
	mapped := map[string]string{}
	for _, f := range []struct{ path, name string }{
		{"key", d.Key}, {"code", d.Code}, {"procedure", d.Procedure}, {"agency", d.Agency},
		{"received_at", d.Received}, {"appointment_at", d.Appointment}, {"due_at", d.Due},
		{"completed_at", d.Completed}, {"status", d.Status}, {"is_late", d.IsLate},
		{"paused", d.Paused}, {"rescheduled_at", d.Rescheduled}, {"extended_at", d.Extended},
		{"deleted", d.Deleted},
	} {
		if f.name != "" {
			mapped[strings.ToLower(f.name)] = f.path
		}
	}

	var errs []error
	for _, c := range sortedKeys(d.SetOnChange) {
		check("dossiers.set_on_change", c, true)
		if path, ok := mapped[strings.ToLower(c)]; ok {
			errs = append(errs, fmt.Errorf("schema.dossiers.set_on_change %q: the column is mapped "+
				"as schema.dossiers.%s; set_on_change must not name the key or a column fixer reads "+
				"or writes: remove it or name another column", c, path))
		}
	}
	return errs
}

// layoutSample is the time a text layout must write and read back unchanged.
var layoutSample = time.Date(2021, time.March, 8, 17, 45, 42, 0, time.UTC)

// checkTimeLayout refuses a layout of text dates that cannot hold a timestamp to the minute: a
// value fixer writes in it must read back as the same time (see formatStamp for a layout
// without seconds). A layout in another notation
// ("dd/mm/yyyy") writes itself literally and would make every row unreadable.
func checkTimeLayout(layout string) error {
	if layout == "" {
		return nil
	}
	text := layoutSample.Format(layout)
	back, err := time.Parse(layout, text)
	if err == nil && (back.Equal(layoutSample) || back.Equal(layoutSample.Truncate(time.Minute))) {
		return nil
	}
	return fmt.Errorf("does not hold a date and time to the minute (%s is written %q): write "+
		"the layout with Go's reference time, 2006 for the year, 01 the month, 02 the day, 15 the "+
		"hour, 04 the minute, 05 the second, e.g. \"02/01/2006 15:04:05\" or \"02/01/2006 15:04\"",
		layoutSample.Format(time.DateTime), text)
}
