package repair

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// checkScopeKeys refuses agency and procedure keys of the scope that name nothing in the
// database: a mistyped key would otherwise select no dossier and the run would end, as if
// there were nothing to repair, with exit 0. It reads the procedures and, when the schema maps
// it, the agencies table; without filters it reads nothing.
func (r *Runner) checkScopeKeys(ctx context.Context) error {
	agencies, procedures := r.agencies(), r.procedures()
	if len(agencies) == 0 && len(procedures) == 0 {
		return nil
	}
	agencySource, procedureSource := "scope.agencies", "scope.procedures"
	if len(r.Agencies) > 0 {
		agencySource = "--agency"
	}
	if len(r.Procedures) > 0 {
		procedureSource = "--procedure"
	}
	if len(agencies) > 0 && r.Config.Schema.Dossiers.Agency == "" {
		return fmt.Errorf("%w: %s needs schema.dossiers.agency: map the agency column of the "+
			"dossiers or select by procedure", ErrConfig, agencySource)
	}

	if err := r.Store.Check(ctx); err != nil {
		return err
	}
	procs, err := r.Store.Procedures(ctx)
	if err != nil {
		return err
	}
	names, err := r.agencyNames(ctx)
	if err != nil {
		return err
	}
	knownProcedures, knownAgencies := map[string]bool{}, map[string]bool{}
	for _, p := range procs {
		knownProcedures[p.Key] = true
		if p.AgencyID != "" {
			knownAgencies[p.AgencyID] = true
		}
	}
	for k := range names {
		knownAgencies[k] = true
	}

	var problems []string
	for _, k := range procedures {
		if !knownProcedures[k] {
			problems = append(problems, fmt.Sprintf("%s %q: no procedure has this key (%s); known "+
				"keys include %s", procedureSource, k, r.Config.Schema.Procedures.Key,
				someKeys(knownProcedures)))
		}
	}
	// NOTE: with neither an agencies table nor the agency of procedures mapped, no list of
	// agency keys exists to check against; the filter then applies as given.
	if len(knownAgencies) > 0 {
		for _, k := range agencies {
			if !knownAgencies[k] {
				problems = append(problems, fmt.Sprintf("%s %q: no agency has this key; known "+
					"keys include %s", agencySource, k, someKeys(knownAgencies)))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	return nil
}

// someKeys lists up to five keys of set, in key order, for an error message.
func someKeys(set map[string]bool) string {
	keys := sortedKeys(set)
	if len(keys) == 0 {
		return "none (the table is empty)"
	}
	sort.SliceStable(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	more := ""
	if len(keys) > 5 {
		keys, more = keys[:5], ", ..."
	}
	return strings.Join(keys, ", ") + more
}
