package sqlstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// killAdvisorySession ends, from another connection, the session that holds the run lock's
// advisory lock, as a DBA killing an idle session would.
func killAdvisorySession(t *testing.T, admin *db.DB) {
	t.Helper()
	switch admin.Dialect {
	case db.Postgres:
		_, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
			AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
		require.NoError(t, err)
	case db.MySQL:
		var id int64
		require.NoError(t, admin.Get(&id,
			"SELECT IS_USED_LOCK(CONCAT('fixer:', SHA1(CONCAT(DATABASE(), '/', 'fixer_run'))))"))
		_, err := admin.Exec("KILL ?", id)
		require.NoError(t, err)
	}
}

// A run whose advisory-lock session is killed mid-run loses its lock to the next run, which
// takes it at once; from then on the first run writes nothing: the takeover waits for the
// batch in progress, and the next batch finds the new holder and stops the run with "run lock
// lost". Its audit rows when the second run holds the lock are all it ever writes.
func TestKilledLockSessionNeverLetsTwoRunsWrite(t *testing.T) {
	t.Parallel()
	const n = 300
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, dsn := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n})

			first := runner(t, conn)
			first.BatchSize, first.Sleep = 5, 30*time.Millisecond
			var batches atomic.Int64
			killed := make(chan struct{})
			first.Progress = func(int64, string) {
				if batches.Add(1) == 3 {
					close(killed)
				}
			}
			errc := make(chan error, 1)
			var sum *repair.Summary
			go func() {
				var err error
				sum, err = first.Apply(ctx, "CV 1503/STTTT first")
				errc <- err
			}()
			<-killed
			killAdvisorySession(t, conn)

			// The next run: another process, which finds the advisory lock free.
			other, err := db.Open(ctx, dsn, db.Options{})
			require.NoError(t, err)
			defer other.Close()
			cfg := first.Config
			second := sqlstore.New(other, cfg.Schema, cfg.TablePrefix, cfg.Zone)
			require.NoError(t, second.Check(ctx))
			_, unlock, err := second.Lock(ctx, bob, "")
			require.NoError(t, err, "the advisory lock of the first run ended with its session")
			defer unlock()
			written := countWhere(t, other, "fixer_changes", "1 = 1")

			err = <-errc
			require.ErrorContains(t, err, "run lock lost")
			require.Equal(t, written, countWhere(t, other, "fixer_changes", "1 = 1"),
				"the first run wrote after the second had taken the lock")
			require.Less(t, written, 2*n, "the first run had not finished")
			require.NotNil(t, sum)
		})
	}
}
