package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"fixer/internal/db"
	"fixer/repair"
	sqlfiles "fixer/sql"
)

type migration struct {
	version int
	name    string
	body    string
}

// migrations returns the dialect's migrations in version order.
func (s *Store) migrations() ([]migration, error) {
	dir := path.Join("migrations", string(s.d))
	entries, err := fs.ReadDir(sqlfiles.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		body, err := fs.ReadFile(sqlfiles.FS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, strings.TrimSuffix(name, ".sql"),
			strings.ReplaceAll(string(body), "{{prefix}}", s.prefix)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

func (s *Store) migrationsTable() string { return s.q(s.prefix + "migrations") }

// applied returns the versions recorded in the bookkeeping table; ok is false when the table
// does not exist.
func (s *Store) applied(ctx context.Context) (map[int]bool, bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT version FROM "+s.migrationsTable())
	if permissionDenied(err) {
		return nil, false, fmt.Errorf("read %s: %w: grant SELECT on fixer's tables to this account",
			s.prefix+"migrations", err)
	}
	if err != nil {
		return nil, false, nil // NOTE: a missing table is the only other expected cause; Migrate reports others
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, true, err
		}
		done[v] = true
	}
	return done, true, rows.Err()
}

// auditExists reports whether fixer's tables exist: the first migration is applied. Reading
// them needs no more; a later migration pending (a newer fixer on an older database) is
// applied by the next apply, rollback or migrate.
func (s *Store) auditExists(ctx context.Context) (bool, error) {
	done, ok, err := s.applied(ctx)
	return ok && done[1], err
}

// AuditReady implements [repair.Store].
func (s *Store) AuditReady(ctx context.Context) (bool, error) {
	done, ok, err := s.applied(ctx)
	if err != nil || !ok {
		return false, err
	}
	ms, err := s.migrations()
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if !done[m.version] {
			return false, nil
		}
	}
	return true, nil
}

// Migrate implements [repair.Store]: it applies the migrations not yet recorded, each recorded
// as it completes. When the bookkeeping already records every migration it sends no DDL, so an
// account without CREATE rights can run apply and rollback once a DBA has run migrate. Runs that
// start together on a new database take turns: the engine's session lock where it has one, and
// a re-check of what the other run recorded where it has none.
func (s *Store) Migrate(ctx context.Context) error {
	if ready, err := s.AuditReady(ctx); err != nil || ready {
		return err
	}
	err := s.migrate(ctx)
	if permissionDenied(err) {
		return fmt.Errorf("%w: fixer's tables are missing or out of date and this account may not "+
			"create or change them: run fixer migrate once with an account that may", err)
	}
	return err
}

func (s *Store) migrate(ctx context.Context) error {
	if s.d == db.Postgres || s.d == db.MySQL {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
		lock, unlock := "SELECT pg_advisory_lock(hashtext($1))", "SELECT pg_advisory_unlock(hashtext($1))"
		if s.d == db.MySQL {
			lock = "SELECT GET_LOCK(CONCAT('fixer-migrate:', SHA1(CONCAT(DATABASE(), '/', ?))), 60)"
			unlock = "SELECT RELEASE_LOCK(CONCAT('fixer-migrate:', SHA1(CONCAT(DATABASE(), '/', ?))))"
		}
		if _, err := conn.ExecContext(ctx, lock, s.prefix+"migrate"); err != nil {
			return fmt.Errorf("migrate: wait for another run's migration: %w", err)
		}
		defer func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), unlock, s.prefix+"migrate"); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	done, found, err := s.applied(ctx)
	if err != nil {
		return fmt.Errorf("read migration table: %w", err)
	}
	if !found {
		create := "CREATE TABLE IF NOT EXISTS " + s.migrationsTable() +
			" (version INT PRIMARY KEY, name VARCHAR(128) NOT NULL, applied_at VARCHAR(40) NOT NULL)"
		if _, err := s.db.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("create migration table: %w", err)
		}
		if done, _, err = s.applied(ctx); err != nil {
			return fmt.Errorf("read migration table: %w", err)
		}
	}
	ms, err := s.migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		for _, stmt := range splitStatements(m.body) {
			if _, err := s.db.ExecContext(ctx, stmt); err != nil {
				if now, _, rerr := s.applied(ctx); rerr == nil && now[m.version] {
					break // another run applied it meanwhile
				}
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
		}
		_, err := s.db.ExecContext(ctx, s.rebind("INSERT INTO "+s.migrationsTable()+
			" (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, time.Now().UTC().Format(time.RFC3339))
		if err != nil {
			if now, _, rerr := s.applied(ctx); rerr == nil && now[m.version] {
				continue // another run recorded it meanwhile
			}
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
	}
	return nil
}

// splitStatements splits a migration on semicolons that end a line, dropping comment lines.
// Semicolons inside a $$-quoted body (a PostgreSQL DO block) do not end a statement.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if !quoted && (t == "" || strings.HasPrefix(t, "--")) {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.Count(line, "$$")%2 == 1 {
			quoted = !quoted
		}
		if !quoted && strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

// stamp renders a time for fixer's own tables: UTC.
func (s *Store) stamp(t time.Time) any {
	t = t.UTC().Truncate(time.Second)
	switch s.d {
	case db.Postgres:
		return t
	case db.MySQL:
		return t.Format(time.DateTime)
	}
	return t.Format(time.RFC3339)
}

func parseUTC(v sql.NullString) *time.Time {
	if !v.Valid || v.String == "" {
		return nil
	}
	for _, l := range []string{time.RFC3339, "2006-01-02 15:04:05Z07", "2006-01-02 15:04:05Z07:00", time.DateTime} {
		if t, err := time.ParseInLocation(l, v.String, time.UTC); err == nil {
			return &t
		}
	}
	return nil
}

// CreateChangeset implements [repair.Store].
func (s *Store) CreateChangeset(ctx context.Context, cs *repair.Changeset) error {
	cols := "run_id, kind, status, started_at, operator, host, tool_version, reason, config_hash, " +
		"rules_hash, scope, shard, reverts_id"
	args := []any{cs.RunID, cs.Kind, cs.Status, s.stamp(cs.StartedAt), cs.Operator, cs.Host, cs.ToolVersion,
		cs.Reason, cs.ConfigHash, cs.RulesHash, cs.Scope, cs.Shard, cs.RevertsID}
	query := "INSERT INTO " + s.q(s.prefix+"changesets") + " (" + cols + ") VALUES (" + marks(len(args)) + ")"
	if s.d == db.Postgres {
		return s.db.QueryRowContext(ctx, s.rebind(query)+" RETURNING id", args...).Scan(&cs.ID)
	}
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("create changeset: %w", err)
	}
	cs.ID, err = res.LastInsertId()
	return err
}

