package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"fixer/internal/db"
	"fixer/repair"
)

// LeaseTTL is how long a run lock lasts without renewal. A run renews it every third of that;
// the lock of a process that died expires after at most this long, or at once on engines with
// session advisory locks, which end with the holder's connection.
var LeaseTTL = 60 * time.Second

// NOTE: the lock is named within the table prefix: two runs configured with different
// prefixes on one database do not see each other (README, Known limitations).
const lockName = "run"

// lockNameOf names the run lock of a run over shard ("i/n"; "" for every key).
func lockNameOf(shard string) string {
	if shard == "" {
		return lockName
	}
	return lockName + " " + shard
}

// shardCount returns n of a lock named for shard i/n, or 0 for the lock of a run over every key
// (or a name it does not know, which it treats as such).
func shardCount(name string) int {
	var i, n int
	if _, err := fmt.Sscanf(name, lockName+" %d/%d", &i, &n); err != nil || n < 1 {
		return 0
	}
	return n
}

// overlap reports whether runs holding the locks a and b may write the same rows: shards of
// one count do not; a run over every key, or shards of different counts, do.
func overlap(a, b string) bool {
	na, nb := shardCount(a), shardCount(b)
	return a == b || na == 0 || nb == 0 || na != nb
}

// Lock implements [repair.Store]. Two mechanisms work together: a lease row in the locks table,
// which works on every engine (TiDB and CockroachDB included) and says who holds the lock, and
// the engine's session advisory lock where it has one (PostgreSQL, MySQL), which dies with its
// connection so that a killed run's lock is free at once.
//
// Each shard has a lock of its own, so the shards of one count run side by side; a run over
// every key, or over a shard of another count, excludes them and is excluded by them. A run
// writes its lease and then looks for a live lease that overlaps: of two runs that start
// together, at least one sees the other and gives way, so two never proceed together.
func (s *Store) Lock(ctx context.Context, who repair.Operator, shard string) (context.Context, func() error, error) {
	name := lockNameOf(shard)
	holder := newID()
	var conn *sql.Conn
	advisory := false
	if s.d == db.Postgres || s.d == db.MySQL {
		var err error
		conn, err = s.db.Conn(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("take run lock: %w", err)
		}
		q := "SELECT pg_try_advisory_lock(hashtext($1))"
		if s.d == db.MySQL {
			// MySQL's named locks are server-wide: the name carries the database.
			q = "SELECT COALESCE(GET_LOCK(CONCAT('fixer:', SHA1(CONCAT(DATABASE(), '/', ?))), 0), 0) = 1"
		}
		if err := conn.QueryRowContext(ctx, q, s.prefix+name).Scan(&advisory); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("take run lock: %w", err)
		}
		if !advisory {
			conn.Close()
			return nil, nil, s.lockedError(ctx, name)
		}
	}
	release := func() {
		if conn == nil {
			return
		}
		// Closing a pooled connection only returns it to the pool: the session, and with it
		// the advisory lock, would live on. Release the lock explicitly first.
		ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		q := "SELECT pg_advisory_unlock(hashtext($1))"
		if s.d == db.MySQL {
			q = "SELECT RELEASE_LOCK(CONCAT('fixer:', SHA1(CONCAT(DATABASE(), '/', ?))))"
		}
		if _, err := conn.ExecContext(ctx, q, s.prefix+name); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the session
		}
		conn.Close()
	}

	if err := s.takeLease(ctx, name, holder, who, advisory); err != nil {
		release()
		return nil, nil, err
	}
	if err := s.checkOverlap(ctx, conn, name); err != nil {
		_ = s.deleteLease(name, holder)
		release()
		return nil, nil, err
	}

	s.leaseName, s.leaseHolder = name, holder
	runCtx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := s.renewLease(context.Background(), name, holder); err != nil {
					cancel(fmt.Errorf("run lock lost: %w", err))
					return
				}
			}
		}
	}()
	unlock := func() error {
		close(done)
		cancel(nil)
		s.leaseName, s.leaseHolder = "", ""
		defer release()
		err := s.deleteLease(name, holder)
		if err == nil {
			return nil
		}
		if permissionDenied(err) {
			return fmt.Errorf("release run lock: %w: grant DELETE on %s to this account; the lease "+
				"row stays until it expires (%s)", err, s.prefix+"locks", LeaseTTL)
		}
		return fmt.Errorf("release run lock: delete lease row: %w; the row stays until it expires (%s)",
			err, LeaseTTL)
	}
	return runCtx, unlock, nil
}

