package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fixer/internal/db"
	"fixer/repair"
)

// errStale reports that a compare-and-set UPDATE matched fewer rows than it names: some row
// changed since it was read.
var errStale = errors.New("a row changed since it was read")

// writeCAS writes a batch with compare-and-set UPDATEs: each statement names the rows with the
// values they were read with, and changes them only where every one still holds. When every
// statement matches all its rows, the batch is written, with its audit rows, in one transaction
// and in as few statements as the engine allows. When one does not, nothing is kept and the
// result is errStale, so that the batch is written again row by row (writeChecked), which
// tells which rows changed.
func (s *Store) writeCAS(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) (err error) {
	var stmts []statement
	for _, group := range byTable(rows) {
		st, ok := s.casStatements(group[0].Table, group)
		if !ok {
			return fmt.Errorf("no compare-and-set statement for %s", group[0].Table)
		}
		stmts = append(stmts, st...)
	}

	tx, err := s.begin(ctx, turn)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := s.setLockTimeout(ctx, tx); err != nil {
		return err
	}
	if err := s.holdLease(ctx, tx); err != nil {
		return err
	}
	// Dossiers whose steps change but not their own row: their columns are checked, and the rows
	// locked, here.
	stale, err := s.staleParents(ctx, tx, rows)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return errStale
	}
	for _, st := range stmts {
		res, err := tx.ExecContext(ctx, st.query, st.args...)
		if err != nil {
			return fmt.Errorf("update %s: %w", st.table, err)
		}
		n, err := res.RowsAffected()
		switch {
		case err != nil:
			return fmt.Errorf("update %s: %w", st.table, err)
		case n < int64(st.rows):
			return errStale
		case n > int64(st.rows):
			return fmt.Errorf("update %s: %d rows matched %d keys: the key column %s does not identify one row",
				st.table, n, st.rows, s.schemaKey(st.table))
		}
	}
	if err := s.insertAudit(ctx, tx, csID, rows); err != nil {
		return err
	}
	if err := waitTurn(ctx, turn); err != nil {
		return err
	}
	p.RowsChanged, p.Conflicts, p.ValuesChanged = int64(len(rows)), 0, 0
	for _, r := range rows {
		p.ValuesChanged += int64(len(r.Changes))
	}
	if err := s.addProgress(ctx, tx, csID, p); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// casSignature is what the rows of one compare-and-set UPDATE have in common: the columns
// they change, and the columns whose values as read they are checked against (the changed
// ones and those that guard them). partial marks the changed columns that some rows of the
// statement leave as they are (PostgreSQL only, where rows changing different columns share a
// statement).
type casSignature struct {
	changed, expected []string
	partial           []bool
	rows              []repair.RowChange // the rows of the batch that have it
}

// width is the number of values a row gives: its key, its new values, the values it expects,
// and a flag for each partial column.
func (sig casSignature) width() int {
	n := 1 + len(sig.changed) + len(sig.expected)
	for _, p := range sig.partial {
		if p {
			n++
		}
	}
	return n
}

// casStatements renders the compare-and-set UPDATEs of rows of one table, each statement within
// the dialect's parameter limit. ok is false when the dialect has no such statement here.
//
// On PostgreSQL the rows checked against the same columns share statements whatever they
// change, each column taking its new value only in the rows that change it; on MySQL, where
// that would send unchanged values through text, rows share statements only when they also
// change the same columns.
func (s *Store) casStatements(table string, rows []repair.RowChange) (out []statement, ok bool) {
	if s.d != db.Postgres && s.d != db.MySQL {
		return nil, false
	}
	keyCol, err := s.keyColumn(table)
	if err != nil {
		return nil, false
	}
	// A batch holds a few signatures and thousands of rows: the signature of a row is looked
	// up by its columns joined in a reused buffer (NUL separates them: no identifier holds it),
	// and only a new signature allocates.
	var (
		order             []*casSignature
		sigs              = map[string]*casSignature{}
		changed, expected []string
		id                []byte
	)
	for _, r := range rows {
		changed, expected = changed[:0], expected[:0]
		for _, c := range r.Changes {
			changed = append(changed, c.Column)
		}
		expected = append(expected, changed...)
		for _, g := range r.Guard {
			if !slices.Contains(expected, g.Column) {
				expected = append(expected, g.Column)
			}
		}
		slices.Sort(changed)
		slices.Sort(expected)
		id = id[:0]
		if s.d != db.Postgres {
			for _, c := range changed {
				id = append(append(id, c...), 0)
			}
			id = append(id, 0)
		}
		for _, c := range expected {
			id = append(append(id, c...), 0)
		}
		sig := sigs[string(id)]
		if sig == nil {
			sig = &casSignature{expected: slices.Clone(expected)}
			if len(order) == 0 {
				sig.rows = make([]repair.RowChange, 0, len(rows))
			}
			sigs[string(id)] = sig
			order = append(order, sig)
		}
		for _, c := range changed {
			if !slices.Contains(sig.changed, c) {
				sig.changed = append(sig.changed, c)
			}
		}
		sig.rows = append(sig.rows, r)
	}
	for _, sig := range order {
		slices.Sort(sig.changed)
		sig.partial = make([]bool, len(sig.changed))
		for _, r := range sig.rows {
			for i, col := range sig.changed {
				sig.partial[i] = sig.partial[i] || !slices.ContainsFunc(r.Changes,
					func(c repair.Change) bool { return c.Column == col })
			}
		}
		size := min(1000, s.d.MaxParams()/sig.width())
		for _, chunk := range chunks(sig.rows, size) {
			st, ok := s.casUpdate(table, keyCol, *sig, chunk)
			if !ok {
				return nil, false
			}
			out = append(out, st)
		}
	}
	return out, true
}

