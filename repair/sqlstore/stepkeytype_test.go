package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// A steps table whose dossier column is text while the dossiers' key is an integer (a common
// legacy VARCHAR reference): the steps of a page holding dossiers 9 to 12 must all be read,
// though '10', '11' and '12' sort before '9' as text.
func TestStepsWithTextDossierColumn(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := alteredFixture(t, d, map[db.Dialect]string{
				db.MySQL:    "ALTER TABLE dossier_steps MODIFY dossier_id VARCHAR(20) NOT NULL",
				db.Postgres: "ALTER TABLE dossier_steps ALTER COLUMN dossier_id TYPE VARCHAR(20)",
			})
			// Dossier 12 (procedure 1, open) gets the step of its procedure; the runner's pages
			// hold four dossiers: 9 to 12 is one of them.
			_, err := conn.Exec("INSERT INTO dossier_steps VALUES (2, '12', 1, 1, '2020-12-30 14:00:00', " +
				"'2020-12-30 18:00:00', NULL)")
			require.NoError(t, err)
			sum, err := runner(t, conn).Apply(context.Background(), "text dossier column")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			var due string
			q := "SELECT due_at FROM dossier_steps WHERE id = 2"
			if d == db.Postgres {
				q = "SELECT CAST(due_at AS TEXT) FROM dossier_steps WHERE id = 2"
			}
			require.NoError(t, conn.Get(&due, q))
			// 4 h from Wed 30/12 14:00: 3 h that afternoon, 1 h on Thu 31/12 to 08:30, snapped
			// to the end of the morning session.
			require.Equal(t, "2020-12-31 11:30:00", due)
		})
	}
}
