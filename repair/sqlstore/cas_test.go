package sqlstore_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// Rows of one batch change different columns: the odd dossiers their appointment, deadline and
// late flag, the even ones (whose flag is already right) only the two deadlines. After the run
// has read them, another writer renumbers the even dossiers (their code), a column the run
// neither changes nor decides by. That is no conflict: the run repairs the deadlines of every
// dossier, keeps the other writer's codes and the even dossiers' flags, and records exactly
// the values it changed.
func TestRowsChangingDifferentColumnsKeepTheOthers(t *testing.T) {
	t.Parallel()
	const n = 40
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, _ := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n, completed: true})
			_, err := conn.Exec("UPDATE dossiers SET is_late = 0 WHERE MOD(id, 2) = 0")
			require.NoError(t, err)

			r := runner(t, conn)
			r.BatchSize = 10
			inner := r.Store
			r.Store = &interferingStore{Store: inner, afterRead: func(page []*repair.Dossier) {
				for _, x := range page {
					if id, _ := strconv.Atoi(x.Key); id%2 == 0 {
						_, err := conn.Exec(conn.Rebind("UPDATE dossiers SET code = ? WHERE id = ?"), "R"+x.Key, id)
						require.NoError(t, err)
					}
				}
			}}
			sum, err := r.Apply(ctx, "CV 1503/STTTT columns")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			require.EqualValues(t, n, sum.RowsChanged)
			require.Zero(t, inner.(*sqlstore.Store).CASFallbacks())

			for id := 1; id <= n; id++ {
				require.Equal(t, repairedAppt, column(t, conn, "dossiers", "appointment_at", id), "dossier %d", id)
				require.Equal(t, repairedDue, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
				require.Equal(t, "0", column(t, conn, "dossiers", "is_late", id), "dossier %d", id)
				if id%2 == 0 {
					require.Equal(t, fmt.Sprintf("R%d", id), column(t, conn, "dossiers", "code", id))
				}
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n, 2*n+n/2)
			require.Zero(t, countWhere(t, conn, "fixer_changes", "column_name = 'is_late' AND "+
				"row_pk IN ('2', '4', '6', '8', '10', '12', '14', '16', '18', '20')"))
		})
	}
}

// A new value longer than its column allows is refused by the engine, never cut: the rows
// whose profile would not fit are left alone whole, reported as refused by the database with the
// engine's error, without an audit row, and the run goes on with the dossiers.
func TestValueTooLongForItsColumnIsRefused(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := alteredFixture(t, d, map[db.Dialect]string{
				db.Postgres: "ALTER TABLE procedures ALTER COLUMN deadline_snap TYPE VARCHAR(4)",
				db.MySQL:    "ALTER TABLE procedures MODIFY deadline_snap VARCHAR(4)",
			})
			before := checksumsOf(t, conn, "procedures")

			sum, err := runner(t, conn).Apply(context.Background(), "CV 1503/STTTT too long")
			require.NoError(t, err)
			require.Equal(t, before, checksumsOf(t, conn, "procedures"))
			require.Positive(t, sum.SkipsByReason[repair.SkipRefused])
			for _, k := range sum.Skips {
				if k.Reason == repair.SkipRefused {
					require.Equal(t, "procedures", k.Table)
					require.Regexp(t, `(?i)too long`, k.Detail)
				}
			}
			require.Zero(t, countWhere(t, conn, "fixer_changes", "table_name = 'procedures'"))
			require.Positive(t, countWhere(t, conn, "fixer_changes", "table_name = 'dossiers'"))
		})
	}
}

// A row the database refuses to update (here a trigger that raises for dossier 5) is left
// alone and reported with the database's error; the other rows of its batch and the rest of the
// run are written, each value with its audit row.
func TestRowRefusedByTheDatabaseIsSkipped(t *testing.T) {
	t.Parallel()
	const n = 12
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, _ := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n})
			execAll(t, conn, refuseDossier(5)[d]...)
			r := runner(t, conn)
			sum, err := r.Apply(context.Background(), "CV 1503/STTTT refused row")
			require.NoError(t, err)
			require.EqualValues(t, n-1, sum.RowsChanged)
			require.Zero(t, sum.Conflicts)
			require.EqualValues(t, 1, sum.SkipsByReason[repair.SkipRefused])
			for _, k := range sum.Skips {
				if k.Reason == repair.SkipRefused {
					require.Equal(t, "5", k.Key)
					require.Contains(t, k.Detail, "dossier 5 is archived")
				}
			}
			for id := 1; id <= n; id++ {
				want := repairedDue
				if id == 5 {
					want = legacyDue
				}
				require.Equal(t, want, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n-1, 2*(n-1))
		})
	}
}

