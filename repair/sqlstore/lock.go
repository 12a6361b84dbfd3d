package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
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

// Lock implements [repair.Store]. Two mechanisms work together: a lease row in the locks table,
// which works on every engine (TiDB and CockroachDB included) and says who holds the lock, and
// the engine's session advisory lock where it has one (PostgreSQL, MySQL), which dies with its
// connection so that a killed run's lock is free at once.
func (s *Store) Lock(ctx context.Context, who repair.Operator) (context.Context, func() error, error) {
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
		if err := conn.QueryRowContext(ctx, q, s.prefix+lockName).Scan(&advisory); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("take run lock: %w", err)
		}
		if !advisory {
			conn.Close()
			return nil, nil, s.lockedError(ctx)
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
		if _, err := conn.ExecContext(ctx, q, s.prefix+lockName); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the session
		}
		conn.Close()
	}

	if err := s.takeLease(ctx, holder, who, advisory); err != nil {
		release()
		return nil, nil, err
	}

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
				if err := s.renewLease(context.Background(), holder); err != nil {
					cancel(fmt.Errorf("run lock lost: %w", err))
					return
				}
			}
		}
	}()
	unlock := func() error {
		close(done)
		cancel(nil)
		defer release()
		ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM "+s.locks()+" WHERE name = ? AND holder = ?"),
			lockName, holder)
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
func (s *Store) takeLease(ctx context.Context, holder string, who repair.Operator, advisory bool) error {
	now := time.Now()
	args := []any{lockName, holder, who.Name, who.Host, who.PID, s.stamp(now), s.stamp(now.Add(LeaseTTL))}
	_, err := s.db.ExecContext(ctx, s.rebind("INSERT INTO "+s.locks()+
		" (name, holder, operator, host, pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"), args...)
	if err == nil {
		return nil
	}

	old, found, rerr := s.readLease(ctx)
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
		holder, who.Name, who.Host, who.PID, s.stamp(now), s.stamp(now.Add(LeaseTTL)), lockName, old.holder)
	if err != nil {
		return fmt.Errorf("take run lock: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return s.lockedError(ctx)
	}
	return nil
}

func (s *Store) renewLease(ctx context.Context, holder string) error {
	res, err := s.db.ExecContext(ctx, s.rebind("UPDATE "+s.locks()+" SET expires_at = ? WHERE name = ? AND holder = ?"),
		s.stamp(time.Now().Add(LeaseTTL)), lockName, holder)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("lease taken over by another run")
	}
	return nil
}

type lease struct {
	holder, who  string
	since, until time.Time
}

func (s *Store) readLease(ctx context.Context) (lease, bool, error) {
	var l lease
	var op, host string
	var pid int
	var since, until sql.NullString
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT holder, operator, host, pid, "+s.text("acquired_at")+", "+
		s.text("expires_at")+" FROM "+s.locks()+" WHERE name = ?"), lockName).
		Scan(&l.holder, &op, &host, &pid, &since, &until)
	if err == sql.ErrNoRows {
		return l, false, nil
	}
	if err != nil {
		return l, false, err
	}
	l.who = fmt.Sprintf("%s on %s (pid %d)", op, host, pid)
	if t := parseUTC(since); t != nil {
		l.since = *t
	}
	if t := parseUTC(until); t != nil {
		l.until = *t
	}
	return l, true, nil
}

// lockedError describes the current holder, as far as the lease row tells.
func (s *Store) lockedError(ctx context.Context) error {
	l, found, _ := s.readLease(ctx)
	if !found {
		return &repair.LockedError{Holder: "another session (no lease row yet)", Since: time.Now(), Until: time.Now()}
	}
	return &repair.LockedError{Holder: l.who, Since: l.since, Until: l.until}
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
