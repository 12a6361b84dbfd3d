package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fixer/internal/db"
	"fixer/repair"
)

// column is what the catalog says of one column.
type column struct {
	dataType string // lower case, e.g. timestamp, datetime, varchar, text, bigint
	// castType is the type without its modifier as PostgreSQL spells it (format_type with no
	// typmod: varchar, not varchar(4)). A value cast to it and then assigned to the column is
	// checked against the column's length or precision, and refused if too long, where a cast
	// to varchar(4) itself would cut it silently.
	castType string
	primary  bool
	// autoUpdate is true for a MySQL column that sets itself on every UPDATE (ON UPDATE
	// CURRENT_TIMESTAMP, the old explicit_defaults_for_timestamp behaviour).
	autoUpdate bool
	// columnType is MySQL's full type, e.g. bigint(20) unsigned or enum('N','Y'), lower case
	// but for the members of an ENUM or SET.
	columnType string
}

// kinds of mapped columns, for the type check.
const (
	kindAny = iota
	kindTime
	kindKey
)

type mappedColumn struct {
	path string // configuration path, e.g. dossiers.due_at
	name string
	kind int
}

// Check implements [repair.Store]: it reads the catalog and verifies that every mapped table
// and column exists, that keys are primary keys, that time columns hold times or text and that
// no mapped column has the MySQL BIT type. All problems are reported at once. It also learns
// which columns update themselves, to pin them.
func (s *Store) Check(ctx context.Context) error {
	sc := s.schema
	type table struct {
		path, name string
		cols       []mappedColumn
	}
	tables := []table{
		{"agencies", sc.Agencies.Table, []mappedColumn{{"agencies.key", sc.Agencies.Key, kindAny},
			{"agencies.name", sc.Agencies.Name, kindAny}}},
		{"procedures", sc.Procedures.Table, []mappedColumn{{"procedures.key", sc.Procedures.Key, kindKey},
			{"procedures.code", sc.Procedures.Code, kindAny}, {"procedures.agency", sc.Procedures.Agency, kindAny},
			{"procedures.processing_time", sc.Procedures.ProcessingTime, kindAny},
			{"procedures.cutoff", sc.Procedures.Cutoff, kindAny},
			{"procedures.appointment_count", sc.Procedures.AppointmentCount, kindAny},
			{"procedures.appointment_snap", sc.Procedures.AppointmentSnap, kindAny},
			{"procedures.deadline_count", sc.Procedures.DeadlineCount, kindAny},
			{"procedures.deadline_snap", sc.Procedures.DeadlineSnap, kindAny}}},
		{"procedure_steps", sc.Steps.Table, []mappedColumn{{"procedure_steps.key", sc.Steps.Key, kindKey},
			{"procedure_steps.procedure", sc.Steps.Procedure, kindAny},
			{"procedure_steps.processing_time", sc.Steps.ProcessingTime, kindAny}}},
		{"dossiers", sc.Dossiers.Table, s.dossierMapping()},
		{"dossier_steps", sc.DossierSteps.Table, []mappedColumn{
			{"dossier_steps.key", sc.DossierSteps.Key, kindKey},
			{"dossier_steps.dossier", sc.DossierSteps.Dossier, kindAny},
			{"dossier_steps.step", sc.DossierSteps.Step, kindAny},
			{"dossier_steps.started_at", sc.DossierSteps.Started, kindTime},
			{"dossier_steps.due_at", sc.DossierSteps.Due, kindTime},
			{"dossier_steps.completed_at", sc.DossierSteps.Completed, kindTime}}},
	}

	var errs []error
	s.pinned = map[string][]string{}
	s.native = map[colRef]bool{}
	s.dateOnly = map[colRef]bool{}
	s.integer = map[colRef]bool{}
	s.unsigned = map[colRef]bool{}
	s.flagWords = map[colRef][2]string{}
	s.types = map[colRef]string{}
	for _, t := range tables {
		if t.name == "" {
			continue
		}
		cols, err := s.catalog(ctx, t.name)
		if err != nil {
			return fmt.Errorf("read the catalog of %s: %w", t.name, err)
		}
		if len(cols) == 0 {
			errs = append(errs, fmt.Errorf("table %s (schema.%s.table) not found%s: check the name or map it in the configuration",
				t.name, t.path, s.searched(ctx)))
			continue
		}
		mapped := map[string]bool{}
		for _, c := range t.cols {
			if c.name == "" {
				continue
			}
			mapped[c.name] = true
			info, ok := cols[c.name]
			if !ok {
				errs = append(errs, fmt.Errorf("column %s.%s (schema.%s) not found: fix the schema mapping in the configuration",
					t.name, c.name, c.path))
				continue
			}
			switch {
			case c.kind == kindKey && !info.primary:
				errs = append(errs, fmt.Errorf("column %s.%s (schema.%s) is not the primary key on its own: fixer needs a one-column primary key to update rows one by one",
					t.name, c.name, c.path))
			case c.kind == kindTime && !timeLike(info.dataType):
				errs = append(errs, fmt.Errorf("column %s.%s (schema.%s) has type %s: a time needs a timestamp, datetime or text column",
					t.name, c.name, c.path, info.dataType))
			case c.path == "dossiers.is_late" && (info.dataType == "enum" || info.dataType == "set"):
				yes, no, ok := repair.FlagPair(enumMembers(info.columnType))
				if !ok || info.dataType == "set" {
					errs = append(errs, fmt.Errorf("column %s.%s (schema.%s) has type %s, with no two members fixer can write as "+
						"late and not late (Y/N, 1/0, true/false, yes/no, on/off, Có/Không): map a flag column of another type "+
						"or leave is_late out of the mapping", t.name, c.name, c.path, info.columnType))
					break
				}
				s.flagWords[colRef{t.name, c.name}] = [2]string{yes, no}
			case s.d == db.MySQL && info.dataType == "bit":
				// NOTE: MySQL renders a BIT value as its raw bytes and refuses the text '0' or
				// '1' for BIT(1); supporting it would take a conversion in every read and write.
				errs = append(errs, fmt.Errorf("column %s.%s (schema.%s) has type BIT, which fixer cannot read or write: "+
					"a flag needs a BOOLEAN (TINYINT(1)) or other integer column, or CHAR, VARCHAR or TEXT; "+
					"change its type (ALTER TABLE %s MODIFY %s TINYINT(1)) or leave it out of the mapping",
					t.name, c.name, c.path, s.q(t.name), s.q(c.name)))
			}
		}
		for name, info := range cols {
			s.native[colRef{t.name, name}] = nativeTime(info.dataType)
			s.dateOnly[colRef{t.name, name}] = info.dataType == "date"
			s.integer[colRef{t.name, name}] = strings.Contains(info.dataType, "int")
			s.unsigned[colRef{t.name, name}] = strings.Contains(strings.ToLower(info.columnType), "unsigned")
			if info.dataType == "boolean" {
				s.flagWords[colRef{t.name, name}] = [2]string{"true", "false"}
			}
			s.types[colRef{t.name, name}] = info.castType
			// A set_on_change column too: a statement that writes it assigns it, one that does
			// not (a rollback batch holding other values of the row) must keep it.
			if info.autoUpdate {
				s.pinned[t.name] = append(s.pinned[t.name], name)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: the database does not match the schema mapping:\n%w", repair.ErrConfig, errors.Join(errs...))
	}
	if s.d == db.MySQL {
		var version string
		if err := s.db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
			return fmt.Errorf("read the server version: %w", err)
		}
		s.valuesRows = valuesRows(version) && !s.unionRows
		s.tidb = strings.Contains(version, "TiDB")
	}
	return nil
}

// valuesRows reports whether a MySQL-protocol server of this version takes a table value
// constructor after a SELECT in a derived table (SELECT ... UNION ALL VALUES (...), ...):
// MariaDB from 10.3.3. MySQL spells it VALUES ROW(...) and TiDB and Vitess do not take it.
func valuesRows(version string) bool {
	i := strings.Index(strings.ToLower(version), "-mariadb")
	if i < 0 {
		return false
	}
	var major, minor, patch int
	if n, _ := fmt.Sscanf(version[:i], "%d.%d.%d", &major, &minor, &patch); n < 2 {
		return false
	}
	return major > 10 || (major == 10 && (minor > 3 || (minor == 3 && patch >= 3)))
}

// searched names where a table was looked for, for the message that it was not found: on
// PostgreSQL the schemas of the search path, which the URL may set (?search_path=hoso).
func (s *Store) searched(ctx context.Context) string {
	var where string
	switch s.d {
	case db.Postgres:
		err := s.db.QueryRowContext(ctx, "SELECT array_to_string(current_schemas(false), ', ')").Scan(&where)
		if err != nil {
			return ""
		}
		return fmt.Sprintf(" in schema %s (the search path; set another with ?search_path=NAME in the URL)", where)
	case db.MySQL:
		if err := s.db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&where); err != nil {
			return ""
		}
		return " in database " + where
	}
	return ""
}

