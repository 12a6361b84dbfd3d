package repair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Store is the database side of a run. One implementation per SQL dialect lives in package
// sqlstore. Read methods never write and need only SELECT rights, so a dry run can use them
// with a read-only account.
type Store interface {
	// Check verifies that every mapped table and column exists, before anything else runs.
	Check(ctx context.Context) error
	// NativeTime reports whether a column has a date/time type (known after Check).
	NativeTime(table, column string) bool
	// FlagWords returns how a flag column's type spells true and false (a MySQL ENUM's
	// members, a PostgreSQL boolean's true and false); ok is false when its type does not
	// say (known after Check).
	FlagWords(table, column string) (yes, no string, ok bool)
	// Procedures returns every procedure with its steps, processing times not yet parsed.
	Procedures(ctx context.Context) ([]*Procedure, error)
	// Dossiers returns, in key order and each with its steps, the dossiers in scope among the
	// next q.Limit keys after q.After, and the last of those keys, from which the next page
	// starts; last is "" when no key is left.
	Dossiers(ctx context.Context, q DossierQuery) (page []*Dossier, last string, err error)

	// KeyRange returns the smallest and largest dossier keys when the keys are integers; ok is
	// false otherwise or when there are no dossiers.
	KeyRange(ctx context.Context) (lo, hi int64, ok bool, err error)

	// AuditReady reports whether fixer's own tables exist and are up to date.
	AuditReady(ctx context.Context) (bool, error)
	// Migrate creates or upgrades fixer's own tables.
	Migrate(ctx context.Context) error
	// Lock takes the run lock of the database for a run over shard ("i/n", or "" for every
	// key); [ErrLocked] (wrapped in a [*LockedError]) when another run holds a lock over keys
	// of that shard (the shards of one count do not overlap). The returned context is cancelled
	// if the lock is lost. The returned unlock function releases the lock; its error says what
	// kept the release from completing (the lock then ends when its lease expires).
	Lock(ctx context.Context, who Operator, shard string) (context.Context, func() error, error)

	// CreateChangeset records a new changeset and sets its ID.
	CreateChangeset(ctx context.Context, cs *Changeset) error
	// FinishChangeset records the final status of a changeset and adds the progress of the
	// last batches that had nothing to write.
	FinishChangeset(ctx context.Context, cs *Changeset, p Progress) error
	// SetChangesetStatus sets the status of changeset id.
	SetChangesetStatus(ctx context.Context, id int64, status string) error
	// WriteBatch writes rows in one transaction with their audit rows under changeset csID, and
	// adds p to the changeset's counts. A row whose current values differ from the Old values
	// it carries is not written and is returned as a conflict. The batch goes in its turn (see
	// [Turn]; nil: at once): an error of the turn rolls the batch back and is returned as it is.
	WriteBatch(ctx context.Context, csID int64, rows []RowChange, p Progress, turn *Turn) (
		conflicts []Conflict, err error)
	// Concurrent says whether batches may be written on several connections at once.
	Concurrent() bool
	// Compare reads, without locking, the current values of rows and returns those that no
	// longer hold the Old values of their changes.
	Compare(ctx context.Context, rows []RowChange) ([]Conflict, error)
	// Changesets lists changesets, newest first.
	Changesets(ctx context.Context, limit int) ([]Changeset, error)
	// Changeset returns one changeset; [ErrNoChangeset] when there is none with that id.
	Changeset(ctx context.Context, id int64) (*Changeset, error)
	// Changes returns up to limit audit rows of changeset csID with ids after afterID.
	Changes(ctx context.Context, csID, afterID int64, limit int) ([]AuditRow, error)
	// Statements renders the statements WriteBatch would run for rows, values inlined.
	Statements(rows []RowChange) []string
}

// DossierQuery selects a page of dossiers.
type DossierQuery struct {
	After string // key after which to start; "" for the first page
	Below string // key at which to stop (exclusive); "" for none
	Limit int
	// Scope: open dossiers, and dossiers received in [From, To). Zero times mean unbounded.
	IncludeOpen bool
	From, To    time.Time
	Agencies    []string
	Procedures  []string
	// Shard i of n (0-based) by key modulo; n ≤ 1 means all.
	ShardIndex, ShardCount int
}