// FinishChangeset implements [repair.Store].
func (s *Store) FinishChangeset(ctx context.Context, cs *repair.Changeset, p repair.Progress) error {
	now := time.Now()
	cs.FinishedAt = &now
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finish changeset %d: %w", cs.ID, err)
	}
	defer tx.Rollback()
	if err := s.addProgress(ctx, tx, cs.ID, p); err != nil {
		return err
	}
	query := "UPDATE " + s.q(s.prefix+"changesets") + " SET status = ?, finished_at = ? WHERE id = ?"
	args := []any{cs.Status, s.stamp(now), cs.ID}
	if cs.Kind == repair.KindRollback {
		// A rollback's batches cannot count rows (one row's audit rows may fall in two
		// batches): its runner knows the totals.
		query = "UPDATE " + s.q(s.prefix+"changesets") +
			" SET status = ?, finished_at = ?, rows_changed = ?, conflicts = ? WHERE id = ?"
		args = []any{cs.Status, s.stamp(now), cs.RowsChanged, cs.Conflicts, cs.ID}
	}
	if _, err := tx.ExecContext(ctx, s.rebind(query), args...); err != nil {
		return fmt.Errorf("finish changeset %d: %w", cs.ID, err)
	}
	return tx.Commit()
}

// SetChangesetStatus implements [repair.Store].
func (s *Store) SetChangesetStatus(ctx context.Context, id int64, status string) error {
	query := "UPDATE " + s.q(s.prefix+"changesets") + " SET status = ? WHERE id = ?"
	if _, err := s.db.ExecContext(ctx, s.rebind(query), status, id); err != nil {
		return fmt.Errorf("set status of changeset %d: %w", id, err)
	}
	return nil
}

