package sqlstore_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

var legacyTables = []string{"dm_coquan", "dm_thutuc", "dm_thutuc_buoc", "hs_hoso", "hs_hoso_buoc"}

// The legacy fixture's expected values, worked out by hand from the 2021 calendar:
//   - H01 "05 ngày làm việc", received Fri 05/02 16:00 (Tết off 10–16 Feb): appointment Fri
//     19/02 17:00; 40 h end 19/02 16:00, snapped 17:00; finished 16:30, now on time.
//   - H02 "Trong ngày" with cut-off 15:00, received 15:30: deemed Wed 10/03 07:30, due at the end
//     of that day.
//   - H03 5d received Mon 08/03 10:15:42: 40 h end Mon 15/03 10:15:42, snapped 11:30. Its
//     appointment is MySQL's zero date, kept as it is (NULL on PostgreSQL, which gets the day
//     count: five working days after 08/03 is 15/03, 17:00).
//   - H05 "0,5 ngày" received 07:00: appointment the first session of the next day, 09/03
//     11:30; the deadline 08/03 11:30 is already right.
//   - Step 1 "04 giờ" from Fri 05/02 16:00: 1 h on Friday, 3 h on Monday 08/02 ending 10:30,
//     snapped 11:30.
func TestLegacySchema(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testdb.New(t, d)
			// One connection to load, so that the session's sql_mode applies to every insert.
			loader, err := db.Open(ctx, dsn, db.Options{MaxOpen: 1})
			require.NoError(t, err)
			schema, err := os.ReadFile("testdata/legacy_" + string(d) + ".sql")
			require.NoError(t, err)
			rows, err := os.ReadFile("testdata/legacy_rows.sql")
			require.NoError(t, err)
			zero := "'0000-00-00 00:00:00'"
			if d == db.Postgres {
				zero = "NULL"
			}
			execScript(t, loader, string(schema)+"\n"+strings.ReplaceAll(string(rows), "{{zero}}", zero))
			loader.Close()
			conn, err := db.Open(ctx, dsn, db.Options{})
			require.NoError(t, err)
			defer conn.Close()
			seeded := checksumsOf(t, conn, legacyTables...)

			cfg, err := repair.LoadConfig("../../configs/legacy-example.yaml")
			require.NoError(t, err)
			res, err := cfg.Resolve()
			require.NoError(t, err)
			newRunner := func() *repair.Runner {
				return &repair.Runner{Store: sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone), Config: res,
					BatchSize: 3, AsOf: time.Date(2021, 12, 9, 17, 0, 0, 0, res.Zone), Operator: repair.Operator{Name: "t"}}
			}

			plan, err := newRunner().Plan(ctx)
			require.NoError(t, err)
			require.Equal(t, seeded, checksumsOf(t, conn, legacyTables...))
			require.EqualValues(t, 1, plan.SkipsByReason[repair.SkipBadReceipt])
			require.EqualValues(t, 2, plan.SkipsByReason[repair.SkipBadDuration], "the procedure and its dossier")
			var listed bool
			for _, k := range plan.Skips {
				listed = listed || (k.Code == "1.001004" && strings.Contains(k.Detail, "Theo quy định"))
			}
			require.True(t, listed, "an unreadable time is listed with the procedure code")

			r := newRunner()
			sum, err := r.Apply(ctx, "legacy test")
			require.NoError(t, err)
			requireOneStatementPath(t, r.Store)
			require.Zero(t, sum.Conflicts)

			apptH3 := "0000-00-00 00:00:00"
			if d == db.Postgres {
				apptH3 = "2021-03-15 17:00:00"
			}
			for _, e := range []struct {
				table, col, key, want string
			}{
				{"hs_hoso", "ngay_hentra", "1", "2021-02-19 17:00:00"},
				{"hs_hoso", "han_xuly", "1", "19/02/2021 17:00:00"},
				{"hs_hoso", "tre_han", "1", "0"},
				{"hs_hoso", "dong_bo_dvcqg", "1", "0"},
				{"hs_hoso", "ngay_capnhat", "1", "2020-01-01 00:00:00"},
				{"hs_hoso", "ngay_hentra", "2", "2021-03-10 17:00:00"},
				{"hs_hoso", "han_xuly", "2", "10/03/2021 17:00:00"},
				{"hs_hoso", "ngay_hentra", "3", apptH3},
				{"hs_hoso", "han_xuly", "3", "15/03/2021 11:30:00"},
				{"hs_hoso", "han_xuly", "4", "09/03/2021 10:15:42"},
				{"hs_hoso", "dong_bo_dvcqg", "4", "1"},
				{"hs_hoso", "ngay_hentra", "5", "2021-03-09 11:30:00"},
				{"hs_hoso", "han_xuly", "5", "08/03/2021 11:30:00"},
				{"hs_hoso", "han_xuly", "6", "11/05/2020 14:00:00"},
				{"hs_hoso_buoc", "han_buoc", "1", "08/02/2021 11:30:00"},
			} {
				key := map[string]string{"hs_hoso": "hoso_id", "hs_hoso_buoc": "id"}[e.table]
				expr := e.col
				if d == db.Postgres {
					expr = "to_char(" + e.col + ", 'YYYY-MM-DD HH24:MI:SS')"
					if !strings.HasPrefix(e.col, "ngay_hentra") && e.col != "ngay_capnhat" {
						expr = "CAST(" + e.col + " AS TEXT)"
					}
				}
				var got string
				require.NoError(t, conn.Get(&got, "SELECT "+expr+" FROM "+e.table+" WHERE "+key+" = "+e.key))
				require.Equal(t, e.want, got, "%s.%s of %s", e.table, e.col, e.key)
			}

			again, err := newRunner().Apply(ctx, "second")
			require.NoError(t, err)
			require.Zero(t, again.RowsChanged)

			_, err = newRunner().Rollback(ctx, sum.ChangesetID, "", false)
			require.NoError(t, err)
			require.Equal(t, seeded, checksumsOf(t, conn, legacyTables...))
		})
	}
}
