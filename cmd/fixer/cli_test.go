package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	sqlfiles "fixer/sql"
)

// run executes the command line in-process and returns stdout, stderr and the exit code main
// would give.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	code := exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

// fixtureDB returns the URL of a fresh database of dialect d with the reference schema and the
// hand-checked fixture of the repair integration suite.
// fixtureConn is fixtureDB with a connection to it, closed when the test ends.
func fixtureConn(t *testing.T, d db.Dialect) (string, *db.DB) {
	t.Helper()
	dsn := fixtureDB(t, d)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return dsn, conn
}

func fixtureDB(t *testing.T, d db.Dialect) string {
	t.Helper()
	dsn := testdb.New(t, d)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	defer conn.Close()
	schema, err := sqlfiles.FS.ReadFile("reference/" + string(d) + ".sql")
	require.NoError(t, err)
	fixture, err := os.ReadFile("../../repair/sqlstore/testdata/fixture.sql")
	require.NoError(t, err)
	for _, stmt := range strings.Split(string(schema)+"\n"+string(fixture), ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "--") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		_, err := conn.Exec(strings.TrimSuffix(strings.Join(lines, "\n"), ";"))
		require.NoError(t, err)
	}
	return dsn
}

func TestBadInputStopsWithAClearMessage(t *testing.T) {
	t.Parallel()
	good := fixtureDB(t, db.SQLite)
	dir := t.TempDir()
	badKey := filepath.Join(dir, "bad-key.yaml")
	require.NoError(t, os.WriteFile(badKey, []byte("zone: Asia/Ho_Chi_Minh\nscope:\n  recieved_from: 2021-01-01\n"), 0o600))
	badZone := filepath.Join(dir, "bad-zone.yaml")
	require.NoError(t, os.WriteFile(badZone, []byte("zone: Asia/Hanoi_Typo\n"), 0o600))
	badColumn := filepath.Join(dir, "bad-column.yaml")
	require.NoError(t, os.WriteFile(badColumn, []byte("schema:\n  dossiers:\n    due_at: han_xu_ly\n    status: trang_thai\n"), 0o600))
	badIdent := filepath.Join(dir, "bad-ident.yaml")
	require.NoError(t, os.WriteFile(badIdent, []byte("schema:\n  dossiers:\n    table: \"dossiers; DROP TABLE x\"\n"), 0o600))

	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no dsn", []string{"plan"}, 2, []string{"no database given", "--dsn"}},
		{"unknown scheme", []string{"plan", "--dsn", "oracle://u:secret@h/db"}, 2, []string{"postgres://, mysql:// or sqlite:"}},
		{"unreachable server", []string{"plan", "--dsn", "postgres://fixer:secret@127.0.0.1:1/none?connect_timeout=2"}, 1,
			[]string{"cannot connect", "127.0.0.1:1"}},
		{"unknown config key", []string{"plan", "--dsn", good, "--config", badKey}, 2, []string{"line 3", "recieved_from"}},
		{"unknown zone", []string{"plan", "--dsn", good, "--config", badZone}, 2, []string{"Asia/Hanoi_Typo"}},
		{"missing columns", []string{"plan", "--dsn", good, "--config", badColumn}, 2,
			[]string{"dossiers.han_xu_ly", "dossiers.trang_thai"}},
		{"unsafe identifier", []string{"plan", "--dsn", good, "--config", badIdent}, 2, []string{"not a name fixer can use"}},
		{"apply without reason", []string{"apply", "--dsn", good}, 2, []string{"--reason is required"}},
		{"zero batch size", []string{"plan", "--dsn", good, "--batch-size", "0"}, 2, []string{"--batch-size 0"}},
		{"bad output", []string{"plan", "--dsn", good, "--output", "xml"}, 2, []string{"xml"}},
		{"bad date", []string{"plan", "--dsn", good, "--received-from", "2021-13-01"}, 2, []string{"2021-13-01"}},
		{"bad shard", []string{"plan", "--dsn", good, "--shard", "3/2"}, 2, []string{"--shard"}},
		{"unknown flag", []string{"plan", "--frobnicate"}, 2, []string{"frobnicate"}},
		{"missing sqlite file", []string{"plan", "--dsn", "sqlite:" + filepath.Join(dir, "typo.db")}, 2, []string{"typo.db", "no such file"}},
		{"unparsable URL", []string{"plan", "--dsn", "mysql://root:secret/x@127.0.0.1:3306/db"}, 2, []string{"percent-encode"}},
		{"rollback of nothing", []string{"rollback", "99", "--dsn", good}, 2, []string{"audit tables do not exist"}},
		{"history limit 0", []string{"history", "--dsn", good, "--limit", "0"}, 2, []string{"--limit 0", "at least 1"}},
		{"history limit below 0", []string{"history", "--dsn", good, "--limit", "-5"}, 2, []string{"--limit -5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			for _, w := range tc.want {
				require.Contains(t, stderr, w)
			}
			require.NotContains(t, stderr, "secret", "no password in messages")
		})
	}
	_, err := os.Stat(filepath.Join(dir, "typo.db"))
	require.True(t, os.IsNotExist(err), "plan created no file")
}

