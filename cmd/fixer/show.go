package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"fixer/repair"
)

func newShowCmd(g *globalFlags) *cobra.Command {
	var output string
	var limit int
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one changeset and its changes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("fixer history lists the changesets", "changeset id %q: want a positive number", args[0])
			}
			a, err := openAudit(cmd, g, output)
			if err != nil {
				return err
			}
			defer a.close()
			cs, err := a.store.Changeset(cmd.Context(), id)
			if err != nil {
				return err
			}
			changes, err := a.store.Changes(cmd.Context(), id, 0, limit)
			if err != nil {
				return err
			}
			// As in history: a changeset marked running whose lock nobody holds was left so by
			// a run that was killed.
			if cs.Status == repair.StatusRunning {
				if held, err := a.store.LockHeld(cmd.Context(), cs.Shard); err == nil && !held {
					cs.Status = "interrupted"
				}
			}
			w := cmd.OutOrStdout()
			if output == "json" {
				if changes == nil {
					changes = []repair.AuditRow{}
				}
				return jsonEncoder(w).Encode(struct {
					Changeset *repair.Changeset `json:"changeset"`
					Changes   []repair.AuditRow `json:"changes"`
				}{cs, changes})
			}
			fmt.Fprintf(w, "Changeset %d (%s, %s), run %s\n", cs.ID, cs.Kind, cs.Status, cs.RunID)
			fmt.Fprintf(w, "Started %s UTC", cs.StartedAt.UTC().Format(time.DateTime))
			if cs.FinishedAt != nil {
				fmt.Fprintf(w, ", finished %s UTC", cs.FinishedAt.UTC().Format(time.DateTime))
			}
			fmt.Fprintf(w, "\nOperator %s on %s, fixer %s\nReason: %s\n", cs.Operator, cs.Host, cs.ToolVersion, cs.Reason)
			fmt.Fprintf(w, "Config %s, rules %s, scope %s", cs.ConfigHash, cs.RulesHash, cs.Scope)
			if cs.Shard != "" {
				fmt.Fprintf(w, ", shard %s", cs.Shard)
			}
			if cs.RevertsID != nil {
				fmt.Fprintf(w, "\nReverts changeset %d", *cs.RevertsID)
			}
			fmt.Fprintf(w, "\nRows changed %d, values %d, skipped %d, conflicts %d\n\n", cs.RowsChanged,
				cs.ValuesChanged, cs.RowsSkipped, cs.Conflicts)
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TABLE\tKEY\tCOLUMN\tOLD\tNEW\tRULE")
			for _, c := range changes {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Table, plain(c.Key), c.Column, show(c.Old), show(c.New), c.Rule)
			}
			tw.Flush()
			if int64(len(changes)) < cs.ValuesChanged {
				fmt.Fprintf(w, "(first %d of %d changes; --limit shows more)\n", len(changes), cs.ValuesChanged)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", auditFormats[0], outputHelp(auditFormats))
	cmd.Flags().IntVar(&limit, "limit", 100, "how many changes to list")
	return cmd
}
