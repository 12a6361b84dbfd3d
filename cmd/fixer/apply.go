package main

import (
	"github.com/spf13/cobra"

	"fixer/repair"
)

func newApplyCmd(g *globalFlags) *cobra.Command {
	var f runFlags
	var reason, sleep, maxRuntime, pauseFile string
	var resume bool
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
			if reason == "" {
				return usagef("example: fixer apply --reason 'CV 1234/STTTT-CNTT 10/12/2021'",
					"--reason is required: name the official document or ticket that orders this run")
			}
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			runner := &repair.Runner{Resume: resume, PauseFile: pauseFile, Operator: operator()}
			if err := f.apply(cfg, runner); err != nil {
				return err
			}
			if runner.Sleep, err = parseFlagDuration("sleep", sleep); err != nil {
				return err
			}
			if runner.MaxRuntime, err = parseFlagDuration("max-runtime", maxRuntime); err != nil {
				return err
			}
			ctx, stop := signalContext(cmd.Context(), runner)
			defer stop()
			a, err := openApp(ctx, cmd, g, cfg)
			if err != nil {
				return err
			}
			defer a.close()
			runner.Store, runner.Config, runner.Log = a.store, cfg, a.log
			attachProgress(cmd, runner)

			sum, err := runner.Apply(ctx, reason)
			if sum != nil && (err == nil || sum.ChangesetID != 0) {
				if rerr := report(cmd.OutOrStdout(), f.output, sum, cfg, runner, reportExtras{}); rerr != nil && err == nil {
					err = rerr
				}
			}
			return err
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&reason, "reason", "", "the official document or ticket that orders this run (required)")
	fl.BoolVar(&resume, "resume", false, "continue the newest unfinished changeset of the same configuration")
	fl.StringVar(&sleep, "sleep", "", "pause between batches, e.g. 200ms, to spare a busy server")
	fl.StringVar(&maxRuntime, "max-runtime", "", "stop cleanly after the batch that passes this time, e.g. 2h")
	fl.StringVar(&pauseFile, "pause-file", "", "while this file exists the run waits between batches")
	return cmd
}
