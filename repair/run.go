package repair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Runner carries out plan, apply and rollback runs.
type Runner struct {
	Store  Store
	Config *Resolved
	Log    *slog.Logger
	// BatchSize is the number of dossiers per page and per transaction.
	BatchSize int
	// AsOf is the present moment for the overdue class; zero means now.
	AsOf time.Time
	// Operator identifies who runs it.
	Operator Operator
	// Agencies and Procedures narrow the scope beyond the configuration.
	Agencies, Procedures []string
	// Shard splits the key space among cooperating processes: index Shard of ShardCount.
	Shard, ShardCount int
	// Workers is the number of concurrent workers in this process, each over a contiguous part
	// of the key range (numeric keys only); 0 or 1 means one.
	Workers int
	// InFlight is the number of batches each worker writes at once, each in its own
	// transaction, committing in key order; 0 means DefaultInFlight. Engines that take one
	// writer at a time (SQLite) write one.
	InFlight int
	// Sleep pauses between batches; MaxRuntime stops cleanly after the batch that passes it;
	// PauseFile, while it exists, holds the run between batches.
	Sleep      time.Duration
	MaxRuntime time.Duration
	PauseFile  string
	// Resume continues the newest unfinished apply changeset of the same configuration.
	Resume bool
	// RunID links the changesets of cooperating processes (the shards of one run); empty means
	// a new random one.
	RunID string
	// CollectSQL keeps the statements a real run would execute (plan --sql).
	CollectSQL bool
	Statements []string
	// OnRows, when set, receives the rows of every batch of a dry run (plan --output csv).
	OnRows func([]RowChange)
	// OnSkip and OnKept, when set, receive every skipped row and every deadline the guards keep
	// in a dry run, as they are found: the summary keeps only the first of them.
	OnSkip func(Skip)
	OnKept func(Kept)
	// Progress, when set, is called after every batch with the dossiers scanned so far and the
	// last key read (with one worker; "" otherwise).
	Progress func(scanned int64, lastKey string)
	// Stop, when closed, stops the run cleanly after the current batch.
	Stop <-chan struct{}

	pending Progress
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// inFlight is the number of batches each worker writes at once; see InFlight.
func (r *Runner) inFlight() int {
	n := r.InFlight
	if n <= 0 {
		n = DefaultInFlight
	}
	if r.Store != nil && !r.Store.Concurrent() {
		n = 1
	}
	return n
}

// DefaultInFlight is the number of batches each worker writes at once unless told otherwise:
// while one batch commits, the next is being written.
const DefaultInFlight = 2

func (r *Runner) batchSize() int {
	if r.BatchSize <= 0 {
		return 1000
	}
	return r.BatchSize
}

// Plan is the dry run: it computes every change and writes nothing, takes no lock and needs
// only SELECT rights.
func (r *Runner) Plan(ctx context.Context) (*Summary, error) {
	if err := r.checkScopeKeys(ctx); err != nil {
		return nil, err
	}
	sum := newSummary("plan", true)
	sum.onSkip, sum.onKept = r.OnSkip, r.OnKept
	err := r.walk(ctx, sum, nil)
	return sum, err
}

// Apply computes and writes every change, each batch in one transaction with its audit rows.
// reason is recorded with the changeset and is required.
func (r *Runner) Apply(ctx context.Context, reason string) (*Summary, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, fmt.Errorf("%w: a reason is required: the official document or ticket that orders the run", ErrConfig)
	}
	if err := r.Store.Check(ctx); err != nil {
		return nil, err
	}
	if err := r.checkShardKey(); err != nil {
		return nil, err
	}
	if err := r.checkScopeKeys(ctx); err != nil {
		return nil, err
	}
	if err := r.Store.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("prepare audit tables: %w", err)
	}
	runCtx, unlock, err := r.Store.Lock(ctx, r.Operator, r.shardName())
	if err != nil {
		return nil, err
	}
	defer r.unlock(unlock)

	sum := newSummary("apply", false)
	cs, err := r.openChangeset(runCtx, reason, sum)
	if err != nil {
		return nil, err
	}
	sum.ChangesetID, sum.RunID = cs.ID, cs.RunID
	r.log().Info("apply started", "changeset", cs.ID, "run", cs.RunID, "resumed", sum.Resumed)

	werr := r.walk(runCtx, sum, cs)
	if werr == nil && sum.StopReason == "" && runCtx.Err() != nil {
		// The walk ended because its context did, not because the keys ran out: part of the
		// scope was not read. Never record that as done, which --resume would not continue.
		if ctx.Err() != nil {
			sum.StopReason = "cancelled after the last committed batch"
		} else {
			werr = context.Cause(runCtx) // the run lock was lost
		}
	}
	werr = r.abortedIsStopped(ctx, sum, werr)
	cs.Status = StatusDone
	switch {
	case werr != nil && context.Cause(runCtx) != nil && ctx.Err() == nil:
		werr = context.Cause(runCtx)
		cs.Status = StatusFailed
	case werr != nil:
		cs.Status = StatusFailed
	case sum.StopReason != "":
		cs.Status = StatusStopped
	}
	if err := r.Store.FinishChangeset(context.WithoutCancel(ctx), cs, r.pending); err != nil {
		return sum, errors.Join(werr, err)
	}
	r.log().Info("apply finished", "changeset", cs.ID, "status", cs.Status, "rows_changed", sum.RowsChanged,
		"rows_skipped", sum.RowsSkipped, "conflicts", sum.Conflicts)
	return sum, werr
}

