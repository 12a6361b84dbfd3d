package sqlstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// Soft-deleted dossiers are left alone, whether the schema marks them with a flag or with a
// time: of 12 wrong dossiers, 3 and 8 are marked deleted, 5 has the mark NULL and the others
// 0 (or no time). The run repairs the 10 others and counts 2 soft-deleted; dossier 6, which
// the application deletes after the run has read it, is a conflict and keeps its deadline.
func TestSoftDeletedDossiersAreLeftAlone(t *testing.T) {
	t.Parallel()
	const n = 12
	timeType := map[db.Dialect]string{db.Postgres: "TIMESTAMP", db.MySQL: "DATETIME", db.SQLite: "TEXT"}
	for _, d := range testdb.Dialects {
		for _, kind := range []string{"flag", "time"} {
			t.Run(string(d)+"/"+kind, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				conn, _ := openDSN(t, d)
				insertDossiers(t, conn, dossierSet{n: n})
				colType, set, unset := "SMALLINT", "1", "0"
				if kind == "time" {
					colType, set, unset = timeType[d], "CAST('2021-05-05 10:00:00' AS "+timeType[d]+")", "NULL"
				}
				_, err := conn.Exec("ALTER TABLE dossiers ADD da_xoa " + colType)
				require.NoError(t, err)
				_, err = conn.Exec("UPDATE dossiers SET da_xoa = CASE WHEN id IN (3, 8) THEN " + set +
					" WHEN id = 5 THEN NULL ELSE " + unset + " END")
				require.NoError(t, err)

				cfg := repair.DefaultConfig()
				cfg.Schema.Dossiers.Deleted = "da_xoa"
				res, err := cfg.Resolve()
				require.NoError(t, err)
				r := &repair.Runner{Store: sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone), Config: res,
					BatchSize: 4, AsOf: time.Date(2021, 12, 9, 17, 0, 0, 0, res.Zone),
					Operator: repair.Operator{Name: "tester", PID: os.Getpid()}}
				r.Store = &interferingStore{Store: r.Store, afterRead: func(page []*repair.Dossier) {
					for _, x := range page {
						if x.Key == "6" {
							_, err := conn.Exec("UPDATE dossiers SET da_xoa = " + set + " WHERE id = 6")
							require.NoError(t, err)
						}
					}
				}}
				sum, err := r.Apply(ctx, "CV 1503/STTTT soft-deleted")
				require.NoError(t, err)
				require.EqualValues(t, 2, sum.Deleted)
				require.EqualValues(t, 1, sum.Conflicts)
				require.EqualValues(t, n-3, sum.RowsChanged)
				for id := 1; id <= n; id++ {
					want := repairedDue
					if id == 3 || id == 8 || id == 6 {
						want = legacyDue
					}
					require.Equal(t, want, column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
				}
				requireAuditMatches(t, conn, sum.ChangesetID, n-3, 2*(n-3))
			})
		}
	}
}
