package sqlstore_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
	sqlfiles "fixer/sql"
)

// open gives a fresh database of dialect d holding the reference schema.
func open(t *testing.T, d db.Dialect) *db.DB {
	t.Helper()
	conn, err := db.Open(context.Background(), testdb.New(t, d), db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	schema, err := sqlfiles.FS.ReadFile("reference/" + string(d) + ".sql")
	require.NoError(t, err)
	execScript(t, conn, string(schema))
	return conn
}

// execScript runs statements separated by semicolons at line ends.
func execScript(t *testing.T, conn *db.DB, script string) {
	t.Helper()
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		tl := strings.TrimSpace(line)
		if tl == "" || strings.HasPrefix(tl, "--") {
			continue
		}
		cur.WriteString(line + "\n")
		if strings.HasSuffix(tl, ";") {
			_, err := conn.Exec(strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			require.NoError(t, err, cur.String())
			cur.Reset()
		}
	}
}

func loadFixture(t *testing.T, conn *db.DB) {
	t.Helper()
	data, err := os.ReadFile("testdata/fixture.sql")
	require.NoError(t, err)
	execScript(t, conn, string(data))
}

// alteredFixture opens a database of dialect d with the fixture loaded, then changed by the
// dialect's statement in alter.
func alteredFixture(t *testing.T, d db.Dialect, alter map[db.Dialect]string) *db.DB {
	t.Helper()
	conn := open(t, d)
	loadFixture(t, conn)
	_, err := conn.Exec(alter[d])
	require.NoError(t, err)
	return conn
}

func tables(t *testing.T, conn *db.DB) []string { return testdb.Tables(t, conn) }

var referenceTables = testdb.ReferenceTables

// checksums hashes every row of every reference table.
func checksums(t *testing.T, conn *db.DB) map[string]string {
	t.Helper()
	return testdb.Checksums(t, conn, referenceTables...)
}

// checksumsOf hashes every row of the given tables.
func checksumsOf(t *testing.T, conn *db.DB, tables ...string) map[string]string {
	t.Helper()
	return testdb.Checksums(t, conn, tables...)
}

// runner builds a runner with the default configuration over conn.
func runner(t *testing.T, conn *db.DB) *repair.Runner {
	t.Helper()
	cfg, err := repair.DefaultConfig().Resolve()
	require.NoError(t, err)
	store := sqlstore.New(conn, cfg.Schema, cfg.TablePrefix, cfg.Zone)
	asOf := time.Date(2021, 12, 9, 17, 0, 0, 0, cfg.Zone)
	return &repair.Runner{Store: store, Config: cfg, BatchSize: 4, AsOf: asOf,
		Operator: repair.Operator{Name: "tester", Host: "localhost", PID: os.Getpid(), Version: "test"}}
}

// column reads one column of one row as text (NULL as "NULL").
func column(t *testing.T, conn *db.DB, table, col string, id int) string {
	t.Helper()
	return testdb.Column(t, conn, table, col, id)
}

func sqlfilesReference(d db.Dialect) (string, error) {
	b, err := sqlfiles.FS.ReadFile("reference/" + string(d) + ".sql")
	return string(b), err
}
