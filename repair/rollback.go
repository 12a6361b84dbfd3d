package repair

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// RuleRollback is the rule recorded with every change a rollback makes.
const RuleRollback = "rollback"

// Rollback restores the old values recorded in changeset id and records the restoration as a
// changeset of its own. A value that was changed again since the run is left alone and reported
// as a conflict ([ErrConflicts]); a value that already holds its old value (an earlier rollback
// that stopped half-way) is counted as already restored. With dryRun nothing is written.
func (r *Runner) Rollback(ctx context.Context, id int64, reason string, dryRun bool) (*Summary, error) {
	if err := r.Store.Check(ctx); err != nil {
		// The changeset knows the configuration it was made with: a rollback under another one
		// finds other tables and columns.
		if cs, cerr := r.Store.Changeset(ctx, id); cerr == nil && cs.ConfigHash != r.Config.Hash() {
			return nil, fmt.Errorf("%w\nchangeset %d was made with another configuration (hash %s, this one %s): "+
				"run the rollback with the --config of that run", err, id, short(cs.ConfigHash), short(r.Config.Hash()))
		}
		return nil, err
	}
	target, err := r.Store.Changeset(ctx, id)
	if err != nil {
		return nil, err
	}
	if !dryRun {
		// Audit tables an older fixer made get the newer migrations first, as apply does.
		if ok, err := r.Store.AuditReady(ctx); err == nil && !ok {
			if err := r.Store.Migrate(ctx); err != nil {
				return nil, fmt.Errorf("prepare audit tables: %w", err)
			}
		}
	}
	if target.Status == StatusRolledBack {
		return nil, fmt.Errorf("changeset %d was %w: nothing is left to undo (history lists its rollback)", id, ErrRolledBack)
	}
	// A changeset still marked running belongs to a live run or to one that was killed. Taking
	// the run lock below tells them apart: a live run holds it (exit 3), a killed one does not,
	// and its committed batches can be rolled back like any others.

	sum := newSummary("rollback", dryRun)
	var cs *Changeset
	runCtx := ctx
	if !dryRun {
		var unlock func() error
		runCtx, unlock, err = r.Store.Lock(ctx, r.Operator, "")
		if err != nil {
			return nil, err
		}
		defer r.unlock(unlock)
		if target.Status == StatusRunning {
			r.log().Warn("changeset was left running by a run that ended without finishing; rolling back what it committed",
				"changeset", id)
			if err := r.Store.SetChangesetStatus(runCtx, id, StatusFailed); err != nil {
				return nil, err
			}
		}
		scope, _ := json.Marshal(map[string]any{"reverts": id})
		if reason == "" {
			reason = fmt.Sprintf("rollback of changeset %d", id)
		}
		cs = &Changeset{RunID: newRunID(), Kind: KindRollback, Status: StatusRunning, StartedAt: time.Now(),
			Operator: r.Operator.Name, Host: r.Operator.Host, ToolVersion: r.Operator.Version, Reason: reason,
			ConfigHash: r.Config.Hash(), RulesHash: target.RulesHash, Scope: string(scope), RevertsID: &id}
		if err := r.Store.CreateChangeset(runCtx, cs); err != nil {
			return nil, fmt.Errorf("create changeset: %w", err)
		}
		sum.ChangesetID, sum.RunID = cs.ID, cs.RunID
		r.log().Info("rollback started", "changeset", cs.ID, "reverts", id)
	}

	werr := r.restore(runCtx, sum, cs, id, target.RowsChanged)
	werr = r.abortedIsStopped(ctx, sum, werr)
	if cs == nil {
		return sum, werr
	}
	cs.Status = StatusDone
	if werr != nil {
		cs.Status = StatusFailed
	} else if sum.StopReason != "" {
		cs.Status = StatusStopped
	}
	cs.RowsChanged, cs.Conflicts = sum.RowsChanged, sum.Conflicts
	if err := r.Store.FinishChangeset(context.WithoutCancel(ctx), cs, Progress{}); err != nil && werr == nil {
		werr = err
	}
	if werr == nil && sum.StopReason == "" && sum.Conflicts == 0 {
		if err := r.Store.SetChangesetStatus(context.WithoutCancel(ctx), id, StatusRolledBack); err != nil {
			werr = err
		}
	}
	// Undoing a rollback puts back values of the changeset it reverted: that one is no longer
	// rolled back, and can be rolled back again.
	if target.Kind == KindRollback && target.RevertsID != nil && sum.RowsChanged > 0 {
		if rev, err := r.Store.Changeset(context.WithoutCancel(ctx), *target.RevertsID); err == nil &&
			rev.Status == StatusRolledBack {
			if err := r.Store.SetChangesetStatus(context.WithoutCancel(ctx), rev.ID, StatusDone); err != nil && werr == nil {
				werr = err
			}
			r.log().Info("changeset holds its values again, no longer rolled back", "changeset", rev.ID)
		}
	}
	r.log().Info("rollback finished", "changeset", cs.ID, "status", cs.Status, "reverts", id, "rows_changed", sum.RowsChanged,
		"conflicts", sum.Conflicts, "already_restored", sum.AlreadyRestored)
	if werr == nil && sum.Conflicts > 0 {
		werr = fmt.Errorf("%w: %d rows of changeset %d were changed since and were left alone", ErrConflicts, sum.Conflicts, id)
	}
	return sum, werr
}

