package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"fixer/repair"
)

func newRollbackCmd(g *globalFlags) *cobra.Command {
	var output, reason string
	var dryRun bool
	var batchSize int
	cmd := &cobra.Command{
		Use:   "rollback ID",
		Short: "Restore the old values of a changeset",
		Long: `rollback writes back the old values recorded in changeset ID and records the
restoration as a changeset of its own. A value changed again since the run is left alone and
listed; the command then exits 4. With --dry-run it only reports what it would restore and
which rows it would leave alone, and exits 0 either way.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("fixer history lists the changesets", "changeset id %q: want a positive number", args[0])
			}
			if err := checkOutput(output, auditFormats); err != nil {
				return err
			}
			if batchSize <= 0 {
				return usagef("a few hundred to a few thousand rows suit most servers", "--batch-size %d: must be at least 1", batchSize)
			}
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			runner := &repair.Runner{Operator: operator(), BatchSize: batchSize}
			ctx, stop := signalContext(cmd.Context(), runner)
			defer stop()
			a, err := openApp(ctx, cmd, g, cfg)
			if err != nil {
				return err
			}
			defer a.close()
			runner.Store, runner.Config, runner.Log = a.store, cfg, a.log

			sum, err := runner.Rollback(ctx, id, reason, dryRun)
			if sum != nil {
				if rerr := reportRollback(cmd.OutOrStdout(), output, id, sum); rerr != nil && err == nil {
					err = rerr
				}
				if err == nil && sum.StopReason != "" {
					err = stopped("rollback")
				}
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&dryRun, "dry-run", false, "report what would be restored, writing nothing")
	fl.StringVarP(&output, "output", "o", auditFormats[0], outputHelp(auditFormats))
	fl.StringVar(&reason, "reason", "", "why the changeset is rolled back (recorded)")
	fl.IntVar(&batchSize, "batch-size", 1000, "audit rows per batch and per transaction")
	return cmd
}