// casValues appends to out a row's values in the order of casSignature.width: its key, its new
// values (NULL for a column it does not change), the values it expects (the old value of a
// changed column, the guard value of another), and the flags of the partial columns ("1" where
// the row changes the column).
func casValues(out []repair.Value, r repair.RowChange, sig casSignature) []repair.Value {
	out = append(out[:0], repair.Text(r.Key))
	var flags []repair.Value
	for i, col := range sig.changed {
		v, flag := repair.Null, "0"
		for _, c := range r.Changes {
			if c.Column == col {
				v, flag = c.New, "1"
				break
			}
		}
		out = append(out, v)
		if sig.partial[i] {
			flags = append(flags, repair.Text(flag))
		}
	}
	for _, col := range sig.expected {
		out = append(out, expectedValue(r, col))
	}
	return append(out, flags...)
}

// expectedValue returns the value of col a row was read with: the old value of a change, or
// the value of a guard.
func expectedValue(r repair.RowChange, col string) repair.Value {
	for _, c := range r.Changes {
		if c.Column == col {
			return c.Old
		}
	}
	for _, g := range r.Guard {
		if g.Column == col {
			return g.Value
		}
	}
	return repair.Null
}

// casUpdate renders one compare-and-set UPDATE. Expected values are compared as the text they
// were read as, byte for byte: a value that reads the same is the same value, and one that
// reads differently sends the batch to the row-by-row path, which compares instants.
//
// PostgreSQL takes the rows as text arrays, cast to each column's own type when written;
// MySQL joins a derived table of SELECTs (on MariaDB, one SELECT and a table value
// constructor). The values are sent inline, as literals, never as the parameters of a
// prepared statement: the columns of a derived table made of parameters get types that cut
// long values. The PostgreSQL form and MySQL's UNION ALL form are accepted by TiDB, Vitess,
// CockroachDB and YugabyteDB as well.
func (s *Store) casUpdate(table, keyCol string, sig casSignature, rows []repair.RowChange) (statement, bool) {
	// The derived columns, in the order of casValues.
	names := []string{"k"}
	for i := range sig.changed {
		names = append(names, fmt.Sprintf("n%d", i))
	}
	for i := range sig.expected {
		names = append(names, fmt.Sprintf("e%d", i))
	}
	for i, p := range sig.partial {
		if p {
			names = append(names, fmt.Sprintf("f%d", i))
		}
	}
	conds := make([]string, len(sig.expected))
	for i, c := range sig.expected {
		if s.d == db.Postgres {
			conds[i] = fmt.Sprintf(`(d.%s::text COLLATE "C") IS NOT DISTINCT FROM v.e%d`, s.q(c), i)
		} else {
			conds[i] = fmt.Sprintf("BINARY CAST(d.%s AS CHAR) <=> BINARY v.e%d", s.q(c), i)
		}
	}

	if s.d == db.Postgres {
		typeOf := func(col string) string { return s.types[colRef{table, col}] }
		if typeOf(keyCol) == "" {
			return statement{}, false
		}
		arrays := make([]textArray, len(names))
		for i := range arrays {
			arrays[i] = make(textArray, 0, len(rows))
		}
		var vals []repair.Value
		for _, r := range rows {
			vals = casValues(vals, r, sig)
			for i, v := range vals {
				arrays[i] = append(arrays[i], v)
			}
		}
		args := make([]any, len(names))
		params := make([]string, len(names))
		for i := range arrays {
			args[i] = arrays[i]
			params[i] = fmt.Sprintf("$%d::text[]", i+1)
		}
		sets := make([]string, len(sig.changed))
		for i, c := range sig.changed {
			if typeOf(c) == "" {
				return statement{}, false
			}
			sets[i] = fmt.Sprintf("%s = v.n%d::%s", s.q(c), i, typeOf(c))
			if sig.partial[i] {
				sets[i] = fmt.Sprintf("%s = CASE WHEN v.f%d = '1' THEN v.n%d::%s ELSE d.%s END",
					s.q(c), i, i, typeOf(c), s.q(c))
			}
		}
		conds = append([]string{fmt.Sprintf("d.%s = v.k::%s", s.q(keyCol), typeOf(keyCol))}, conds...)
		query := fmt.Sprintf("UPDATE %s AS d SET %s FROM unnest(%s) AS v(%s) WHERE %s",
			s.q(table), strings.Join(sets, ", "), strings.Join(params, ", "), strings.Join(names, ", "),
			strings.Join(conds, " AND "))
		return statement{table: table, query: query, args: args, rows: len(rows)}, true
	}

	// The derived table, written straight into one buffer: plain values (dates, numbers, codes)
	// as literals, anything else as a placeholder the driver fills in and escapes.
	var derived strings.Builder
	derived.Grow(len(rows) * len(names) * 24)
	var args []any
	var vals []repair.Value
	intKey := s.integer[colRef{table, keyCol}]
	for i, r := range rows {
		vals = casValues(vals, r, sig)
		switch {
		case i == 0:
			derived.WriteString("SELECT ")
		case s.valuesRows && i == 1:
			derived.WriteString(" UNION ALL VALUES (")
		case s.valuesRows:
			derived.WriteString(", (")
		default:
			derived.WriteString(" UNION ALL SELECT ")
		}
		for j, v := range vals {
			if j > 0 {
				derived.WriteString(", ")
			}
			if j == 0 && intKey && isInteger(v.String) {
				derived.WriteString(v.String)
			} else {
				args = writeLiteral(&derived, args, v)
			}
			if i == 0 {
				derived.WriteString(" AS ")
				derived.WriteString(names[j])
			}
		}
		if i > 0 && s.valuesRows {
			derived.WriteByte(')')
		}
	}
	sets := make([]string, len(sig.changed))
	for i, c := range sig.changed {
		sets[i] = fmt.Sprintf("d.%s = v.n%d", s.q(c), i)
	}
	// An explicit assignment keeps a self-updating TIMESTAMP column as it was.
	for _, p := range s.pinned[table] {
		if !slices.Contains(sig.changed, p) {
			sets = append(sets, fmt.Sprintf("d.%s = d.%s", s.q(p), s.q(p)))
		}
	}
	query := fmt.Sprintf("UPDATE %s AS d JOIN (%s) AS v ON d.%s = v.k SET %s WHERE %s",
		s.q(table), derived.String(), s.q(keyCol), strings.Join(sets, ", "),
		strings.Join(conds, " AND "))
	return statement{table: table, query: query, args: args, rows: len(rows)}, true
}

