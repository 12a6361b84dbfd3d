package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
)

// A run over one agency stops; the operator then types apply --resume without --agency. It
// must not start a new changeset over every agency: it is refused, naming the stopped run's
// scope, and nothing is written.
func TestResumeOfAnotherScopeIsRefused(t *testing.T) {
	t.Parallel()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	r := runner(t, conn)
	r.Agencies = []string{"1"}
	r.BatchSize, r.InFlight, r.Sleep = 1, 1, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.Progress = func(int64, string) { cancel() }
	sum, err := r.Apply(ctx, "agency 1")
	require.NotNil(t, sum)
	require.True(t, err != nil || sum.StopReason != "", "a cancelled run reported success")
	before := checksums(t, conn)

	again := runner(t, conn)
	again.Resume = true
	_, err = again.Apply(context.Background(), "agency 1")
	require.ErrorIs(t, err, repair.ErrConfig)
	require.Contains(t, err.Error(), `"agencies":["1"]`)
	require.Equal(t, before, checksums(t, conn), "a refused --resume wrote to the database")
	list, err := again.Store.Changesets(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, list, 1, "a refused --resume created a changeset")

	// With the same scope it continues the stopped changeset.
	same := runner(t, conn)
	same.Agencies, same.Resume = []string{"1"}, true
	res, err := same.Apply(context.Background(), "agency 1")
	require.NoError(t, err)
	require.True(t, res.Resumed)
}