// abortedIsStopped turns the error of a run its caller cancelled in the middle of a batch (a
// second Ctrl-C) into a stop: the batch rolled back and every committed one stands, as after
// any stop. Other errors are returned as they are.
func (r *Runner) abortedIsStopped(ctx context.Context, sum *Summary, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	r.log().Info("batch in progress rolled back on request", "error", err.Error())
	const aborted = "aborted on request; the batch in progress was rolled back"
	if sum.StopReason == "" {
		sum.StopReason = aborted
	} else { // the first Ctrl-C asked for a stop, the second cut the batch short
		sum.StopReason += "; then " + aborted
	}
	return nil
}

// unlock releases the run lock. The run's work is complete by then, so a failed release is not
// the run's failure: it is logged, since the next run may have to wait for the lease to expire.
func (r *Runner) unlock(release func() error) {
	if err := release(); err != nil {
		r.log().Warn("run lock not released", "err", err)
	}
}

// checkShardKey refuses --shard over a dossiers key that is not an integer: shards are taken
// by MOD(key, n), which PostgreSQL refuses for text and MySQL computes on the text read as a
// number (0 for a code such as "000.00.12.H35-210304-0001"), so that one shard would take every
// dossier and the others none.
func (r *Runner) checkShardKey() error {
	if r.ShardCount <= 1 {
		return nil
	}
	s, ok := r.Store.(interface{ IntegerKey() bool })
	if !ok {
		return nil
	}
	if !s.IntegerKey() {
		d := r.Config.Schema.Dossiers
		return fmt.Errorf("%w: --shard %s needs an integer dossier key, and %s.%s (schema.dossiers.key) "+
			"is not an integer column: run one process without --shard", ErrConfig, r.shardName(), d.Table, d.Key)
	}
	return nil
}

// shardName is the run's shard as "i/n", or "" for a run over every key.
func (r *Runner) shardName() string {
	if r.ShardCount <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", r.Shard+1, r.ShardCount)
}