func TestPlanApplyRollbackCommands(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := fixtureDB(t, d)

			out, stderr, code := run(t, "plan", "--dsn", dsn, "--as-of", "2021-12-09 17:00")
			require.Equal(t, 0, code, stderr)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Equal(t, "Dry run: nothing was written to the database.", lines[len(lines)-1])
			require.Contains(t, out, "late_hours -> on_time")

			out, stderr, code = run(t, "plan", "--dsn", dsn, "--output", "json")
			require.Equal(t, 0, code, stderr)
			var plan map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &plan))
			require.EqualValues(t, 12, plan["rows_to_change"])
			require.EqualValues(t, 6, plan["rows_skipped"])
			require.Contains(t, out, `"late_hours -> on_time"`, "arrows are written as they are")

			out, _, code = run(t, "plan", "--dsn", dsn, "--output", "csv")
			require.Equal(t, 0, code)
			require.Contains(t, out, "change,dossiers,1,D01,due_at,2021-03-09 10:15:42,2021-03-09 11:30:00,deadline,")
			require.Contains(t, out, "skip,dossiers,7,D07,,,,no_receipt_time,")

			out, _, code = run(t, "plan", "--dsn", dsn, "--sql")
			require.Equal(t, 0, code)
			require.Contains(t, out, "UPDATE ")

			out, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "CV 1503/STTTT", "--output", "json")
			require.Equal(t, 0, code, stderr)
			var applied map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &applied))
			require.EqualValues(t, 1, applied["changeset_id"])
			require.EqualValues(t, 12, applied["rows_changed"])
			require.EqualValues(t, 6, applied["rows_skipped"])

			out, _, code = run(t, "history", "--dsn", dsn)
			require.Equal(t, 0, code)
			require.Contains(t, out, "CV 1503/STTTT")
			out, _, code = run(t, "show", "1", "--dsn", dsn)
			require.Equal(t, 0, code)
			require.Contains(t, out, "2021-03-09 11:30:00")

			// Someone changes a repaired dossier: the rollback leaves it alone and exits 4.
			conn, err := db.Open(context.Background(), dsn, db.Options{})
			require.NoError(t, err)
			defer conn.Close()
			_, err = conn.Exec("UPDATE dossiers SET due_at = '2021-03-10 08:00:00' WHERE id = 1")
			require.NoError(t, err)

			out, _, code = run(t, "rollback", "1", "--dsn", dsn, "--dry-run")
			require.Equal(t, 0, code)
			require.Contains(t, out, "1 conflicts")
			require.Contains(t, out, "nothing was written")

			out, stderr, code = run(t, "rollback", "1", "--dsn", dsn, "--output", "json")
			require.Equal(t, 4, code, stderr)
			var back map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &back))
			require.EqualValues(t, 2, back["changeset_id"])
			require.EqualValues(t, 11, back["rows_changed"])
			require.EqualValues(t, 1, back["conflicts"])
			var due string
			q := "SELECT due_at FROM dossiers WHERE id = 1"
			if d == db.Postgres {
				q = "SELECT CAST(due_at AS TEXT) FROM dossiers WHERE id = 1"
			}
			require.NoError(t, conn.Get(&due, q))
			require.Equal(t, "2021-03-10 08:00:00", due)
		})
	}
}

