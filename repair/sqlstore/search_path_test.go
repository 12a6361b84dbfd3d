package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair/sqlstore"
)

// Tables in a PostgreSQL schema other than public: without a search path in the URL the run
// stops and says where it looked and how to look elsewhere; with ?search_path=hoso it repairs
// the dossiers there (and keeps its own tables there too).
func TestPostgresTablesInAnotherSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, dsn := openDSN(t, db.Postgres)
	insertDossiers(t, conn, dossierSet{n: 6})
	_, err := conn.Exec("CREATE SCHEMA hoso")
	require.NoError(t, err)
	for _, table := range testdb.ReferenceTables {
		_, err := conn.Exec("ALTER TABLE " + table + " SET SCHEMA hoso")
		require.NoError(t, err)
	}

	_, err = runner(t, conn).Apply(ctx, "CV 1503/STTTT schema")
	require.Error(t, err)
	require.Contains(t, err.Error(), "not found in schema public (the search path; set another with ?search_path=NAME")

	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	inSchema, err := db.Open(ctx, dsn+sep+"search_path=hoso", db.Options{})
	require.NoError(t, err)
	defer inSchema.Close()
	r := runner(t, inSchema)
	sum, err := r.Apply(ctx, "CV 1503/STTTT schema")
	require.NoError(t, err)
	require.EqualValues(t, 6, sum.RowsChanged)
	require.Zero(t, r.Store.(*sqlstore.Store).CASFallbacks())
	require.Equal(t, 6, countWhere(t, conn, "hoso.dossiers", "due_at = ?", repairedDue))
	require.Equal(t, 12, countWhere(t, conn, "hoso.fixer_changes", "changeset_id = ?", sum.ChangesetID))
}