// openChangeset creates the run's changeset, or with Resume reopens the newest unfinished one
// of the same configuration, rules and scope.
func (r *Runner) openChangeset(ctx context.Context, reason string, sum *Summary) (*Changeset, error) {
	scope, _ := json.Marshal(map[string]any{
		"received_from": r.Config.Scope.ReceivedFrom, "received_to": r.Config.Scope.ReceivedTo,
		"include_open": r.Config.IncludeOpen(), "agencies": r.agencies(), "procedures": r.procedures(),
	})
	shard := r.shardName()
	runID := r.RunID
	if runID == "" {
		runID = newRunID()
	}
	cs := &Changeset{
		RunID: runID, Kind: KindApply, Status: StatusRunning, StartedAt: time.Now(),
		Operator: r.Operator.Name, Host: r.Operator.Host, ToolVersion: r.Operator.Version, Reason: reason,
		ConfigHash: r.Config.Hash(), RulesHash: r.Config.RulesHash(), Scope: string(scope), Shard: shard,
	}
	if r.Resume {
		list, err := r.Store.Changesets(ctx, 50)
		if err != nil {
			return nil, err
		}
		var other *Changeset
		for i := range list {
			old := &list[i]
			if old.Kind != KindApply || (old.Status != StatusRunning && old.Status != StatusStopped &&
				old.Status != StatusFailed) {
				continue
			}
			if old.ConfigHash == cs.ConfigHash && old.RulesHash == cs.RulesHash &&
				old.Scope == cs.Scope && old.Shard == cs.Shard {
				sum.Resumed = true
				if err := r.Store.SetChangesetStatus(ctx, old.ID, StatusRunning); err != nil {
					return nil, err
				}
				old.Status = StatusRunning
				return old, nil
			}
			if other == nil {
				other = old
			}
		}
		if other != nil {
			// The operator asked to finish an unfinished run, and there is one, but of another
			// scope, configuration or shard: starting a new changeset of this scope would
			// repair what that run was not asked to (a whole province instead of one agency).
			shard := ""
			if other.Shard != "" {
				shard = ", shard " + other.Shard
			}
			return nil, fmt.Errorf("%w: --resume: the unfinished changeset %d (%s) was run with scope %s%s "+
				"and configuration %s, this run has scope %s and configuration %s; give apply --resume the "+
				"same --agency, --procedure, --received-from, --received-to, --no-open, --shard and --config "+
				"as that run, or leave out --resume to start a new changeset",
				ErrConfig, other.ID, other.Status, other.Scope, shard, other.ConfigHash, cs.Scope, cs.ConfigHash)
		}
		r.log().Warn("no unfinished changeset of this configuration, rules and scope to resume: starting a new one")
	}
	if err := r.Store.CreateChangeset(ctx, cs); err != nil {
		return nil, fmt.Errorf("create changeset: %w", err)
	}
	return cs, nil
}

func (r *Runner) agencies() []string {
	if len(r.Agencies) > 0 {
		return r.Agencies
	}
	return r.Config.Scope.Agencies
}

func (r *Runner) procedures() []string {
	if len(r.Procedures) > 0 {
		return r.Procedures
	}
	return r.Config.Scope.Procedures
}