// A run stopped on request exits 5 and says why; running again finishes the rest.
func TestStoppedRunExitsFive(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	out, stderr, code := run(t, "apply", "--dsn", dsn, "--reason", "window", "--max-runtime", "1ns", "--batch-size", "2")
	require.Equal(t, 5, code, stderr)
	require.Contains(t, out, "Stopped: max runtime 1ns reached.")
	require.Contains(t, stderr, "stopped before the end: apply --resume finishes the rest in the same changeset")

	out, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "window", "--resume", "--output", "json")
	require.Equal(t, 0, code, stderr)
	var sum map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	require.Equal(t, true, sum["resumed"])
	require.EqualValues(t, 1, sum["changeset_id"])
	require.EqualValues(t, 12, sum["rows_changed"],
		"the six procedures and six dossier rows: a run time spent before the first write writes nothing")
}

// The whole path on a seeded province, on each database: plan changes nothing and creates no
// table; apply records one audit row per changed value; a second apply finds nothing; the
// rollback gives back the seeded data exactly.
func TestSeededRoundTrip(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := testdb.New(t, d)
			_, stderr, code := run(t, "seed", "--dsn", dsn, "--dossiers", "2000", "--seed", "3")
			require.Equal(t, 0, code, stderr)
			conn, err := db.Open(context.Background(), dsn, db.Options{})
			require.NoError(t, err)
			defer conn.Close()
			seeded, tablesSeeded := testdb.Checksums(t, conn, testdb.ReferenceTables...), testdb.Tables(t, conn)

			out, stderr, code := run(t, "plan", "--dsn", dsn, "--output", "json")
			require.Equal(t, 0, code, stderr)
			var plan map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &plan))
			require.Equal(t, seeded, testdb.Checksums(t, conn, testdb.ReferenceTables...))
			require.Equal(t, tablesSeeded, testdb.Tables(t, conn), "plan creates no table")
			require.Greater(t, plan["rows_to_change"].(float64), 1000.0)

			out, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "CV test", "--output", "json")
			require.Equal(t, 0, code, stderr)
			var applied map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &applied))
			require.Equal(t, plan["rows_to_change"], applied["rows_changed"])
			require.Equal(t, plan["values_changed"], applied["values_changed"])
			var audit, distinct int
			require.NoError(t, conn.Get(&audit, "SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = 1"))
			require.NoError(t, conn.Get(&distinct, "SELECT COUNT(*) FROM (SELECT DISTINCT table_name, row_pk, column_name FROM fixer_changes WHERE changeset_id = 1) x"))
			require.EqualValues(t, applied["values_changed"], audit)
			require.Equal(t, audit, distinct, "one audit row per changed value")

			out, _, code = run(t, "apply", "--dsn", dsn, "--reason", "again", "--output", "json")
			require.Equal(t, 0, code)
			var again map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &again))
			require.EqualValues(t, 0, again["rows_changed"])

			_, stderr, code = run(t, "rollback", "1", "--dsn", dsn)
			require.Equal(t, 0, code, stderr)
			require.Equal(t, seeded, testdb.Checksums(t, conn, testdb.ReferenceTables...))

			// Asked again, the rollback has nothing to undo: it says so, as no configuration
			// error, and records nothing.
			_, stderr, code = run(t, "rollback", "1", "--dsn", dsn)
			require.Equal(t, 2, code, stderr)
			require.Contains(t, stderr, "fixer: changeset 1 was already rolled back: nothing is left to undo")
			require.NotContains(t, stderr, "configuration")
		})
	}
}

