package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"fixer/repair"
)

// dossierColumns lists the mapped dossier columns read by Dossiers, in scan order.
func (s *Store) dossierColumns() []string {
	d := s.schema.Dossiers
	cols := []string{d.Key, d.Code, d.Procedure, d.Agency, d.Received, d.Appointment, d.Due,
		d.Completed, d.Status, d.IsLate, d.Paused, d.Rescheduled, d.Extended, d.Deleted}
	return append(cols, sortedKeys(d.SetOnChange)...)
}

// window returns the last key of the next q.Limit keys after q.After (and below q.Below), or ""
// when there are none. It reads only the primary key index, in order, whatever the scope, so a
// page costs the same at the start and at the end of a table of any size and whatever the
// planner's statistics say.
func (s *Store) window(ctx context.Context, q repair.DossierQuery) (string, error) {
	d := s.schema.Dossiers
	var conds []string
	var args []any
	if q.After != "" {
		conds, args = append(conds, s.q(d.Key)+" > ?"), append(args, s.arg(d.Table, d.Key, q.After))
	}
	if q.Below != "" {
		conds, args = append(conds, s.q(d.Key)+" < ?"), append(args, s.arg(d.Table, d.Key, q.Below))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	// The last key of the window by ORDER BY, not MAX: some key types have no MAX aggregate
	// (PostgreSQL's uuid before version 16).
	query := fmt.Sprintf("SELECT %s FROM (SELECT %s AS k FROM %s%s ORDER BY %s LIMIT %d) w ORDER BY w.k DESC LIMIT 1",
		s.text("k"), s.q(d.Key), s.q(d.Table), where, s.qc(d.Table, d.Key), q.Limit)
	var last sql.NullString
	err := s.db.QueryRowContext(ctx, s.rebind(query), args...).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read keys of %s: %w", d.Table, err)
	}
	return last.String, nil
}

// Dossiers implements [repair.Store]: the dossiers in scope among the next q.Limit keys.
func (s *Store) Dossiers(ctx context.Context, q repair.DossierQuery) ([]*repair.Dossier, string, error) {
	last, err := s.window(ctx, q)
	if err != nil || last == "" {
		return nil, "", err
	}
	d := s.schema.Dossiers
	cols := s.dossierColumns()
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = s.text(c)
	}
	q.Below = ""
	where, args := s.scopeWhere(q)
	where += " AND " + s.q(d.Key) + " <= ?"
	args = append(args, s.arg(d.Table, d.Key, last))
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s",
		strings.Join(exprs, ", "), s.q(d.Table), where, s.qc(d.Table, d.Key))

	rows, err := s.db.QueryContext(ctx, s.rebind(query), args...)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", d.Table, err)
	}
	defer rows.Close()

	var out []*repair.Dossier
	reader := newRowReader(s.d, len(cols))
	extras := sortedKeys(d.SetOnChange)
	for rows.Next() {
		vals, err := reader.scan(rows)
		if err != nil {
			return nil, "", fmt.Errorf("read %s: %w", d.Table, err)
		}
		x := &repair.Dossier{
			Key: vals[0].String, Code: vals[1].String, ProcedureKey: vals[2].String,
			AgencyID: vals[3].String, Received: vals[4], Appointment: vals[5], Due: vals[6],
			Completed: vals[7], Status: vals[8].String, IsLate: vals[9],
			Paused:      repair.Flag(vals[10]),
			Rescheduled: present(vals[11]),
			Extended:    present(vals[12]),
			Deleted:     repair.Flag(vals[13]),
		}
		for i, c := range [...]string{8: d.Status, 10: d.Paused, 11: d.Rescheduled, 12: d.Extended, 13: d.Deleted} {
			if c != "" {
				x.Watched = append(x.Watched, repair.ColumnValue{Column: c, Value: vals[i]})
			}
		}
		if len(extras) > 0 {
			x.Extra = map[string]repair.Value{}
			for i, c := range extras {
				x.Extra[c] = vals[14+i]
			}
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("read %s: %w", d.Table, err)
	}
	if err := s.attachSteps(ctx, out); err != nil {
		return nil, "", err
	}
	return out, last, nil
}

