package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// A uuid primary key, common in PostgreSQL schemas, has no MAX aggregate before PostgreSQL 16:
// the dossiers are still read page by page, repaired and restored.
func TestUUIDKey(t *testing.T) {
	t.Parallel()
	conn := open(t, db.Postgres)
	loadFixture(t, conn)
	for _, stmt := range []string{
		"ALTER TABLE dossiers ALTER COLUMN id TYPE uuid USING lpad(to_hex(id), 32, '0')::uuid",
		"ALTER TABLE dossier_steps ALTER COLUMN dossier_id TYPE uuid USING lpad(to_hex(dossier_id), 32, '0')::uuid",
	} {
		_, err := conn.Exec(stmt)
		require.NoError(t, err)
	}
	before := checksums(t, conn)
	plan, err := runner(t, conn).Plan(context.Background())
	require.NoError(t, err)
	require.NotZero(t, plan.RowsToChange)
	sum, err := runner(t, conn).Apply(context.Background(), "uuid keys")
	require.NoError(t, err)
	require.Equal(t, plan.RowsToChange, sum.RowsChanged)
	_, err = runner(t, conn).Rollback(context.Background(), sum.ChangesetID, "", false)
	require.NoError(t, err)
	after := checksums(t, conn)
	for table, sumBefore := range before {
		require.Equal(t, sumBefore, after[table], table)
	}
}
