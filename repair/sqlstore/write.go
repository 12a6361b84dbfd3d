package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"fixer/internal/db"
	"fixer/repair"
)

// keyColumn returns the primary key column of a mapped table.
func (s *Store) keyColumn(table string) (string, error) {
	sc := s.schema
	switch table {
	case sc.Dossiers.Table:
		return sc.Dossiers.Key, nil
	case sc.Procedures.Table:
		return sc.Procedures.Key, nil
	case sc.DossierSteps.Table:
		return sc.DossierSteps.Key, nil
	case sc.Steps.Table:
		return sc.Steps.Key, nil
	}
	return "", fmt.Errorf("table %s is not in the schema mapping: map it in the configuration", table)
}

// WriteBatch implements [repair.Store]. On PostgreSQL and MySQL a batch is first written with
// compare-and-set UPDATEs that change each row only if it still holds the values the plan read
// (writeCAS); when some row changed meanwhile, that attempt is rolled back whole and the batch
// is written row by row (writeChecked), which leaves the changed rows alone and reports them.
//
// NOTE: columns that database triggers change along with fixer's UPDATEs are not seen, so not
// audited nor restored by a rollback (README, Known limitations).
func (s *Store) WriteBatch(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) ([]repair.Conflict, error) {

	if s.d != db.Postgres && s.d != db.MySQL {
		return s.writeChecked(ctx, csID, rows, p, turn)
	}
	err := s.writeCAS(ctx, csID, rows, p, turn)
	var te turnError
	switch {
	case err == nil:
		return nil, nil
	case errors.As(err, &te):
		return nil, te.error
	case ctx.Err() != nil || repair.Transient(err) || errors.Is(err, errLeaseLost):
		return nil, err
	case !errors.Is(err, errStale):
		// A statement the engine refused or could not be given (a column of unknown type,
		// say): the row-by-row path writes the same values with the statements of every engine.
		s.fallbacks.Add(1)
	}
	return s.writeChecked(ctx, csID, rows, p, turn)
}

// Concurrent implements [repair.Store]: SQLite takes one writer at a time.
func (s *Store) Concurrent() bool { return s.d != db.SQLite }

// turnError carries the error of a batch's commit turn, which WriteBatch returns as it is.
type turnError struct{ error }

func (e turnError) Unwrap() error { return e.error }

// begin opens the transaction of a batch in its turn.
func (s *Store) begin(ctx context.Context, turn *repair.Turn) (*sqlx.Tx, error) {
	if err := turn.Open(ctx); err != nil {
		return nil, turnError{err}
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin batch: %w", err)
	}
	turn.Opened()
	return tx, nil
}

// waitTurn returns when the batch may commit; its error must roll the batch back.
func waitTurn(ctx context.Context, turn *repair.Turn) error {
	if err := turn.Commit(ctx); err != nil {
		return turnError{err}
	}
	return nil
}

// writeChecked writes a batch in one transaction that locks the rows to change in key order,
// keeps those still holding the values the plan read, updates them and records their audit
// rows.
func (s *Store) writeChecked(ctx context.Context, csID int64, rows []repair.RowChange, p repair.Progress,
	turn *repair.Turn) (conflicts []repair.Conflict, err error) {

	tx, err := s.begin(ctx, turn)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := s.setLockTimeout(ctx, tx); err != nil {
		return nil, err
	}
	if err := s.holdLease(ctx, tx); err != nil {
		return nil, err
	}

	var written []repair.RowChange
	// The dossiers first: the steps of a dossier whose row is a conflict are left alone too.
	groups := byTable(rows)
	sort.SliceStable(groups, func(i, j int) bool {
		return groups[i][0].Table == s.schema.Dossiers.Table && groups[j][0].Table != s.schema.Dossiers.Table
	})
	conflicted, err := s.staleParents(ctx, tx, rows)
	if err != nil {
		return nil, err
	}
	// refusedParents holds the dossiers the database refused, with its error: their steps are
	// left alone as refused too, not as changed by another writer.
	refusedParents := map[string]string{}
	for _, group := range groups {
		var keep []repair.RowChange
		for _, r := range group {
			if why, ok := refusedParents[r.Parent]; ok && r.Parent != "" {
				conflicts = append(conflicts, repair.Conflict{RowChange: r,
					Refused: "its dossier's row was refused by the database: " + why})
				continue
			}
			if r.Parent != "" && conflicted[r.Parent] {
				conflicts = append(conflicts, repair.Conflict{RowChange: r, Current: map[string]repair.Value{}})
				continue
			}
			keep = append(keep, r)
		}
		if len(keep) == 0 {
			continue
		}
		group = keep
		ok, bad, err := s.compareRows(ctx, tx, group, true)
		if err != nil {
			return nil, err
		}
		conflicts = append(conflicts, bad...)
		if group[0].Table == s.schema.Dossiers.Table {
			for _, c := range bad {
				conflicted[c.Key] = true
			}
		}
		ok, refused, err := s.updateRows(ctx, tx, group[0].Table, ok)
		if err != nil {
			return nil, err
		}
		conflicts = append(conflicts, refused...)
		if group[0].Table == s.schema.Dossiers.Table {
			for _, c := range refused {
				refusedParents[c.Key] = c.Refused
			}
		}
		written = append(written, ok...)
	}
	if err := s.insertAudit(ctx, tx, csID, written); err != nil {
		return nil, err
	}
	if err := waitTurn(ctx, turn); err != nil {
		return nil, err
	}

	p.RowsChanged = int64(len(written))
	p.Conflicts = int64(len(conflicts))
	for _, c := range conflicts {
		if c.Refused != "" {
			p.Conflicts--
			p.RowsSkipped++
		}
	}
	p.ValuesChanged = 0
	for _, r := range written {
		p.ValuesChanged += int64(len(r.Changes))
	}
	if err := s.addProgress(ctx, tx, csID, p); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit batch: %w", err)
	}
	return conflicts, nil
}

