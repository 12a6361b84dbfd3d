package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// On PostgreSQL the audit rows carry no foreign key (migration 0002), as on MySQL: an audit
// table made by the first version loses its key, and a second Migrate changes nothing.
func TestPostgresAuditRowsHaveNoForeignKey(t *testing.T) {
	t.Parallel()
	_, conn := lockStore(t, testdb.New(t, db.Postgres))
	var fks int
	require.NoError(t, conn.Get(&fks, "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'fixer_changes'::regclass AND contype = 'f'"))
	require.Zero(t, fks)
	var versions []int
	require.NoError(t, conn.Select(&versions, "SELECT version FROM fixer_migrations ORDER BY version"))
	require.Equal(t, []int{1, 2}, versions)

	// The changesets keep their own key to the changeset a rollback reverts.
	require.NoError(t, conn.Get(&fks, "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'fixer_changesets'::regclass AND contype = 'f'"))
	require.Equal(t, 1, fks)
}

// A database migrated by the first version only gets the second migration on the next run.
func TestPostgresMigrationUpgradesFirstVersion(t *testing.T) {
	t.Parallel()
	dsn := testdb.New(t, db.Postgres)
	_, conn := lockStore(t, dsn)
	// Back to what the first version left: its foreign key, and only version 1 recorded.
	_, err := conn.Exec("ALTER TABLE fixer_changes ADD CONSTRAINT fixer_changes_changeset_id_fkey " +
		"FOREIGN KEY (changeset_id) REFERENCES fixer_changesets (id)")
	require.NoError(t, err)
	_, err = conn.Exec("DELETE FROM fixer_migrations WHERE version = 2")
	require.NoError(t, err)

	s, _ := lockStore(t, dsn)
	require.NoError(t, s.Migrate(context.Background()))
	var fks int
	require.NoError(t, conn.Get(&fks, "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'fixer_changes'::regclass AND contype = 'f'"))
	require.Zero(t, fks)
}

// A database whose audit tables an older fixer made, with a later migration still pending,
// still shows its history, and a rollback applies the pending migration and restores the data.
func TestPendingMigrationKeepsHistoryReadable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := open(t, db.Postgres)
	loadFixture(t, conn)
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT older fixer")
	require.NoError(t, err)
	_, err = conn.Exec("ALTER TABLE fixer_changes ADD CONSTRAINT fixer_changes_changeset_id_fkey " +
		"FOREIGN KEY (changeset_id) REFERENCES fixer_changesets (id)")
	require.NoError(t, err)
	_, err = conn.Exec("DELETE FROM fixer_migrations WHERE version = 2")
	require.NoError(t, err)

	r := runner(t, conn)
	list, err := r.Store.Changesets(ctx, 10)
	require.NoError(t, err)
	require.Len(t, list, 1)
	_, err = r.Store.Changeset(ctx, sum.ChangesetID)
	require.NoError(t, err)

	_, err = r.Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	var versions []int
	require.NoError(t, conn.Select(&versions, "SELECT version FROM fixer_migrations ORDER BY version"))
	require.Equal(t, []int{1, 2}, versions)
	require.Equal(t, seeded, checksums(t, conn))
}
