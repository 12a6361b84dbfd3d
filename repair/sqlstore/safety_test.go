package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	sqlfiles "fixer/sql"
)

// Dossiers written by insertDossiers. Every one is received on Monday 2021-03-08 at 10:00 under
// a procedure of one working day that already carries the 2021 profile, so only dossier rows
// can change. The legacy values count 8 working hours from receipt (Tuesday 10:00); the 2021
// profile gives the appointment at the end of Tuesday (17:00) and the deadline at the end of
// the session that holds Tuesday 10:00 (11:30).
const (
	legacyDue      = "2021-03-09 10:00:00"
	repairedAppt   = "2021-03-09 17:00:00"
	repairedDue    = "2021-03-09 11:30:00"
	completedAt    = "2021-03-09 10:40:00" // late under the legacy deadline, on time after
	insertChunkLen = 500
)

// dossierSet describes the rows insertDossiers writes.
type dossierSet struct {
	n int
	// wrong selects the dossiers that still hold the legacy values; nil means all of them.
	wrong func(id int) bool
	// completed gives every dossier a result at completedAt, so that is_late changes too: each
	// wrong dossier then has three values to change instead of two.
	completed bool
}

func (s dossierSet) isWrong(id int) bool { return s.wrong == nil || s.wrong(id) }

// valuesPerRow is how many values the repair changes in one wrong dossier.
func (s dossierSet) valuesPerRow() int {
	if s.completed {
		return 3
	}
	return 2
}

// insertDossiers writes one agency, one procedure and the dossiers of set with plain INSERTs
// into the reference schema.
func insertDossiers(t *testing.T, conn *db.DB, set dossierSet) {
	t.Helper()
	tx, err := conn.Beginx()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.Exec("INSERT INTO agencies (id, code, name, kind) VALUES (1, 'STP', 'Sở Tư pháp', 'department')")
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO procedures VALUES (1, '1.000001', 'Cấp Phiếu lý lịch tư pháp', 1, '1d', NULL, " +
		"'day', 'none', 'hour', 'session')")
	require.NoError(t, err)

	for start := 1; start <= set.n; start += insertChunkLen {
		var rows []string
		for id := start; id < start+insertChunkLen && id <= set.n; id++ {
			appt, due := repairedAppt, repairedDue
			if set.isWrong(id) {
				appt, due = legacyDue, legacyDue
			}
			completed, status, late := "NULL", "'processing'", "NULL"
			if set.completed {
				completed, status, late = "'"+completedAt+"'", "'done'", "0"
				if set.isWrong(id) {
					late = "1"
				}
			}
			rows = append(rows, fmt.Sprintf("(%d, 'D%06d', 1, 1, '2021-03-08 10:00:00', '%s', '%s', %s, %s, %s, 0, NULL, NULL)",
				id, id, appt, due, completed, status, late))
		}
		_, err := tx.Exec("INSERT INTO dossiers VALUES " + strings.Join(rows, ", "))
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())
}

// openDSN is open that also returns the database URL, for tests that need a second connection.
func openDSN(t *testing.T, d db.Dialect) (*db.DB, string) {
	t.Helper()
	dsn := testdb.New(t, d)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	schema, err := sqlfiles.FS.ReadFile("reference/" + string(d) + ".sql")
	require.NoError(t, err)
	execScript(t, conn, string(schema))
	return conn, dsn
}

// countWhere counts the rows of table matching cond.
func countWhere(t *testing.T, conn *db.DB, table, cond string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, conn.Get(&n, conn.Rebind("SELECT COUNT(*) FROM "+table+" WHERE "+cond), args...))
	return n
}

// requireAuditMatches checks the audit of changeset csID against the data: one audit row per
// changed value, none recorded twice, and changeset counts that agree with the audit rows.
func requireAuditMatches(t *testing.T, conn *db.DB, csID int64, rows, values int) {
	t.Helper()
	require.Equal(t, values, countWhere(t, conn, "fixer_changes", "changeset_id = ?", csID))
	var dup int
	require.NoError(t, conn.Get(&dup, conn.Rebind("SELECT COUNT(*) FROM (SELECT table_name, row_pk, column_name "+
		"FROM fixer_changes WHERE changeset_id = ? GROUP BY table_name, row_pk, column_name HAVING COUNT(*) > 1) x"), csID))
	require.Zero(t, dup, "a value recorded twice")
	var distinctRows int
	require.NoError(t, conn.Get(&distinctRows, conn.Rebind("SELECT COUNT(*) FROM (SELECT DISTINCT table_name, row_pk "+
		"FROM fixer_changes WHERE changeset_id = ?) x"), csID))
	require.Equal(t, rows, distinctRows)

	var got struct {
		Rows   int64 `db:"rows_changed"`
		Values int64 `db:"values_changed"`
		Status string
	}
	require.NoError(t, conn.Get(&got, conn.Rebind("SELECT rows_changed, values_changed, status "+
		"FROM fixer_changesets WHERE id = ?"), csID))
	require.EqualValues(t, rows, got.Rows)
	require.EqualValues(t, values, got.Values)
	require.Equal(t, repair.StatusDone, got.Status)
}

