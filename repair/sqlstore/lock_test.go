package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// lockStore opens a connection of its own to dsn and returns a store over it with fixer's
// tables in place. Each call stands for a separate fixer process.
func lockStore(t *testing.T, dsn string) (*sqlstore.Store, *db.DB) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Open(ctx, dsn, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	cfg, err := repair.DefaultConfig().Resolve()
	require.NoError(t, err)
	s := sqlstore.New(conn, cfg.Schema, cfg.TablePrefix, cfg.Zone)
	require.NoError(t, s.Migrate(ctx))
	return s, conn
}

// leaseRow reads the lease of the run lock: its holder's operator, and the expiry as text.
func leaseRow(t *testing.T, conn *db.DB) (operator string, found bool) {
	t.Helper()
	err := conn.Get(&operator, conn.Rebind("SELECT operator FROM fixer_locks WHERE name = ?"), "run")
	if errors.Is(err, sql.ErrNoRows) {
		return "", false
	}
	require.NoError(t, err)
	return operator, true
}

// stampFor renders t the way the store writes lease times in the dialect.
func stampFor(d db.Dialect, t time.Time) any {
	t = t.UTC().Truncate(time.Second)
	switch d {
	case db.Postgres:
		return t
	case db.MySQL:
		return t.Format(time.DateTime)
	}
	return t.Format(time.RFC3339)
}

// insertLease writes by hand the lease row of the lock name of a run that is gone, expiring at
// until.
func insertLease(t *testing.T, conn *db.DB, name string, until time.Time) {
	t.Helper()
	_, err := conn.Exec(conn.Rebind("INSERT INTO fixer_locks (name, holder, operator, host, pid, acquired_at, expires_at) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?)"), name, "0123456789abcdef", "ghost", "gone-host", 4242,
		stampFor(conn.Dialect, until.Add(-time.Hour)), stampFor(conn.Dialect, until))
	require.NoError(t, err)
}

var (
	alice = repair.Operator{Name: "alice", Host: "host-a", PID: 101, Version: "test"}
	bob   = repair.Operator{Name: "bob", Host: "host-b", PID: 202, Version: "test"}
)

// TestRunLockAdmitsOneRun takes the run lock of one database from two stores: the second is
// refused with an error that says who holds the lock and since when, and gets it once the first
// lets go.
func TestRunLockAdmitsOneRun(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.New(t, d)
			first, conn := lockStore(t, dsn)
			second, _ := lockStore(t, dsn)

			taken := time.Now()
			runCtx, unlock, err := first.Lock(ctx, alice, "")
			require.NoError(t, err)
			holder, found := leaseRow(t, conn)
			require.True(t, found)
			require.Equal(t, "alice", holder)

			_, _, err = second.Lock(ctx, bob, "")
			require.ErrorIs(t, err, repair.ErrLocked)
			var locked *repair.LockedError
			require.ErrorAs(t, err, &locked)
			require.Equal(t, "alice on host-a (pid 101)", locked.Holder)
			require.WithinDuration(t, taken, locked.Since, 2*time.Second)
			require.WithinDuration(t, locked.Since.Add(sqlstore.LeaseTTL), locked.Until, 2*time.Second)
			require.Contains(t, err.Error(), "held by alice on host-a (pid 101) since "+
				locked.Since.UTC().Format(time.RFC3339))

			unlock()
			require.Error(t, runCtx.Err(), "the run's context ends with its lock")
			_, found = leaseRow(t, conn)
			require.False(t, found, "the lease row is removed on release")

			_, unlock, err = second.Lock(ctx, bob, "")
			require.NoError(t, err)
			holder, _ = leaseRow(t, conn)
			require.Equal(t, "bob", holder)
			unlock()
		})
	}
}