func (s *Store) dossierMapping() []mappedColumn {
	d := s.schema.Dossiers
	cols := []mappedColumn{{"dossiers.key", d.Key, kindKey}, {"dossiers.code", d.Code, kindAny},
		{"dossiers.procedure", d.Procedure, kindAny}, {"dossiers.agency", d.Agency, kindAny},
		{"dossiers.received_at", d.Received, kindTime}, {"dossiers.appointment_at", d.Appointment, kindTime},
		{"dossiers.due_at", d.Due, kindTime}, {"dossiers.completed_at", d.Completed, kindTime},
		{"dossiers.status", d.Status, kindAny}, {"dossiers.is_late", d.IsLate, kindAny},
		{"dossiers.paused", d.Paused, kindAny}, {"dossiers.rescheduled_at", d.Rescheduled, kindTime},
		{"dossiers.extended_at", d.Extended, kindTime}, {"dossiers.deleted", d.Deleted, kindAny}}
	for _, c := range sortedKeys(d.SetOnChange) {
		cols = append(cols, mappedColumn{"dossiers.set_on_change", c, kindAny})
	}
	return cols
}

// DateOnly reports whether table.column has the DATE type: a day without a time of day.
func (s *Store) DateOnly(table, col string) bool { return s.dateOnly[colRef{table, col}] }

