package testdb

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// ReferenceTables are the tables of the reference one-stop-shop schema.
var ReferenceTables = []string{"agencies", "procedures", "procedure_steps", "dossiers", "dossier_steps"}

// Checksums hashes every row of the given tables, ordered by their first column, with the row
// count: two databases hold the same data when their checksums are equal.
func Checksums(t testing.TB, conn *db.DB, tables ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range tables {
		name := table
		if !strings.ContainsAny(table, ".\"`") {
			name = conn.Dialect.Quote(table) // a name of the user's kind: spaces, Vietnamese
		}
		rows, err := conn.Query("SELECT * FROM " + name + " ORDER BY 1")
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		h := sha256.New()
		vals := make([]sql.RawBytes, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		n := 0
		for rows.Next() {
			require.NoError(t, rows.Scan(dest...))
			for _, v := range vals {
				if v == nil {
					h.Write([]byte("\x00NULL"))
				} else {
					h.Write(v)
				}
				h.Write([]byte{0xff})
			}
			h.Write([]byte{'\n'})
			n++
		}
		require.NoError(t, rows.Err())
		rows.Close()
		out[table] = fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil)))
	}
	return out
}

// Tables lists the tables of the database, sorted.
func Tables(t testing.TB, conn *db.DB) []string {
	t.Helper()
	q := map[db.Dialect]string{
		db.Postgres: "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
		db.MySQL:    "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1",
		db.SQLite:   "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
	}[conn.Dialect]
	var out []string
	require.NoError(t, conn.Select(&out, q))
	return out
}

// Column reads one column of the row with the given id as text, "NULL" for NULL.
func Column(t testing.TB, conn *db.DB, table, col string, id int) string {
	t.Helper()
	expr := col
	if conn.Dialect == db.Postgres {
		expr = "CAST(" + col + " AS TEXT)"
	}
	var v sql.NullString
	require.NoError(t, conn.QueryRow(fmt.Sprintf("SELECT %s FROM %s WHERE id = %d", expr, table, id)).Scan(&v))
	if !v.Valid {
		return "NULL"
	}
	return v.String
}