// writeLiteral writes v to b as a MySQL value: NULL, a quoted literal when v holds only
// characters that read the same under every sql_mode and character set (letters and digits of
// ASCII, space, and . : - + / _), else a placeholder, v being appended to args for the driver
// to escape.
func writeLiteral(b *strings.Builder, args []any, v repair.Value) []any {
	if !v.Valid {
		b.WriteString("NULL")
		return args
	}
	for i := 0; i < len(v.String); i++ {
		c := v.String[i]
		plain := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			c == ' ' || c == '.' || c == ':' || c == '-' || c == '+' || c == '/' || c == '_'
		if !plain {
			b.WriteByte('?')
			return append(args, v.String)
		}
	}
	b.WriteByte('\'')
	b.WriteString(v.String)
	b.WriteByte('\'')
	return args
}

// isInteger reports whether v is a decimal integer of at most 20 digits (an UNSIGNED BIGINT),
// which MySQL reads exactly as a literal, as a number: quoted, it would compare with an integer
// column as a double, and miss keys above 2^53.
func isInteger(v string) bool {
	digits := strings.TrimPrefix(v, "-")
	if digits == "" || len(digits) > 20 {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// textArray is a PostgreSQL text[] parameter whose elements may be NULL.
type textArray []sql.NullString

// Value implements [driver.Valuer]: the array's text form, {"a","b",NULL}, every element
// quoted so that no content (commas, braces, spaces, the word NULL) is read as syntax.
func (a textArray) Value() (driver.Value, error) {
	n := 2
	for _, v := range a {
		n += len(v.String) + 3
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('{')
	for i, v := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		if !v.Valid {
			b.WriteString("NULL")
			continue
		}
		b.WriteByte('"')
		s, from := v.String, 0
		for j := 0; j < len(s); j++ {
			if c := s[j]; c == '"' || c == '\\' {
				b.WriteString(s[from:j])
				b.WriteByte('\\')
				from = j
			}
		}
		b.WriteString(s[from:])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// CASFallbacks returns how many batches the compare-and-set statements could not write for
// another reason than a changed row, and were written row by row instead.
func (s *Store) CASFallbacks() int64 { return s.fallbacks.Load() }
