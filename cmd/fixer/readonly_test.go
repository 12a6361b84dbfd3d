package main

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// readOnlyDSN creates an account that can only read the database behind conn, removed when the
// test ends, and returns the URL that connects with it. SQLite has no accounts: the file is
// opened read-only.
func readOnlyDSN(t *testing.T, conn *db.DB, dsn string) string {
	t.Helper()
	if conn.Dialect == db.SQLite {
		return "sqlite:file:" + strings.TrimPrefix(dsn, "sqlite:") + "?mode=ro"
	}
	return accountDSN(t, conn, dsn, "ro", nil)
}

// grant is one right a test gives an account: privileges on a table, or on a sequence, which
// only PostgreSQL has.
type grant struct {
	privileges, object string
	sequence           bool
}

// accountDSN creates an account named after kind and the database behind conn, with no password,
// that may read every table and has the extra grants, removed when the test ends; it returns
// the URL that connects with it. The account may create nothing: on PostgreSQL the schema's CREATE right is revoked from
// PUBLIC, as from version 15 on.
func accountDSN(t *testing.T, conn *db.DB, dsn, kind string, extra []grant) string {
	t.Helper()
	var name string
	require.NoError(t, conn.Get(&name, map[db.Dialect]string{
		db.Postgres: "SELECT current_database()", db.MySQL: "SELECT DATABASE()"}[conn.Dialect]))
	user := kind + "_" + strings.TrimPrefix(name, "fixer_")

	var setup, teardown []string
	if conn.Dialect == db.Postgres {
		setup = []string{
			"CREATE ROLE " + user + " LOGIN",
			"REVOKE CREATE ON SCHEMA public FROM PUBLIC",
			"REVOKE TEMPORARY ON DATABASE " + name + " FROM PUBLIC",
			"GRANT USAGE ON SCHEMA public TO " + user,
			"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + user,
		}
		for _, g := range extra {
			object := g.object
			if g.sequence {
				object = "SEQUENCE " + object
			}
			setup = append(setup, "GRANT "+g.privileges+" ON "+object+" TO "+user)
		}
		teardown = []string{"DROP OWNED BY " + user, "DROP ROLE " + user}
	} else {
		for _, host := range []string{"%", "localhost"} {
			account := "'" + user + "'@'" + host + "'"
			setup = append(setup, "CREATE USER "+account, "GRANT SELECT ON `"+name+"`.* TO "+account)
			for _, g := range extra {
				if !g.sequence {
					setup = append(setup, "GRANT "+g.privileges+" ON `"+name+"`.`"+g.object+"` TO "+account)
				}
			}
			teardown = append(teardown, "DROP USER "+account)
		}
	}
	t.Cleanup(func() {
		for _, stmt := range teardown {
			if _, err := conn.Exec(stmt); err != nil {
				t.Logf("remove %s account: %s: %v", kind, stmt, err)
			}
		}
	})
	for _, stmt := range setup {
		_, err := conn.Exec(stmt)
		require.NoError(t, err, stmt)
	}
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.User = url.User(user)
	return u.String()
}

// TestPlanWithReadOnlyAccount is field case 9: with an account that can only SELECT and no
// fixer tables in the database, fixer plan exits 0 and reports the three wrong dossiers with
// their values before and after; afterwards the list of tables and the checksum of every table
// are unchanged.
func TestPlanWithReadOnlyAccount(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	wrong := map[int]bool{1: true, 3: true, 4: true}
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, dsn := freshDB(t, d)
			insertOpenDossiers(t, conn, 5, func(id int) bool { return wrong[id] })
			ro := readOnlyDSN(t, conn, dsn)

			roConn, err := db.Open(t.Context(), ro, db.Options{})
			require.NoError(t, err)
			_, err = roConn.Exec("CREATE TABLE probe (id INT)")
			require.Error(t, err, "the read-only account can create tables")
			_, err = roConn.Exec("UPDATE dossiers SET status = status")
			require.Error(t, err, "the read-only account can update")
			roConn.Close()

			tablesBefore, sumsBefore := tableList(t, conn), referenceChecksums(t, conn)

			code, out, errOut := bin.run(t, "auditor", "plan", "--dsn", ro, "--output", "csv", "--as-of", asOf)
			require.Equal(t, 0, code, errOut)
			records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err, out)
			require.Equal(t, []string{"kind", "table", "key", "code", "column", "old_value", "new_value",
				"rule_or_reason", "detail"}, records[0])
			var changes []string
			for _, r := range records[1:] {
				changes = append(changes, strings.Join(r[:7], " "))
			}
			require.ElementsMatch(t, []string{
				"change dossiers 1 D00001 appointment_at " + legacyValue + " " + repairedAppt,
				"change dossiers 1 D00001 due_at " + legacyValue + " " + repairedDue,
				"change dossiers 3 D00003 appointment_at " + legacyValue + " " + repairedAppt,
				"change dossiers 3 D00003 due_at " + legacyValue + " " + repairedDue,
				"change dossiers 4 D00004 appointment_at " + legacyValue + " " + repairedAppt,
				"change dossiers 4 D00004 due_at " + legacyValue + " " + repairedDue,
			}, changes)

			code, out, errOut = bin.run(t, "auditor", "plan", "--dsn", ro, "--as-of", asOf)
			require.Equal(t, 0, code, errOut)
			require.Contains(t, out, "Would change 3 rows (6 values)")
			require.Contains(t, out, "dossiers 3 due_at: "+legacyValue+" -> "+repairedDue)
			require.Contains(t, out, "Dry run: nothing was written to the database.")

			require.Equal(t, tablesBefore, tableList(t, conn))
			require.Equal(t, sumsBefore, referenceChecksums(t, conn))
		})
	}
}