// Concurrent workers write many small batches into one changeset without deadlocking each
// other, and change exactly what one worker would.
func TestWorkersShareOneChangeset(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := testdb.New(t, d)
			_, stderr, code := run(t, "seed", "--dsn", dsn, "--dossiers", "3000", "--seed", "5")
			require.Equal(t, 0, code, stderr)
			out, _, code := run(t, "plan", "--dsn", dsn, "--output", "json")
			require.Equal(t, 0, code)
			var plan map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &plan))

			out, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "workers", "--workers", "3",
				"--batch-size", "40", "--output", "json")
			require.Equal(t, 0, code, stderr)
			var applied map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &applied))
			require.Equal(t, plan["rows_to_change"], applied["rows_changed"])
		})
	}
}

// A rollback that leaves a row alone says which of its values were changed since the run (with
// what the row holds now) and which still hold what the run wrote. D01 (1d, received Monday
// 2021-03-08 10:15:42, completed Tuesday 10:40) was repaired to an appointment at the end of
// Tuesday 2021-03-09 17:00, a deadline at the end of Tuesday's morning session 11:30 and on time
// (is_late 0); a clerk then moves only its deadline. On PostgreSQL a boolean re-synchronisation
// flag set to "1" by set_on_change reads back as true: still the value the run wrote.
func TestRollbackConflictSaysWhatChanged(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn, conn := fixtureConn(t, d)
			var cfg []string
			if d == db.Postgres {
				_, err := conn.Exec("ALTER TABLE dossiers ADD COLUMN resync boolean NOT NULL DEFAULT false")
				require.NoError(t, err)
				file := filepath.Join(t.TempDir(), "resync.yaml")
				require.NoError(t, os.WriteFile(file, []byte("schema:\n  dossiers:\n    set_on_change: {resync: \"1\"}\n"), 0o600))
				cfg = []string{"--config", file}
			}
			_, stderr, code := run(t, append([]string{"apply", "--dsn", dsn, "--reason", "CV 1503/STTTT"}, cfg...)...)
			require.Equal(t, 0, code, stderr)
			_, err := conn.Exec("UPDATE dossiers SET due_at = '2021-03-10 08:00:00' WHERE id = 1")
			require.NoError(t, err)

			for _, args := range [][]string{{"--dry-run"}, {}} {
				args = append(append([]string{"rollback", "1", "--dsn", dsn}, cfg...), args...)
				out, stderr, code := run(t, args...)
				if len(args) == len(cfg)+4 {
					require.Equal(t, 4, code, stderr)
				}
				require.Contains(t, out, "dossiers 1 due_at: expected 2021-03-09 11:30:00, found 2021-03-10 08:00:00\n")
				require.Contains(t, out, "dossiers 1 appointment_at: 2021-03-09 17:00:00 as the run wrote it")
				require.Contains(t, out, "dossiers 1 is_late: 0 as the run wrote it")
				require.NotContains(t, out, "appointment_at: expected")
				if d == db.Postgres {
					require.Contains(t, out, "dossiers 1 resync: 1 as the run wrote it")
				}
			}
		})
	}
}

// A database whose sessions are read-only lets plan run and makes apply fail with a line that
// says so, and what to do, below the server's own error.
func TestReadOnlySessionIsNamed(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.Postgres)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	var name string
	require.NoError(t, conn.Get(&name, "SELECT current_database()"))
	_, err = conn.Exec(`ALTER DATABASE "` + name + `" SET default_transaction_read_only = on`)
	require.NoError(t, err)
	conn.Close()

	_, stderr, code := run(t, "plan", "--dsn", dsn)
	require.Equal(t, 0, code, stderr)
	_, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "read-only")
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stderr, "read-only transaction")
	require.Contains(t, stderr, "the database session is read-only (default_transaction_read_only set for the database or the role")
}