// updateRows writes rows with the bulk UPDATEs of the row-by-row way, each under a savepoint.
// A statement the server refuses for another reason than a lock or a lost connection (a
// trigger that raises, a CHECK or unique constraint) is undone to its savepoint and its rows
// are written one at a time, each under its own: the rows the server refuses come back apart,
// with its error, and the others are written.
func (s *Store) updateRows(ctx context.Context, tx *sqlx.Tx, table string, rows []repair.RowChange) (
	written []repair.RowChange, refused []repair.Conflict, err error) {

	for _, st := range s.updateStatements(table, rows) {
		err := s.execSaved(ctx, tx, st)
		var re refusedError
		switch {
		case err == nil:
			written = append(written, st.items...)
			continue
		case !errors.As(err, &re):
			return nil, nil, err
		case len(st.items) == 1:
			refused = append(refused, repair.Conflict{RowChange: st.items[0], Refused: re.Error()})
			continue
		}
		for _, r := range st.items {
			one := s.updateStatements(table, []repair.RowChange{r})[0]
			switch err := s.execSaved(ctx, tx, one); {
			case err == nil:
				written = append(written, r)
			case errors.As(err, &re):
				refused = append(refused, repair.Conflict{RowChange: r, Refused: re.Error()})
			default:
				return nil, nil, err
			}
		}
	}
	return written, refused, nil
}

// refusedError is the error of an UPDATE the server refused for the values it was given, undone
// to its savepoint.
type refusedError struct{ error }

// execSaved runs one UPDATE of the row-by-row way under a savepoint. When the server refuses
// it for the data (not for a lock, a deadlock or a lost connection, which retry the batch), the
// statement is undone to the savepoint and the error comes back as a refusedError.
func (s *Store) execSaved(ctx context.Context, tx *sqlx.Tx, st statement) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT fixer_rows"); err != nil {
		return fmt.Errorf("update %s: %w", st.table, err)
	}
	res, err := tx.ExecContext(ctx, st.query, st.args...)
	if err != nil {
		if ctx.Err() != nil || repair.Transient(err) {
			return fmt.Errorf("update %s: %w", st.table, err)
		}
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT fixer_rows"); rerr != nil {
			return fmt.Errorf("update %s: %w", st.table, errors.Join(err, rerr))
		}
		return refusedError{err}
	}
	// Each key must match exactly one row: anything else means the key is not unique, and the
	// batch is rolled back rather than change rows the audit does not name.
	if n, err := res.RowsAffected(); err == nil && n != int64(st.rows) {
		return fmt.Errorf("update %s: %d rows matched %d keys: the key column %s does not identify one row",
			st.table, n, st.rows, s.schemaKey(st.table))
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT fixer_rows"); err != nil {
		return fmt.Errorf("update %s: %w", st.table, err)
	}
	return nil
}

