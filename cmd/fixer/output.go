package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"fixer/repair"
)

// signalContext makes the first SIGINT or SIGTERM stop the run cleanly after the current batch
// and a second one cancel it at once.
func signalContext(parent context.Context, r *repair.Runner) (context.Context, func()) {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	stopCh := make(chan struct{})
	r.Stop = stopCh
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		n := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-sigs:
				n++
				if n == 1 {
					close(stopCh)
				} else {
					cancel()
				}
			}
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}

// attachProgress shows a progress bar on a terminal: dossiers done, rate and time left (from
// the share of the key range covered, for integer keys). Elsewhere the log carries a progress
// line every 100,000 dossiers.
func attachProgress(ctx context.Context, cmd *cobra.Command, r *repair.Runner) {
	f, ok := cmd.ErrOrStderr().(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		every := int64(0)
		r.Progress = func(n int64, _ string) {
			if n-every >= 100000 {
				every = n
				r.Log.Info("progress", "dossiers_scanned", n)
			}
		}
		return
	}
	// The key range is known once the catalog is read (the run reads it again; it is cheap).
	var lo, hi int64
	known := false
	if r.Store.Check(ctx) == nil {
		lo, hi, known, _ = r.Store.KeyRange(ctx)
	}
	total := int64(-1)
	if known && r.Workers <= 1 {
		total = hi - lo + 1
	}
	bar := progressbar.NewOptions64(total, progressbar.OptionSetWriter(f), progressbar.OptionShowCount(),
		progressbar.OptionShowIts(), progressbar.OptionSetItsString("keys"),
		progressbar.OptionSetDescription("dossiers"), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond))
	// Log lines on the same terminal are drawn above the bar; a log sent to a file (--log-file)
	// leaves the bar alone.
	if lw, ok := r.Log.Handler().(interface{ barWriter() *logWriter }); ok && lw.barWriter().w == io.Writer(f) {
		lw.barWriter().setBar(bar)
	}
	var shown int64
	r.Progress = func(n int64, key string) {
		v := n
		if k, err := strconv.ParseInt(key, 10, 64); err == nil && total > 0 {
			v = k - lo + 1
			bar.Describe(fmt.Sprintf("dossiers (%d in scope)", n))
		}
		_ = bar.Add64(v - shown)
		shown = v
	}
}

// auditFormats are the --output values of the commands that print changesets (history, show,
// rollback).
var auditFormats = []string{"table", "json"}

// outputHelp is the help text of an --output flag that takes one of formats.
func outputHelp(formats []string) string { return "output format: " + orList(formats) }

// checkOutput refuses an --output value other than formats, naming those that exist.
func checkOutput(value string, formats []string) error {
	if slices.Contains(formats, value) {
		return nil
	}
	return usagef("use --output "+orList(formats),
		"unknown --output %q: this command writes %s", value, orList(formats))
}

// orList writes "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

type reportExtras struct {
	statements []string
	showSQL    bool
}