// walk reads procedures and then dossiers page by page, plans each, and when cs is set writes
// each page. It is shared by the dry run and the real run, so both decide alike.
func (r *Runner) walk(ctx context.Context, sum *Summary, cs *Changeset) error {
	if err := r.Store.Check(ctx); err != nil {
		return err
	}
	if err := r.checkShardKey(); err != nil {
		return err
	}
	procs, err := r.Store.Procedures(ctx)
	if err != nil {
		return err
	}
	// Only the procedures in scope, and their steps, are reported: a run limited to some
	// procedures says nothing of the others.
	inScope := r.procedureFilter()
	scoped := map[[2]string]bool{}
	for _, p := range procs {
		if inScope(p) {
			scoped[[2]string{r.Config.Schema.Procedures.Table, p.Key}] = true
			for key := range p.Steps {
				scoped[[2]string{r.Config.Schema.Steps.Table, key}] = true
			}
		}
	}
	for _, k := range resolveProcedures(procs, r.Config.Schema) {
		if !scoped[[2]string{k.Table, k.Key}] {
			continue
		}
		r.log().Warn("procedure skipped", "table", k.Table, "key", k.Key, "code", k.Code, "reason", k.Reason, "detail", k.Detail)
		sum.addSkip(k)
		// A resumed changeset that has recorded a batch has counted them already.
		if cs == nil || cs.LastKey == "" {
			r.pending.RowsSkipped++
		}
	}
	names, err := r.agencyNames(ctx)
	if err != nil {
		return err
	}
	defer sum.finish(names)

	asOf := r.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	planner := NewPlanner(r.Config, asOf)
	planner.Native = r.Store.NativeTime
	planner.FlagWords = r.Store.FlagWords
	if s, ok := r.Store.(interface {
		DateOnly(table, column string) bool
	}); ok {
		planner.DateOnly = s.DateOnly
	}
	w := &walker{r: r, sum: sum, cs: cs, planner: planner,
		procs: make(map[string]*Procedure, len(procs)), start: time.Now()}
	var profile []RowChange
	// The procedures are shared by every shard: the first shard writes their profile, so that
	// shards running side by side do not race each other for the same rows.
	writesProfile := r.ShardCount <= 1 || r.Shard == 0
	for _, p := range procs {
		w.procs[p.Key] = p
		if !inScope(p) || !writesProfile {
			continue
		}
		if ch := w.planner.ProfileChanges(p); len(ch) > 0 {
			profile = append(profile, RowChange{Table: ch[0].Table, Key: p.Key, Code: p.Code, Changes: ch})
			sum.agency(p.AgencyID).Procedures++
		}
	}
	// A pause file, a signal or a run time already spent holds the first write too.
	if reason := r.shouldStop(ctx, w.start); reason != "" {
		sum.StopReason = reason
		return nil
	}
	conflicts, err := w.commit(ctx, profile, nil, Progress{}, nil)
	if err != nil {
		return err
	}
	sum.ProceduresChanged = int64(len(profile) - conflicts)

	q := DossierQuery{Limit: r.batchSize(), IncludeOpen: r.Config.IncludeOpen(), From: r.Config.ReceivedFrom,
		To: r.Config.ReceivedTo, Agencies: r.agencies(), Procedures: r.procedures(),
		ShardIndex: r.Shard, ShardCount: r.ShardCount}
	if r.Workers <= 1 {
		if cs != nil {
			q.After = cs.LastKey
		}
		return w.pages(ctx, q, &r.pending)
	}
	return w.parallel(ctx, q)
}

// walker carries the state of one walk shared by its workers.
type walker struct {
	r       *Runner
	sum     *Summary
	cs      *Changeset
	planner *Planner
	procs   map[string]*Procedure
	start   time.Time
	mu      sync.Mutex // guards sum and r.Statements
}

// parallel splits the key range into contiguous parts, one per worker. With workers the resume
// point is not recorded: a resumed run scans again and finds the finished rows unchanged.
func (w *walker) parallel(ctx context.Context, q DossierQuery) error {
	lo, hi, ok, err := w.r.Store.KeyRange(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return w.pages(ctx, q, &w.r.pending)
	}
	parts := splitKeys(lo, hi, w.r.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(parts))
	pendings := make([]Progress, len(parts))
	for i, kp := range parts {
		// The first part starts where the query does and the last one has no end, so no bound
		// is formed beyond the ends of int64 and keys added since KeyRange are not missed.
		part := q
		if i > 0 {
			part.After = strconv.FormatInt(kp.First-1, 10)
		}
		if i < len(parts)-1 {
			part.Below = strconv.FormatInt(kp.Last+1, 10)
		}
		go func(i int) {
			err := w.pages(ctx, part, &pendings[i])
			if err != nil {
				cancel()
			}
			errs <- err
		}(i)
	}
	var all []error
	for range parts {
		if err := <-errs; err != nil && !errors.Is(err, context.Canceled) {
			all = append(all, err)
		}
	}
	for _, p := range pendings {
		w.r.pending.RowsSkipped += p.RowsSkipped
	}
	w.r.pending.LastKey = ""
	if len(all) == 0 && ctx.Err() != nil && w.sum.StopReason == "" {
		return ctx.Err()
	}
	return errors.Join(all...)
}

