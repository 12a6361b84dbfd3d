// Package sqlstore implements [repair.Store] for PostgreSQL, MySQL/MariaDB and SQLite. The SQL
// is shared; the few places where the dialects differ (quoting, text casts, row locks, bulk
// updates, advisory locks) are in one small file per dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fixer/internal/db"
	"fixer/repair"
)

// Store is a [repair.Store] over one database.
type Store struct {
	db     *db.DB
	d      db.Dialect
	schema repair.Schema
	prefix string
	loc    *time.Location
	// pinned lists, by table, the columns that update themselves on every UPDATE (MySQL ON
	// UPDATE CURRENT_TIMESTAMP); fixer's UPDATEs assign them their own value so they keep it.
	pinned map[string][]string
	// native marks the columns with a date/time type; integer those with an integer type.
	native map[colRef]bool
	// dateOnly marks the columns of the DATE type.
	dateOnly map[colRef]bool
	integer  map[colRef]bool
	// unsigned marks MySQL's UNSIGNED columns, whose integers may pass the largest signed one.
	unsigned map[colRef]bool
	// flagWords holds the true and false of a flag column whose type spells them (FlagWords).
	flagWords map[colRef][2]string
	// types holds the PostgreSQL type of each column for casts, without its length or precision.
	types map[colRef]string
	// fallbacks counts batches the compare-and-set statements could not write for another
	// reason than a changed row.
	fallbacks atomic.Int64

	// valuesRows marks a MariaDB server, where the derived table of a compare-and-set UPDATE
	// is one SELECT and a table value constructor, which the server parses faster than a
	// UNION ALL of one SELECT per row; unionRows keeps the UNION ALL form everywhere (tests).
	valuesRows, unionRows bool
	// tidb marks a TiDB server, which takes no share-lock clause.
	tidb bool

	// leaseName and leaseHolder are the run lock this store's run holds (Lock), checked in
	// every batch's transaction (holdLease); empty without a lock (a dry run).
	leaseName, leaseHolder string
}

// New returns a store for conn with the given schema mapping and audit table prefix. Timestamps
// without a zone are read and written as wall-clock time in loc.
func New(conn *db.DB, schema repair.Schema, prefix string, loc *time.Location) *Store {
	return &Store{db: conn, d: conn.Dialect, schema: schema, prefix: prefix, loc: loc}
}

var _ repair.Store = (*Store)(nil)

// colRef names a column of a mapped table.
type colRef struct{ table, name string }

func (s *Store) q(ident string) string { return s.d.Quote(ident) }

// qc qualifies a column with its table. ORDER BY uses it: an unqualified name there would
// refer to the text-cast output column of the same name and sort keys as text.
func (s *Store) qc(table, col string) string { return s.q(table) + "." + s.q(col) }

// text returns an expression reading col as text in the form fixer parses and can write back.
func (s *Store) text(col string) string {
	if col == "" {
		return "NULL"
	}
	if s.d == db.Postgres {
		return "CAST(" + s.q(col) + " AS TEXT)"
	}
	return s.q(col)
}

// arg passes a value read from column table.col back to the database in that column's type: as
// an integer for an integer column, as text otherwise. Text for a text key matters: MySQL would
// compare a text column with a number numerically, so that 12 matches '012' and '12abc'.
func (s *Store) arg(table, col, v string) any {
	if s.integer[colRef{table, col}] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
		if n, err := strconv.ParseUint(v, 10, 64); err == nil && s.unsigned[colRef{table, col}] {
			return n
		}
	}
	return v
}

// Procedures implements [repair.Store].
func (s *Store) Procedures(ctx context.Context) ([]*repair.Procedure, error) {
	p := s.schema.Procedures
	profileCols := []string{p.AppointmentCount, p.AppointmentSnap, p.DeadlineCount, p.DeadlineSnap}
	cols := []string{s.text(p.Key), s.text(p.Code), s.text(p.Agency), s.text(p.ProcessingTime), s.text(p.Cutoff)}
	for _, c := range profileCols {
		cols = append(cols, s.text(c))
	}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + s.q(p.Table) + " ORDER BY " + s.qc(p.Table, p.Key)
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.Table, err)
	}
	defer rows.Close()

	var out []*repair.Procedure
	byKey := map[string]*repair.Procedure{}
	for rows.Next() {
		var key, code, agency sql.NullString
		proc := &repair.Procedure{Profile: map[string]repair.Value{}, Steps: map[string]*repair.Step{}}
		var cutoff sql.NullString
		prof := make([]sql.NullString, len(profileCols))
		dest := []any{&key, &code, &agency, &proc.RawTime, &cutoff}
		for i := range prof {
			dest = append(dest, &prof[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read %s: %w", p.Table, err)
		}
		proc.Key, proc.Code, proc.AgencyID = key.String, code.String, agency.String
		for i, c := range profileCols {
			if c != "" {
				proc.Profile[c] = prof[i]
			}
		}
		out = append(out, proc)
		byKey[proc.Key] = proc
		proc.CutoffRaw = cutoff
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", p.Table, err)
	}

	st := s.schema.Steps
	if st.Table == "" {
		return out, nil
	}
	query = fmt.Sprintf("SELECT %s, %s, %s FROM %s ORDER BY %s", s.text(st.Key), s.text(st.Procedure),
		s.text(st.ProcessingTime), s.q(st.Table), s.qc(st.Table, st.Key))
	srows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", st.Table, err)
	}
	defer srows.Close()
	for srows.Next() {
		var key, proc sql.NullString
		step := &repair.Step{}
		if err := srows.Scan(&key, &proc, &step.RawTime); err != nil {
			return nil, fmt.Errorf("read %s: %w", st.Table, err)
		}
		step.Key = key.String
		if p := byKey[proc.String]; p != nil {
			p.Steps[step.Key] = step
		}
	}
	return out, srows.Err()
}
