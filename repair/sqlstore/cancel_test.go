package sqlstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
)

// A run whose context ends before the last page (the schedule stopping on SIGTERM, or the run
// lock lost) has repaired only part of the scope: it must not be recorded as done, since
// --resume continues only an unfinished changeset. It is recorded as stopped, and --resume
// finishes it as an uninterrupted run would.
func TestCancelledRunIsNotRecordedAsDone(t *testing.T) {
	t.Parallel()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	r := runner(t, conn)
	// One batch at a time, and a fetcher that waits between pages: the context ends after the
	// first batch has committed, while the fetcher waits for the next page.
	r.BatchSize, r.InFlight, r.Sleep = 2, 1, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.Progress = func(int64, string) { cancel() }
	sum, err := r.Apply(ctx, "first")
	require.NotNil(t, sum)
	require.True(t, err != nil || sum.StopReason != "", "a cancelled run reported success")

	cs, err := r.Store.Changeset(context.Background(), sum.ChangesetID)
	require.NoError(t, err)
	require.NotEqual(t, repair.StatusDone, cs.Status, "a run that covered part of its scope is recorded as done")

	again := runner(t, conn)
	again.BatchSize, again.Resume = 2, true
	res, err := again.Apply(context.Background(), "first")
	require.NoError(t, err)
	require.True(t, res.Resumed, "--resume did not continue the cancelled changeset")
	for _, e := range expected {
		require.Equal(t, e.after, column(t, conn, e.table, e.col, e.id), "%s.%s of %d", e.table, e.col, e.id)
	}
}

// cancellingStore cancels the run's context in the middle of its second batch, as a second
// Ctrl-C does, and hands the write on with the cancelled context.
type cancellingStore struct {
	repair.Store
	cancel  context.CancelFunc
	batches atomic.Int64
	// stop, when set, is closed first (the first Ctrl-C), and the run given time to see it.
	stop chan struct{}
}

func (s *cancellingStore) WriteBatch(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) ([]repair.Conflict, error) {
	if s.batches.Add(1) == 3 { // the procedures' profile, then two batches of dossiers
		if s.stop != nil {
			close(s.stop)
			time.Sleep(300 * time.Millisecond)
		}
		s.cancel()
	}
	return s.Store.WriteBatch(ctx, csID, rows, p, turn)
}

// A run aborted in the middle of a batch (a second Ctrl-C) rolls that batch back and is
// recorded as stopped, as after any stop, with no error: its committed batches stand, and
// --resume finishes the rest as an uninterrupted run would.
func TestRunAbortedMidBatchIsStopped(t *testing.T) {
	t.Parallel()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := runner(t, conn)
	r.BatchSize, r.InFlight = 2, 1
	r.Store = &cancellingStore{Store: r.Store, cancel: cancel}
	sum, err := r.Apply(ctx, "first")
	require.NoError(t, err)
	require.Equal(t, "aborted on request; the batch in progress was rolled back", sum.StopReason)
	cs, err := r.Store.Changeset(context.Background(), sum.ChangesetID)
	require.NoError(t, err)
	require.Equal(t, repair.StatusStopped, cs.Status)

	again := runner(t, conn)
	again.BatchSize, again.Resume = 2, true
	res, err := again.Apply(context.Background(), "first")
	require.NoError(t, err)
	require.True(t, res.Resumed)
	for _, e := range expected {
		require.Equal(t, e.after, column(t, conn, e.table, e.col, e.id), "%s.%s of %d", e.table, e.col, e.id)
	}
}

// The same when a first Ctrl-C has already asked the run to stop after the batches in flight,
// and a second one cuts a batch short: stopped, not failed.
func TestRunStoppedThenAbortedIsStopped(t *testing.T) {
	t.Parallel()
	conn, _ := openDSN(t, db.SQLite)
	insertDossiers(t, conn, dossierSet{n: 60})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := runner(t, conn)
	r.BatchSize, r.InFlight = 2, 2
	stop := make(chan struct{})
	r.Stop = stop
	store := &cancellingStore{Store: r.Store, cancel: cancel, stop: stop}
	r.Store = store
	sum, err := r.Apply(ctx, "first")
	require.NoError(t, err)
	// Most often the reader has seen the first signal by then ("stopped by signal ...; then
	// aborted on request ..."); either way the run is stopped.
	require.Contains(t, sum.StopReason, "aborted on request; the batch in progress was rolled back")
	cs, err := r.Store.Changeset(context.Background(), sum.ChangesetID)
	require.NoError(t, err)
	require.Equal(t, repair.StatusStopped, cs.Status)
}
