package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
)

// completingStore completes dossier 2 right after fixer has read it, as an official closing it
// at the counter would.
type completingStore struct {
	repair.Store
	conn *db.DB
	done bool
}

func (s *completingStore) Dossiers(ctx context.Context, q repair.DossierQuery) ([]*repair.Dossier, string, error) {
	page, last, err := s.Store.Dossiers(ctx, q)
	for _, d := range page {
		if d.Key == "2" && !s.done {
			s.done = true
			_, uerr := s.conn.Exec("UPDATE dossiers SET completed_at = '2021-02-22 09:00:00', status = 'done', is_late = 1 WHERE id = 2")
			if uerr != nil {
				return nil, "", uerr
			}
		}
	}
	return page, last, err
}

// D02 is open when read (due 19/02 16:00 as stored), then completed on 22/02, a later date:
// late by days. The repair computed for an open dossier must not land on it, or the next run
// would find it on time under the moved deadline. It is left alone and reported.
func TestDossierCompletedDuringTheRunIsLeftAlone(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			r := runner(t, conn)
			r.Store = &completingStore{Store: r.Store, conn: conn}
			sum, err := r.Apply(context.Background(), "guard test")
			require.NoError(t, err)
			require.EqualValues(t, 1, sum.Conflicts)
			require.Equal(t, "2021-02-19 16:00:00", column(t, conn, "dossiers", "due_at", 2))
			require.Equal(t, "2021-02-19 16:00:00", column(t, conn, "dossiers", "appointment_at", 2))

			again, err := runner(t, conn).Apply(context.Background(), "next night")
			require.NoError(t, err)
			require.Zero(t, again.Conflicts)
			require.Equal(t, "2021-02-19 16:00:00", column(t, conn, "dossiers", "due_at", 2), "late by days: kept")
			require.Equal(t, "1", column(t, conn, "dossiers", "is_late", 2))
		})
	}
}

// failingStore fails the write of the batch that holds dossier 3, once.
type failingStore struct {
	repair.Store
	failed bool
}

func (s *failingStore) WriteBatch(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) ([]repair.Conflict, error) {
	for _, r := range rows {
		if r.Table == "dossiers" && r.Key == "3" && !s.failed {
			s.failed = true
			return nil, errors.New("simulated failure")
		}
	}
	return s.Store.WriteBatch(ctx, csID, rows, p, turn)
}

// A batch that fails does not move the resume point: --resume writes it, and the data ends as
// an uninterrupted run leaves it.
func TestResumeRewritesAFailedBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	r := runner(t, conn)
	r.BatchSize = 2
	r.Store = &failingStore{Store: r.Store}
	_, err := r.Apply(ctx, "first")
	require.ErrorContains(t, err, "simulated failure")
	cs, err := r.Store.Changeset(ctx, 1)
	require.NoError(t, err)
	require.Equal(t, repair.StatusFailed, cs.Status)
	require.Equal(t, "2", cs.LastKey, "the resume point stays before the failed batch")

	again := runner(t, conn)
	again.BatchSize, again.Resume = 2, true
	sum, err := again.Apply(ctx, "first")
	require.NoError(t, err)
	require.True(t, sum.Resumed)
	for _, e := range expected {
		require.Equal(t, e.after, column(t, conn, e.table, e.col, e.id), "%s.%s of %d", e.table, e.col, e.id)
	}

	// The counts of the resumed changeset are those of one uninterrupted run.
	whole := open(t, db.SQLite)
	loadFixture(t, whole)
	one := runner(t, whole)
	one.BatchSize = 2
	_, err = one.Apply(ctx, "first")
	require.NoError(t, err)
	want, err := one.Store.Changeset(ctx, 1)
	require.NoError(t, err)
	got, err := again.Store.Changeset(ctx, 1)
	require.NoError(t, err)
	require.Positive(t, want.RowsSkipped)
	require.Equal(t, want.RowsSkipped, got.RowsSkipped)
	require.Equal(t, want.RowsChanged, got.RowsChanged)
	require.Equal(t, want.ValuesChanged, got.ValuesChanged)
}
