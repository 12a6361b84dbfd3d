package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"fixer/repair"
)

// applyFlags are the flags of apply beyond the shared run flags.
type applyFlags struct {
	runFlags
	reason, sleep, maxRuntime, pauseFile string
	resume                               bool
	inFlight                             int
	runID                                string
}

func (f *applyFlags) register(cmd *cobra.Command) {
	// No csv: what apply changed is in its changeset (fixer show); plan --output csv lists
	// every change before it is made.
	f.runFlags.register(cmd, "table", "json")
	fl := cmd.Flags()
	fl.StringVar(&f.reason, "reason", "", "the official document or ticket that orders this run (required)")
	fl.BoolVar(&f.resume, "resume", false, "continue the newest unfinished changeset of the same configuration")
	fl.StringVar(&f.sleep, "sleep", "", "pause between batches, e.g. 200ms, to spare a busy server")
	fl.StringVar(&f.maxRuntime, "max-runtime", "", "stop cleanly after the batch that passes this time, e.g. 2h")
	fl.StringVar(&f.pauseFile, "pause-file", "", "while this file exists the run waits between batches")
	fl.StringVar(&f.runID, "run-id", "", "the run these changesets belong to: give the shards of one run the same id (default a new one)")
	fl.IntVar(&f.inFlight, "in-flight", repair.DefaultInFlight,
		"batches each worker writes at once, committed in key order (1: one at a time)")
}

// validate checks the flags that need no database.
func (f *applyFlags) validate() error {
	if !validRunID(f.runID) {
		return usagef("example: --run-id 2021-repair-1", "--run-id %q: use 1 to 36 letters, digits, '.', '_' or '-'", f.runID)
	}
	if f.inFlight < 1 || f.inFlight > 8 {
		return usagef("2 lets one batch be written while the one before commits; 1 writes one at a time",
			"--in-flight %d: use 1 to 8", f.inFlight)
	}
	if strings.TrimSpace(f.reason) == "" {
		return usagef("example: fixer apply --reason 'CV 1234/STTTT-CNTT 10/12/2021'",
			"--reason is required and must not be blank: name the official document or ticket "+
				"that orders this run")
	}
	return nil
}

// runApply carries out one apply and prints its report to out.
func runApply(ctx context.Context, cmd *cobra.Command, g *globalFlags, f *applyFlags, out io.Writer) (*repair.Summary, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, err
	}
	runner := &repair.Runner{Resume: f.resume, PauseFile: f.pauseFile, Operator: operator(), InFlight: f.inFlight,
		RunID: f.runID}
	g.inFlight = f.inFlight
	if err := f.runFlags.apply(cfg, runner, g); err != nil {
		return nil, err
	}
	if runner.Sleep, err = parseFlagDuration("sleep", f.sleep); err != nil {
		return nil, err
	}
	if runner.MaxRuntime, err = parseFlagDuration("max-runtime", f.maxRuntime); err != nil {
		return nil, err
	}
	ctx, stop := signalContext(ctx, runner)
	defer stop()
	a, err := openApp(ctx, cmd, g, cfg)
	if err != nil {
		return nil, err
	}
	defer a.close()
	runner.Store, runner.Config, runner.Log = a.store, cfg, a.log
	attachProgress(ctx, cmd, runner)

	sum, err := runner.Apply(ctx, f.reason)
	if sum != nil && (err == nil || sum.ChangesetID != 0) {
		if rerr := report(out, f.output, sum, cfg, runner, reportExtras{}); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err == nil && sum != nil && sum.StopReason != "" {
		err = stopped("apply")
	}
	return sum, err
}

func newApplyCmd(g *globalFlags) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply --reason TEXT",
		Short: "Apply the repair, recording every change in a changeset",
		Long: `apply rewrites the deadline configuration of the procedures in scope to the target
profile and recomputes the appointment, processing deadline, step deadlines and lateness flag of
the dossiers in scope. Each batch is one transaction holding the updates and their audit rows.
A row changed by someone else since it was read is left alone and reported. The reason (the
official document or ticket that orders the run) is required and recorded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := runApply(cmd.Context(), cmd, g, f, cmd.OutOrStdout())
			return err
		},
	}
	f.register(cmd)
	return cmd
}

// validRunID reports whether id may name a run: empty (a new one), or 1 to 36 letters, digits,
// dots, underscores and hyphens, which the changesets table holds.
func validRunID(id string) bool {
	if len(id) > 36 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
