package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// A PostgreSQL boolean late flag: apply writes the flag spelled as the column reads it, a
// second apply finds nothing to do, and rollback restores the seeded data without conflicts.
func TestBooleanLateFlag(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.Postgres)
	loadFixture(t, conn)
	_, err := conn.Exec("ALTER TABLE dossiers ALTER COLUMN is_late TYPE BOOLEAN USING is_late::int::boolean")
	require.NoError(t, err)
	seeded := checksums(t, conn)

	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT boolean")
	require.NoError(t, err)
	require.Zero(t, sum.Conflicts)
	require.Equal(t, "false", column(t, conn, "dossiers", "is_late", 1)) // was late by hours: 1 -> 0
	var audited string
	require.NoError(t, conn.Get(&audited, "SELECT new_value FROM fixer_changes WHERE row_pk = '1' AND column_name = 'is_late'"))
	require.Equal(t, "false", audited)

	again, err := runner(t, conn).Apply(ctx, "second")
	require.NoError(t, err)
	require.Zero(t, again.RowsChanged)

	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}

// A DATE appointment column holds the day of the appointment: apply writes the day, a second
// apply finds nothing to do, and rollback restores the seeded data without conflicts.
func TestDateAppointmentColumn(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn := open(t, d)
			loadFixture(t, conn)
			alter := map[db.Dialect]string{
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN appointment_at TYPE DATE",
				db.MySQL:    "ALTER TABLE dossiers MODIFY appointment_at DATE",
			}[d]
			_, err := conn.Exec(alter)
			require.NoError(t, err)
			seeded := checksums(t, conn)

			sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT date")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			// D05: received Thu 15/04/2021, 15 calendar days end on the holidays; the appointment
			// is Tue 04/05 (worked out in integration_test.go).
			require.Equal(t, "2021-05-04", column(t, conn, "dossiers", "appointment_at", 5))
			var audited string
			require.NoError(t, conn.Get(&audited, "SELECT new_value FROM fixer_changes WHERE row_pk = '5' AND column_name = 'appointment_at'"))
			require.Equal(t, "2021-05-04", audited)

			again, err := runner(t, conn).Apply(ctx, "second")
			require.NoError(t, err)
			require.Zero(t, again.RowsChanged)

			back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
			require.NoError(t, err)
			require.Zero(t, back.Conflicts)
			require.Equal(t, seeded, checksums(t, conn))
		})
	}
}
