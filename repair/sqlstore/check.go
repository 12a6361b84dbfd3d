package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"fixer/repair"
)

// Check implements [repair.Store]: every mapped table and column must exist. All problems are
// reported at once.
func (s *Store) Check(ctx context.Context) error {
	sc := s.schema
	tables := []struct {
		name string
		cols []string
	}{
		{sc.Agencies.Table, []string{sc.Agencies.Key, sc.Agencies.Name}},
		{sc.Procedures.Table, []string{sc.Procedures.Key, sc.Procedures.Code, sc.Procedures.Agency,
			sc.Procedures.ProcessingTime, sc.Procedures.Cutoff, sc.Procedures.AppointmentCount,
			sc.Procedures.AppointmentSnap, sc.Procedures.DeadlineCount, sc.Procedures.DeadlineSnap}},
		{sc.Steps.Table, []string{sc.Steps.Key, sc.Steps.Procedure, sc.Steps.ProcessingTime}},
		{sc.Dossiers.Table, s.dossierColumns()},
		{sc.DossierSteps.Table, []string{sc.DossierSteps.Key, sc.DossierSteps.Dossier, sc.DossierSteps.Step,
			sc.DossierSteps.Started, sc.DossierSteps.Due, sc.DossierSteps.Completed}},
	}
	var errs []error
	for _, t := range tables {
		if t.name == "" {
			continue
		}
		if _, err := s.db.ExecContext(ctx, "SELECT 1 FROM "+s.q(t.name)+" WHERE 1 = 0"); err != nil {
			errs = append(errs, fmt.Errorf("table %s not found (%v): create it or map schema.*.table", t.name, err))
			continue
		}
		for _, c := range t.cols {
			if c == "" {
				continue
			}
			q := "SELECT " + s.q(c) + " FROM " + s.q(t.name) + " WHERE 1 = 0"
			if _, err := s.db.ExecContext(ctx, q); err != nil {
				errs = append(errs, fmt.Errorf("column %s.%s not found: fix the schema mapping in the configuration", t.name, c))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: the database does not match the schema mapping:\n%w", repair.ErrConfig, errors.Join(errs...))
	}
	return nil
}
