package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fixer/internal/db"
)

// timeLayout is how timestamps are written: local wall-clock text, whole seconds.
const timeLayout = "2006-01-02 15:04:05"

// maxRowsPerStatement caps a multi-row INSERT below the dialect's parameter limit, to keep
// statements a reasonable size for the server.
const maxRowsPerStatement = 1000

// table names a table and the columns written to it, in the order rows give their values.
type table struct {
	name string
	cols []string
}

var (
	agenciesTable   = table{"agencies", []string{"id", "code", "name", "kind"}}
	proceduresTable = table{"procedures", []string{
		"id", "code", "name", "agency_id", "processing_time", "cutoff_time",
		"appointment_count", "appointment_snap", "deadline_count", "deadline_snap",
	}}
	procStepsTable = table{"procedure_steps", []string{
		"id", "procedure_id", "step_no", "name", "processing_time",
	}}
	dossiersTable = table{"dossiers", []string{
		"id", "code", "procedure_id", "agency_id", "received_at", "appointment_at", "due_at",
		"completed_at", "status", "is_late", "paused_count", "rescheduled_at", "extended_at",
	}}
	dossierStepsTable = table{"dossier_steps", []string{
		"id", "dossier_id", "step_id", "step_no", "started_at", "due_at", "completed_at",
	}}
)

// rowFunc appends the values of row i to args and returns it.
type rowFunc func(i int, args []any) []any

// loader writes rows in bulk: COPY on PostgreSQL, multi-row INSERTs elsewhere.
type loader struct {
	conn *db.DB
	args []any
}

// writeRows writes n rows of t inside tx.
func (l *loader) writeRows(ctx context.Context, tx *sql.Tx, t table, n int, row rowFunc) error {
	if n == 0 {
		return nil
	}
	if l.conn.Dialect == db.Postgres {
		return l.copyRows(ctx, tx, t, n, row)
	}
	return l.insertRows(ctx, tx, t, n, row)
}

// copyRows streams the rows through COPY FROM STDIN, which lib/pq supports on a prepared
// statement.
func (l *loader) copyRows(ctx context.Context, tx *sql.Tx, t table, n int, row rowFunc) error {
	q := "COPY " + l.conn.Dialect.Quote(t.name) + " (" + l.colList(t) + ") FROM STDIN"
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return fmt.Errorf("copy into %s: %w", t.name, err)
	}
	defer stmt.Close()
	for i := range n {
		l.args = row(i, l.args[:0])
		if _, err := stmt.ExecContext(ctx, l.args...); err != nil {
			return fmt.Errorf("copy into %s: %w", t.name, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy into %s: %w", t.name, err)
	}
	if err := stmt.Close(); err != nil {
		return fmt.Errorf("copy into %s: %w", t.name, err)
	}
	return nil
}

// insertRows sends multi-row INSERTs of as many rows as the dialect's parameter limit allows,
// up to maxRowsPerStatement. The statement for a full chunk is prepared once per call.
func (l *loader) insertRows(ctx context.Context, tx *sql.Tx, t table, n int, row rowFunc) error {
	per := min(l.conn.Dialect.MaxParams()/len(t.cols), maxRowsPerStatement)
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()

	for start := 0; start < n; start += per {
		k := min(per, n-start)
		l.args = l.args[:0]
		for i := start; i < start+k; i++ {
			l.args = row(i, l.args)
		}

		var err error
		if k == per {
			if full == nil {
				full, err = tx.PrepareContext(ctx, l.insertSQL(t, k))
				if err != nil {
					return fmt.Errorf("insert into %s: %w", t.name, err)
				}
			}
			_, err = full.ExecContext(ctx, l.args...)
		} else {
			_, err = tx.ExecContext(ctx, l.insertSQL(t, k), l.args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	return nil
}

// insertSQL builds INSERT INTO t (cols) VALUES (...), ... for k rows.
func (l *loader) insertSQL(t table, k int) string {
	d := l.conn.Dialect
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(d.Quote(t.name))
	b.WriteString(" (")
	b.WriteString(l.colList(t))
	b.WriteString(") VALUES ")
	p := 0
	for r := range k {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range t.cols {
			if c > 0 {
				b.WriteByte(',')
			}
			p++
			b.WriteString(d.Placeholder(p))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// colList returns the quoted column names of t, comma-separated.
func (l *loader) colList(t table) string {
	q := make([]string, len(t.cols))
	for i, c := range t.cols {
		q[i] = l.conn.Dialect.Quote(c)
	}
	return strings.Join(q, ", ")
}

// inTx runs fn in a transaction and commits it.
func (l *loader) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := l.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// writeCatalog writes the agencies, procedures and their steps in one transaction.
func (l *loader) writeCatalog(ctx context.Context, c *catalog) error {
	return l.inTx(ctx, func(tx *sql.Tx) error {
		err := l.writeRows(ctx, tx, agenciesTable, len(c.agencies), func(i int, a []any) []any {
			g := c.agencies[i]
			return append(a, g.id, g.code, g.name, g.kind)
		})
		if err != nil {
			return err
		}

		err = l.writeRows(ctx, tx, proceduresTable, len(c.procs), func(i int, a []any) []any {
			p := c.procs[i]
			// Every procedure carries the legacy configuration: counted in hours, no rounding.
			return append(a, p.id, p.code, p.name, c.agencies[p.agency].id,
				nullString(p.timeText), nullString(p.cutoff), "hour", "none", "hour", "none")
		})
		if err != nil {
			return err
		}

		type ref struct{ proc, step int }
		var refs []ref
		for i, p := range c.procs {
			for j := range p.steps {
				refs = append(refs, ref{i, j})
			}
		}
		return l.writeRows(ctx, tx, procStepsTable, len(refs), func(i int, a []any) []any {
			p := &c.procs[refs[i].proc]
			s := p.steps[refs[i].step]
			return append(a, s.id, p.id, s.no, s.name, s.timeText)
		})
	})
}

// writeBatch writes a batch of dossiers and their steps in one transaction.
func (l *loader) writeBatch(ctx context.Context, b *batch) error {
	return l.inTx(ctx, func(tx *sql.Tx) error {
		err := l.writeRows(ctx, tx, dossiersTable, len(b.dossiers), func(i int, a []any) []any {
			d := &b.dossiers[i]
			var isLate any
			if d.isLate >= 0 {
				isLate = int64(d.isLate)
			}
			return append(a, d.id, d.code, d.procedureID, d.agencyID, ts(d.received),
				ts(d.appointment), ts(d.due), ts(d.completed), d.status, isLate, int64(d.paused),
				ts(d.rescheduled), ts(d.extended))
		})
		if err != nil {
			return err
		}
		return l.writeRows(ctx, tx, dossierStepsTable, len(b.steps), func(i int, a []any) []any {
			s := &b.steps[i]
			return append(a, s.id, s.dossierID, s.stepID, int64(s.no), ts(s.started), ts(s.due),
				ts(s.completed))
		})
	})
}

// ts writes a timestamp as local wall-clock text; the zero time is NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(timeLayout)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
