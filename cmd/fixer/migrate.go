package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade fixer's own audit tables in the database",
		Long: `migrate creates fixer's tables (changesets, changes, locks and the migration
bookkeeping, all with the configured prefix, default fixer_) from the versioned SQL shipped in
the binary. apply and rollback do the same when they are missing or older than the binary.
When every migration is recorded, migrate, apply and rollback send no DDL: an account without
CREATE rights can run apply and rollback once a privileged account has run migrate.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			a, err := openApp(cmd.Context(), cmd, g, cfg)
			if err != nil {
				return err
			}
			defer a.close()
			ready, err := a.store.AuditReady(cmd.Context())
			if err != nil {
				return err
			}
			if err := a.store.Migrate(cmd.Context()); err != nil {
				return err
			}
			if ready {
				fmt.Fprintf(cmd.OutOrStdout(), "Audit tables with prefix %s were already up to date in %s.\n",
					cfg.TablePrefix, a.db.Name)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "Audit tables with prefix %s created or brought up to date in %s.\n",
					cfg.TablePrefix, a.db.Name)
			}
			return nil
		},
	}
}