// TestRunLockTakesOverFromDeadHolder leaves a lease row by hand, as a process killed while
// holding the lock would. An expired lease is taken over everywhere. A lease that has not
// expired is taken over at once where the engine's session lock proves its holder gone
// (PostgreSQL, MySQL); on SQLite it holds until it expires.
func TestRunLockTakesOverFromDeadHolder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		expiresIn time.Duration
		takenOn   map[db.Dialect]bool
	}{
		{"expired lease", -time.Minute, map[db.Dialect]bool{db.SQLite: true, db.Postgres: true, db.MySQL: true}},
		{"unexpired lease", time.Hour, map[db.Dialect]bool{db.SQLite: false, db.Postgres: true, db.MySQL: true}},
	}
	for _, c := range cases {
		for _, d := range testdb.Dialects {
			t.Run(c.name+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				s, conn := lockStore(t, testdb.New(t, d))
				insertLease(t, conn, "run", time.Now().Add(c.expiresIn))

				_, unlock, err := s.Lock(ctx, bob, "")
				if !c.takenOn[d] {
					var locked *repair.LockedError
					require.ErrorAs(t, err, &locked)
					require.Equal(t, "ghost on gone-host (pid 4242)", locked.Holder)
					return
				}
				require.NoError(t, err)
				defer unlock()
				holder, _ := leaseRow(t, conn)
				require.Equal(t, "bob", holder)
			})
		}
	}
}

// TestRunLockIsPerDatabase runs two locks at once on two databases of one server: they are
// different databases, so neither run may keep the other out.
func TestRunLockIsPerDatabase(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			one, _ := lockStore(t, testdb.New(t, d))
			other, _ := lockStore(t, testdb.New(t, d))

			_, unlockOne, err := one.Lock(ctx, alice, "")
			require.NoError(t, err)
			defer unlockOne()
			_, unlockOther, err := other.Lock(ctx, bob, "")
			require.NoError(t, err, "a run on another database of the same server holds this database's lock")
			unlockOther()
		})
	}
}

// leaseChildEnv marks the process that runs TestLeaseRenewal with a short LeaseTTL.
const leaseChildEnv = "FIXER_TEST_LEASE_CHILD"

// TestLeaseRenewal checks the lease over several lifetimes: a live run keeps renewing it, a run
// whose lease is taken from it stops, and on SQLite a run that stopped renewing loses the lock
// when the lease expires. It needs a lease of a second or two. LeaseTTL is a package variable
// that the renewal goroutine of every run reads, so the test shortens it in a process of its own
// (this test binary, run again for this test only) where no other test can see the change.
func TestLeaseRenewal(t *testing.T) {
	if os.Getenv(leaseChildEnv) == "" {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLeaseRenewal$", "-test.count=1",
			"-test.timeout=90s", "-test.v")
		cmd.Env = append(os.Environ(), leaseChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "lease tests with a short LeaseTTL failed:\n%s", out)
		return
	}

	sqlstore.LeaseTTL = 1500 * time.Millisecond
	ttl := sqlstore.LeaseTTL
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()

			t.Run("renewed", func(t *testing.T) {
				dsn := testdb.New(t, d)
				first, conn := lockStore(t, dsn)
				second, _ := lockStore(t, dsn)

				runCtx, unlock, err := first.Lock(ctx, alice, "")
				require.NoError(t, err)
				defer unlock()
				time.Sleep(3 * ttl)
				require.NoError(t, context.Cause(runCtx), "a live run lost its lock")
				_, _, err = second.Lock(ctx, bob, "")
				require.ErrorIs(t, err, repair.ErrLocked, "the lease of a live run expired")
				holder, _ := leaseRow(t, conn)
				require.Equal(t, "alice", holder)
			})

			t.Run("taken", func(t *testing.T) {
				s, conn := lockStore(t, testdb.New(t, d))
				runCtx, unlock, err := s.Lock(ctx, alice, "")
				require.NoError(t, err)
				defer unlock()

				_, err = conn.Exec(conn.Rebind("UPDATE fixer_locks SET holder = ?, operator = ? WHERE name = ?"),
					"fedcba9876543210", "intruder", "run")
				require.NoError(t, err)
				select {
				case <-runCtx.Done():
				case <-time.After(3 * ttl):
					t.Fatal("the run went on after its lease was taken")
				}
				require.ErrorContains(t, context.Cause(runCtx), "run lock lost")
			})
		})
	}

	t.Run("expired/sqlite", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		dsn := testdb.New(t, db.SQLite)
		first, firstConn := lockStore(t, dsn)
		second, conn := lockStore(t, dsn)

		runCtx, unlock, err := first.Lock(ctx, alice, "")
		require.NoError(t, err)
		defer unlock()
		require.NoError(t, firstConn.Close()) // the process stops renewing, as a killed one would
		_, _, err = second.Lock(ctx, bob, "")
		require.ErrorIs(t, err, repair.ErrLocked)

		deadline := time.Now().Add(4 * ttl)
		for {
			_, unlockSecond, err := second.Lock(ctx, bob, "")
			if err == nil {
				unlockSecond()
				break
			}
			require.ErrorIs(t, err, repair.ErrLocked)
			require.True(t, time.Now().Before(deadline), "the lease of a dead run never expired")
			time.Sleep(ttl / 5)
		}
		holder, _ := leaseRow(t, conn)
		require.Empty(t, holder)
		require.Error(t, runCtx.Err(), "a run that cannot renew its lease must stop")
		require.True(t, strings.Contains(context.Cause(runCtx).Error(), "run lock lost"))
	})
}

