package sqlstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// A self-updating MySQL TIMESTAMP listed in set_on_change is written by apply and restored by
// rollback, and keeps its value in every statement that does not write it, however the
// rollback's pages cut the audit: the rollback gives back the seeded table exactly.
func TestRollbackRestoresSelfUpdatingSetOnChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.MySQL)
	loadFixture(t, conn)
	_, err := conn.Exec("ALTER TABLE dossiers ADD upd TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP " +
		"ON UPDATE CURRENT_TIMESTAMP, ADD dong_bo TINYINT DEFAULT 1")
	require.NoError(t, err)
	_, err = conn.Exec("UPDATE dossiers SET upd = '2020-03-03 03:03:03'")
	require.NoError(t, err)
	seeded := checksums(t, conn)

	cfg := repair.DefaultConfig()
	cfg.Schema.Dossiers.SetOnChange = map[string]string{"upd": "{now}", "dong_bo": "0"}
	res, err := cfg.Resolve()
	require.NoError(t, err)
	for _, page := range []int{1000, 7, 3} {
		r := &repair.Runner{Store: sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone), Config: res,
			BatchSize: 4, AsOf: time.Date(2021, 12, 9, 17, 0, 0, 0, res.Zone),
			Operator: repair.Operator{Name: "tester", PID: os.Getpid()}}
		sum, err := r.Apply(ctx, "CV 1503/STTTT set on change")
		require.NoError(t, err)
		require.NotZero(t, sum.RowsChanged)
		require.NotEqual(t, seeded, checksums(t, conn))
		time.Sleep(1100 * time.Millisecond) // a later second, which ON UPDATE would write

		r.BatchSize = page
		back, err := r.Rollback(ctx, sum.ChangesetID, "", false)
		require.NoError(t, err, "rollback in pages of %d", page)
		require.Zero(t, back.Conflicts, "rollback in pages of %d", page)
		require.Equal(t, seeded, checksums(t, conn), "rollback in pages of %d", page)
	}
}

// A rollback stopped after its first page says so and counts only the rows it restored; run
// again, it restores the rest, and the two counts add up to the rows the apply changed.
func TestStoppedRollbackCountsWhatItRestored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT stopped rollback")
	require.NoError(t, err)
	require.Greater(t, sum.RowsChanged, int64(4))

	r := runner(t, conn)
	r.BatchSize = 2
	stop := make(chan struct{})
	r.Stop = stop
	r.Progress = func(int64, string) {
		select {
		case <-stop:
		default:
			close(stop)
		}
	}
	first, err := r.Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.NotEmpty(t, first.StopReason)
	require.Positive(t, first.RowsChanged)
	require.Less(t, first.RowsChanged, sum.RowsChanged, "a stopped rollback claims every row of the changeset")

	second, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Empty(t, second.StopReason)
	require.Equal(t, sum.RowsChanged, first.RowsChanged+second.RowsChanged)
	require.Equal(t, seeded, checksums(t, conn))
}

// A rollback run without the configuration of its apply finds other tables: it says that the
// changeset was made with another configuration, and which --config to give.
func TestRollbackUnderAnotherConfigurationSaysSo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	_, err := conn.Exec("ALTER TABLE dossiers RENAME TO ho_so")
	require.NoError(t, err)
	cfg := repair.DefaultConfig()
	cfg.Schema.Dossiers.Table = "ho_so"
	res, err := cfg.Resolve()
	require.NoError(t, err)
	r := runner(t, conn)
	r.Config, r.Store = res, sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone)
	sum, err := r.Apply(ctx, "CV 1503/STTTT renamed")
	require.NoError(t, err)

	_, err = runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.ErrorIs(t, err, repair.ErrConfig)
	require.ErrorContains(t, err, "table dossiers (schema.dossiers.table) not found")
	require.ErrorContains(t, err, "was made with another configuration")
	require.ErrorContains(t, err, "run the rollback with the --config of that run")

	back, err := r.Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
}

// Undoing a rollback puts the apply's values back: the apply is no longer rolled back, and
// rolling it back again gives the seeded data.
func TestRollbackOfARollbackReopensTheApply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT apply")
	require.NoError(t, err)
	applied := checksums(t, conn)
	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Equal(t, seeded, checksums(t, conn))

	_, err = runner(t, conn).Rollback(ctx, back.ChangesetID, "undo the rollback", false)
	require.NoError(t, err)
	require.Equal(t, applied, checksums(t, conn))
	cs, err := runner(t, conn).Store.Changeset(ctx, sum.ChangesetID)
	require.NoError(t, err)
	require.Equal(t, repair.StatusDone, cs.Status, "the apply's values are back")

	again, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, again.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}
