package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// expected holds the values the 2021 profile gives the fixture's dossiers, worked out by hand
// from DOMAIN.md and the official 2021 calendar (Tết off 10–16 Feb; 30 Apr, 1 May and the
// compensatory 3 May off; 1 Jan off):
//
//   - D01 1d, received Mon 08/03 10:15:42. Appointment (day): end of the 1st working day after,
//     Tue 09/03 17:00. Deadline (hour, session): 8 h later is Tue 10:15:42, snapped to the end of
//     the morning session 11:30. Completed 10:40 is then on time: is_late 1 -> 0.
//   - D02 5d, received Fri 05/02 16:00. Working days after: 08, 09, 17, 18, 19 Feb, so the
//     appointment is Fri 19/02 17:00. 40 h: 1 h on the 5th, 8 h each on 8, 9, 17, 18 Feb, then 7 h
//     on the 19th ends at 16:00, snapped to 17:00.
//   - D03 0.5d, received 07:00 before opening, deemed 07:30. Appointment: the first session of
//     the next working day, Tue 09/03 11:30. Deadline: 4 h ends exactly at 11:30 and stays.
//   - D04 0d with cut-off 15:00, received 15:30, so deemed Wed 10/03 07:30 and due Wed 17:00; the
//     result came 10/03 09:00, a later date than the stored 09/03 15:30: late by days, so both
//     stored deadlines are kept.
//   - D05 15cd, received Thu 15/04: 15 calendar days is Fri 30/04, a holiday, as are Sat 1/5,
//     Sun 2/5 and the compensatory Mon 3/5: end of Tue 04/05, 17:00.
//   - D11 4h, received Mon 11:00: due 16:30, snapped 17:00 on 08/03, earlier than the stored
//     09/03 09:00, which is kept.
//   - D12 1d, open, received Wed 30/12/2020 14:00: appointment Thu 31/12 17:00; 8 h end Thu 14:00,
//     snapped to 17:00.
//   - Step 1 of D01, 4 h from 10:15:42: 1:14:18 before lunch, 2:45:42 after, 15:45:42, snapped 17:00.
var expected = []struct {
	table, col string
	id         int
	before     string
	after      string
}{
	{"dossiers", "appointment_at", 1, "2021-03-09 10:15:42", "2021-03-09 17:00:00"},
	{"dossiers", "due_at", 1, "2021-03-09 10:15:42", "2021-03-09 11:30:00"},
	{"dossiers", "is_late", 1, "1", "0"},
	{"dossiers", "appointment_at", 2, "2021-02-19 16:00:00", "2021-02-19 17:00:00"},
	{"dossiers", "due_at", 2, "2021-02-19 16:00:00", "2021-02-19 17:00:00"},
	{"dossiers", "appointment_at", 3, "2021-03-08 11:30:00", "2021-03-09 11:30:00"},
	{"dossiers", "due_at", 3, "2021-03-08 11:30:00", "2021-03-08 11:30:00"},
	{"dossiers", "is_late", 3, "0", "0"},
	{"dossiers", "appointment_at", 4, "2021-03-09 15:30:00", "2021-03-09 15:30:00"},
	{"dossiers", "due_at", 4, "2021-03-09 15:30:00", "2021-03-09 15:30:00"},
	{"dossiers", "is_late", 4, "1", "1"},
	{"dossiers", "appointment_at", 5, "2021-04-30 10:00:00", "2021-05-04 17:00:00"},
	{"dossiers", "due_at", 5, "2021-04-30 10:00:00", "2021-05-04 17:00:00"},
	{"dossiers", "due_at", 6, "NULL", "NULL"},
	{"dossiers", "due_at", 9, "2021-03-15 09:00:00", "2021-03-15 09:00:00"},
	{"dossiers", "appointment_at", 11, "2021-03-09 09:00:00", "2021-03-09 09:00:00"},
	{"dossiers", "due_at", 11, "2021-03-09 09:00:00", "2021-03-09 09:00:00"},
	{"dossiers", "appointment_at", 12, "2020-12-31 14:00:00", "2020-12-31 17:00:00"},
	{"dossiers", "due_at", 12, "2020-12-31 14:00:00", "2020-12-31 17:00:00"},
	{"dossiers", "due_at", 13, "2020-06-02 14:00:00", "2020-06-02 14:00:00"},
	{"dossiers", "due_at", 14, "2020-05-05 14:00:00", "2020-05-05 14:00:00"},
	{"dossier_steps", "due_at", 1, "2021-03-08 15:45:42", "2021-03-08 17:00:00"},
	{"procedures", "appointment_count", 1, "hour", "day"},
	{"procedures", "deadline_snap", 1, "none", "session"},
	{"procedures", "appointment_snap", 1, "none", "none"},
	{"procedures", "deadline_count", 1, "hour", "hour"},
	{"procedures", "appointment_count", 6, "hour", "hour"},
}

// Rows and values the fixture changes: procedures 1, 2, 3, 4, 5, 7 (two values each); dossiers
// 1 (three), 2, 5, 12 (two each), 3 (one); step 1 (one).
const (
	wantRows   = 6 + 5 + 1
	wantValues = 12 + 3 + 2 + 2 + 2 + 1 + 1
)

func TestRepairEndToEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d       db.Dialect
		workers int
	}{{db.SQLite, 1}, {db.Postgres, 1}, {db.MySQL, 1}, {db.Postgres, 3}, {db.MySQL, 3}} {
		d := tc.d
		t.Run(fmt.Sprintf("%s/workers=%d", d, tc.workers), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			runner := func(t *testing.T, conn *db.DB) *repair.Runner {
				r := runner(t, conn)
				r.Workers = tc.workers
				return r
			}
			loadFixture(t, conn)
			seeded := checksums(t, conn)
			tablesBefore := tables(t, conn)
			for _, e := range expected {
				require.Equal(t, e.before, column(t, conn, e.table, e.col, e.id), "fixture %s.%s of %d", e.table, e.col, e.id)
			}

			// The dry run writes nothing and creates nothing.
			r := runner(t, conn)
			plan, err := r.Plan(ctx)
			require.NoError(t, err)
			require.Equal(t, seeded, checksums(t, conn))
			require.Equal(t, tablesBefore, tables(t, conn))
			require.EqualValues(t, wantRows, plan.RowsToChange)
			require.EqualValues(t, wantValues, plan.ValuesChanged)
			require.EqualValues(t, 6, plan.ProceduresChanged)
			require.Equal(t, map[repair.SkipReason]int64{
				repair.SkipBadDuration: 2, repair.SkipNoReceipt: 1, repair.SkipCompletedEarly: 1,
				repair.SkipPaused: 1, repair.SkipUnknownProcedure: 1,
			}, plan.SkipsByReason)
			// Skipped dossiers keep their class by the deadline stored: D08 (completed 09/03,
			// before its receipt) is on time against 11/03 10:00, D09 (clock stopped, open) is
			// overdue. D06, D07 and D10 have no stored deadline.
			require.Equal(t, map[string]int64{
				"late_hours -> on_time": 1, "on_time -> on_time": 2, "late_days -> late_days": 1,
				"overdue -> overdue": 5,
			}, plan.Transitions)
			require.EqualValues(t, 3, plan.Unclassified)
			require.Zero(t, plan.Closed, "D14, withdrawn, is out of scope")
			require.EqualValues(t, 2, plan.LateDaysHeld)
			require.EqualValues(t, 1, plan.HiddenIfMoved)
			require.EqualValues(t, 2, plan.EarlierHeld)

			// The real run changes exactly the planned values, each with one audit row.
			r = runner(t, conn)
			sum, err := r.Apply(ctx, "CV 1503/STTTT test")
			require.NoError(t, err)
			requireOneStatementPath(t, r.Store)
			require.EqualValues(t, wantRows, sum.RowsChanged)
			require.EqualValues(t, wantValues, sum.ValuesChanged)
			require.Zero(t, sum.Conflicts)
			for _, e := range expected {
				require.Equal(t, e.after, trimZone(column(t, conn, e.table, e.col, e.id)), "%s.%s of %d", e.table, e.col, e.id)
			}
			assertOneAuditRowPerChange(t, conn, sum.ChangesetID)

			// A second run finds nothing to change.
			again, err := runner(t, conn).Apply(ctx, "second run")
			require.NoError(t, err)
			require.Zero(t, again.RowsChanged)
			require.Zero(t, again.ValuesChanged)

			// The rollback restores exactly what was seeded.
			back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
			require.NoError(t, err)
			require.EqualValues(t, wantRows, back.RowsChanged)
			require.Equal(t, seeded, checksums(t, conn))

			cs, err := r.Store.Changeset(ctx, sum.ChangesetID)
			require.NoError(t, err)
			require.Equal(t, repair.StatusRolledBack, cs.Status)
			_, err = runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
			require.ErrorIs(t, err, repair.ErrRolledBack, "a changeset is rolled back once")
		})
	}
}

// assertOneAuditRowPerChange checks that every value that differs from the fixture has exactly
// one audit row in the changeset, holding the old and new values.
func assertOneAuditRowPerChange(t *testing.T, conn *db.DB, csID int64) {
	t.Helper()
	var n int
	require.NoError(t, conn.Get(&n, conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ?"), csID))
	require.Equal(t, wantValues, n)
	for _, e := range expected {
		var count int
		q := conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ? AND table_name = ? AND row_pk = ? AND column_name = ?")
		require.NoError(t, conn.Get(&count, q, csID, e.table, fmt.Sprint(e.id), e.col))
		if e.before == e.after {
			require.Zero(t, count, "%s.%s of %d must not change", e.table, e.col, e.id)
			continue
		}
		require.Equal(t, 1, count, "%s.%s of %d", e.table, e.col, e.id)
		var old, nw string
		q = conn.Rebind("SELECT old_value, new_value FROM fixer_changes WHERE changeset_id = ? AND table_name = ? AND row_pk = ? AND column_name = ?")
		require.NoError(t, conn.QueryRow(q, csID, e.table, fmt.Sprint(e.id), e.col).Scan(&old, &nw))
		require.Equal(t, e.before, old)
		require.Equal(t, e.after, nw)
	}
}

func trimZone(s string) string { return s }

// requireOneStatementPath asserts that every batch was written by the compare-and-set
// statements where the engine has them, none sent row by row for a refused statement.
func requireOneStatementPath(t *testing.T, s repair.Store) {
	t.Helper()
	require.Zero(t, s.(*sqlstore.Store).CASFallbacks(), "batches written row by row after a refused statement")
}