// TestNothingToChangeSendsNoUpdate is field case 6: five dossiers in scope already hold the
// repaired values. The run succeeds, reports nothing changed, and sends no UPDATE to any
// reference table (so no empty IN () list either). PostgreSQL proves it with statement-level
// triggers, which fire even for an UPDATE that matches no row; MySQL and SQLite only have row
// triggers, which at least prove that no row was rewritten.
func TestNothingToChangeSendsNoUpdate(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			insertDossiers(t, conn, dossierSet{n: 5, wrong: func(int) bool { return false }})
			installUpdateLog(t, conn)
			before := checksums(t, conn)

			plan, err := runner(t, conn).Plan(ctx)
			require.NoError(t, err)
			require.Zero(t, plan.RowsToChange)
			require.EqualValues(t, 5, plan.DossiersScanned)

			sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT field case 6")
			require.NoError(t, err)
			require.EqualValues(t, 5, sum.DossiersScanned)
			require.Zero(t, sum.RowsChanged)
			require.Zero(t, sum.ValuesChanged)
			require.Zero(t, sum.Conflicts)
			require.Zero(t, sum.RowsSkipped)
			requireAuditMatches(t, conn, sum.ChangesetID, 0, 0)

			require.Zero(t, countWhere(t, conn, "update_log", "1 = 1"), "an UPDATE reached a reference table")
			require.Equal(t, before, checksums(t, conn))
		})
	}
}

// installUpdateLog makes every UPDATE of a reference table leave a row in update_log: one per
// statement on PostgreSQL, one per updated row elsewhere.
func installUpdateLog(t *testing.T, conn *db.DB) {
	t.Helper()
	_, err := conn.Exec("CREATE TABLE update_log (table_name VARCHAR(64))")
	require.NoError(t, err)
	if conn.Dialect == db.Postgres {
		_, err = conn.Exec("CREATE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS " +
			"$$ BEGIN INSERT INTO update_log VALUES (TG_TABLE_NAME); RETURN NULL; END $$")
		require.NoError(t, err)
	}
	for _, table := range referenceTables {
		stmt := fmt.Sprintf("CREATE TRIGGER %s_log AFTER UPDATE ON %s ", table, table)
		switch conn.Dialect {
		case db.Postgres:
			stmt += "FOR EACH STATEMENT EXECUTE FUNCTION log_update()"
		case db.MySQL:
			stmt += fmt.Sprintf("FOR EACH ROW INSERT INTO update_log VALUES ('%s')", table)
		default:
			stmt += fmt.Sprintf("BEGIN INSERT INTO update_log VALUES ('%s'); END", table)
		}
		_, err := conn.Exec(stmt)
		require.NoError(t, err, stmt)
	}
}

// TestLargeBatchStaysUnderPlaceholderLimit is field case 7: 10,000 dossiers changed in one
// batch of 10,000. Their 30,000 audit rows of 7 parameters each cannot fit one statement under
// the 65,535 placeholder limit of MySQL and PostgreSQL; every row must still arrive, each value
// with exactly one audit row.
func TestLargeBatchStaysUnderPlaceholderLimit(t *testing.T) {
	t.Parallel()
	const n = 10000
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			set := dossierSet{n: n, completed: true}
			insertDossiers(t, conn, set)

			r := runner(t, conn)
			r.BatchSize = n
			sum, err := r.Apply(ctx, "CV 1503/STTTT field case 7")
			require.NoError(t, err)
			require.EqualValues(t, n, sum.RowsChanged)
			require.EqualValues(t, n*set.valuesPerRow(), sum.ValuesChanged)

			require.Equal(t, n, countWhere(t, conn, "dossiers", "appointment_at = ? AND due_at = ? AND is_late = 0",
				repairedAppt, repairedDue))
			requireAuditMatches(t, conn, sum.ChangesetID, n, n*set.valuesPerRow())
			for _, col := range []string{"appointment_at", "due_at", "is_late"} {
				require.Equal(t, n, countWhere(t, conn, "fixer_changes", "changeset_id = ? AND column_name = ?",
					sum.ChangesetID, col), col)
			}
		})
	}
}

