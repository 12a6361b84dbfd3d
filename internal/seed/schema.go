package seed

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"fixer/internal/db"
	sqlfiles "fixer/sql"
)

// referenceTables are the tables of the reference one-stop-shop schema, in an order that can
// drop them (children first). --replace drops these and no other table.
var referenceTables = []string{"dossier_steps", "dossiers", "procedure_steps", "procedures", "agencies"}

// referenceSQL returns the statements of the reference schema for the dialect.
func referenceSQL(d db.Dialect) ([]string, error) {
	raw, err := fs.ReadFile(sqlfiles.FS, "reference/"+string(d)+".sql")
	if err != nil {
		return nil, fmt.Errorf("read reference schema for %s: %w", d, err)
	}
	return splitStatements(string(raw)), nil
}

// splitStatements splits SQL text into statements at each line that ends with ";", once a
// trailing "--" comment is set aside. Comment-only lines are dropped.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		code, _, _ := strings.Cut(trimmed, "--")
		if strings.HasSuffix(strings.TrimSpace(code), ";") {
			stmt := strings.TrimSpace(cur.String())
			out = append(out, strings.TrimSuffix(stmt, ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// tableExists reports whether the current database or schema has a table of that name.
func tableExists(ctx context.Context, conn *db.DB, name string) (bool, error) {
	var q string
	switch conn.Dialect {
	case db.Postgres:
		q = "SELECT COUNT(*) FROM information_schema.tables " +
			"WHERE table_schema = current_schema() AND table_name = $1"
	case db.MySQL:
		q = "SELECT COUNT(*) FROM information_schema.tables " +
			"WHERE table_schema = DATABASE() AND table_name = ?"
	default:
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	}
	var n int
	if err := conn.GetContext(ctx, &n, q, name); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

// prepareSchema refuses a database whose reference tables hold rows, unless replace, in which
// case it drops the five reference tables; then it creates the reference schema.
func prepareSchema(ctx context.Context, conn *db.DB, replace bool) error {
	var present []string
	for _, t := range referenceTables {
		ok, err := tableExists(ctx, conn, t)
		if err != nil {
			return err
		}
		if ok {
			present = append(present, t)
		}
	}

	if !replace {
		for _, t := range present {
			var one int
			q := "SELECT COUNT(*) FROM (SELECT 1 FROM " + conn.Dialect.Quote(t) + " LIMIT 1) x"
			if err := conn.GetContext(ctx, &one, q); err != nil {
				return fmt.Errorf("count rows of %s: %w", t, err)
			}
			if one > 0 {
				return fmt.Errorf("%w: table %s has rows", ErrNotEmpty, t)
			}
		}
	}

	for _, t := range present {
		if !replace {
			break
		}
		if _, err := conn.ExecContext(ctx, "DROP TABLE "+conn.Dialect.Quote(t)); err != nil {
			return fmt.Errorf("drop table %s: %w", t, err)
		}
	}

	stmts, err := referenceSQL(conn.Dialect)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("create reference schema: %w", err)
		}
	}
	return nil
}
