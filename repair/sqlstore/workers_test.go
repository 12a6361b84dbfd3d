package sqlstore_test

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/testdb"
	"fixer/repair"
)

// Workers split the key range at its ends too: with copies of D02 (two values to change, see
// expected) at the smallest and the largest BIGINT keys beside the fixture, a plan with two
// workers finds the fixture's changes and both copies'.
func TestWorkersReachExtremeKeys(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			for _, k := range []struct {
				id   int64
				code string
			}{{math.MinInt64, "DMIN"}, {math.MaxInt64, "DMAX"}} {
				_, err := conn.Exec(conn.Rebind("INSERT INTO dossiers SELECT ?, ?, procedure_id, agency_id, "+
					"received_at, appointment_at, due_at, completed_at, status, is_late, paused_count, "+
					"rescheduled_at, extended_at FROM dossiers WHERE id = 2"), k.id, k.code)
				require.NoError(t, err)
			}

			r := runner(t, conn)
			r.Workers = 2
			changed := map[string]int{}
			r.OnRows = func(rows []repair.RowChange) {
				for _, row := range rows {
					if row.Table == "dossiers" {
						changed[row.Key] = len(row.Changes)
					}
				}
			}
			plan, err := r.Plan(context.Background())
			require.NoError(t, err)
			require.EqualValues(t, wantRows+2, plan.RowsToChange)
			require.EqualValues(t, wantValues+4, plan.ValuesChanged)
			require.Equal(t, 2, changed[strconv.FormatInt(math.MinInt64, 10)])
			require.Equal(t, 2, changed[strconv.FormatInt(math.MaxInt64, 10)])
		})
	}
}