// batchPlan is one page read and planned, waiting to be written.
type batchPlan struct {
	n       int
	rows    []RowChange
	skipped int64
	last    string
	scanned int64
	// moves holds, by key, how the summary counted each dossier of the batch that has rows
	// to write, so that one the database leaves alone (a conflict, a refusal) is counted
	// again as left as it was.
	moves map[string]move
}

// move is how the summary counted a dossier with rows to write.
type move struct {
	agency        string
	before, after string // its lateness class before and after, when classified
	classified    bool
}

// pages walks the dossiers of one query page by page. Reading and planning the next pages
// overlaps writing the current ones: the fetcher reads one page ahead of the planner, the
// planner plans one ahead of the writers, and up to InFlight batches are written at once,
// committing in key order (see flight). pending holds the progress of batches with nothing to
// write: it is recorded with the next write or when the changeset is finished, so that a batch
// with no change sends no statement.
func (w *walker) pages(ctx context.Context, q DossierQuery, pending *Progress) error {
	r := w.r
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	planned, readErr := produce(readCtx, func(ctx context.Context, out chan<- batchPlan) error {
		return w.readPages(ctx, q, out)
	})

	var queue []*flight
	var last *flight // the newest batch sent to be written
	// settle waits for the oldest batch in flight. The resume point and the progress move only
	// with a committed batch: a batch that fails leaves them where they were, so --resume
	// starts again at that batch.
	settle := func() error {
		f := queue[0]
		queue = queue[1:]
		<-f.done
		if f.err != nil {
			*pending = f.before
			return f.err
		}
		*pending = f.after
		r.log().Debug("batch done", "batch", f.b.n, "last_key", f.b.last, "rows", len(f.b.rows))
		if r.Progress != nil {
			key := ""
			if r.Workers <= 1 {
				key = f.b.last
			}
			w.mu.Lock() // workers report one at a time
			r.Progress(f.b.scanned, key)
			w.mu.Unlock()
		}
		return nil
	}
	fail := func(err error) error {
		cancel()
		for range planned { // let the reader finish
		}
		for _, f := range queue { // the batches after a failed one roll back
			<-f.done
		}
		return err
	}

	carry := *pending
	for b := range planned {
		f := newFlight(b, carry)
		next := carry
		if r.Workers <= 1 {
			next.LastKey = b.last
		}
		next.RowsSkipped += b.skipped
		if len(b.rows) == 0 {
			// Nothing to write: settled, in its turn, once the batches before it are.
			carry = next
			f.finish(nil)
		} else {
			carry = Progress{}
			turn := &Turn{self: f, prev: last}
			last = f
			go func() {
				_, err := w.commit(ctx, b.rows, b.moves, next, turn)
				f.finish(err)
			}()
		}
		f.after = carry
		queue = append(queue, f)
		for len(queue) > 0 && (finished(queue[0]) || writing(queue) >= r.inFlight()) {
			if err := settle(); err != nil {
				return fail(err)
			}
		}
	}
	for len(queue) > 0 {
		if err := settle(); err != nil {
			return fail(err)
		}
	}
	return <-readErr
}

// produce runs fn in a goroutine that hands its results to the returned channel, which holds
// one in waiting and is closed when fn returns; fn's error then comes on the second channel.
func produce[T any](ctx context.Context, fn func(context.Context, chan<- T) error) (<-chan T, <-chan error) {
	out := make(chan T, 1)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- fn(ctx, out)
	}()
	return out, errc
}

