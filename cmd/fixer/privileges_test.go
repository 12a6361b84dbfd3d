package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// operatorGrants are the rights README gives the operator's account for apply and rollback
// once fixer migrate has run: SELECT on every table (given by accountDSN), and these.
var operatorGrants = []grant{
	{privileges: "UPDATE", object: "procedures"},
	{privileges: "UPDATE", object: "dossiers"},
	{privileges: "UPDATE", object: "dossier_steps"},
	{privileges: "INSERT, UPDATE", object: "fixer_changesets"},
	{privileges: "INSERT", object: "fixer_changes"},
	{privileges: "INSERT, UPDATE, DELETE", object: "fixer_locks"},
	{privileges: "USAGE", object: "fixer_changesets_id_seq", sequence: true},
	{privileges: "USAGE", object: "fixer_changes_id_seq", sequence: true},
}

// operatorDB prepares a database with three of five dossiers wrong, runs fixer migrate with
// the administrator's account, and creates an operator account with grants that may create
// nothing. It returns the administrator's connection and the operator's URL.
func operatorDB(t *testing.T, bin fixerBinary, d db.Dialect, grants []grant) (*db.DB, string) {
	t.Helper()
	conn, dsn := freshDB(t, d)
	wrong := map[int]bool{1: true, 3: true, 4: true}
	insertOpenDossiers(t, conn, 5, func(id int) bool { return wrong[id] })
	code, _, errOut := bin.run(t, "dba", "migrate", "--dsn", dsn)
	require.Equal(t, 0, code, errOut)
	op := accountDSN(t, conn, dsn, "op", grants)

	opConn, err := db.Open(t.Context(), op, db.Options{})
	require.NoError(t, err)
	defer opConn.Close()
	_, err = opConn.Exec("CREATE TABLE probe (id INT)")
	require.Error(t, err, "the operator's account can create tables")
	return conn, op
}

// With fixer's tables made by fixer migrate, an account holding only the rights README lists
// applies and rolls back: no DDL is sent, the three wrong dossiers get the 2021 profile's
// values, the lease row is gone after each run, and the rollback restores every table.
func TestApplyAndRollbackWithOperatorRights(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, op := operatorDB(t, bin, d, operatorGrants)
			seeded, tables := referenceChecksums(t, conn), tableList(t, conn)

			code, out, errOut := bin.run(t, "operator", "apply", "--dsn", op, "--reason", "CV 1234/STTTT",
				"--as-of", asOf)
			require.Equal(t, 0, code, errOut)
			require.Contains(t, out, "Changed 3 rows (6 values) in changeset 1")
			require.NotContains(t, errOut, "run lock not released")
			for _, id := range []int{1, 3, 4} {
				require.Equal(t, repairedAppt, textOf(t, conn, "dossiers", "appointment_at", id))
				require.Equal(t, repairedDue, textOf(t, conn, "dossiers", "due_at", id))
			}
			require.Equal(t, "", leaseHolder(conn), "the lease row outlived the run")

			code, _, errOut = bin.run(t, "operator", "rollback", "1", "--dsn", op)
			require.Equal(t, 0, code, errOut)
			require.NotContains(t, errOut, "run lock not released")
			require.Equal(t, "", leaseHolder(conn), "the lease row outlived the rollback")
			require.Equal(t, seeded, referenceChecksums(t, conn))
			require.Equal(t, tables, tableList(t, conn))

			code, out, errOut = bin.run(t, "operator", "migrate", "--dsn", op)
			require.Equal(t, 0, code, errOut)
			require.Contains(t, out, "were already up to date")
		})
	}
}

// Without DELETE on the locks table the run still succeeds, but the lease row it cannot remove
// is reported with the right to grant, and left for its expiry.
func TestLeaseRowLeftWithoutDeleteRightIsReported(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	var grants []grant
	for _, g := range operatorGrants {
		if g.object == "fixer_locks" {
			g.privileges = "INSERT, UPDATE"
		}
		grants = append(grants, g)
	}
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, op := operatorDB(t, bin, d, grants)

			code, out, errOut := bin.run(t, "operator", "apply", "--dsn", op, "--reason", "CV 1234/STTTT",
				"--as-of", asOf)
			require.Equal(t, 0, code, errOut)
			require.Contains(t, out, "Changed 3 rows (6 values) in changeset 1")
			require.Contains(t, errOut, "level=WARN msg=\"run lock not released\"")
			require.Contains(t, errOut, "grant DELETE on fixer_locks to this account")
			require.Equal(t, "operator", leaseHolder(conn))
		})
	}
}