// FlagWords implements [repair.Store]: the members of a MySQL ENUM flag, true and false for a
// PostgreSQL boolean.
func (s *Store) FlagWords(table, col string) (yes, no string, ok bool) {
	w, ok := s.flagWords[colRef{table, col}]
	return w[0], w[1], ok
}

// enumMembers returns the members of a MySQL ENUM or SET type as information_schema spells it:
// enum('N','Y'), a quote inside a member doubled.
func enumMembers(columnType string) []string {
	open, end := strings.IndexByte(columnType, '('), strings.LastIndexByte(columnType, ')')
	if open < 0 || end < open {
		return nil
	}
	var out []string
	list := columnType[open+1 : end]
	for len(list) > 0 && list[0] == '\'' {
		var b strings.Builder
		i := 1
		for ; i < len(list); i++ {
			if list[i] == '\'' {
				if i+1 < len(list) && list[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(list[i])
		}
		out = append(out, b.String())
		list = strings.TrimPrefix(list[min(i+1, len(list)):], ",")
	}
	return out
}

// NativeTime implements [repair.Store].
func (s *Store) NativeTime(table, col string) bool { return s.native[colRef{table, col}] }

// IntegerKey reports whether the dossiers' key is an integer column (known after Check).
func (s *Store) IntegerKey() bool {
	return s.integer[colRef{s.schema.Dossiers.Table, s.schema.Dossiers.Key}]
}

func nativeTime(t string) bool {
	return strings.Contains(t, "time") || strings.Contains(t, "date")
}

func timeLike(t string) bool {
	for _, k := range []string{"time", "date", "char", "text", "clob"} {
		if strings.Contains(t, k) {
			return true
		}
	}
	return t == "" // SQLite columns may have no declared type
}

// catalog returns the columns of table by name; empty when the table does not exist.
func (s *Store) catalog(ctx context.Context, table string) (map[string]column, error) {
	out := map[string]column{}
	switch s.d {
	case db.SQLite:
		rows, err := s.db.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?)", table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var name, typ string
			var pk int
			if err := rows.Scan(&name, &typ, &pk); err != nil {
				return nil, err
			}
			out[name] = column{dataType: strings.ToLower(typ), primary: pk > 0}
		}
		return onlyKey(out), rows.Err()

	case db.MySQL:
		rows, err := s.db.QueryContext(ctx, "SELECT column_name, data_type, column_type, column_key, extra "+
			"FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?", table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var name, typ, full, key, extra string
			if err := rows.Scan(&name, &typ, &full, &key, &extra); err != nil {
				return nil, err
			}
			out[name] = column{dataType: strings.ToLower(typ), primary: key == "PRI", columnType: full,
				autoUpdate: strings.Contains(strings.ToLower(extra), "on update")}
		}
		return onlyKey(out), rows.Err()
	}

	// pg_catalog, not information_schema: the latter hides constraints from an account that
	// may only SELECT, and plan must work with such an account.
	// A domain (CREATE DOMAIN ... AS timestamp) is judged by its base type and cast to itself,
	// so that its constraints are checked on the values fixer writes.
	rows, err := s.db.QueryContext(ctx, `SELECT a.attname,
		CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END,
		format_type(a.atttypid, NULL),
		EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary
		        AND a.attnum = ANY (i.indkey))
		FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ, cast string
		var pk bool
		if err := rows.Scan(&name, &typ, &cast, &pk); err != nil {
			return nil, err
		}
		// Bare "character" is character(1): a cast to it cuts the value to one character,
		// silently. bpchar is the same type with no length, checked on assignment like the
		// others.
		if cast == "character" {
			cast = "bpchar"
		}
		out[name] = column{dataType: strings.ToLower(typ), castType: cast, primary: pk}
	}
	return onlyKey(out), rows.Err()
}

// onlyKey keeps the primary mark only when the primary key has one column: a column that is
// only part of a composite key does not identify a row.
func onlyKey(cols map[string]column) map[string]column {
	n := 0
	for _, c := range cols {
		if c.primary {
			n++
		}
	}
	if n > 1 {
		for name, c := range cols {
			c.primary = false
			cols[name] = c
		}
	}
	return cols
}
