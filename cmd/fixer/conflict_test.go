package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// lockWaits counts the sessions of the current database that wait for a row lock. MariaDB does
// not list a waiting locking read in information_schema.innodb_trx before it has written, so
// there an UPDATE or a SELECT ... FOR UPDATE running for a second or more stands for one.
var lockWaits = map[db.Dialect]string{
	db.Postgres: "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
	db.MySQL: "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() " +
		"AND (info LIKE '%FOR UPDATE%' OR info LIKE 'UPDATE %') AND time >= 1",
}

// TestApplyLeavesConcurrentWritesAlone runs fixer apply in small batches while another session
// (a clerk's transaction) updates the deadline of three dossiers in scope: it has locked them
// before the run reads them and commits once the run waits for them. The run must not overwrite
// them: the rows keep the other writer's values, untouched in every column, and the JSON report
// counts and lists them as conflicts; every other dossier is repaired.
//
// SQLite has no row locks and its writer blocks every other write, so the same window cannot be
// held open from outside the process there; repair/sqlstore covers it in-process on every
// dialect.
func TestApplyLeavesConcurrentWritesAlone(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	const n = 300
	targets := []int{151, 152, 153} // in the fourth batch of 50
	const theirs = "2021-03-12 16:45:00"
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, dsn := freshDB(t, d)
			insertOpenDossiers(t, conn, n, func(int) bool { return true })

			clerk, err := conn.Beginx()
			require.NoError(t, err)
			defer clerk.Rollback()
			_, err = clerk.Exec(conn.Rebind("UPDATE dossiers SET due_at = ? WHERE id IN (?, ?, ?)"),
				theirs, targets[0], targets[1], targets[2])
			require.NoError(t, err)

			p := bin.start(t, "tester", "apply", "--dsn", dsn, "--reason", "CV 1503/STTTT", "--output", "json",
				"--batch-size", "50", "--sleep", "10ms", "--as-of", asOf)
			eventually(t, time.Minute, p, "the run waiting for the clerk's rows", func() bool {
				var waiting int
				return conn.Get(&waiting, lockWaits[d]) == nil && waiting > 0
			})
			require.NoError(t, clerk.Commit())
			require.Equal(t, 0, p.wait(t, 2*time.Minute), p.stderr.String())

			var sum struct {
				RowsChanged int64 `json:"rows_changed"`
				Conflicts   int64 `json:"conflicts"`
				ChangesetID int64 `json:"changeset_id"`
				Conflict    []struct {
					Table, Key, Column string
				} `json:"conflict_rows"`
			}
			require.NoError(t, json.Unmarshal(p.stdout.Bytes(), &sum), p.stdout.String())
			require.EqualValues(t, len(targets), sum.Conflicts)
			require.EqualValues(t, n-len(targets), sum.RowsChanged)
			var listed []string
			for _, c := range sum.Conflict {
				listed = append(listed, c.Table+" "+c.Key+" "+c.Column)
			}
			var want []string
			for _, id := range targets {
				want = append(want, fmt.Sprintf("dossiers %d appointment_at", id), fmt.Sprintf("dossiers %d due_at", id))
			}
			require.ElementsMatch(t, want, listed)

			isTarget := map[int]bool{targets[0]: true, targets[1]: true, targets[2]: true}
			for id := 1; id <= n; id++ {
				appt, due := repairedAppt, repairedDue
				if isTarget[id] {
					appt, due = legacyValue, theirs
				}
				require.Equal(t, appt, textOf(t, conn, "dossiers", "appointment_at", id), "dossier %d", id)
				require.Equal(t, due, textOf(t, conn, "dossiers", "due_at", id), "dossier %d", id)
			}
			var audited int
			require.NoError(t, conn.Get(&audited, conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ? "+
				"AND row_pk IN (?, ?, ?)"), sum.ChangesetID, "151", "152", "153"))
			require.Zero(t, audited, "a conflicting row has audit rows")
			require.NoError(t, conn.Get(&audited, conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ?"),
				sum.ChangesetID))
			list := changesetRows(conn)
			require.Len(t, list, 1)
			require.EqualValues(t, len(targets), list[0].Conflicts)
			require.EqualValues(t, n-len(targets), list[0].RowsChanged)
			require.EqualValues(t, audited, list[0].ValuesChanged)
			require.Equal(t, 2*(n-len(targets)), audited)
		})
	}
}