// Progress is what a batch adds to its changeset's counts.
type Progress struct {
	LastKey       string
	RowsChanged   int64
	RowsSkipped   int64
	ValuesChanged int64
	Conflicts     int64
}

// Operator identifies who runs fixer, for the audit and the lock.
type Operator struct {
	Name    string
	Host    string
	PID     int
	Version string
}

// Changeset is one run that changed data: an apply or a rollback. Its JSON form has snake_case
// names, as the reports of plan and apply do.
type Changeset struct {
	ID            int64      `json:"id"`
	RunID         string     `json:"run_id"`
	Kind          string     `json:"kind"`   // apply | rollback
	Status        string     `json:"status"` // running | done | stopped | failed | rolled_back
	StartedAt     time.Time  `json:"started_at"`
	FinishedAt    *time.Time `json:"finished_at"`
	Operator      string     `json:"operator"`
	Host          string     `json:"host"`
	ToolVersion   string     `json:"tool_version"`
	Reason        string     `json:"reason"`
	ConfigHash    string     `json:"config_hash"`
	RulesHash     string     `json:"rules_hash"`
	Scope         string     `json:"scope"`
	Shard         string     `json:"shard"`
	RowsChanged   int64      `json:"rows_changed"`
	RowsSkipped   int64      `json:"rows_skipped"`
	ValuesChanged int64      `json:"values_changed"`
	Conflicts     int64      `json:"conflicts"`
	LastKey       string     `json:"last_key"`
	RevertsID     *int64     `json:"reverts_id"`
}

// Changeset kinds and statuses.
const (
	KindApply    = "apply"
	KindRollback = "rollback"

	StatusRunning    = "running"
	StatusDone       = "done"
	StatusStopped    = "stopped"
	StatusFailed     = "failed"
	StatusRolledBack = "rolled_back"
)

// Conflict is a row that no longer holds the values a change expects, with what it holds now.
type Conflict struct {
	RowChange
	Current map[string]Value // by column
	// Same holds the columns of Changes whose current value still matches the expected one
	// (Change.Old), compared as the store compares them (instants, flags as 1/0 or true/false).
	Same map[string]bool
	// Refused, when not empty, is the error with which the database refused to update the row
	// (a trigger that raises, a constraint): the row is left alone and reported as skipped,
	// not as changed by another writer.
	Refused string
}

// AuditRow is one recorded change.
type AuditRow struct {
	ID          int64
	ChangesetID int64
	Change
}

// MarshalJSON writes the audit row as its change is written (see [Change.MarshalJSON]), with
// "id" and "changeset_id" first.
func (a AuditRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID          int64 `json:"id"`
		ChangesetID int64 `json:"changeset_id"`
		changeJSON
	}{a.ID, a.ChangesetID, a.Change.toJSON()})
}

var (
	// ErrLocked: another run holds the database's run lock.
	ErrLocked = errors.New("another fixer run holds the lock")
	// ErrNoChangeset: no changeset with the given id.
	ErrNoChangeset = errors.New("no such changeset")
	// ErrRolledBack: a rollback asked of a changeset already rolled back.
	ErrRolledBack = errors.New("already rolled back")
	// ErrConflicts: a rollback left rows that were changed since the run.
	ErrConflicts = errors.New("rows changed since the run")
	// ErrNoAudit: fixer's tables are missing; run fixer migrate.
	ErrNoAudit = errors.New("fixer's audit tables do not exist in this database: no apply has run " +
		"here yet, or they have another prefix (table_prefix); fixer migrate creates them")
)

// LockedError says who holds the lock.
type LockedError struct {
	Holder string
	Since  time.Time
	Until  time.Time
}

// Error says who holds the lock, since when and until when its lease runs.
func (e *LockedError) Error() string {
	if e.Since.IsZero() {
		return fmt.Sprintf("%v: held by %s", ErrLocked, e.Holder)
	}
	return fmt.Sprintf("%v: held by %s since %s (lease until %s)", ErrLocked, e.Holder,
		e.Since.UTC().Format(time.RFC3339), e.Until.UTC().Format(time.RFC3339))
}

// Unwrap makes a LockedError match [ErrLocked].
func (e *LockedError) Unwrap() error { return ErrLocked }