// restore walks the audit rows of changeset id in order and writes back their old values.
//
// Rows are counted from the changeset's own count less the rows left alone: the audit rows of
// one row are not always adjacent (concurrent workers draw their ids together), so counting the
// rows of each page would count some twice.
//
// A rollback stopped before the end counts the rows of the pages it wrote instead (a row whose
// values straddle two pages counted in each): the changeset's count would claim them all.
func (r *Runner) restore(ctx context.Context, sum *Summary, cs *Changeset, id int64, rows int64) error {
	var after, untouched, written int64
	whole := false
	defer func() {
		n := max(rows-untouched, 0)
		if !whole {
			n = written
		}
		if cs == nil {
			sum.RowsToChange = n
		} else {
			sum.RowsChanged = n
		}
	}()
	start := time.Now()
	for {
		if reason := r.shouldStop(ctx, start); reason != "" {
			sum.StopReason = reason
			return nil
		}
		audit, err := r.Store.Changes(ctx, id, after, r.batchSize())
		if err != nil {
			return err
		}
		if len(audit) == 0 {
			whole = true
			return nil
		}
		audit = wholeRows(audit, r.batchSize())
		after = audit[len(audit)-1].ID

		var batch []RowChange
		index := map[string]int{}
		for _, a := range audit {
			k := a.Table + "\x00" + a.Key
			i, seen := index[k]
			if !seen {
				i = len(batch)
				index[k] = i
				batch = append(batch, RowChange{Table: a.Table, Key: a.Key})
			}
			batch[i].Changes = append(batch[i].Changes, Change{Table: a.Table, Key: a.Key, Column: a.Column,
				Old: a.New, New: a.Old, Rule: RuleRollback})
		}

		var conflicts []Conflict
		if cs == nil {
			conflicts, err = r.Store.Compare(ctx, batch)
		} else {
			conflicts, err = r.writeWithRetry(ctx, cs.ID, batch, Progress{LastKey: fmt.Sprint(after)}, nil)
		}
		if err != nil {
			return err
		}
		for _, row := range batch {
			sum.ValuesChanged += int64(len(row.Changes))
		}
		written += int64(len(batch) - len(conflicts))
		for _, c := range conflicts {
			sum.ValuesChanged -= int64(len(c.Changes))
			untouched++
			if restored(c) {
				sum.AlreadyRestored += int64(len(c.Changes))
				continue
			}
			sum.Conflicts++
			if c.Refused != "" {
				r.log().Warn("row refused by the database, left alone", "table", c.Table, "key", c.Key,
					"error", c.Refused)
			} else {
				r.log().Warn("row changed since the run, left alone", "table", c.Table, "key", c.Key)
			}
			if len(sum.Conflict) < maxSkips {
				sum.Conflict = append(sum.Conflict, withFound(c)...)
			}
		}
		sum.addSample(batch)
		if r.Progress != nil {
			r.Progress(sum.ValuesChanged+sum.AlreadyRestored+sum.Conflicts, "")
		}
	}
}

// withFound returns the changes of a conflicting row, each with what the row holds now in its
// column, so that a listing can tell the values changed since the run from the ones that still
// hold what the run wrote.
func withFound(c Conflict) []Change {
	out := make([]Change, len(c.Changes))
	for i, ch := range c.Changes {
		if cur, ok := c.Current[ch.Column]; ok {
			ch.Found = &cur
			ch.Unchanged = c.Same[ch.Column]
		}
		out[i] = ch
	}
	return out
}

// restored reports whether every value of a conflicting row already holds the value the
// rollback would write.
func restored(c Conflict) bool {
	for _, ch := range c.Changes {
		cur, ok := c.Current[ch.Column]
		if !ok || cur.Valid != ch.New.Valid || cur.String != ch.New.String {
			return false
		}
	}
	return true
}

// wholeRows keeps a full page of audit rows from ending in the middle of a row's values: the
// values of the page's last row go to the next page, so that a row is restored, or left alone,
// whole. A page that holds one row only is kept as it is.
func wholeRows(audit []AuditRow, pageSize int) []AuditRow {
	if len(audit) < pageSize {
		return audit
	}
	last := audit[len(audit)-1]
	i := len(audit) - 1
	for i > 0 && audit[i-1].Table == last.Table && audit[i-1].Key == last.Key {
		i--
	}
	if i == 0 {
		return audit
	}
	return audit[:i]
}

// short abbreviates a hash for people to compare.
func short(hash string) string { return hash[:min(len(hash), 12)] }