// fetchedPage is one page of dossiers as read, not yet planned.
type fetchedPage struct {
	dossiers []*Dossier
	last     string
}

// readPages plans pages and hands them to the writer, until the keys run out, the run is asked
// to stop, or ctx ends. A fetcher goroutine reads the next page while this one plans the
// current one, so the database's time and fixer's overlap.
func (w *walker) readPages(ctx context.Context, q DossierQuery, out chan<- batchPlan) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fetched, fetchErr := produce(ctx, func(ctx context.Context, out chan<- fetchedPage) error {
		return w.fetchPages(ctx, q, out)
	})
	stop := func() error {
		cancel()
		for range fetched { // let the fetcher finish
		}
		<-fetchErr
		return nil
	}

	n := 0
	for page := range fetched {
		n++
		// A dossier gives its own row and a few steps' rows: room for four each saves the
		// slice's regrowth, which was a quarter of what planning allocates.
		b := batchPlan{n: n, last: page.last, rows: make([]RowChange, 0, 4*len(page.dossiers))}
		w.mu.Lock()
		for _, d := range page.dossiers {
			if !w.receivedInScope(d) {
				continue
			}
			w.sum.DossiersScanned++
			o := w.planner.Dossier(d, w.procs[d.ProcedureKey])
			if o.Skip != nil {
				b.skipped++
				w.r.log().Info("dossier skipped", "key", o.Skip.Key, "code", o.Skip.Code, "reason", o.Skip.Reason,
					"detail", o.Skip.Detail)
			}
			for _, k := range o.StepSkips {
				b.skipped++
				w.r.log().Info("step skipped", "table", k.Table, "key", k.Key, "code", k.Code, "reason", k.Reason,
					"detail", k.Detail)
			}
			// Kept deadlines are the guards at work, not something to act on, and can be a
			// large share of a run: the log lists them only when asked (--verbose); CSV and
			// JSON list them always.
			for _, k := range o.Kept {
				if !w.r.log().Enabled(ctx, slog.LevelDebug) {
					break
				}
				w.r.log().Debug("deadline kept", "table", k.Table, "key", k.Key, "code", k.Code, "column", k.Column,
					"reason", k.Reason, "stored", k.Stored, "computed", k.Computed, "less_late", k.LessLate)
			}
			w.sum.addOutcome(d, o)
			if len(o.Rows) > 0 {
				w.sum.agency(d.AgencyID).Dossiers++
				if b.moves == nil {
					b.moves = map[string]move{}
				}
				b.moves[d.Key] = move{agency: d.AgencyID, before: o.Before.String(), after: o.After.String(),
					classified: o.Classified && !o.Closed && !o.Deleted}
			}
			b.rows = append(b.rows, o.Rows...)
		}
		b.scanned = w.sum.DossiersScanned
		w.mu.Unlock()

		select {
		case out <- b:
		case <-ctx.Done():
			return stop()
		}
	}
	return <-fetchErr
}

// fetchPages reads pages of dossiers in key order and hands them to the planner, until the
// keys run out, the run is asked to stop, or ctx ends. --sleep pauses it between pages.
func (w *walker) fetchPages(ctx context.Context, q DossierQuery, out chan<- fetchedPage) error {
	r := w.r
	for {
		if reason := r.shouldStop(ctx, w.start); reason != "" {
			if ctx.Err() == nil || reason != "cancelled" {
				w.mu.Lock()
				w.sum.StopReason = reason
				w.mu.Unlock()
			}
			return nil
		}
		page, last, err := r.Store.Dossiers(ctx, q)
		if err != nil {
			if ctx.Err() != nil {
				return nil // the writer failed and stopped the reading
			}
			return err
		}
		if last == "" {
			return nil
		}
		q.After = last
		select {
		case out <- fetchedPage{dossiers: page, last: last}:
		case <-ctx.Done():
			return nil
		}
		if r.Sleep > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(r.Sleep):
			}
		}
	}
}

