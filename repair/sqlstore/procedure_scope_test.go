package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// A run limited to some procedures reports only their unreadable processing times: procedure 2
// ("xyz") is out of the scope of a run over procedure 1, and in the scope of a run over all.
func TestProcedureSkipsFollowTheScope(t *testing.T) {
	t.Parallel()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	_, err := conn.Exec("UPDATE procedures SET processing_time = 'xyz' WHERE id = 2")
	require.NoError(t, err)

	r := runner(t, conn)
	r.Procedures = []string{"1"}
	sum, err := r.Plan(context.Background())
	require.NoError(t, err)
	for _, k := range sum.Skips {
		require.NotEqual(t, "procedures", k.Table, "skip of a procedure out of scope: %+v", k)
	}

	sum, err = runner(t, conn).Plan(context.Background())
	require.NoError(t, err)
	found := false
	for _, k := range sum.Skips {
		found = found || (k.Table == "procedures" && k.Key == "2")
	}
	require.True(t, found, "procedure 2 is reported by a run over every procedure")
}
