package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// Receipt times kept as ISO text with an offset, no time_layout: 2020-12-31T17:30:00Z is
// 1 January 2021 in Hanoi, in the 2021 scope, and 2021-12-31T17:30:00Z is 1 January 2022,
// outside it, though SQL compares the text the other way round.
func TestISOTextReceiptWithOffsetIsScopedByInstant(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := alteredFixture(t, d, map[db.Dialect]string{
				db.MySQL:    "ALTER TABLE dossiers MODIFY received_at VARCHAR(40), MODIFY due_at VARCHAR(40)",
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN received_at TYPE VARCHAR(40), ALTER COLUMN due_at TYPE VARCHAR(40)",
			})
			for _, stmt := range []string{
				"DELETE FROM dossier_steps",
				"DELETE FROM dossiers",
				"INSERT INTO dossiers VALUES (1, 'IN', 1, 1, '2020-12-31T17:30:00Z', NULL, '2021-01-04T10:00:00Z', " +
					"'2021-01-04 16:00:00', 'done', 1, 0, NULL, NULL)",
				"INSERT INTO dossiers VALUES (2, 'OUT', 1, 1, '2021-12-31T17:30:00Z', NULL, '2022-01-04T10:00:00Z', " +
					"'2022-01-04 16:00:00', 'done', 1, 0, NULL, NULL)",
			} {
				_, err := conn.Exec(stmt)
				require.NoError(t, err)
			}
			r := runner(t, conn)
			sum, err := r.Apply(context.Background(), "iso text")
			require.NoError(t, err)
			var keys []string
			require.NoError(t, conn.Select(&keys, "SELECT DISTINCT row_pk FROM fixer_changes WHERE table_name = 'dossiers'"))
			require.Equal(t, []string{"1"}, keys, "changed dossiers")
			require.EqualValues(t, 1, sum.DossiersScanned)
		})
	}
}
