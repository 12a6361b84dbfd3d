package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// Rows of one batch change different columns: the odd dossiers their appointment, deadline and
// late flag, the even ones (whose flag is already right) only the two deadlines. After the run
// has read them, another writer sets the late flag of the even dossiers, a column the run does
// not change in those rows. That is no conflict: the run repairs the deadlines of every
// dossier, keeps the other writer's flags, and records exactly the values it changed.
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
					if x.Key == page[0].Key { // once per page, for all its even dossiers
						_, err := conn.Exec(conn.Rebind("UPDATE dossiers SET is_late = 1 WHERE MOD(id, 2) = 0 AND id >= ? AND id <= ?"),
							page[0].Key, page[len(page)-1].Key)
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
				late := "0"
				if id%2 == 0 {
					late = "1" // the other writer's
				}
				require.Equal(t, late, column(t, conn, "dossiers", "is_late", id), "dossier %d", id)
			}
			requireAuditMatches(t, conn, sum.ChangesetID, n, 2*n+n/2)
			require.Zero(t, countWhere(t, conn, "fixer_changes", "column_name = 'is_late' AND "+
				"row_pk IN ('2', '4', '6', '8', '10', '12', '14', '16', '18', '20')"))
		})
	}
}