// commit counts the rows of one batch and, in a real run, writes them with retries, in its
// turn (nil: at once). It returns the number of rows left alone because another writer changed
// them.
func (w *walker) commit(ctx context.Context, rows []RowChange, moves map[string]move, p Progress, turn *Turn) (int, error) {
	r, sum, cs := w.r, w.sum, w.cs
	if len(rows) == 0 {
		return 0, nil
	}
	if cs == nil {
		w.mu.Lock()
		defer w.mu.Unlock()
		sum.RowsToChange += int64(len(rows))
		for _, row := range rows {
			sum.ValuesChanged += int64(len(row.Changes))
		}
		sum.addSample(rows)
		if r.OnRows != nil {
			r.OnRows(rows)
		}
		if r.CollectSQL && len(rows) > 0 {
			r.Statements = append(r.Statements, r.Store.Statements(rows)...)
		}
		return 0, nil
	}
	conflicts, err := r.writeWithRetry(ctx, cs.ID, rows, p, turn)
	if err != nil {
		return 0, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	sum.RowsChanged += int64(len(rows) - len(conflicts))
	for _, row := range rows {
		sum.ValuesChanged += int64(len(row.Changes))
	}
	sum.addSample(written(rows, conflicts))
	for _, c := range conflicts {
		sum.ValuesChanged -= int64(len(c.Changes))
		// A dossier left alone keeps its deadline, and with it its class.
		if m, ok := moves[c.Key]; ok && c.Table == r.Config.Schema.Dossiers.Table {
			sum.leftAlone(m)
			delete(moves, c.Key)
			if c.Refused != "" {
				sum.DossiersSkipped++
			}
		}
		if c.Refused != "" {
			r.log().Warn("row refused by the database, left alone", "table", c.Table, "key", c.Key,
				"code", c.Code, "error", c.Refused)
			sum.addSkip(Skip{Table: c.Table, Key: c.Key, Code: c.Code, Reason: SkipRefused, Detail: c.Refused})
			continue
		}
		sum.Conflicts++
		r.log().Warn("row changed by another writer, left alone", "table", c.Table, "key", c.Key, "code", c.Code,
			"columns", changedColumns(c))
		if len(sum.Conflict) < maxSkips {
			sum.Conflict = append(sum.Conflict, c.Changes...)
		}
	}
	return len(conflicts), nil
}

// changedColumns names the columns of a row left alone as a conflict that no longer hold what
// the run read; when those it meant to change all still do, another column the decision was
// read from changed (the status, the completion, the dossier of a step).
func changedColumns(c Conflict) string {
	var cols []string
	for _, ch := range c.Changes {
		if c.Same != nil && !c.Same[ch.Column] {
			cols = append(cols, ch.Column)
		}
	}
	if len(cols) == 0 {
		return "a column the deadlines were decided from"
	}
	return strings.Join(cols, ",")
}

// written returns the rows of a batch the database did not leave alone.
func written(rows []RowChange, conflicts []Conflict) []RowChange {
	if len(conflicts) == 0 {
		return rows
	}
	left := map[[2]string]bool{}
	for _, c := range conflicts {
		left[[2]string{c.Table, c.Key}] = true
	}
	var out []RowChange
	for _, r := range rows {
		if !left[[2]string{r.Table, r.Key}] {
			out = append(out, r)
		}
	}
	return out
}

// writeWithRetry writes a batch, retrying transient failures (lock waits, deadlocks, lost
// connections) with back-off a bounded number of times. A batch either commits whole or not at
// all, so a retry can never write a row twice. It commits in its turn (nil: at once), and
// tells the batch after it when it is retried.
//
// NOTE: a row the application keeps locked through every attempt (about 35 s in all) fails the
// run, which can then be resumed; taking only the rows that are free (SKIP LOCKED) and reporting
// the others would let the run go on, where every engine supports it.
func (r *Runner) writeWithRetry(ctx context.Context, csID int64, rows []RowChange, p Progress, turn *Turn) (
	[]Conflict, error) {

	const attempts = 6
	wait := 200 * time.Millisecond
	for i := 1; ; i++ {
		conflicts, err := r.Store.WriteBatch(ctx, csID, rows, p, turn)
		switch {
		case err == nil:
			return conflicts, nil
		case errors.Is(err, errYield):
			// Rolled back while the batch before is retried: write again once it is done.
			// Not a failed attempt.
			if err := turn.awaitBefore(ctx); err != nil {
				return nil, err
			}
			i--
			continue
		case errors.Is(err, errBeforeFailed):
			return nil, err
		case i == attempts || ctx.Err() != nil || !Transient(err):
			if p.LastKey == "" {
				return nil, fmt.Errorf("write batch: %w", err)
			}
			return nil, fmt.Errorf("write batch ending at key %s: %w", p.LastKey, err)
		}
		turn.retrying()
		r.log().Warn("batch retried", "attempt", i, "error", err.Error())
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// shouldStop says why the run must stop before the next batch, or "".
func (r *Runner) shouldStop(ctx context.Context, start time.Time) string {
	paused := false
	for {
		select {
		case <-r.Stop:
			return "stopped by signal after the last committed batch"
		default:
		}
		if ctx.Err() != nil {
			return "cancelled"
		}
		if r.MaxRuntime > 0 && time.Since(start) > r.MaxRuntime {
			return fmt.Sprintf("max runtime %s reached", r.MaxRuntime)
		}
		if r.PauseFile == "" {
			return ""
		}
		if _, err := os.Stat(r.PauseFile); err != nil {
			if paused {
				r.log().Info("pause file gone: going on", "pause_file", r.PauseFile)
			}
			return ""
		}
		if !paused {
			paused = true
			r.log().Info("paused after the last committed batch: remove the pause file to go on",
				"pause_file", r.PauseFile)
		}
		select {
		case <-r.Stop:
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (r *Runner) procedureFilter() func(*Procedure) bool {
	agencies, procedures := toSet(r.agencies()), toSet(r.procedures())
	return func(p *Procedure) bool {
		if len(agencies) > 0 && !agencies[p.AgencyID] {
			return false
		}
		return len(procedures) == 0 || procedures[p.Key]
	}
}

// receivedInScope re-checks the scope of a dossier whose receipt is stored as text, which SQL
// cannot compare: the SQL query let every such dossier through.
func (w *walker) receivedInScope(d *Dossier) bool {
	r, s := w.r, w.r.Config.Schema.Dossiers
	layout := w.planner.layoutOf(s.Table, s.Received, s.TimeLayout)
	c := r.Config
	// A native time column is compared in SQL; text is compared here, even ISO text, whose
	// offset (2020-12-31T17:30:00Z is 1 January in Hanoi) SQL compares as characters.
	native := w.planner.Native != nil && w.planner.Native(s.Table, s.Received)
	if (layout == "" && native) || (c.ReceivedFrom.IsZero() && c.ReceivedTo.IsZero()) {
		return true
	}
	if c.IncludeOpen() && !d.Completed.Valid && !slices.Contains(s.ClosedStatuses, d.Status) {
		return true
	}
	t, ok, err := parseStamp(d.Received, layout, c.Zone)
	if err != nil || !ok {
		return true // reported by the planner
	}
	return (c.ReceivedFrom.IsZero() || !t.Before(c.ReceivedFrom)) && (c.ReceivedTo.IsZero() || t.Before(c.ReceivedTo))
}

func (r *Runner) agencyNames(ctx context.Context) (map[string]string, error) {
	if n, ok := r.Store.(interface {
		AgencyNames(context.Context) (map[string]string, error)
	}); ok {
		return n.AgencyNames(ctx)
	}
	return nil, nil
}

func toSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