// errLeaseLost stops a run whose lease another run has taken over.
var errLeaseLost = errors.New("run lock lost")

// holdLease checks, in a batch's transaction, that the run still holds its lease, and holds it
// for the batch: the share lock on the lease row makes a run that takes the lease over wait for
// the batch to end, and the batches after it find the new holder and stop the run. So two runs
// never write side by side, not even when the session holding one's advisory lock is killed
// and another run takes the lock at once.
func (s *Store) holdLease(ctx context.Context, tx *sqlx.Tx) error {
	if s.leaseHolder == "" {
		return nil
	}
	clause := ""
	switch {
	case s.d == db.Postgres:
		clause = " FOR SHARE"
	case s.d == db.MySQL && !s.tidb:
		clause = " LOCK IN SHARE MODE"
	}
	var holder string
	err := tx.QueryRowContext(ctx, s.rebind("SELECT holder FROM "+s.locks()+" WHERE name = ?"+clause),
		s.leaseName).Scan(&holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w: its lease row is gone; this run stops, what it committed stands", errLeaseLost)
	case err != nil:
		return fmt.Errorf("check run lock: %w", err)
	case holder != s.leaseHolder:
		return fmt.Errorf("%w: another run took it over (its session's advisory lock ended, or the lease expired); "+
			"this run stops, what it committed stands", errLeaseLost)
	}
	return nil
}

// deleteLease removes the lease row of holder.
func (s *Store) deleteLease(name, holder string) error {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	_, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM "+s.locks()+" WHERE name = ? AND holder = ?"),
		name, holder)
	return err
}

// checkOverlap looks for a live lease, other than the run's own (name), of a run that may write
// the same rows. A lease is live until it expires, except where the engine has advisory locks:
// there it is live while its holder's advisory lock is held (conn holds the run's own).
func (s *Store) checkOverlap(ctx context.Context, conn *sql.Conn, name string) error {
	leases, err := s.readLeases(ctx)
	if err != nil {
		return fmt.Errorf("take run lock: %w", err)
	}
	now := time.Now()
	for _, l := range leases {
		if l.name == name || !overlap(l.name, name) || !now.Before(l.until) {
			continue
		}
		if conn != nil {
			free, err := s.advisoryFree(ctx, conn, l.name)
			if err != nil {
				return fmt.Errorf("take run lock: %w", err)
			}
			if free {
				continue // its holder is gone
			}
		}
		return &repair.LockedError{Holder: l.who + describeLock(l.name), Since: l.since, Until: l.until}
	}
	return nil
}

// LockHeld reports whether a live run holds the lock of shard ("i/n", or "" for every key): a
// changeset marked running whose lock nobody holds belongs to a run that was killed.
func (s *Store) LockHeld(ctx context.Context, shard string) (bool, error) {
	name := lockNameOf(shard)
	l, found, err := s.readLease(ctx, name)
	if err != nil || !found || !time.Now().Before(l.until) {
		return false, err
	}
	if s.d != db.Postgres && s.d != db.MySQL {
		return true, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	free, err := s.advisoryFree(ctx, conn, name)
	return !free, err
}

// describeLock names the part of the keys a lock covers, for the message of a refused run.
func describeLock(name string) string {
	if shardCount(name) == 0 {
		return ""
	}
	return ", shard " + strings.TrimPrefix(name, lockName+" ")
}

// advisoryFree reports whether nobody holds the advisory lock of the lock named name.
func (s *Store) advisoryFree(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	if s.d == db.MySQL {
		var free sql.NullInt64
		err := conn.QueryRowContext(ctx,
			"SELECT IS_FREE_LOCK(CONCAT('fixer:', SHA1(CONCAT(DATABASE(), '/', ?))))", s.prefix+name).Scan(&free)
		return free.Valid && free.Int64 == 1, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(hashtext($1))", s.prefix+name).
		Scan(&got); err != nil || !got {
		return false, err
	}
	_, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext($1))", s.prefix+name)
	return true, err
}

// permissionDenied reports whether err is the server's refusal of a statement for lack of a
// privilege: PostgreSQL's SQLSTATE 42501, MySQL's errors 1142 and 1143.
func permissionDenied(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "42501"
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Number == 1142 || myErr.Number == 1143
	}
	return false
}