// The shards of one count hold their locks side by side; a run over every key, a shard of
// another count and a second run of the same shard are refused while they run, and the shards
// are refused while a run over every key runs. A refused attempt leaves no lease behind.
func TestShardLocks(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.New(t, d)
			one, conn := lockStore(t, dsn)
			two, _ := lockStore(t, dsn)
			other, _ := lockStore(t, dsn)

			_, unlockOne, err := one.Lock(ctx, alice, "1/2")
			require.NoError(t, err)
			_, unlockTwo, err := two.Lock(ctx, bob, "2/2")
			require.NoError(t, err, "the other shard of the same count runs alongside")
			for _, shard := range []string{"", "1/3", "1/2"} {
				_, _, err = other.Lock(ctx, bob, shard)
				require.ErrorIs(t, err, repair.ErrLocked, "shard %q", shard)
			}
			var leases int
			require.NoError(t, conn.Get(&leases, "SELECT COUNT(*) FROM fixer_locks"))
			require.Equal(t, 2, leases, "a refused run leaves no lease")
			held, err := other.LockHeld(ctx, "1/2")
			require.NoError(t, err)
			require.True(t, held)
			require.NoError(t, unlockOne())
			held, err = other.LockHeld(ctx, "1/2")
			require.NoError(t, err)
			require.False(t, held)
			require.NoError(t, unlockTwo())

			_, unlockAll, err := other.Lock(ctx, bob, "")
			require.NoError(t, err)
			_, _, err = one.Lock(ctx, alice, "2/2")
			var locked *repair.LockedError
			require.ErrorAs(t, err, &locked)
			require.Contains(t, locked.Holder, "bob")
			require.NoError(t, unlockAll())
			require.NoError(t, conn.Get(&leases, "SELECT COUNT(*) FROM fixer_locks"))
			require.Zero(t, leases)
		})
	}
}

// The lease of a shard whose process died (its session lock gone) does not keep a run over
// every key out on PostgreSQL and MySQL; on SQLite, with leases alone, it does until it
// expires.
func TestDeadShardLeaseDoesNotBlockOnAdvisoryEngines(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, conn := lockStore(t, testdb.New(t, d))
			insertLease(t, conn, "run 1/2", time.Now().Add(time.Hour))
			held, err := s.LockHeld(ctx, "1/2")
			require.NoError(t, err)
			require.Equal(t, d == db.SQLite, held, "a lease is held while its session lock is, where there is one")
			_, unlock, err := s.Lock(ctx, bob, "")
			if d == db.SQLite {
				require.ErrorIs(t, err, repair.ErrLocked)
				return
			}
			require.NoError(t, err)
			require.NoError(t, unlock())
		})
	}
}
