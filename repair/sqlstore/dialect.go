package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"fixer/internal/db"
	"fixer/repair"
)

// LockWaitSeconds is how long a batch waits for a row lock held by the application before it
// gives up and is retried, so that fixer never queues for long behind or in front of users.
const LockWaitSeconds = 5

// setLockTimeout bounds row-lock waits for the current transaction.
func (s *Store) setLockTimeout(ctx context.Context, tx *sqlx.Tx) error {
	var stmt string
	switch s.d {
	case db.Postgres:
		stmt = fmt.Sprintf("SET LOCAL lock_timeout = '%ds'", LockWaitSeconds)
	case db.MySQL:
		stmt = fmt.Sprintf("SET SESSION innodb_lock_wait_timeout = %d", LockWaitSeconds)
	default:
		return nil
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("set lock wait limit: %w", err)
	}
	return nil
}

// forUpdate is the row-lock clause of the dialect. SQLite locks the whole database when the
// transaction begins (the connection opens with immediate transactions).
func (s *Store) forUpdate() string {
	if s.d == db.SQLite {
		return ""
	}
	return " FOR UPDATE"
}

// bulkUpdate renders one UPDATE of many rows that set the same columns.
//
// PostgreSQL takes the rows as one JSON parameter typed by the table's own row type, so no
// column type needs to be known here; MySQL joins a derived table of SELECTs; SQLite joins a
// VALUES list. Every form is accepted by TiDB, Vitess, CockroachDB and YugabyteDB as well.
func (s *Store) bulkUpdate(table, keyCol string, cols []string, rows []repair.RowChange) statement {
	switch s.d {
	case db.Postgres:
		recs := make([]map[string]any, len(rows))
		for i, r := range rows {
			rec := map[string]any{keyCol: s.arg(table, keyCol, r.Key)}
			for j, v := range valuesOf(r, cols) {
				rec[cols[j]] = v
			}
			recs[i] = rec
		}
		data, _ := json.Marshal(recs)
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = fmt.Sprintf("%s = v.%s", s.q(c), s.q(c))
		}
		query := fmt.Sprintf("UPDATE %s AS d SET %s FROM jsonb_populate_recordset(NULL::%s, $1::jsonb) AS v WHERE d.%s = v.%s",
			s.q(table), strings.Join(sets, ", "), s.q(table), s.q(keyCol), s.q(keyCol))
		return statement{query: query, args: []any{string(data)}, rows: len(rows)}

	case db.MySQL:
		var args []any
		selects := make([]string, len(rows))
		for i, r := range rows {
			args = append(args, s.arg(table, keyCol, r.Key))
			args = append(args, valuesOf(r, cols)...)
			if i == 0 {
				parts := []string{"? AS k"}
				for j := range cols {
					parts = append(parts, fmt.Sprintf("? AS c%d", j))
				}
				selects[i] = "SELECT " + strings.Join(parts, ", ")
			} else {
				selects[i] = "SELECT " + marks(len(cols)+1)
			}
		}
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = fmt.Sprintf("d.%s = v.c%d", s.q(c), i)
		}
		// An explicit assignment keeps a self-updating TIMESTAMP column as it was.
		for _, p := range s.pinned[table] {
			if !slices.Contains(cols, p) {
				sets = append(sets, fmt.Sprintf("d.%s = d.%s", s.q(p), s.q(p)))
			}
		}
		query := fmt.Sprintf("UPDATE %s AS d JOIN (%s) AS v ON d.%s = v.k SET %s",
			s.q(table), strings.Join(selects, " UNION ALL "), s.q(keyCol), strings.Join(sets, ", "))
		return statement{query: query, args: args, rows: len(rows)}
	}

	var args []any
	tuples := make([]string, len(rows))
	for i, r := range rows {
		args = append(args, s.arg(table, keyCol, r.Key))
		args = append(args, valuesOf(r, cols)...)
		tuples[i] = "(" + marks(len(cols)+1) + ")"
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = fmt.Sprintf("%s = v.column%d", s.q(c), i+2)
	}
	query := fmt.Sprintf("UPDATE %s SET %s FROM (VALUES %s) AS v WHERE %s.%s = v.column1",
		s.q(table), strings.Join(sets, ", "), strings.Join(tuples, ", "), s.q(table), s.q(keyCol))
	return statement{query: query, args: args, rows: len(rows)}
}
