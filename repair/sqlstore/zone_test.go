package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// zoneRun applies a profile that counts hours without rounding, so that the deadline shows the
// exact minute, to a one-dossier database, and returns the stored deadline as local text.
func zoneRun(t *testing.T, conn *db.DB, duration string) string {
	t.Helper()
	ctx := context.Background()
	_, err := conn.Exec("INSERT INTO agencies VALUES (1, 'A', 'A', 'department')")
	require.NoError(t, err)
	_, err = conn.Exec(fmt.Sprintf("INSERT INTO procedures VALUES (1, 'P', 'P', 1, '%s', NULL, 'hour', 'none', 'hour', 'none')", duration))
	require.NoError(t, err)

	cfg := repair.DefaultConfig()
	cfg.Profile.Deadline.Snap = "none"
	cfg.Scope.ReceivedFrom, cfg.Scope.ReceivedTo = "2024-01-01", "2024-12-31"
	res, err := cfg.Resolve()
	require.NoError(t, err)
	r := &repair.Runner{Store: sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone), Config: res,
		AsOf: time.Date(2024, 12, 31, 0, 0, 0, 0, res.Zone)}
	_, err = r.Apply(ctx, "zone test")
	require.NoError(t, err)

	q := "SELECT due_at FROM dossiers WHERE id = 1"
	if conn.Dialect == db.Postgres {
		q = "SELECT to_char(due_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI:SS') FROM dossiers WHERE id = 1"
	}
	var due string
	require.NoError(t, conn.Get(&due, q))
	return due
}

// Field case 1: received 2024-03-04 08:00 local in a TIMESTAMP column, 4 working hours: due
// 13:30 the same day (3.5 h before lunch, 0.5 h after). The same with a DATETIME column, and
// with a URL that names another zone: a result of 2024-03-05 09:30 would mean UTC was read.
func TestMySQLTimestampAndDatetimeReadLocal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, column, query string }{
		{"timestamp", "TIMESTAMP NULL", ""},
		{"datetime", "DATETIME NULL", ""},
		{"timestamp, URL in UTC", "TIMESTAMP NULL", "?time_zone=%27%2B00%3A00%27"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn := openURL(t, db.MySQL, tc.query)
			for _, col := range []string{"received_at", "appointment_at", "due_at"} {
				_, err := conn.Exec("ALTER TABLE dossiers MODIFY " + col + " " + tc.column)
				require.NoError(t, err)
			}
			_, err := conn.Exec("INSERT INTO dossiers (id, code, procedure_id, agency_id, received_at, status) " +
				"VALUES (1, 'D1', 1, 1, '2024-03-04 08:00:00', 'processing')")
			require.NoError(t, err)
			require.Equal(t, "2024-03-04 13:30:00", zoneRun(t, conn, "4h"))
		})
	}
}

// Field case 2: received 2024-03-04 16:30 local, 2 working hours: due 2024-03-05 09:00 (0.5 h
// that day, 1.5 h from 07:30 the next), in a timestamp column and in a timestamptz one.
func TestPostgresTimestampAndTimestamptz(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"timestamp(0)", "timestamptz(0)"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			conn := openURL(t, db.Postgres, "")
			for _, col := range []string{"received_at", "appointment_at", "due_at"} {
				_, err := conn.Exec("ALTER TABLE dossiers ALTER COLUMN " + col + " TYPE " + typ)
				require.NoError(t, err)
			}
			_, err := conn.Exec("INSERT INTO dossiers (id, code, procedure_id, agency_id, received_at, status) " +
				"VALUES (1, 'D1', 1, 1, '2024-03-04 16:30:00', 'processing')")
			require.NoError(t, err)
			require.Equal(t, "2024-03-05 09:00:00", zoneRun(t, conn, "2h"))
		})
	}
}

// openURL is open with extra URL parameters.
func openURL(t *testing.T, d db.Dialect, query string) *db.DB {
	t.Helper()
	conn, err := db.Open(context.Background(), testdb.New(t, d)+query, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	schema, err := sqlfilesReference(d)
	require.NoError(t, err)
	execScript(t, conn, schema)
	return conn
}