// The summary of a run counts a dossier the database refused as it is left: late by hours as
// before (every other dossier of the set, finished late by hours, is on time after the repair),
// skipped, not among its agency's changed dossiers, and none of its values in the sample.
func TestRefusedDossierKeepsItsClassInTheSummary(t *testing.T) {
	t.Parallel()
	const n = 12
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, _ := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n, completed: true})
			execAll(t, conn, refuseDossier(5)[d]...)
			sum, err := runner(t, conn).Apply(context.Background(), "CV 1503/STTTT refused row")
			require.NoError(t, err)
			require.EqualValues(t, n-1, sum.RowsChanged)
			require.Equal(t, map[string]int64{"late_hours -> on_time": n - 1, "late_hours -> late_hours": 1},
				sum.Transitions)
			require.EqualValues(t, 1, sum.DossiersSkipped)
			require.EqualValues(t, 1, sum.RowsSkipped)
			require.Len(t, sum.Agencies, 1)
			require.EqualValues(t, n-1, sum.Agencies[0].Dossiers)
			require.Equal(t, map[string]int64{"on_time": n - 1, "late_hours": 1}, sum.Agencies[0].After)
			for _, c := range sum.Sample {
				require.NotEqual(t, "5", c.Key, "a value the database refused is no sample of a change")
			}
		})
	}
}

// A dossier the application pauses, extends or re-dates after the run has read it is judged by
// what it was read as, so the run leaves it alone as a conflict rather than write deadlines
// that the new state would not give (a paused dossier is skipped; an extended one too).
func TestChangedDecisionColumnIsAConflict(t *testing.T) {
	t.Parallel()
	const n = 30
	targets := map[string]string{
		"7":  "UPDATE dossiers SET paused_count = 1 WHERE id = 7",
		"12": "UPDATE dossiers SET extended_at = '2021-03-09 08:00:00' WHERE id = 12",
		"21": "UPDATE dossiers SET status = 'returned' WHERE id = 21",
	}
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, _ := openDSN(t, d)
			insertDossiers(t, conn, dossierSet{n: n})
			r := runner(t, conn)
			r.BatchSize = 10
			r.Store = &interferingStore{Store: r.Store, afterRead: func(page []*repair.Dossier) {
				for _, x := range page {
					if stmt, ok := targets[x.Key]; ok {
						_, err := conn.Exec(stmt)
						require.NoError(t, err)
					}
				}
			}}
			sum, err := r.Apply(ctx, "CV 1503/STTTT decision columns")
			require.NoError(t, err)
			require.EqualValues(t, len(targets), sum.Conflicts)
			require.EqualValues(t, n-len(targets), sum.RowsChanged)
			for id := 1; id <= n; id++ {
				due := repairedDue
				if _, ok := targets[strconv.Itoa(id)]; ok {
					due = legacyDue
				}
				require.Equal(t, due, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n-len(targets), 2*(n-len(targets)))
		})
	}
}

