package seed

import (
	"fmt"
	"strings"
	"time"

	"fixer/rules"
)

// Summary counts what [Run] wrote and classifies the dossiers by lateness under the deadlines
// it stored (the legacy ones), as of [Summary.AsOf].
type Summary struct {
	Year int
	Seed uint64
	// AsOf is the moment lateness is judged: 2021-12-09 17:00 for 2021, the date of the
	// provincial letter; otherwise the last second of the year.
	AsOf time.Time

	Agencies       int
	Procedures     int
	BadProcedures  int // procedures whose processing time is NULL or unreadable
	ProcedureSteps int
	Dossiers       int64
	DossierSteps   int64

	// Dossiers with a result, by the stored due_at.
	OnTime    int64
	LateHours int64 // completed after due_at, on the same date
	LateDays  int64 // completed on a later date than due_at
	// Dossiers without a result (processing or paused): past due_at at AsOf, or not.
	Overdue int64
	Open    int64

	Withdrawn int64
	// Invalid counts the dossiers made with bad data on purpose (no receipt time, a completion
	// before receipt, an unknown procedure, a procedure with an unusable processing time). They
	// are in no lateness class.
	Invalid int64
	// NoReceipt counts those of them with no receipt time (out of every run's scope), and
	// NoDeadline those with no stored deadline (in no lateness class); the others are
	// classified by their stored deadline.
	NoReceipt, NoDeadline int64

	// Paused, Rescheduled and Extended count dossiers with those marks, whatever their class.
	Paused      int64
	Rescheduled int64
	Extended    int64
}

// Late returns the dossiers resolved late: by hours plus by days.
func (s Summary) Late() int64 { return s.LateHours + s.LateDays }

func (s *Summary) add(c rules.Class) {
	switch c {
	case rules.ClassOnTime:
		s.OnTime++
	case rules.ClassLateHours:
		s.LateHours++
	case rules.ClassLateDays:
		s.LateDays++
	case rules.ClassOverdue:
		s.Overdue++
	case rules.ClassOpen:
		s.Open++
	}
}

// String is the short report printed by "fixer seed".
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "synthetic province, year %d, seed %d\n", s.Year, s.Seed)
	fmt.Fprintf(&b, "  agencies         %9d\n", s.Agencies)
	fmt.Fprintf(&b, "  procedures       %9d  (%d with an unusable processing time)\n",
		s.Procedures, s.BadProcedures)
	fmt.Fprintf(&b, "  procedure steps  %9d\n", s.ProcedureSteps)
	fmt.Fprintf(&b, "  dossiers         %9d  (%d with bad data the repair skips; not classified: %d with no stored\n"+
		"                              deadline, %d with no receipt time, which no scope takes in)\n",
		s.Dossiers, s.Invalid, s.NoDeadline, s.NoReceipt)
	fmt.Fprintf(&b, "  dossier steps    %9d\n", s.DossierSteps)

	asOf := s.AsOf.Format("2006-01-02 15:04")
	if s.Year == 2021 {
		asOf += ", the date of the 2021 letter"
	} else {
		asOf += ", the end of the year"
	}
	fmt.Fprintf(&b, "lateness under the stored (legacy) deadlines, as of %s:\n", asOf)
	fmt.Fprintf(&b, "  resolved on time        %9d\n", s.OnTime)
	fmt.Fprintf(&b, "  resolved late           %9d  (by hours %d, by days %d)\n",
		s.Late(), s.LateHours, s.LateDays)
	fmt.Fprintf(&b, "  open, overdue           %9d\n", s.Overdue)
	fmt.Fprintf(&b, "  open, not yet due       %9d\n", s.Open)
	fmt.Fprintf(&b, "  withdrawn               %9d\n", s.Withdrawn)
	fmt.Fprintf(&b, "marked: %d paused, %d re-scheduled, %d extended\n",
		s.Paused, s.Rescheduled, s.Extended)
	return b.String()
}
