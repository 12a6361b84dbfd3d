package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
)

// A text key holding digits is compared as text: on MySQL, dossier '12' must not match '012' or
// '12abc' (out of scope: received and finished in 2019), which a numeric comparison would.
func TestTextKeysAreComparedAsText(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			alter := map[db.Dialect]string{
				db.MySQL:    "ALTER TABLE dossiers MODIFY id VARCHAR(20) NOT NULL",
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN id TYPE VARCHAR(20)",
			}[d]
			if alter == "" {
				t.Skip("SQLite keeps the declared INTEGER key")
			}
			_, err := conn.Exec(alter)
			require.NoError(t, err)
			for _, id := range []string{"012", "12abc"} {
				_, err = conn.Exec("INSERT INTO dossiers VALUES ('" + id + "', 'OUT-" + id + "', 1, 1, '2019-05-06 08:00:00', " +
					"'2019-05-07 08:00:00', '2019-05-07 08:00:00', '2019-05-10 08:00:00', 'done', 1, 0, NULL, NULL)")
				require.NoError(t, err)
			}
			sum, err := runner(t, conn).Apply(context.Background(), "text keys")
			require.NoError(t, err)
			require.Zero(t, sum.Conflicts)
			for id, want := range map[string]string{"012": "2019-05-07 08:00:00", "12abc": "2019-05-07 08:00:00",
				"12": "2020-12-31 17:00:00"} {
				var due string
				q := "SELECT due_at FROM dossiers WHERE id = '" + id + "'"
				if d == db.Postgres {
					q = "SELECT CAST(due_at AS TEXT) FROM dossiers WHERE id = '" + id + "'"
				}
				require.NoError(t, conn.Get(&due, q))
				require.Equal(t, want, due, "dossier %s", id)
			}
			var n int
			require.NoError(t, conn.Get(&n, "SELECT COUNT(*) FROM fixer_changes WHERE table_name = 'dossiers' AND row_pk IN ('012', '12abc')"))
			require.Zero(t, n)
		})
	}
}

// A key column that is only part of a composite primary key does not identify a row: the run
// stops before reading anything.
func TestCompositeKeyIsRefused(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			stmts := map[db.Dialect][]string{
				db.MySQL:    {"ALTER TABLE dossiers DROP PRIMARY KEY, ADD PRIMARY KEY (id, agency_id)"},
				db.Postgres: {"ALTER TABLE dossiers DROP CONSTRAINT dossiers_pkey", "ALTER TABLE dossiers ADD PRIMARY KEY (id, agency_id)"},
			}[d]
			for _, s := range stmts {
				_, err := conn.Exec(s)
				require.NoError(t, err)
			}
			_, err := runner(t, conn).Plan(context.Background())
			require.ErrorIs(t, err, repair.ErrConfig)
			require.Contains(t, err.Error(), "dossiers.id (schema.dossiers.key) is not the primary key on its own")
		})
	}
	_ = testdb.Dialects
}

// Shards are taken by MOD(key, n): over a text key (dossier codes) PostgreSQL refuses the
// statement and MySQL reads every code as the number 0, so that shard 1 would take every dossier
// and the others none, silently. A sharded run over a text key stops before anything is read
// or written, naming the key and its setting.
func TestShardOverTextKeyIsRefused(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.MySQL, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := alteredFixture(t, d, map[db.Dialect]string{
				db.MySQL:    "ALTER TABLE dossiers MODIFY id VARCHAR(40) NOT NULL",
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN id TYPE VARCHAR(40)",
			})
			before, tablesBefore := checksums(t, conn), tables(t, conn)
			for _, shard := range []int{0, 1} {
				r := runner(t, conn)
				r.Shard, r.ShardCount = shard, 2
				_, err := r.Plan(context.Background())
				require.ErrorIs(t, err, repair.ErrConfig, "plan, shard %d/2", shard+1)
				require.Contains(t, err.Error(), "dossiers.id (schema.dossiers.key)")
				require.Contains(t, err.Error(), "--shard")
				_, err = r.Apply(context.Background(), "sharded run over text keys")
				require.ErrorIs(t, err, repair.ErrConfig, "apply, shard %d/2", shard+1)
			}
			require.Equal(t, before, checksums(t, conn))
			require.Equal(t, tablesBefore, tables(t, conn), "no fixer table was created")
		})
	}
}
