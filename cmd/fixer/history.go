package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"fixer/repair"
)

func newHistoryCmd(g *globalFlags) *cobra.Command {
	var output string
	var limit int
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the changesets recorded in the database, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 1 {
				return usagef("give --limit 1 or more (default 50)", "--limit %d: the number of changesets to list must be at least 1", limit)
			}
			a, err := openAudit(cmd, g, output)
			if err != nil {
				return err
			}
			defer a.close()
			list, err := a.store.Changesets(cmd.Context(), limit)
			if err != nil {
				return err
			}
			// Only the newest changeset marked running under each lock can belong to a live run;
			// older ones were left so by runs that were killed, and so is the newest when nobody
			// holds its lock. Table and JSON say the same.
			newest := map[string]int64{}
			for _, cs := range list {
				if cs.Status == repair.StatusRunning && cs.ID > newest[cs.Shard] {
					newest[cs.Shard] = cs.ID
				}
			}
			for i, cs := range list {
				if cs.Status != repair.StatusRunning {
					continue
				}
				if cs.ID != newest[cs.Shard] {
					list[i].Status = "interrupted"
				} else if held, err := a.store.LockHeld(cmd.Context(), cs.Shard); err == nil && !held {
					list[i].Status = "interrupted"
				}
			}
			w := cmd.OutOrStdout()
			if output == "json" {
				if list == nil {
					list = []repair.Changeset{}
				}
				return jsonEncoder(w).Encode(list)
			}
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tSTARTED (UTC)\tOPERATOR\tRUN\tROWS\tSKIPPED\tCONFLICTS\tREVERTS\tREASON")
			for _, cs := range list {
				reverts := ""
				if cs.RevertsID != nil {
					reverts = fmt.Sprint(*cs.RevertsID)
				}
				status := cs.Status
				run := truncate(cs.RunID, 20)
				if cs.Shard != "" {
					run += " " + cs.Shard
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", cs.ID, cs.Kind, status,
					cs.StartedAt.UTC().Format(time.DateTime), cs.Operator, run, cs.RowsChanged, cs.RowsSkipped,
					cs.Conflicts, reverts, truncate(cs.Reason, 40))
			}
			tw.Flush()
			if len(list) == 0 {
				fmt.Fprintln(w, "No changesets yet.")
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", auditFormats[0], outputHelp(auditFormats))
	cmd.Flags().IntVar(&limit, "limit", 50, "how many changesets to list")
	return cmd
}