func (s *Store) locks() string { return s.q(s.prefix + "locks") }

// takeLease inserts the lease row, or takes over one that expired or whose holder's session is
// gone (proved by our holding the advisory lock).
func (s *Store) takeLease(ctx context.Context, name, holder string, who repair.Operator, advisory bool) error {
	now := time.Now()
	args := []any{name, holder, who.Name, who.Host, who.PID, s.stamp(now), s.stamp(now.Add(LeaseTTL))}
	_, err := s.db.ExecContext(ctx, s.rebind("INSERT INTO "+s.locks()+
		" (name, holder, operator, host, pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"), args...)
	if err == nil {
		return nil
	}

	old, found, rerr := s.readLease(ctx, name)
	if rerr != nil {
		return fmt.Errorf("take run lock: %w", rerr)
	}
	if !found {
		return fmt.Errorf("take run lock: %w", err)
	}
	if !advisory && now.Before(old.until) {
		return &repair.LockedError{Holder: old.who, Since: old.since, Until: old.until}
	}
	res, err := s.db.ExecContext(ctx, s.rebind("UPDATE "+s.locks()+" SET holder = ?, operator = ?, host = ?, "+
		"pid = ?, acquired_at = ?, expires_at = ? WHERE name = ? AND holder = ?"),
		holder, who.Name, who.Host, who.PID, s.stamp(now), s.stamp(now.Add(LeaseTTL)), name, old.holder)
	if err != nil {
		return fmt.Errorf("take run lock: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return s.lockedError(ctx, name)
	}
	return nil
}

func (s *Store) renewLease(ctx context.Context, name, holder string) error {
	res, err := s.db.ExecContext(ctx, s.rebind("UPDATE "+s.locks()+" SET expires_at = ? WHERE name = ? AND holder = ?"),
		s.stamp(time.Now().Add(LeaseTTL)), name, holder)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("lease taken over by another run")
	}
	return nil
}

type lease struct {
	name, holder, who string
	since, until      time.Time
}

const leaseColumns = "name, holder, operator, host, pid, "

func (s *Store) leaseQuery() string {
	return "SELECT " + leaseColumns + s.text("acquired_at") + ", " + s.text("expires_at") + " FROM " + s.locks()
}

func scanLease(sc interface{ Scan(...any) error }) (lease, error) {
	var l lease
	var op, host string
	var pid int
	var since, until sql.NullString
	if err := sc.Scan(&l.name, &l.holder, &op, &host, &pid, &since, &until); err != nil {
		return l, err
	}
	l.who = fmt.Sprintf("%s on %s (pid %d)", op, host, pid)
	if t := parseUTC(since); t != nil {
		l.since = *t
	}
	if t := parseUTC(until); t != nil {
		l.until = *t
	}
	return l, nil
}

// readLease reads the lease of the lock named name.
func (s *Store) readLease(ctx context.Context, name string) (lease, bool, error) {
	l, err := scanLease(s.db.QueryRowContext(ctx, s.rebind(s.leaseQuery()+" WHERE name = ?"), name))
	if err == sql.ErrNoRows {
		return l, false, nil
	}
	return l, err == nil, err
}

// readLeases reads every lease row.
func (s *Store) readLeases(ctx context.Context) ([]lease, error) {
	rows, err := s.db.QueryContext(ctx, s.leaseQuery())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lease
	for rows.Next() {
		l, err := scanLease(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// lockedError describes the current holder, as far as the lease row tells.
func (s *Store) lockedError(ctx context.Context, name string) error {
	l, found, _ := s.readLease(ctx, name)
	if !found {
		return &repair.LockedError{Holder: "another run that is starting at this moment and has not yet " +
			"recorded who it is; fixer history shows it in a few seconds"}
	}
	return &repair.LockedError{Holder: l.who + describeLock(l.name), Since: l.since, Until: l.until}
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
