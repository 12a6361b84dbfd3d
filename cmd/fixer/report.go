package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"fixer/repair"
)

func newReportCmd(g *globalFlags) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Lateness of the dossiers in scope per agency, as stored now",
		Long: `report classifies every dossier in scope by its stored processing deadline: on time,
late by hours (after the deadline, same date), late by days (a later date), overdue (open and
past the deadline, as of --as-of) or open. Dossiers the repair would skip (clock stopped,
appointment re-set, deadline extended, unknown procedure, ...) are classified too, by the
deadline they keep. A dossier whose status is one of schema.dossiers.closed_statuses
(withdrawn, cancelled, rejected) has no result and is counted apart, under NO RESULT (CLOSED);
one without a readable stored deadline is counted as not classified. Run it before and after
apply to compare; plan shows both sides at once. It writes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			runner := &repair.Runner{}
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
			runner.Store, runner.Config, runner.Log = a.store, cfg, a.log.With("command", "report")
			sum, err := runner.Plan(ctx)
			if err != nil {
				return err
			}

			w := cmd.OutOrStdout()
			if f.output == "csv" {
				return writeReportCSV(w, sum)
			}
			if f.output == "json" {
				out := make([]map[string]any, 0, len(sum.Agencies))
				for _, ag := range sum.Agencies {
					out = append(out, map[string]any{"agency": ag.Agency, "name": ag.Name, "classes": ag.Before,
						"closed": ag.Closed})
				}
				// Every count here is of dossiers, as in the table: "skipped" leaves out the
				// procedures and steps the repair skips (plan's rows_skipped counts those too).
				return jsonEncoder(w).Encode(map[string]any{"agencies": out, "dossiers_scanned": sum.DossiersScanned,
					"skipped": sum.DossiersSkipped, "closed": sum.Closed, "deleted": sum.Deleted,
					"unclassified": sum.Unclassified})
			}
			fmt.Fprintf(w, "Lateness by stored deadline; scope: %s\n\n", scopeText(cfg, runner))
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "AGENCY\tON TIME\tLATE BY HOURS\tLATE BY DAYS\tOVERDUE\tOPEN\tNO RESULT (CLOSED)\t")
			total := map[string]int64{}
			for _, ag := range sum.Agencies {
				name := ag.Agency
				if ag.Name != "" {
					name = ag.Agency + " " + ag.Name
				}
				fmt.Fprintf(tw, "%s\t", truncate(name, 48))
				for _, c := range repair.ClassNames {
					fmt.Fprintf(tw, "%d\t", ag.Before[c])
					total[c] += ag.Before[c]
				}
				fmt.Fprintf(tw, "%d\t\n", ag.Closed)
			}
			fmt.Fprint(tw, "TOTAL\t")
			for _, c := range repair.ClassNames {
				fmt.Fprintf(tw, "%d\t", total[c])
			}
			fmt.Fprintf(tw, "%d\t\n", sum.Closed)
			tw.Flush()
			fmt.Fprintf(w, "\n%d dossiers scanned; %d of them skipped by the repair (see the log) and classified by the "+
				"deadline they keep where it can be read; %d not classified (no readable stored deadline).\n",
				sum.DossiersScanned, sum.DossiersSkipped, sum.Unclassified)
			if sum.Deleted > 0 {
				fmt.Fprintf(w, "%d soft-deleted dossiers (schema.dossiers.deleted) are in no column.\n", sum.Deleted)
			}
			return nil
		},
	}
	f.register(cmd, "table", "json", "csv")
	return cmd
}

// writeReportCSV writes one line per agency: its key, its name, the number of dossiers in
// each lateness class, in the order of [repair.ClassNames], and the number with a closed
// status (no result, in no class).
func writeReportCSV(w io.Writer, sum *repair.Summary) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append(append([]string{"agency", "name"}, repair.ClassNames...), "closed"))
	for _, ag := range sum.Agencies {
		line := []string{ag.Agency, ag.Name}
		for _, c := range repair.ClassNames {
			line = append(line, strconv.FormatInt(ag.Before[c], 10))
		}
		_ = cw.Write(append(line, strconv.FormatInt(ag.Closed, 10)))
	}
	cw.Flush()
	return cw.Error()
}