const changesetColumns = "id, run_id, kind, status, %s, %s, operator, host, tool_version, reason, " +
	"config_hash, rules_hash, scope, shard, rows_changed, rows_skipped, values_changed, conflicts, " +
	"last_key, reverts_id"

func (s *Store) selectChangesets() string {
	return "SELECT " + fmt.Sprintf(changesetColumns, s.text("started_at"), s.text("finished_at")) +
		" FROM " + s.q(s.prefix+"changesets")
}

func scanChangeset(sc interface{ Scan(...any) error }) (repair.Changeset, error) {
	var cs repair.Changeset
	var started, finished, lastKey sql.NullString
	var reverts sql.NullInt64
	err := sc.Scan(&cs.ID, &cs.RunID, &cs.Kind, &cs.Status, &started, &finished, &cs.Operator, &cs.Host,
		&cs.ToolVersion, &cs.Reason, &cs.ConfigHash, &cs.RulesHash, &cs.Scope, &cs.Shard, &cs.RowsChanged,
		&cs.RowsSkipped, &cs.ValuesChanged, &cs.Conflicts, &lastKey, &reverts)
	if err != nil {
		return cs, err
	}
	if t := parseUTC(started); t != nil {
		cs.StartedAt = *t
	}
	cs.FinishedAt = parseUTC(finished)
	cs.LastKey = lastKey.String
	if reverts.Valid {
		cs.RevertsID = &reverts.Int64
	}
	return cs, nil
}

// Changesets implements [repair.Store].
func (s *Store) Changesets(ctx context.Context, limit int) ([]repair.Changeset, error) {
	if ok, err := s.auditExists(ctx); err != nil || !ok {
		return nil, errors.Join(repair.ErrNoAudit, err)
	}
	rows, err := s.db.QueryContext(ctx, s.selectChangesets()+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit))
	if err != nil {
		return nil, fmt.Errorf("read changesets: %w", err)
	}
	defer rows.Close()
	var out []repair.Changeset
	for rows.Next() {
		cs, err := scanChangeset(rows)
		if err != nil {
			return nil, fmt.Errorf("read changesets: %w", err)
		}
		out = append(out, cs)
	}
	return out, rows.Err()
}

// Changeset implements [repair.Store].
func (s *Store) Changeset(ctx context.Context, id int64) (*repair.Changeset, error) {
	if ok, err := s.auditExists(ctx); err != nil || !ok {
		return nil, errors.Join(repair.ErrNoAudit, err)
	}
	row := s.db.QueryRowContext(ctx, s.rebind(s.selectChangesets()+" WHERE id = ?"), id)
	cs, err := scanChangeset(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %d", repair.ErrNoChangeset, id)
	}
	if err != nil {
		return nil, fmt.Errorf("read changeset %d: %w", id, err)
	}
	return &cs, nil
}

// Changes implements [repair.Store].
func (s *Store) Changes(ctx context.Context, csID, afterID int64, limit int) ([]repair.AuditRow, error) {
	query := fmt.Sprintf("SELECT id, changeset_id, table_name, row_pk, column_name, old_value, new_value, rule "+
		"FROM %s WHERE changeset_id = ? AND id > ? ORDER BY id LIMIT %d", s.q(s.prefix+"changes"), limit)
	rows, err := s.db.QueryContext(ctx, s.rebind(query), csID, afterID)
	if err != nil {
		return nil, fmt.Errorf("read changes of changeset %d: %w", csID, err)
	}
	defer rows.Close()
	var out []repair.AuditRow
	for rows.Next() {
		var a repair.AuditRow
		if err := rows.Scan(&a.ID, &a.ChangesetID, &a.Table, &a.Key, &a.Column, &a.Old, &a.New, &a.Rule); err != nil {
			return nil, fmt.Errorf("read changes of changeset %d: %w", csID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
