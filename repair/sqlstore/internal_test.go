package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
)

// A text array reaches PostgreSQL element for element, whatever the elements hold.
func TestTextArrayRoundTrip(t *testing.T) {
	t.Parallel()
	conn := openConn(t, db.Postgres)

	in := textArray{
		{String: "a,b", Valid: true}, {String: `"quoted"`, Valid: true}, {String: `back\slash`, Valid: true},
		{String: "NULL", Valid: true}, {}, {String: "", Valid: true}, {String: "{}", Valid: true},
		{String: " spaced ", Valid: true}, {String: "Hồ sơ 1.001004", Valid: true}, {String: `\"`, Valid: true},
	}
	rows, err := conn.Query("SELECT x FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i", in)
	require.NoError(t, err)
	defer rows.Close()
	var out textArray
	for rows.Next() {
		var v sql.NullString
		require.NoError(t, rows.Scan(&v))
		out = append(out, v)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, in, out)
}

// NULL, the empty text and other values come back apart and intact on every dialect, row after
// row, though the reader reuses its buffers.
func TestRowReaderKeepsNullEmptyAndValues(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := openConn(t, d)
			rows, err := conn.Query("SELECT NULL, '', 'Hồ sơ', '2021-03-11 09:47:00' UNION ALL SELECT 'a', NULL, '', 'b'")
			require.NoError(t, err)
			defer rows.Close()
			r := newRowReader(d, 4)
			var got [][]sql.NullString
			for rows.Next() {
				v, err := r.scan(rows)
				require.NoError(t, err)
				got = append(got, append([]sql.NullString(nil), v...))
			}
			require.NoError(t, rows.Err())
			text := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
			require.Equal(t, [][]sql.NullString{
				{{}, text(""), text("Hồ sơ"), text("2021-03-11 09:47:00")},
				{text("a"), {}, text(""), text("b")},
			}, got)
		})
	}
}

// openConn opens a new empty database of dialect d.
func openConn(t *testing.T, d db.Dialect) *db.DB {
	t.Helper()
	conn, err := db.Open(context.Background(), testdb.New(t, d), db.Options{Create: true})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Only MariaDB from 10.3.3 takes VALUES rows after a SELECT; MySQL and TiDB report versions
// without the word.
func TestValuesRowsByServerVersion(t *testing.T) {
	t.Parallel()
	for version, want := range map[string]bool{
		"10.11.19-MariaDB-0+deb12u1": true,
		"11.4.2-MariaDB":             true,
		"10.3.3-MariaDB-log":         true,
		"10.3.2-MariaDB":             false,
		"10.2.44-MariaDB-1:10.2.44":  false,
		"5.5.5-10.6.12-MariaDB":      false,
		"8.0.36":                     false,
		"8.0.11-TiDB-v7.5.0":         false,
		"8.0.31-Vitess":              false,
	} {
		require.Equal(t, want, valuesRows(version), version)
	}
}

// Values of plain characters are written as literals, anything else as a placeholder with the
// value handed to the driver; NULL as NULL.
func TestWriteLiteral(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	var args []any
	for _, v := range []repair.Value{repair.Text("2021-03-08 17:00:00"), repair.Null, repair.Text("O'Brien"),
		repair.Text("1.001004"), repair.Text(`a\b`), repair.Text("hạn"), repair.Text("a?b"), repair.Text("")} {
		args = writeLiteral(&b, args, v)
		b.WriteString("|")
	}
	require.Equal(t, "'2021-03-08 17:00:00'|NULL|?|'1.001004'|?|?|?|''|", b.String())
	require.Equal(t, []any{"O'Brien", `a\b`, "hạn", "a?b"}, args)

	for v, want := range map[string]bool{"0": true, "-12": true, "18446744073709551615": true, "-9223372036854775808": true,
		"123456789012345678901": false, "": false, "-": false, "1e3": false, " 1": false, "+1": false} {
		require.Equal(t, want, isInteger(v), "%q", v)
	}
}

// The statements plan --sql prints write on PostgreSQL what apply writes, whether the
// server's standard_conforming_strings is on or off.
func TestPostgresDisplayLiteralsReadTheSameWithoutStandardStrings(t *testing.T) {
	t.Parallel()
	conn := openConn(t, db.Postgres)
	ctx := context.Background()
	c, err := conn.Conn(ctx)
	require.NoError(t, err)
	defer c.Close()
	for _, setting := range []string{"on", "off"} {
		_, err := c.ExecContext(ctx, "SET standard_conforming_strings = "+setting)
		require.NoError(t, err)
		for _, v := range []string{`C:\ho so`, `it's`, `\'`, `a\\b`, "plain", `\`} {
			var got string
			require.NoError(t, c.QueryRowContext(ctx, "SELECT "+literal(v, false)).Scan(&got), setting)
			require.Equal(t, v, got, "standard_conforming_strings=%s", setting)
		}
	}
}

// The statements plan --sql prints write on MySQL what apply writes, whether the session's
// sql_mode has NO_BACKSLASH_ESCAPES or not.
func TestMySQLDisplayLiteralsReadTheSameWithoutBackslashEscapes(t *testing.T) {
	t.Parallel()
	conn := openConn(t, db.MySQL)
	ctx := context.Background()
	c, err := conn.Conn(ctx)
	require.NoError(t, err)
	defer c.Close()
	for _, mode := range []string{"STRICT_ALL_TABLES", "STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES"} {
		_, err := c.ExecContext(ctx, "SET SESSION sql_mode = '"+mode+"'")
		require.NoError(t, err)
		for _, v := range []string{`C:\hồ sơ`, `it's`, `\'`, `a\\b`, "plain", `\`, `0'\?%" Đã\0`} {
			var got string
			require.NoError(t, c.QueryRowContext(ctx, "SELECT "+literal(v, true)).Scan(&got), mode)
			require.Equal(t, v, got, "sql_mode=%s", mode)
		}
	}
}
