package main

import (
	"github.com/spf13/cobra"

	"fixer/repair"
)

func newPlanCmd(g *globalFlags) *cobra.Command {
	var f runFlags
	var showSQL bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Dry run: show what apply would change, writing nothing",
		Long: `plan computes every change the repair would make and reports it: per agency, the
lateness-class transitions (a skipped dossier keeps its class; a closed one, withdrawn,
cancelled or rejected, has no result and is counted apart), the rows skipped and why, and a
sample of changes (--output csv lists every change). It writes nothing, creates no table,
takes no lock, and works with an account that can only SELECT.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			runner := &repair.Runner{CollectSQL: showSQL}
			if err := f.apply(cfg, runner, g); err != nil {
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
			var csv *csvChanges
			if f.output == "csv" {
				csv = newCSVChanges(cmd.OutOrStdout())
				runner.OnRows, runner.OnSkip, runner.OnKept = csv.rows, csv.skip, csv.kept
			}
			attachProgress(ctx, cmd, runner)

			sum, err := runner.Plan(ctx)
			if err != nil {
				return err
			}
			if csv != nil {
				err = csv.finish(sum)
			} else {
				err = report(cmd.OutOrStdout(), f.output, sum, cfg, runner, reportExtras{statements: runner.Statements, showSQL: showSQL})
			}
			if err == nil && sum.StopReason != "" {
				err = stopped("plan")
			}
			return err
		},
	}
	f.register(cmd, "table", "json", "csv")
	cmd.Flags().BoolVar(&showSQL, "sql", false, "print the exact UPDATE statements apply would run")
	return cmd
}
