package seed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// The small province the integration tests seed: the hand-checked dossiers of
// handcheck_test.go are taken from it.
var smallOpts = Options{Dossiers: 3000, Year: 2021, Seed: 7}

func open(t *testing.T, dsn string) *db.DB {
	t.Helper()
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// seeded returns a fresh database of dialect d seeded with opts, and the summary.
func seeded(t *testing.T, d db.Dialect, opts Options) (*db.DB, Summary) {
	t.Helper()
	conn := open(t, testdb.New(t, d))
	sum, err := Run(context.Background(), conn, opts, false)
	require.NoError(t, err)
	return conn, sum
}

// text renders a value read back from any of the drivers the way it was written.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case string:
		return x
	case time.Time:
		return x.Format(timeLayout)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// readRows returns the rows of a query as text, one string per value.
func readRows(t *testing.T, conn *db.DB, query string, args ...any) [][]string {
	t.Helper()
	rows, err := conn.Query(query, args...)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)

	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = text(v)
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

// checksums returns a digest of every reference table, its rows in id order.
func checksums(t *testing.T, conn *db.DB) map[string]string {
	t.Helper()
	sums := map[string]string{}
	tables := []table{agenciesTable, proceduresTable, procStepsTable, dossiersTable, dossierStepsTable}
	for _, tab := range tables {
		q := "SELECT " + strings.Join(tab.cols, ", ") + " FROM " + tab.name + " ORDER BY id"
		h := sha256.New()
		for _, row := range readRows(t, conn, q) {
			fmt.Fprintln(h, strings.Join(row, "\t"))
		}
		sums[tab.name] = hex.EncodeToString(h.Sum(nil))
	}
	return sums
}

func count(t *testing.T, conn *db.DB, query string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, conn.Get(&n, query))
	return n
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	first, _ := seeded(t, db.SQLite, smallOpts)
	again, _ := seeded(t, db.SQLite, smallOpts)
	require.Equal(t, checksums(t, first), checksums(t, again))

	other := smallOpts
	other.Seed++
	different, _ := seeded(t, db.SQLite, other)
	a, b := checksums(t, first), checksums(t, different)
	require.NotEqual(t, a["dossiers"], b["dossiers"], "another seed gives other dossiers")
	require.Equal(t, a["agencies"], b["agencies"], "the agencies are fixed")
}

// TestSeedWritesTheSameRowsOnEveryDialect seeds each real database and checks the rows: how
// many, the legacy configuration, ids, is_late, and the same text, value for value, as SQLite.
func TestSeedWritesTheSameRowsOnEveryDialect(t *testing.T) {
	t.Parallel()
	ref, refSum := seeded(t, db.SQLite, smallOpts)
	want := checksums(t, ref)

	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, sum := seeded(t, d, smallOpts)
			require.Equal(t, refSum, sum)

			require.EqualValues(t, 26, count(t, conn, "SELECT COUNT(*) FROM agencies"))
			require.EqualValues(t, 7, count(t, conn, "SELECT COUNT(*) FROM agencies WHERE kind = 'district'"))
			require.EqualValues(t, sum.Procedures, count(t, conn, "SELECT COUNT(*) FROM procedures"))
			require.EqualValues(t, sum.ProcedureSteps, count(t, conn, "SELECT COUNT(*) FROM procedure_steps"))
			require.EqualValues(t, smallOpts.Dossiers, count(t, conn, "SELECT COUNT(*) FROM dossiers"))
			require.EqualValues(t, smallOpts.Dossiers, count(t, conn, "SELECT MAX(id) FROM dossiers"))
			require.EqualValues(t, 1, count(t, conn, "SELECT MIN(id) FROM dossiers"))
			require.EqualValues(t, sum.DossierSteps, count(t, conn, "SELECT COUNT(*) FROM dossier_steps"))
			require.EqualValues(t, sum.DossierSteps, count(t, conn, "SELECT MAX(id) FROM dossier_steps"))

			require.Zero(t, count(t, conn, `SELECT COUNT(*) FROM procedures WHERE appointment_count <> 'hour'
				OR appointment_snap <> 'none' OR deadline_count <> 'hour' OR deadline_snap <> 'none'`))
			require.EqualValues(t, 1, count(t, conn, "SELECT COUNT(*) FROM procedures WHERE processing_time IS NULL"))
			require.EqualValues(t, 1, count(t, conn, "SELECT COUNT(*) FROM procedures WHERE processing_time = '5xyz'"))

			// is_late agrees with the stored deadline wherever both times are there.
			require.Zero(t, count(t, conn, `SELECT COUNT(*) FROM dossiers WHERE status = 'done'
				AND due_at IS NOT NULL AND completed_at IS NOT NULL
				AND is_late <> CASE WHEN completed_at > due_at THEN 1 ELSE 0 END`))
			require.Zero(t, count(t, conn, `SELECT COUNT(*) FROM dossiers
				WHERE status IN ('processing', 'paused') AND (completed_at IS NOT NULL OR is_late IS NOT NULL)`))
			require.Positive(t, count(t, conn,
				"SELECT COUNT(*) FROM dossiers WHERE status = 'paused' AND paused_count > 0"))
			require.Positive(t, count(t, conn, "SELECT COUNT(*) FROM dossiers WHERE rescheduled_at IS NOT NULL"))
			require.Positive(t, count(t, conn, "SELECT COUNT(*) FROM dossiers WHERE extended_at IS NOT NULL"))
			require.Positive(t, count(t, conn, "SELECT COUNT(*) FROM dossiers WHERE status = 'withdrawn'"))

			// The bad rows the repair must skip.
			require.Positive(t, count(t, conn, "SELECT COUNT(*) FROM dossiers WHERE received_at IS NULL"))
			require.Positive(t, count(t, conn, "SELECT COUNT(*) FROM dossiers WHERE completed_at < received_at"))
			require.Positive(t, count(t, conn, `SELECT COUNT(*) FROM dossiers d
				WHERE NOT EXISTS (SELECT 1 FROM procedures p WHERE p.id = d.procedure_id)`))

			require.Equal(t, want, checksums(t, conn), "same text in every dialect")
		})
	}
}

