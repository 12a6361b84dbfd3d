package sqlstore

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// A text array reaches PostgreSQL element for element, whatever the elements hold.
func TestTextArrayRoundTrip(t *testing.T) {
	t.Parallel()
	conn, err := db.Open(context.Background(), testdb.New(t, db.Postgres), db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })

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
