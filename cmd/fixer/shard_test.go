package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// TestShardsRunSideBySide runs the two shards of one run at once on one database, as two
// machines would, both under one --run-id: each proceeds while the other holds its lock, and
// together they leave the data exactly as one run over every key leaves an identical copy. A
// run over every key started meanwhile is refused with exit 3.
func TestShardsRunSideBySide(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			whole, wholeDSN := freshDB(t, d)
			seedProvince(t, bin, wholeDSN, 600)
			code, _, errOut := bin.run(t, "whole-runner", "apply", "--dsn", wholeDSN, "--reason", "one run",
				"--as-of", asOf)
			require.Equal(t, 0, code, errOut)

			conn, dsn := freshDB(t, d)
			seedProvince(t, bin, dsn, 600)
			shard := func(s string, extra ...string) []string {
				return append([]string{"apply", "--dsn", dsn, "--reason", "two machines", "--as-of", asOf,
					"--shard", s, "--run-id", "repair-2021-a"}, extra...)
			}
			first := bin.start(t, "first-shard", shard("1/2", "--batch-size", "5", "--sleep", "100ms")...)
			firstHolds := func() bool {
				var n int
				return conn.Get(&n, "SELECT COUNT(*) FROM fixer_locks WHERE name = 'run 1/2'") == nil && n == 1
			}
			eventually(t, time.Minute, first, "the first shard's lease", firstHolds)
			code, out, errOut := bin.run(t, "whole-runner", "apply", "--dsn", dsn, "--reason", "one run",
				"--as-of", asOf)
			require.Equal(t, exitLocked, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			require.Contains(t, errOut, "first-shard")
			require.Contains(t, errOut, "shard 1/2")

			code, out, errOut = bin.run(t, "second-shard", shard("2/2")...)
			require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			require.True(t, firstHolds(), "the first shard was still running when the second ended")
			require.Equal(t, 0, first.wait(t, 2*time.Minute), first.stderr.String())

			require.Equal(t, testdb.Checksums(t, whole, "dossiers", "dossier_steps", "procedures"),
				testdb.Checksums(t, conn, "dossiers", "dossier_steps", "procedures"))
			var runs []struct {
				ID        int64  `db:"id"`
				RunID     string `db:"run_id"`
				Shard     string `db:"shard"`
				Status    string `db:"status"`
				Conflicts int64  `db:"conflicts"`
			}
			require.NoError(t, conn.Select(&runs, "SELECT id, run_id, shard, status, conflicts FROM fixer_changesets ORDER BY shard"))
			require.Len(t, runs, 2, "the refused run created no changeset")
			for i, want := range []string{"1/2", "2/2"} {
				require.Equal(t, "repair-2021-a", runs[i].RunID)
				require.Equal(t, want, runs[i].Shard)
				require.Equal(t, "done", runs[i].Status)
				require.Zero(t, runs[i].Conflicts, "the shards do not take each other's writes for conflicts")
			}
			var procedureRows int
			require.NoError(t, conn.Get(&procedureRows, conn.Rebind("SELECT COUNT(*) FROM fixer_changes "+
				"WHERE table_name = 'procedures' AND changeset_id = ?"), runs[1].ID))
			require.Zero(t, procedureRows, "the first shard alone writes the procedures")
			var leases int
			require.NoError(t, conn.Get(&leases, "SELECT COUNT(*) FROM fixer_locks"))
			require.Zero(t, leases)
		})
	}
}
