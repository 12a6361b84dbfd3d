package main

import (
	"os"

	"github.com/spf13/cobra"
)

// globalFlags are the flags every subcommand accepts.
type globalFlags struct {
	dsn     string
	config  string
	verbose bool
	logFile string
	// workers is set by the run flags, inFlight by apply: they size the connection pool.
	workers, inFlight int
}

func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "fixer",
		Short:         "Repair the deadline data of a one-stop-shop database",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.dsn, "dsn", "",
		"database URL: postgres://..., mysql://..., sqlite:FILE (default $FIXER_DSN)")
	root.PersistentFlags().StringVar(&g.config, "config", "",
		"configuration file (default $FIXER_CONFIG; none: the reference schema and the 2021 profile)")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log each batch, and each deadline a guard keeps")
	root.PersistentFlags().StringVar(&g.logFile, "log-file", "",
		"append the log (one line per skipped row, conflict, retry) to this file instead of stderr")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return asUsage(err, "run 'fixer help' for the list of commands and flags")
	})

	root.AddCommand(
		newPlanCmd(g),
		newApplyCmd(g),
		newRollbackCmd(g),
		newHistoryCmd(g),
		newShowCmd(g),
		newMigrateCmd(g),
		newReportCmd(g),
		newScheduleCmd(g),
		newDueCmd(g),
		newCalendarCmd(g),
		newSeedCmd(g),
	)
	return root
}

// resolveDSN returns the database URL from --dsn or $FIXER_DSN.
func (g *globalFlags) resolveDSN() (string, error) {
	if g.dsn != "" {
		return g.dsn, nil
	}
	if v := os.Getenv("FIXER_DSN"); v != "" {
		return v, nil
	}
	return "", usagef("example: fixer plan --dsn sqlite:fixer-demo.db",
		"no database given: pass --dsn URL or set FIXER_DSN")
}

// resolveConfig returns the configuration file path from --config or $FIXER_CONFIG, or "".
func (g *globalFlags) resolveConfig() string {
	if g.config != "" {
		return g.config
	}
	return os.Getenv("FIXER_CONFIG")
}
