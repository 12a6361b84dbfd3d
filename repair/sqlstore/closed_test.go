package sqlstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/testdb"
	"fixer/repair"
)

// testdata/closed.sql adds dossiers to the fixture; what the rules say of them, worked out by
// hand:
//
//   - D15 withdrawn and D17 rejected, procedure 7 (4h), received Mon 08/03/2021 09:00, both
//     deadlines stored as 13:00. They have no result, so they are in no lateness class and their
//     lateness flag stays NULL; their deadlines are recomputed as any others: 2.5 h in the
//     morning and 1.5 h after lunch end at 14:30, the appointment (snap none); the deadline
//     snaps to 17:00. D15 was closed on Wed 10/03, two days after 13:00: as a result it would
//     have been late by days, its deadlines held and its flag set to 1.
//   - D16 clock stopped twice (paused_count 2), procedure 1, due Tue 09/03 10:00 and completed
//     Thu 11/03 09:00: skipped, and late by days by the deadline it keeps.
//   - D18 appointment re-set, procedure 1, due Tue 09/03 10:00 and completed the same day at
//     12:00: skipped, and late by hours.
func TestSkippedAndClosedDossiersInTheLatenessCounts(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			loadFixture(t, conn)
			data, err := os.ReadFile("testdata/closed.sql")
			require.NoError(t, err)
			execScript(t, conn, string(data))

			plan, err := runner(t, conn).Plan(ctx)
			require.NoError(t, err)
			// The fixture's own classes (see TestRepairEndToEnd), plus D16 and D18.
			require.Equal(t, map[string]int64{
				"late_hours -> on_time": 1, "on_time -> on_time": 2, "late_days -> late_days": 2,
				"late_hours -> late_hours": 1, "overdue -> overdue": 5,
			}, plan.Transitions)
			require.EqualValues(t, 2, plan.Closed)
			require.EqualValues(t, 3, plan.Unclassified)
			require.EqualValues(t, 16, plan.DossiersScanned)
			require.EqualValues(t, 2, plan.LateDaysHeld, "only D04's two deadlines")
			require.EqualValues(t, 2, plan.SkipsByReason[repair.SkipPaused])
			require.EqualValues(t, 1, plan.SkipsByReason[repair.SkipRescheduled])
			agency := map[string]repair.AgencySummary{}
			for _, a := range plan.Agencies {
				agency[a.Agency] = a
			}
			require.EqualValues(t, 2, agency["2"].Closed)
			// Agency 1 as stored: D01 and D18 late by hours, D16 late by days, D08 on time, D02,
			// D09 and D12 overdue; D07 and D10 have no stored deadline.
			require.Equal(t, map[string]int64{"late_days": 1, "late_hours": 2, "on_time": 1, "overdue": 3},
				agency["1"].Before)

			sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT test")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			for _, id := range []int{15, 17} {
				require.Equal(t, "2021-03-08 14:30:00", column(t, conn, "dossiers", "appointment_at", id))
				require.Equal(t, "2021-03-08 17:00:00", column(t, conn, "dossiers", "due_at", id))
				require.Equal(t, "NULL", column(t, conn, "dossiers", "is_late", id), "D%d has no result", id)
			}
			for _, id := range []int{16, 18} {
				require.Equal(t, "2021-03-09 10:00:00", column(t, conn, "dossiers", "due_at", id))
				require.Equal(t, "1", column(t, conn, "dossiers", "is_late", id))
			}
			var flags int
			q := conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ? AND column_name = 'is_late' AND row_pk IN ('15', '17')")
			require.NoError(t, conn.Get(&flags, q, sum.ChangesetID))
			require.Zero(t, flags)
		})
	}
}