// present reports whether a timestamp value is set: not NULL, not empty, not a zero date.
func present(v sql.NullString) bool {
	return v.Valid && v.String != "" && !strings.HasPrefix(v.String, "0000-00-00")
}

// scopeWhere builds the WHERE clause of a dossier page. Values are always bound parameters.
func (s *Store) scopeWhere(q repair.DossierQuery) (string, []any) {
	d := s.schema.Dossiers
	var conds []string
	var args []any
	if q.After != "" {
		conds = append(conds, s.q(d.Key)+" > ?")
		args = append(args, s.arg(d.Table, d.Key, q.After))
	}
	if q.Below != "" {
		conds = append(conds, s.q(d.Key)+" < ?")
		args = append(args, s.arg(d.Table, d.Key, q.Below))
	}

	// Dates stored as text in a custom layout cannot be compared in SQL: the planner filters
	// them instead.
	var scope []string
	if q.IncludeOpen {
		open := s.q(d.Completed) + " IS NULL"
		if d.Status != "" && len(d.ClosedStatuses) > 0 {
			open += " AND (" + s.q(d.Status) + " IS NULL OR " + s.q(d.Status) + " NOT IN (" +
				marks(len(d.ClosedStatuses)) + "))"
			for _, st := range d.ClosedStatuses {
				args = append(args, st)
			}
		}
		scope = append(scope, "("+open+")")
	}
	textDates := d.TimeLayout != "" && !s.NativeTime(d.Table, d.Received)
	if !textDates && (!q.From.IsZero() || !q.To.IsZero()) {
		var r []string
		// ISO text in a text column may carry an offset, which SQL compares as characters: the
		// range is widened by a day each way and the planner keeps what falls inside it.
		widen := time.Duration(0)
		if !s.NativeTime(d.Table, d.Received) {
			widen = 24 * time.Hour
		}
		if !q.From.IsZero() {
			r = append(r, s.q(d.Received)+" >= ?")
			args = append(args, q.From.Add(-widen).In(s.loc).Format(time.DateTime))
		}
		if !q.To.IsZero() {
			r = append(r, s.q(d.Received)+" < ?")
			args = append(args, q.To.Add(widen).In(s.loc).Format(time.DateTime))
		}
		scope = append(scope, "("+strings.Join(r, " AND ")+")")
	} else if textDates && (!q.From.IsZero() || !q.To.IsZero()) {
		scope = append(scope, "1 = 1")
	}
	if len(scope) > 0 {
		conds = append(conds, "("+strings.Join(scope, " OR ")+")")
	}
	if len(q.Agencies) > 0 && d.Agency != "" {
		conds = append(conds, s.q(d.Agency)+" IN ("+marks(len(q.Agencies))+")")
		for _, a := range q.Agencies {
			args = append(args, s.arg(d.Table, d.Agency, a))
		}
	}
	if len(q.Procedures) > 0 {
		conds = append(conds, s.q(d.Procedure)+" IN ("+marks(len(q.Procedures))+")")
		for _, p := range q.Procedures {
			args = append(args, s.arg(d.Table, d.Procedure, p))
		}
	}
	if q.ShardCount > 1 {
		// ABS: a negative key has a negative remainder, and must still fall in one shard.
		conds = append(conds, fmt.Sprintf("ABS(MOD(%s, %d)) = %d", s.q(d.Key), q.ShardCount, q.ShardIndex))
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// attachSteps reads the steps of the given dossiers (in key order): one range read over the
// index on the steps' dossier column, the steps of dossiers out of scope dropped here. When the
// steps' dossier column and the dossiers' key are not both integers (an integer key, a VARCHAR
// dossier column), the range would be compared as text, where 8..12 holds neither 10 nor 11:
// the steps are then read by their dossiers' keys, listed.
func (s *Store) attachSteps(ctx context.Context, dossiers []*repair.Dossier) error {
	st := s.schema.DossierSteps
	if st.Table == "" || len(dossiers) == 0 {
		return nil
	}
	byKey := make(map[string]*repair.Dossier, len(dossiers))
	for _, d := range dossiers {
		byKey[d.Key] = d
	}
	cols := fmt.Sprintf("%s, %s, %s, %s, %s, %s", s.text(st.Key), s.text(st.Dossier), s.text(st.Step),
		s.text(st.Started), s.text(st.Due), s.text(st.Completed))
	order := s.qc(st.Table, st.Dossier) + ", " + s.qc(st.Table, st.Key)
	type read struct {
		query string
		args  []any
	}
	var reads []read
	if s.integer[colRef{st.Table, st.Dossier}] == s.integer[colRef{s.schema.Dossiers.Table, s.schema.Dossiers.Key}] {
		reads = append(reads, read{
			query: fmt.Sprintf("SELECT %s FROM %s WHERE %s >= ? AND %s <= ? ORDER BY %s",
				cols, s.q(st.Table), s.q(st.Dossier), s.q(st.Dossier), order),
			args: []any{s.arg(st.Table, st.Dossier, dossiers[0].Key),
				s.arg(st.Table, st.Dossier, dossiers[len(dossiers)-1].Key)},
		})
	} else {
		for _, chunk := range chunks(dossiers, 1000) {
			args := make([]any, len(chunk))
			for i, d := range chunk {
				args[i] = s.arg(st.Table, st.Dossier, d.Key)
			}
			reads = append(reads, read{
				query: fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (%s) ORDER BY %s",
					cols, s.q(st.Table), s.q(st.Dossier), marks(len(chunk)), order),
				args: args,
			})
		}
	}
	reader := newRowReader(s.d, 6)
	for _, r := range reads {
		if err := s.readSteps(ctx, r.query, r.args, reader, byKey); err != nil {
			return err
		}
	}
	return nil
}

// readSteps runs one read of steps and attaches each to its dossier in byKey.
func (s *Store) readSteps(ctx context.Context, query string, args []any, reader *rowReader,
	byKey map[string]*repair.Dossier) error {
	st := s.schema.DossierSteps
	rows, err := s.db.QueryContext(ctx, s.rebind(query), args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", st.Table, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := reader.scan(rows)
		if err != nil {
			return fmt.Errorf("read %s: %w", st.Table, err)
		}
		if d := byKey[v[1].String]; d != nil {
			d.Steps = append(d.Steps, repair.DossierStep{Key: v[0].String, StepKey: v[2].String,
				Started: v[3], Due: v[4], Completed: v[5]})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", st.Table, err)
	}
	return nil
}

// rebind turns ? placeholders into the dialect's own.
func (s *Store) rebind(query string) string {
	if s.d != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func marks(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func chunks[T any](xs []T, size int) [][]T {
	var out [][]T
	for len(xs) > size {
		out = append(out, xs[:size])
		xs = xs[size:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// AgencyNames returns the names of agencies by key, when the schema maps an agencies table.
func (s *Store) AgencyNames(ctx context.Context) (map[string]string, error) {
	a := s.schema.Agencies
	if a.Table == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s", s.text(a.Key), s.text(a.Name), s.q(a.Table)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", a.Table, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, n sql.NullString
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("read %s: %w", a.Table, err)
		}
		out[k.String] = n.String
	}
	return out, rows.Err()
}

// KeyRange implements [repair.Store]. Only integer keys have a range to split: text keys sort
// as text, and numeric bounds would not split them.
func (s *Store) KeyRange(ctx context.Context) (lo, hi int64, ok bool, err error) {
	d := s.schema.Dossiers
	if !s.integer[colRef{d.Table, d.Key}] {
		return 0, 0, false, nil
	}
	var a, b sql.NullString
	query := fmt.Sprintf("SELECT %s, %s FROM %s", s.text2("MIN", d.Key), s.text2("MAX", d.Key), s.q(d.Table))
	if err := s.db.QueryRowContext(ctx, query).Scan(&a, &b); err != nil {
		return 0, 0, false, fmt.Errorf("read key range of %s: %w", d.Table, err)
	}
	lo, err1 := strconv.ParseInt(a.String, 10, 64)
	hi, err2 := strconv.ParseInt(b.String, 10, 64)
	if !a.Valid || !b.Valid || err1 != nil || err2 != nil {
		return 0, 0, false, nil
	}
	return lo, hi, true, nil
}

// text2 applies an aggregate to a column and reads the result as text.
func (s *Store) text2(fn, col string) string {
	if s.d == "postgres" {
		return "CAST(" + fn + "(" + s.q(col) + ") AS TEXT)"
	}
	return fn + "(" + s.q(col) + ")"
}