// staleParents locks the dossiers of the step rows in rows whose own row is not in rows, and
// returns the keys of those that no longer hold the values the steps' changes were decided
// from.
func (s *Store) staleParents(ctx context.Context, tx queryer, rows []repair.RowChange) (map[string]bool, error) {
	stale := map[string]bool{}
	own := map[string]bool{}
	for _, r := range rows {
		if r.Table == s.schema.Dossiers.Table {
			own[r.Key] = true
		}
	}
	var parents []repair.RowChange
	for _, r := range rows {
		if r.Parent == "" || len(r.ParentGuard) == 0 || own[r.Parent] {
			continue
		}
		own[r.Parent] = true
		parents = append(parents, repair.RowChange{Table: s.schema.Dossiers.Table, Key: r.Parent, Guard: r.ParentGuard})
	}
	if len(parents) == 0 {
		return stale, nil
	}
	_, bad, err := s.compareRows(ctx, tx, parents, true)
	if err != nil {
		return nil, err
	}
	for _, c := range bad {
		stale[c.Key] = true
	}
	return stale, nil
}

// byTable splits rows into groups of one table, in first-seen order.
func byTable(rows []repair.RowChange) [][]repair.RowChange {
	var order []string
	groups := map[string][]repair.RowChange{}
	for _, r := range rows {
		if _, seen := groups[r.Table]; !seen {
			order = append(order, r.Table)
		}
		groups[r.Table] = append(groups[r.Table], r)
	}
	out := make([][]repair.RowChange, 0, len(order))
	for _, t := range order {
		out = append(out, groups[t])
	}
	return out
}

// compareRows reads, and with lock locks in key order, the rows of one table and splits them
// into those whose current values equal the Old values of their changes and those changed by
// someone else.
func (s *Store) compareRows(ctx context.Context, tx queryer, rows []repair.RowChange, lock bool) (
	ok []repair.RowChange, conflicts []repair.Conflict, err error) {

	table := rows[0].Table
	keyCol, err := s.keyColumn(table)
	if err != nil {
		return nil, nil, err
	}
	colSet := map[string]bool{}
	for _, r := range rows {
		for _, c := range r.Changes {
			colSet[c.Column] = true
		}
		for _, g := range r.Guard {
			colSet[g.Column] = true
		}
	}
	cols := sortedKeys(colSet)
	exprs := []string{s.text(keyCol)}
	for _, c := range cols {
		exprs = append(exprs, s.text(c))
	}

	keys := make([]any, len(rows))
	for i, r := range rows {
		keys[i] = s.arg(table, keyCol, r.Key)
	}
	current := make(map[string][]sql.NullString, len(rows))
	for _, chunk := range chunks(keys, 1000) {
		lockClause := ""
		if lock {
			lockClause = s.forUpdate()
		}
		query := fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (%s) ORDER BY %s%s",
			strings.Join(exprs, ", "), s.q(table), s.q(keyCol), marks(len(chunk)), s.qc(table, keyCol), lockClause)
		res, err := tx.QueryContext(ctx, s.rebind(query), chunk...)
		if err != nil {
			return nil, nil, fmt.Errorf("lock %s rows: %w", table, err)
		}
		for res.Next() {
			vals := make([]sql.NullString, len(exprs))
			dest := make([]any, len(vals))
			for i := range vals {
				dest[i] = &vals[i]
			}
			if err := res.Scan(dest...); err != nil {
				res.Close()
				return nil, nil, fmt.Errorf("lock %s rows: %w", table, err)
			}
			current[vals[0].String] = vals[1:]
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, nil, fmt.Errorf("lock %s rows: %w", table, err)
		}
	}

	index := make(map[string]int, len(cols))
	for i, c := range cols {
		index[c] = i
	}
	for _, r := range rows {
		cur, found := current[r.Key]
		same := found
		for _, c := range r.Changes {
			if !same {
				break
			}
			same = s.sameValue(cur[index[c.Column]], c.Old)
		}
		for _, g := range r.Guard {
			if !same {
				break
			}
			same = s.sameValue(cur[index[g.Column]], g.Value)
		}
		if same {
			ok = append(ok, r)
			continue
		}
		c := repair.Conflict{RowChange: r, Current: map[string]repair.Value{}, Same: map[string]bool{}}
		if found {
			for col, i := range index {
				c.Current[col] = cur[i]
			}
			for _, ch := range r.Changes {
				c.Same[ch.Column] = s.sameValue(cur[index[ch.Column]], ch.Old)
			}
		}
		conflicts = append(conflicts, c)
	}
	return ok, conflicts, nil
}

