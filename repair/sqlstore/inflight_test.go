package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
)

// holdingStore holds the first write of the batch that holds dossier 1 for a while, as if in
// its transaction, so that the batch after it is written meanwhile, then fails it: for good, or with a deadlock that a
// retry cures. It counts the attempts to write each batch, by the key of its first dossier.
type holdingStore struct {
	repair.Store
	transient bool

	mu       sync.Mutex
	held     bool
	attempts map[string]int
}

func (s *holdingStore) WriteBatch(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) ([]repair.Conflict, error) {

	first := ""
	for _, r := range rows {
		if r.Table == "dossiers" {
			first = r.Key
			break
		}
	}
	s.mu.Lock()
	s.attempts[first]++
	hold := first == "1" && !s.held
	s.held = s.held || hold
	s.mu.Unlock()
	if hold {
		turn.Opened() // as a store holding the batch's transaction
		time.Sleep(500 * time.Millisecond)
		if s.transient {
			return nil, errors.New("Error 1213: Deadlock found when trying to get lock (simulated)")
		}
		return nil, errors.New("simulated failure")
	}
	return s.Store.WriteBatch(ctx, csID, rows, p, turn)
}

func (s *holdingStore) tries(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[key]
}

// With two batches in flight, a batch written while the one before it is still being written
// commits only after it: when the one before fails, nothing after it is kept, the resume point
// stays before it, and --resume finishes the run as an uninterrupted one.
func TestInFlightBatchesCommitInKeyOrder(t *testing.T) {
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			loadFixture(t, conn)
			r := runner(t, conn)
			r.BatchSize, r.InFlight = 2, 2
			store := &holdingStore{Store: r.Store, attempts: map[string]int{}}
			r.Store = store
			_, err := r.Apply(ctx, "first")
			require.ErrorContains(t, err, "simulated failure")
			require.Equal(t, 1, store.tries("3"), "the batch after the held one was written meanwhile")

			require.Equal(t, "2021-03-08 11:30:00", column(t, conn, "dossiers", "appointment_at", 3),
				"the batch after the failed one is rolled back")
			var audited int
			require.NoError(t, conn.Get(&audited, "SELECT COUNT(*) FROM fixer_changes WHERE table_name = 'dossiers'"))
			require.Zero(t, audited)
			cs, err := r.Store.Changeset(ctx, 1)
			require.NoError(t, err)
			require.Equal(t, repair.StatusFailed, cs.Status)
			require.Empty(t, cs.LastKey, "the resume point stays before the failed batch")

			again := runner(t, conn)
			again.BatchSize, again.Resume = 2, true
			sum, err := again.Apply(ctx, "first")
			require.NoError(t, err)
			require.True(t, sum.Resumed)
			for _, e := range expected {
				require.Equal(t, e.after, column(t, conn, e.table, e.col, e.id), "%s.%s of %d", e.table, e.col, e.id)
			}
		})
	}
}

// A batch waiting for its turn while the one before it is retried gives its rows back (rolls
// back) and is written again after it: the run ends as an uninterrupted one, every changed
// value with exactly one audit row.
func TestInFlightBatchYieldsWhileTheOneBeforeIsRetried(t *testing.T) {
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			loadFixture(t, conn)
			r := runner(t, conn)
			r.BatchSize, r.InFlight = 2, 2
			store := &holdingStore{Store: r.Store, transient: true, attempts: map[string]int{}}
			r.Store = store
			sum, err := r.Apply(ctx, "first")
			require.NoError(t, err)
			require.Equal(t, 2, store.tries("1"), "the held batch is retried once")
			require.Equal(t, 2, store.tries("3"), "the batch after it yielded and was written again")
			for _, e := range expected {
				require.Equal(t, e.after, column(t, conn, e.table, e.col, e.id), "%s.%s of %d", e.table, e.col, e.id)
			}
			var audited, distinct int
			require.NoError(t, conn.Get(&audited, "SELECT COUNT(*) FROM fixer_changes"))
			require.NoError(t, conn.Get(&distinct,
				"SELECT COUNT(*) FROM (SELECT DISTINCT table_name, row_pk, column_name FROM fixer_changes) AS c"))
			require.Equal(t, distinct, audited, "one audit row per changed value")
			require.EqualValues(t, sum.ValuesChanged, audited)
		})
	}
}