func TestSeedRefusesDataUnlessReplace(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, testdb.New(t, d))
			opts := Options{Dossiers: 300, Year: 2022, Seed: 3}

			// Empty reference tables are not data: they are taken as they are.
			_, err := conn.Exec("CREATE TABLE agencies (id BIGINT PRIMARY KEY, code VARCHAR(32) NOT NULL UNIQUE, " +
				"name VARCHAR(255) NOT NULL, kind VARCHAR(16) NOT NULL)")
			require.NoError(t, err)
			_, err = Run(ctx, conn, opts, false)
			require.NoError(t, err)

			_, err = Run(ctx, conn, opts, false)
			require.ErrorIs(t, err, ErrNotEmpty)
			require.ErrorContains(t, err, "has rows")

			_, err = conn.Exec("CREATE TABLE keep_me (id INT PRIMARY KEY)")
			require.NoError(t, err)
			_, err = conn.Exec("INSERT INTO keep_me (id) VALUES (1)")
			require.NoError(t, err)

			opts.Dossiers = 120
			sum, err := Run(ctx, conn, opts, true)
			require.NoError(t, err)
			require.EqualValues(t, 120, sum.Dossiers)
			require.EqualValues(t, 120, count(t, conn, "SELECT COUNT(*) FROM dossiers"))
			require.EqualValues(t, 1, count(t, conn, "SELECT COUNT(*) FROM keep_me"), "other tables are left alone")
		})
	}
}

func TestSeedOptionsValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"zero dossiers", Options{Dossiers: 0, Year: 2021}, "dossiers 0"},
		{"negative dossiers", Options{Dossiers: -5, Year: 2021}, "dossiers -5"},
		{"year too early", Options{Dossiers: 10, Year: 1989}, "year 1989"},
		{"year too late", Options{Dossiers: 10, Year: 2101}, "year 2101"},
		{"fine", Options{Dossiers: 1, Year: 2100}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.opts.Validate()
			if c.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrBadOptions)
			require.ErrorContains(t, err, c.want)
		})
	}
}

func TestSeedSplitStatements(t *testing.T) {
	t.Parallel()
	got := splitStatements(`-- header; with a semicolon
CREATE TABLE a (
    id INT -- the key;
);
CREATE INDEX b ON a (id);

-- trailing comment
`)
	require.Equal(t, []string{
		"CREATE TABLE a (\n    id INT -- the key;\n)",
		"CREATE INDEX b ON a (id)",
	}, got)

	// Five tables, and two indexes that MySQL declares inside its tables.
	want := map[db.Dialect]int{db.Postgres: 7, db.MySQL: 5, db.SQLite: 7}
	for d, n := range want {
		stmts, err := referenceSQL(d)
		require.NoError(t, err)
		require.Len(t, stmts, n, "reference schema of %s", d)
	}
}