// sameValue compares a value read now with one recorded earlier. Text equal is equal; so are
// two renderings of the same instant (a zone suffix or trailing zero fractions that a database
// adds to what fixer wrote).
func (s *Store) sameValue(a, b repair.Value) bool {
	if a.Valid != b.Valid {
		return false
	}
	if a.String == b.String {
		return true
	}
	// A flag written as 1/0 into a boolean column reads as true/false.
	if fa, okA := flagText(a.String); okA {
		fb, okB := flagText(b.String)
		return okB && fa == fb
	}
	ta, okA := parseAny(a.String, s.loc)
	tb, okB := parseAny(b.String, s.loc)
	return okA && okB && ta.Equal(tb)
}

// flagText reads the spellings of a flag fixer writes and a boolean column reads as.
func flagText(s string) (v, ok bool) {
	switch s {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

var anyLayouts = []string{
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano,
}

func parseAny(v string, loc *time.Location) (time.Time, bool) {
	for _, l := range anyLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Compare implements [repair.Store].
func (s *Store) Compare(ctx context.Context, rows []repair.RowChange) ([]repair.Conflict, error) {
	var out []repair.Conflict
	for _, group := range byTable(rows) {
		_, bad, err := s.compareRows(ctx, s.db, group, false)
		if err != nil {
			return nil, err
		}
		out = append(out, bad...)
	}
	return out, nil
}

type statement struct {
	table string
	query string
	args  []any
	rows  int // rows the statement must change
	// items are the rows of an UPDATE of the row-by-row way, to write one at a time when the
	// server refuses the statement.
	items []repair.RowChange
}

func (s *Store) schemaKey(table string) string {
	k, _ := s.keyColumn(table)
	return table + "." + k
}

// updateStatements renders the bulk UPDATEs of rows of one table: rows that change the same set
// of columns share statements, each within the dialect's parameter limit.
func (s *Store) updateStatements(table string, rows []repair.RowChange) []statement {
	if len(rows) == 0 {
		return nil
	}
	keyCol, _ := s.keyColumn(table)
	bySet := map[string][]repair.RowChange{}
	var order []string
	for _, r := range rows {
		cols := make([]string, len(r.Changes))
		for i, c := range r.Changes {
			cols[i] = c.Column
		}
		sort.Strings(cols)
		sig := strings.Join(cols, ",")
		if _, seen := bySet[sig]; !seen {
			order = append(order, sig)
		}
		bySet[sig] = append(bySet[sig], r)
	}

	var out []statement
	for _, sig := range order {
		cols := strings.Split(sig, ",")
		perRow := len(cols) + 1
		size := min(1000, s.d.MaxParams()/perRow)
		for _, chunk := range chunks(bySet[sig], size) {
			st := s.bulkUpdate(table, keyCol, cols, chunk)
			st.table, st.items = table, chunk
			out = append(out, st)
		}
	}
	return out
}

// valuesOf returns a row's new values in the order of cols.
func valuesOf(r repair.RowChange, cols []string) []any {
	out := make([]any, len(cols))
	for i, col := range cols {
		for _, c := range r.Changes {
			if c.Column == col {
				if c.New.Valid {
					out[i] = c.New.String
				}
				break
			}
		}
	}
	return out
}

// insertAudit records every change of the written rows. PostgreSQL takes them as seven
// arrays in one statement; the others as multi-row INSERTs within the parameter limit. On
// MySQL a batch of two full INSERTs or more prepares the full one on its connection and sends
// the values in the binary protocol, which the server reads faster than the same values as
// literals.
func (s *Store) insertAudit(ctx context.Context, tx *sqlx.Tx, csID int64, rows []repair.RowChange) error {
	if s.d == db.Postgres {
		return s.insertAuditArrays(ctx, tx, csID, rows)
	}
	var full *sql.Stmt
	if s.d == db.MySQL && countChanges(rows) >= 2*auditChunk {
		// Prepared on the transaction's own connection: one from the pool could be waited for
		// by a batch that holds one.
		if st, err := tx.PrepareContext(ctx, s.auditInsert(auditChunk)); err == nil {
			full = st
			defer st.Close()
		}
	}
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		var err error
		if full != nil && n == auditChunk {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.auditInsert(n), args...)
		}
		if err != nil {
			return fmt.Errorf("write audit rows: %w", err)
		}
		args, n = args[:0], 0
		return nil
	}
	for _, r := range rows {
		for _, c := range r.Changes {
			args = append(args, csID, c.Table, c.Key, c.Column, nullable(c.Old), nullable(c.New), c.Rule)
			n++
			if n == auditChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// auditChunk is the number of audit rows of one multi-row INSERT.
const auditChunk = 1000

// auditInsert returns the INSERT of n audit rows.
func (s *Store) auditInsert(n int) string {
	return "INSERT INTO " + s.q(s.prefix+"changes") +
		" (changeset_id, table_name, row_pk, column_name, old_value, new_value, rule) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", ")
}

// countChanges returns the number of values rows change.
func countChanges(rows []repair.RowChange) int {
	n := 0
	for _, r := range rows {
		n += len(r.Changes)
	}
	return n
}

func (s *Store) insertAuditArrays(ctx context.Context, tx *sqlx.Tx, csID int64, rows []repair.RowChange) error {
	var tables, keys, cols, rules, olds, news textArray
	for _, r := range rows {
		for _, c := range r.Changes {
			tables, keys = append(tables, repair.Text(c.Table)), append(keys, repair.Text(c.Key))
			cols, rules = append(cols, repair.Text(c.Column)), append(rules, repair.Text(c.Rule))
			olds, news = append(olds, c.Old), append(news, c.New)
		}
	}
	if len(tables) == 0 {
		return nil
	}
	query := "INSERT INTO " + s.q(s.prefix+"changes") +
		" (changeset_id, table_name, row_pk, column_name, old_value, new_value, rule) " +
		"SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
	_, err := tx.ExecContext(ctx, query, csID, tables, keys, cols, olds, news, rules)
	if err != nil {
		return fmt.Errorf("write audit rows: %w", err)
	}
	return nil
}

func nullable(v repair.Value) any {
	if !v.Valid {
		return nil
	}
	return v.String
}

// addProgress adds a batch's counts to its changeset, in the batch's transaction, so that a run
// killed at any moment leaves counts and resume point consistent with the committed data.
func (s *Store) addProgress(ctx context.Context, tx *sqlx.Tx, csID int64, p repair.Progress) error {
	var last any
	if p.LastKey != "" {
		last = p.LastKey
	}
	query := "UPDATE " + s.q(s.prefix+"changesets") + " SET rows_changed = rows_changed + ?, " +
		"rows_skipped = rows_skipped + ?, values_changed = values_changed + ?, conflicts = conflicts + ?, " +
		"last_key = COALESCE(?, last_key) WHERE id = ?"
	_, err := tx.ExecContext(ctx, s.rebind(query), p.RowsChanged, p.RowsSkipped, p.ValuesChanged,
		p.Conflicts, last, csID)
	if err != nil {
		return fmt.Errorf("record batch progress: %w", err)
	}
	return nil
}

// Statements implements [repair.Store]: the compare-and-set UPDATEs a batch is written with.
func (s *Store) Statements(rows []repair.RowChange) []string {
	var out []string
	for _, group := range byTable(rows) {
		stmts, ok := s.casStatements(group[0].Table, group)
		if !ok {
			stmts = s.updateStatements(group[0].Table, group)
		}
		for _, st := range stmts {
			out = append(out, s.inline(st)+";")
		}
	}
	return out
}

// inline renders a statement with its arguments as SQL literals, for display only.
func (s *Store) inline(st statement) string {
	var b strings.Builder
	arg := 0
	q := st.query
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '?' && s.d != "postgres":
			b.WriteString(literal(st.args[arg], s.d == "mysql"))
			arg++
		case c == '$' && s.d == "postgres" && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			var n int
			fmt.Sscan(q[i+1:j], &n)
			b.WriteString(literal(st.args[n-1], false))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func literal(v any, backslash bool) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return fmt.Sprint(x)
	case textArray:
		items := make([]string, len(x))
		for i, v := range x {
			items[i] = literal(nullable(v), backslash)
		}
		return "ARRAY[" + strings.Join(items, ", ") + "]"
	case string:
		if backslash && strings.Contains(x, `\`) {
			// MySQL: a hex literal with the utf8mb4 introducer reads the same whether the
			// session's sql_mode has NO_BACKSLASH_ESCAPES or not; an escaped one would not.
			return "_utf8mb4 X'" + strings.ToUpper(hex.EncodeToString([]byte(x))) + "'"
		} else if strings.Contains(x, `\`) {
			// PostgreSQL: an escape string reads the same whether standard_conforming_strings
			// is on or off; a plain one holding a backslash would not.
			return "E'" + strings.ReplaceAll(strings.ReplaceAll(x, `\`, `\\`), "'", "''") + "'"
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return fmt.Sprintf("'%v'", v)
}