// TestRunLocksOnlyTheRowsItChanges is field case 8: 20,000 dossiers of which the 10,000 with odd
// ids need the repair. While the run goes on, one session keeps updating dossier 2 with a lock
// wait limit of 5 s, and another holds an uncommitted update of dossier 4 from before the run
// starts to after it ends. Neither may wait for the run: every update of dossier 2 completes
// (the server enforces the 5 s), and the run never needs dossier 4, so it finishes without a
// lock wait timeout of its own.
func TestRunLocksOnlyTheRowsItChanges(t *testing.T) {
	t.Parallel()
	const n = 20000
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			insertDossiers(t, conn, dossierSet{n: n, wrong: func(id int) bool { return id%2 == 1 }})

			holder, err := conn.Beginx()
			require.NoError(t, err)
			defer holder.Rollback()
			_, err = holder.Exec("UPDATE dossiers SET code = 'D4-held' WHERE id = 4")
			require.NoError(t, err)

			writer, err := conn.Conn(ctx)
			require.NoError(t, err)
			defer writer.Close()
			limit := "SET lock_timeout = '5s'"
			if d == db.MySQL {
				limit = "SET SESSION innodb_lock_wait_timeout = 5"
			}
			_, err = writer.ExecContext(ctx, limit)
			require.NoError(t, err)

			done := make(chan struct{})
			var wg sync.WaitGroup
			var updates int
			var werr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					q := conn.Rebind("UPDATE dossiers SET code = ? WHERE id = 2")
					if _, err := writer.ExecContext(ctx, q, fmt.Sprintf("D2-%d", updates)); err != nil {
						werr = err
						return
					}
					updates++
					time.Sleep(2 * time.Millisecond)
				}
			}()

			r := runner(t, conn)
			r.BatchSize = 1000
			sum, err := r.Apply(ctx, "CV 1503/STTTT field case 8")
			close(done)
			wg.Wait()
			require.NoError(t, err)
			require.NoError(t, werr, "the update of dossier 2 waited for the run")
			require.Positive(t, updates)
			t.Logf("%d updates of dossier 2 during the run", updates)

			require.EqualValues(t, n/2, sum.RowsChanged)
			require.Zero(t, sum.Conflicts)
			require.NoError(t, holder.Rollback())
			require.Equal(t, n, countWhere(t, conn, "dossiers", "appointment_at = ? AND due_at = ?", repairedAppt, repairedDue))
			require.Zero(t, countWhere(t, conn, "fixer_changes", "changeset_id = ? AND "+modEven(d), sum.ChangesetID),
				"an even dossier was changed")
			requireAuditMatches(t, conn, sum.ChangesetID, n/2, n)
		})
	}
}

// modEven is the condition "row_pk names an even id" in the dialect.
func modEven(d db.Dialect) string {
	if d == db.Postgres {
		return "CAST(row_pk AS BIGINT) % 2 = 0"
	}
	return "MOD(CAST(row_pk AS SIGNED), 2) = 0"
}

// interferingStore runs a hook right after the run has read a page of dossiers, before it
// writes that page: what another writer does in that window must be detected, not overwritten.
type interferingStore struct {
	repair.Store
	afterRead func(page []*repair.Dossier)
}

func (s *interferingStore) Dossiers(ctx context.Context, q repair.DossierQuery) ([]*repair.Dossier, string, error) {
	page, last, err := s.Store.Dossiers(ctx, q)
	if err == nil && s.afterRead != nil {
		s.afterRead(page)
	}
	return page, last, err
}