// MariaDB gets the compare-and-set UPDATEs with a table value constructor, MySQL, TiDB and
// Vitess with one SELECT per row; both forms, run here on MariaDB, write the same values: the
// odd dossiers change three columns, the even ones (whose flag is already right) two, so each
// batch writes two statements of several rows each.
func TestCompareAndSetFormsWriteTheSameValues(t *testing.T) {
	t.Parallel()
	const n = 40
	for _, form := range []string{"values", "union"} {
		t.Run(form, func(t *testing.T) {
			t.Parallel()
			conn, _ := openDSN(t, db.MySQL)
			insertDossiers(t, conn, dossierSet{n: n, completed: true})
			_, err := conn.Exec("UPDATE dossiers SET is_late = 0 WHERE MOD(id, 2) = 0")
			require.NoError(t, err)

			r := runner(t, conn)
			r.BatchSize = 10
			store := r.Store.(*sqlstore.Store)
			if form == "union" {
				sqlstore.UnionRows(store)
			}
			sum, err := r.Apply(context.Background(), "CV 1503/STTTT forms")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			require.EqualValues(t, n, sum.RowsChanged)
			require.Zero(t, store.CASFallbacks())
			for id := 1; id <= n; id++ {
				require.Equal(t, repairedAppt, column(t, conn, "dossiers", "appointment_at", id), "dossier %d", id)
				require.Equal(t, repairedDue, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
				require.Equal(t, "0", column(t, conn, "dossiers", "is_late", id), "dossier %d", id)
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n, 2*n+n/2)
		})
	}
}

// Text of any kind crosses the compare-and-set UPDATEs intact, as the value a row is checked
// against and as a new value: each dossier's note (a column listed in set_on_change, so checked
// and then written) holds quotes, a backslash, a question mark, a percent sign, Vietnamese and
// a line break. Every dossier is written by the batch statements, none row by row, with the
// notes in the audit byte for byte, and the rollback gives back the seeded tables exactly, in
// both MySQL forms.
func TestCompareAndSetCarriesAnyText(t *testing.T) {
	t.Parallel()
	const n = 12
	notes := []string{`O'Brien`, `C:\hồ sơ\`, `hạn? 100%`, "dòng 1\ndòng 2", `"trích"`, `\'; --`}
	const newNote = `Đã sửa hạn 'CV 1503' \ ? 50%`
	cases := []struct {
		name    string
		dialect db.Dialect
		union   bool
	}{{"postgres", db.Postgres, false}, {"sqlite", db.SQLite, false}, {"mysql-values", db.MySQL, false},
		{"mysql-union", db.MySQL, true}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conn, _ := openDSN(t, c.dialect)
			insertDossiers(t, conn, dossierSet{n: n, completed: true})
			_, err := conn.Exec("ALTER TABLE dossiers ADD ghi_chu VARCHAR(200)")
			require.NoError(t, err)
			for id := 1; id <= n; id++ {
				_, err := conn.Exec(conn.Rebind("UPDATE dossiers SET ghi_chu = ? WHERE id = ?"), notes[id%len(notes)], id)
				require.NoError(t, err)
			}
			seeded := checksumsOf(t, conn, "dossiers")

			cfg := repair.DefaultConfig()
			cfg.Schema.Dossiers.SetOnChange = map[string]string{"ghi_chu": newNote}
			res, err := cfg.Resolve()
			require.NoError(t, err)
			r := runner(t, conn)
			r.Config = res
			store := sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone)
			if c.union {
				sqlstore.UnionRows(store)
			}
			r.Store, r.BatchSize = store, 5
			sum, err := r.Apply(context.Background(), "CV 1503/STTTT text")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			require.EqualValues(t, n, sum.RowsChanged)
			require.Zero(t, store.CASFallbacks(), "every batch written by its compare-and-set statements")
			for id := 1; id <= n; id++ {
				require.Equal(t, newNote, column(t, conn, "dossiers", "ghi_chu", id), "dossier %d", id)
				var old string
				require.NoError(t, conn.Get(&old, conn.Rebind("SELECT old_value FROM fixer_changes "+
					"WHERE changeset_id = ? AND column_name = 'ghi_chu' AND row_pk = ?"), sum.ChangesetID, strconv.Itoa(id)))
				require.Equal(t, notes[id%len(notes)], old, "dossier %d", id)
			}

			back, err := r.Rollback(context.Background(), sum.ChangesetID, "", false)
			require.NoError(t, err)
			require.Zero(t, back.Conflicts)
			require.Equal(t, seeded, checksumsOf(t, conn, "dossiers"))
		})
	}
}

// The steps of a dossier the database refused are left alone with it, as refused too, with the
// reason: no other writer touched them, so they are no conflict.
func TestStepsOfARefusedDossierAreRefusedToo(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			before := column(t, conn, "dossier_steps", "due_at", 1)
			execAll(t, conn, refuseDossier(1)[d]...)
			sum, err := runner(t, conn).Apply(context.Background(), "CV 1503/STTTT refused with steps")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts, "nobody else wrote")
			require.EqualValues(t, 2, sum.SkipsByReason[repair.SkipRefused], "the dossier and its step")
			var step *repair.Skip
			for i, k := range sum.Skips {
				if k.Table == "dossier_steps" {
					step = &sum.Skips[i]
				}
			}
			require.NotNil(t, step)
			require.Equal(t, "1", step.Key)
			require.Contains(t, step.Detail, "its dossier's row was refused by the database")
			require.Contains(t, step.Detail, "dossier 1 is archived")
			require.Equal(t, before, column(t, conn, "dossier_steps", "due_at", 1))
		})
	}
}

// refuseDossier returns, per dialect, the statements of a trigger that refuses every update of
// dossier id.
func refuseDossier(id int) map[db.Dialect][]string {
	return map[db.Dialect][]string{
		db.Postgres: {fmt.Sprintf(`CREATE FUNCTION refuse_archived() RETURNS trigger AS $$ BEGIN
			IF NEW.id = %[1]d THEN RAISE EXCEPTION 'dossier %[1]d is archived'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`, id),
			"CREATE TRIGGER refuse_archived BEFORE UPDATE ON dossiers FOR EACH ROW EXECUTE FUNCTION refuse_archived()"},
		db.MySQL: {fmt.Sprintf(`CREATE TRIGGER refuse_archived BEFORE UPDATE ON dossiers FOR EACH ROW BEGIN
			IF NEW.id = %[1]d THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'dossier %[1]d is archived'; END IF; END`, id)},
		db.SQLite: {fmt.Sprintf(`CREATE TRIGGER refuse_archived BEFORE UPDATE ON dossiers WHEN NEW.id = %[1]d
			BEGIN SELECT RAISE(ABORT, 'dossier %[1]d is archived'); END`, id)},
	}
}