// report prints the summary of a plan or an apply.
func report(w io.Writer, format string, sum *repair.Summary, cfg *repair.Resolved, r *repair.Runner, x reportExtras) error {
	if format == "json" {
		out := struct {
			*repair.Summary
			Statements []string `json:"statements,omitempty"`
		}{sum, x.statements}
		enc := jsonEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}

	fmt.Fprintf(w, "Profile %s: appointment %s, deadline %s, steps %s\n", cfg.Profile.Name,
		cfg.Appointment, cfg.Deadline, cfg.Step)
	fmt.Fprintf(w, "Scope: %s\n", scopeText(cfg, r))
	if sum.ChangesetID != 0 {
		fmt.Fprintf(w, "Changeset: %d (run %s)%s\n", sum.ChangesetID, sum.RunID, map[bool]string{true: ", resumed"}[sum.Resumed])
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AGENCY\tPROCEDURES\tDOSSIERS\tLATE BY HOURS\tLATE BY DAYS\tOVERDUE")
	for _, a := range sum.Agencies {
		name := a.Agency
		if a.Name != "" {
			name = a.Agency + " " + a.Name
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d -> %d\t%d -> %d\t%d -> %d\n", truncate(name, 48), a.Procedures, a.Dossiers,
			a.Before["late_hours"], a.After["late_hours"], a.Before["late_days"], a.After["late_days"],
			a.Before["overdue"], a.After["overdue"])
	}
	tw.Flush()

	fmt.Fprintln(w, "\nLateness of the dossiers in scope, before -> after (skipped dossiers keep their class):")
	printCounts(w, sum.Transitions)
	if sum.Closed > 0 {
		fmt.Fprintf(w, "No result (closed): %d dossiers whose status is in closed_statuses; in no class, "+
			"lateness flag left alone.\n", sum.Closed)
	}
	if sum.Deleted > 0 {
		fmt.Fprintf(w, "Soft-deleted: %d dossiers marked deleted (schema.dossiers.deleted); left alone, in no class.\n",
			sum.Deleted)
	}
	if sum.Unclassified > 0 {
		fmt.Fprintf(w, "Not classified: %d skipped dossiers without a readable stored deadline.\n", sum.Unclassified)
	}
	if len(sum.SkipsByReason) > 0 {
		fmt.Fprintln(w, "\nSkipped, by reason:")
		m := map[string]int64{}
		for k, v := range sum.SkipsByReason {
			m[string(k)] = v
		}
		printCounts(w, m)
		for i, k := range sum.Skips {
			if i == 10 {
				fmt.Fprintf(w, "  ... %d more (--output json lists up to 1000; plan --output csv and the log list all)\n", len(sum.Skips)-10)
				break
			}
			fmt.Fprintf(w, "  %s %s (%s): %s: %s\n", k.Table, plain(k.Key), plain(k.Code), k.Reason, k.Detail)
		}
	}
	fmt.Fprintf(w, "\nGuards: %d deadlines kept because the new rule gave an earlier one; %d kept because the result missed them by whole days",
		sum.EarlierHeld, sum.LateDaysHeld)
	if sum.HiddenIfMoved > 0 {
		fmt.Fprintf(w, " (%d of those dossiers would otherwise have looked less late)", sum.HiddenIfMoved)
	}
	fmt.Fprintln(w, ".")
	for i, k := range sum.Kept {
		if i == 10 {
			fmt.Fprintf(w, "  ... %d more (--output json lists up to 1000; plan --output csv and the log list all)\n", len(sum.Kept)-10)
			break
		}
		fmt.Fprintf(w, "  %s %s (%s) %s: %s kept (%s); the new rule gives %s%s\n", k.Table, plain(k.Key), plain(k.Code), k.Column,
			k.Stored, k.Reason, k.Computed, lessLate(k))
	}
	if len(sum.Sample) > 0 {
		fmt.Fprintln(w, "\nSample of changes:")
		for _, c := range sum.Sample {
			fmt.Fprintf(w, "  %s %s %s: %s -> %s (%s)\n", c.Table, plain(c.Key), c.Column, show(c.Old), show(c.New), c.Rule)
		}
	}
	if len(sum.Conflict) > 0 {
		fmt.Fprintln(w, "\nLeft alone, changed by another writer since read:")
		for i, c := range sum.Conflict {
			if i == 20 {
				fmt.Fprintf(w, "  ... %d rows left alone in all: the log lists every one\n", sum.Conflicts)
				break
			}
			fmt.Fprintf(w, "  %s %s %s\n", c.Table, plain(c.Key), c.Column)
		}
		fmt.Fprintln(w, "These rows keep what the other writer wrote. Run apply again to repair them from their new values.")
	}
	if x.showSQL {
		fmt.Fprintln(w, "\nStatements apply would run (each batch also writes its audit rows; a batch in which some row changed meanwhile is written again row by row):")
		for _, s := range x.statements {
			fmt.Fprintln(w, s)
		}
	}
	fmt.Fprintln(w)
	if sum.StopReason != "" {
		fmt.Fprintf(w, "Stopped: %s.\n", sum.StopReason)
	}
	if sum.DryRun {
		fmt.Fprintf(w, "Would change %d rows (%d values), %d of them procedures; %d dossiers scanned; skipped %d dossiers and %d procedures or steps.\n",
			sum.RowsToChange, sum.ValuesChanged, sum.ProceduresChanged, sum.DossiersScanned, sum.DossiersSkipped,
			sum.RowsSkipped-sum.DossiersSkipped)
		fmt.Fprintln(w, "Dry run: nothing was written to the database.")
		return nil
	}
	fmt.Fprintf(w, "Changed %d rows (%d values) in changeset %d, %d of them procedures; %d dossiers scanned; skipped %d dossiers and %d procedures or steps; %d conflicts.\n",
		sum.RowsChanged, sum.ValuesChanged, sum.ChangesetID, sum.ProceduresChanged, sum.DossiersScanned,
		sum.DossiersSkipped, sum.RowsSkipped-sum.DossiersSkipped, sum.Conflicts)
	return nil
}

// reportRollback prints the summary of a rollback.
func reportRollback(w io.Writer, format string, id int64, sum *repair.Summary) error {
	if format == "json" {
		enc := jsonEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	if len(sum.Conflict) > 0 {
		fmt.Fprintln(w, "Left alone, changed since the run:")
		for i, c := range sum.Conflict {
			if i == 20 {
				fmt.Fprintf(w, "  ... %d more values: the log lists every row\n", len(sum.Conflict)-20)
				break
			}
			fmt.Fprintf(w, "  %s %s %s: %s\n", c.Table, plain(c.Key), c.Column, rollbackConflict(c))
		}
	}
	if sum.StopReason != "" {
		fmt.Fprintf(w, "Stopped: %s.\n", sum.StopReason)
	}
	if sum.DryRun {
		fmt.Fprintf(w, "Would restore %d rows (%d values) of changeset %d; %d conflicts; %d values already restored.\n",
			sum.RowsToChange, sum.ValuesChanged, id, sum.Conflicts, sum.AlreadyRestored)
		fmt.Fprintln(w, "Dry run: nothing was written to the database.")
		return nil
	}
	fmt.Fprintf(w, "Restored %d rows (%d values) of changeset %d in changeset %d; %d conflicts; %d values already restored.\n",
		sum.RowsChanged, sum.ValuesChanged, id, sum.ChangesetID, sum.Conflicts, sum.AlreadyRestored)
	return nil
}

// rollbackConflict says, for one value of a row a rollback left alone, what the run wrote
// (c.Old of the rollback's change) and what the row holds now: a value that still holds what the
// run wrote is said to be unchanged, so that the listing shows which values someone changed.
func rollbackConflict(c repair.Change) string {
	switch {
	case c.Found == nil:
		return fmt.Sprintf("expected %s; the row was not found", show(c.Old))
	case c.Unchanged:
		return fmt.Sprintf("%s as the run wrote it (not restored with the rest of its row)", show(c.Old))
	default:
		return fmt.Sprintf("expected %s, found %s", show(c.Old), show(*c.Found))
	}
}

func printCounts(w io.Writer, m map[string]int64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%d\n", k, m[k])
	}
	tw.Flush()
}

func show(v repair.Value) string {
	if !v.Valid {
		return "NULL"
	}
	return plain(v.String)
}

// plain returns s for a line of text output, quoted Go-style (\n, \t) when it holds a control
// character, which would break the line or the columns of a table.
func plain(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return strconv.Quote(s)
		}
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// csvChanges streams every planned change, every skipped row and every deadline the guards
// keep, as CSV, in the order the run finds them; the kind column tells them apart.
type csvChanges struct {
	w *csv.Writer
}

func newCSVChanges(w io.Writer) *csvChanges {
	c := &csvChanges{w: csv.NewWriter(w)}
	_ = c.w.Write([]string{"kind", "table", "key", "code", "column", "old_value", "new_value", "rule_or_reason", "detail"})
	return c
}

func (c *csvChanges) rows(rows []repair.RowChange) {
	for _, r := range rows {
		for _, ch := range r.Changes {
			_ = c.w.Write([]string{"change", ch.Table, ch.Key, r.Code, ch.Column, csvValue(ch.Old), csvValue(ch.New), ch.Rule, ""})
		}
	}
}

func (c *csvChanges) skip(k repair.Skip) {
	_ = c.w.Write([]string{"skip", k.Table, k.Key, k.Code, "", "", "", string(k.Reason), k.Detail})
}

func (c *csvChanges) kept(k repair.Kept) {
	_ = c.w.Write([]string{"kept", k.Table, k.Key, k.Code, k.Column, k.Stored, k.Computed, k.Reason,
		strings.TrimPrefix(lessLate(k), "; ")})
}

// finish ends the CSV. The summary's lists of skips and kept deadlines stop at their first
// thousand: the rows were written as the run found them.
func (c *csvChanges) finish(*repair.Summary) error {
	c.w.Flush()
	return c.w.Error()
}

// lessLate says, for a deadline kept because its result was late by days, that moving it would
// have made the result look less late.
func lessLate(k repair.Kept) string {
	if k.LessLate {
		return "; moving it would make the result look less late"
	}
	return ""
}

func csvValue(v repair.Value) string {
	if !v.Valid {
		return `\N`
	}
	return strings.ReplaceAll(v.String, "\x00", "")
}

// logWriter writes log lines to the terminal above a progress bar: it clears the bar, writes
// the line and draws the bar again.
type logWriter struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (l *logWriter) setBar(b *progressbar.ProgressBar) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bar = b
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bar != nil {
		_ = l.bar.Clear()
	}
	n, err := l.w.Write(p)
	if l.bar != nil {
		_ = l.bar.RenderBlank()
	}
	return n, err
}

// barHandler is the text handler of a command's log, with the writer a progress bar attaches to.
type barHandler struct {
	slog.Handler
	lw *logWriter
}

func (h barHandler) barWriter() *logWriter { return h.lw }

func (h barHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return barHandler{h.Handler.WithAttrs(a), h.lw}
}

func (h barHandler) WithGroup(name string) slog.Handler {
	return barHandler{h.Handler.WithGroup(name), h.lw}
}

// jsonEncoder returns an encoder that writes "->" and "<" as they are: the output is read by
// people and tools, never embedded in HTML.
func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