// TestConcurrentWriterWins changes, from another connection, the deadline of a few dossiers
// after the run has read them and before it writes them. Those rows must be left with the other
// writer's values and reported as conflicts; every other row is repaired. (The command-line
// test of the same case, with a writer holding its row locks, is in cmd/fixer.)
func TestConcurrentWriterWins(t *testing.T) {
	t.Parallel()
	const n = 60
	targets := map[string]bool{"17": true, "18": true, "42": true}
	const theirs = "2021-03-12 16:45:00"
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, dsn := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n})

			other, err := db.Open(ctx, dsn, db.Options{})
			require.NoError(t, err)
			t.Cleanup(func() { other.Close() })

			r := runner(t, conn)
			r.BatchSize = 10
			r.Store = &interferingStore{Store: r.Store, afterRead: func(page []*repair.Dossier) {
				for _, x := range page {
					if targets[x.Key] {
						_, err := other.Exec(other.Rebind("UPDATE dossiers SET due_at = ? WHERE id = ?"), theirs, x.Key)
						require.NoError(t, err)
					}
				}
			}}
			sum, err := r.Apply(ctx, "CV 1503/STTTT concurrent writer")
			require.NoError(t, err)
			require.EqualValues(t, len(targets), sum.Conflicts)
			require.EqualValues(t, n-len(targets), sum.RowsChanged)
			var reported []string
			for _, c := range sum.Conflict {
				reported = append(reported, c.Key)
			}
			require.ElementsMatch(t, []string{"17", "17", "18", "18", "42", "42"}, reported)

			for id := 1; id <= n; id++ {
				appt, due := repairedAppt, repairedDue
				if targets[fmt.Sprint(id)] {
					appt, due = legacyDue, theirs
				}
				require.Equal(t, appt, column(t, conn, "dossiers", "appointment_at", id), "dossier %d", id)
				require.Equal(t, due, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n-len(targets), 2*(n-len(targets)))
			var conflicts int64
			require.NoError(t, conn.Get(&conflicts, conn.Rebind("SELECT conflicts FROM fixer_changesets WHERE id = ?"),
				sum.ChangesetID))
			require.EqualValues(t, len(targets), conflicts)
		})
	}
}

// A dossier paused by the application after the run has read it is left alone, and so are its
// steps: the run must not half-apply a repair the dossier's new state forbids. The same holds
// when the dossier's own columns need no change and only its steps do.
func TestStepsOfAConflictingDossierAreLeftAlone(t *testing.T) {
	t.Parallel()
	for _, onlySteps := range []bool{false, true} {
		for _, d := range testdb.Dialects {
			t.Run(fmt.Sprintf("%s/only_steps=%v", d, onlySteps), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				conn, dsn := openDSN(t, d)
				loadFixture(t, conn)
				due := "2021-03-09 10:15:42"
				if onlySteps {
					// Dossier 1 already holds its repaired values: only its step is to change.
					due = "2021-03-09 11:30:00"
					_, err := conn.Exec("UPDATE dossiers SET appointment_at = '2021-03-09 17:00:00', " +
						"due_at = '2021-03-09 11:30:00', is_late = 0 WHERE id = 1")
					require.NoError(t, err)
				}
				other, err := db.Open(ctx, dsn, db.Options{})
				require.NoError(t, err)
				t.Cleanup(func() { other.Close() })

				r := runner(t, conn)
				r.Store = &interferingStore{Store: r.Store, afterRead: func(page []*repair.Dossier) {
					for _, x := range page {
						if x.Key == "1" {
							_, err := other.Exec("UPDATE dossiers SET paused_count = 1 WHERE id = 1")
							require.NoError(t, err)
						}
					}
				}}
				sum, err := r.Apply(ctx, "paused meanwhile")
				require.NoError(t, err)
				require.Equal(t, due, column(t, conn, "dossiers", "due_at", 1))
				require.Equal(t, "2021-03-08 15:45:42", column(t, conn, "dossier_steps", "due_at", 1),
					"the step of the paused dossier keeps its deadline")
				var reported []string
				for _, c := range sum.Conflict {
					reported = append(reported, c.Table+"/"+c.Key)
				}
				require.Contains(t, reported, "dossier_steps/1")
				if !onlySteps {
					require.Contains(t, reported, "dossiers/1")
				}
				var audited int
				require.NoError(t, conn.Get(&audited, "SELECT COUNT(*) FROM fixer_changes WHERE "+
					"(table_name = 'dossiers' AND row_pk = '1') OR (table_name = 'dossier_steps' AND row_pk = '1')"))
				require.Zero(t, audited)
				// Every other row is repaired as usual.
				require.Equal(t, "2021-03-09 11:30:00", column(t, conn, "dossiers", "appointment_at", 3))
			})
		}
	}
}
