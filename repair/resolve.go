package repair

import (
	"errors"
	"fmt"
	"strings"

	"fixer/rules"
)

// resolveProcedures parses the processing times and cut-offs of procedures and their steps. A
// procedure whose time cannot be read keeps TimeErr and is reported; its dossiers are skipped.
func resolveProcedures(procs []*Procedure, s Schema) []Skip {
	var skips []Skip
	for _, p := range procs {
		p.Time, p.TimeErr = parseTime(p.RawTime, s.Procedures.TimeFormat)
		if p.TimeErr != nil {
			skips = append(skips, Skip{Table: s.Procedures.Table, Key: p.Key, Code: p.Code,
				Reason: durationSkip(p.TimeErr), Detail: p.TimeErr.Error()})
		}
		p.Cutoff = rules.NoCutoff
		if p.CutoffRaw.Valid && strings.TrimSpace(p.CutoffRaw.String) != "" {
			c, err := rules.ParseClock(strings.TrimSpace(p.CutoffRaw.String))
			if err != nil {
				p.TimeErr = fmt.Errorf("cut-off %q: %w", p.CutoffRaw.String, err)
				skips = append(skips, Skip{Table: s.Procedures.Table, Key: p.Key, Code: p.Code,
					Reason: SkipBadDuration, Detail: p.TimeErr.Error()})
			}
			p.Cutoff = c
		}
		for _, st := range p.Steps {
			st.Time, st.TimeErr = parseTime(st.RawTime, s.Steps.TimeFormat)
			if st.TimeErr != nil {
				skips = append(skips, Skip{Table: s.Steps.Table, Key: st.Key, Code: p.Code,
					Reason: durationSkip(st.TimeErr), Detail: "step: " + st.TimeErr.Error()})
			}
		}
	}
	return skips
}

// durationSkip is the reason a processing time that cannot be used gives to its skip.
func durationSkip(err error) SkipReason {
	if errors.Is(err, rules.ErrAmbiguousDuration) {
		return SkipAmbiguousDuration
	}
	return SkipBadDuration
}

func parseTime(v Value, format string) (rules.Duration, error) {
	if !v.Valid || strings.TrimSpace(v.String) == "" {
		return rules.Duration{}, fmt.Errorf("processing time is empty: fill it in or exclude the procedure")
	}
	if format == "text" {
		return rules.ParseTextDuration(v.String)
	}
	return rules.ParseDuration(strings.TrimSpace(v.String))
}
