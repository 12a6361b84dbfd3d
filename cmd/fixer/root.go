package main

import (
	"github.com/spf13/cobra"
)

// globalFlags are the flags every subcommand accepts.
type globalFlags struct {
	dsn     string
	config  string
	verbose bool
}

func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "fixer",
		Short:         "Repair the deadline data of a one-stop-shop database",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.dsn, "dsn", "",
		"database URL: postgres://..., mysql://..., sqlite:FILE (default $FIXER_DSN)")
	root.PersistentFlags().StringVar(&g.config, "config", "",
		"configuration file (default $FIXER_CONFIG; none: the reference schema and the 2021 profile)")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log each batch")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return asUsage(err, "run 'fixer help' for the list of commands and flags")
	})

	root.AddCommand(
		newDueCmd(),
		newCalendarCmd(),
	)
	return root
}
