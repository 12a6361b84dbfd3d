package sqlstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// requireRoundTrip applies the repair to the fixture in conn, checks that dossier id's column
// then holds want, as the database reads it and as the audit records it, that a second apply
// finds nothing to do, and that rollback restores the data as seeded without conflicts.
func requireRoundTrip(t *testing.T, conn *db.DB, id int, col, want string) {
	t.Helper()
	ctx := context.Background()
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT column types")
	require.NoError(t, err)
	require.Zero(t, sum.Conflicts)
	require.Equal(t, want, column(t, conn, "dossiers", col, id))
	var audited string
	require.NoError(t, conn.Get(&audited, conn.Rebind("SELECT new_value FROM fixer_changes WHERE row_pk = ? AND column_name = ?"),
		strconv.Itoa(id), col))
	require.Equal(t, want, audited)

	again, err := runner(t, conn).Apply(ctx, "second")
	require.NoError(t, err)
	require.Zero(t, again.RowsChanged)

	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}

// A PostgreSQL boolean late flag is written spelled as the column reads it: dossier 1, late by
// hours, goes from true to false.
func TestBooleanLateFlag(t *testing.T) {
	t.Parallel()
	conn := alteredFixture(t, db.Postgres, map[db.Dialect]string{
		db.Postgres: "ALTER TABLE dossiers ALTER COLUMN is_late TYPE BOOLEAN USING is_late::int::boolean"})
	requireRoundTrip(t, conn, 1, "is_late", "false")
}

// A DATE appointment column holds the day of the appointment. D05: received Thu 15/04/2021, 15
// calendar days end on the holidays; the appointment is Tue 04/05 (worked out in
// integration_test.go).
func TestDateAppointmentColumn(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := alteredFixture(t, d, map[db.Dialect]string{
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN appointment_at TYPE DATE",
				db.MySQL:    "ALTER TABLE dossiers MODIFY appointment_at DATE",
			})
			requireRoundTrip(t, conn, 5, "appointment_at", "2021-05-04")
		})
	}
}

// A MySQL BIT late flag reads as raw bytes and refuses the text '0' and '1': plan and apply stop
// at the catalog check with the column, the types that work and the fix, before reading a row
// or creating a table.
func TestMySQLBitFlagIsRefused(t *testing.T) {
	t.Parallel()
	conn := alteredFixture(t, db.MySQL, map[db.Dialect]string{db.MySQL: "ALTER TABLE dossiers MODIFY is_late BIT(1)"})
	seeded, before := checksums(t, conn), tables(t, conn)

	_, err := runner(t, conn).Plan(context.Background())
	require.ErrorIs(t, err, repair.ErrConfig)
	require.ErrorContains(t, err, "column dossiers.is_late (schema.dossiers.is_late) has type BIT, "+
		"which fixer cannot read or write: a flag needs a BOOLEAN (TINYINT(1)) or other integer column, "+
		"or CHAR, VARCHAR or TEXT; change its type (ALTER TABLE `dossiers` MODIFY `is_late` TINYINT(1))")

	_, err = runner(t, conn).Apply(context.Background(), "CV 1503/STTTT bit flag")
	require.ErrorIs(t, err, repair.ErrConfig)
	require.ErrorContains(t, err, "dossiers.is_late (schema.dossiers.is_late) has type BIT")
	require.Equal(t, seeded, checksums(t, conn))
	require.Equal(t, before, tables(t, conn))
}

// A PostgreSQL BIT(1) late flag reads and writes as 0 and 1: dossier 1, late by hours, goes from
// 1 to 0.
func TestPostgresBitLateFlag(t *testing.T) {
	t.Parallel()
	conn := alteredFixture(t, db.Postgres, map[db.Dialect]string{
		db.Postgres: "ALTER TABLE dossiers ALTER COLUMN is_late TYPE BIT(1) USING is_late::int::bit(1)"})
	requireRoundTrip(t, conn, 1, "is_late", "0")
}

// A PostgreSQL CHAR(n) column is written whole: a value cast to bare "character" would be cut to
// its first character (character means character(1)), turning the profile "session" into "s"
// (and a text date "19/02/2021 17:00:00" into "1") with no error, after which a rollback finds
// every such row changed since the run and leaves it as it is.
func TestPostgresCharColumnIsNotCut(t *testing.T) {
	t.Parallel()
	conn := alteredFixture(t, db.Postgres, map[db.Dialect]string{
		db.Postgres: "ALTER TABLE procedures ALTER COLUMN deadline_snap TYPE CHAR(8), ALTER COLUMN appointment_count TYPE CHAR(8)"})
	ctx := context.Background()
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT char columns")
	require.NoError(t, err)
	require.Zero(t, sum.Conflicts)
	for col, want := range map[string]string{"deadline_snap": "session", "appointment_count": "day"} {
		var got string
		require.NoError(t, conn.Get(&got, "SELECT CAST("+col+" AS TEXT) FROM procedures WHERE id = 1"))
		require.Equal(t, want, got, col)
	}
	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}

// A late flag kept as text in the application's own spelling keeps it: with Y/N in a VARCHAR
// column, dossier 1, late by hours, goes from Y to N, never to 0.
func TestTextLateFlagKeepsItsSpelling(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL, db.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn := open(t, d)
			loadFixture(t, conn)
			alter := map[db.Dialect]string{
				db.Postgres: "ALTER TABLE dossiers ALTER COLUMN is_late TYPE VARCHAR(5)",
				db.MySQL:    "ALTER TABLE dossiers MODIFY is_late VARCHAR(5)",
			}[d]
			if alter != "" {
				_, err := conn.Exec(alter)
				require.NoError(t, err)
			}
			_, err := conn.Exec("UPDATE dossiers SET is_late = CASE WHEN is_late = '1' THEN 'Y' WHEN is_late = '0' THEN 'N' END")
			require.NoError(t, err)
			require.Equal(t, "Y", column(t, conn, "dossiers", "is_late", 1))
			requireRoundTrip(t, conn, 1, "is_late", "N")
		})
	}
}

// A MySQL ENUM late flag is written as its members spell true and false, also over NULL:
// dossier 1, late by hours, with no flag yet, becomes N, never '0' (which MySQL would read as
// the ENUM's error value) nor '1' (its first member).
func TestEnumLateFlag(t *testing.T) {
	t.Parallel()
	conn := open(t, db.MySQL)
	loadFixture(t, conn)
	execAll(t, conn, "ALTER TABLE dossiers MODIFY is_late VARCHAR(1)",
		"UPDATE dossiers SET is_late = CASE is_late WHEN '1' THEN 'Y' WHEN '0' THEN 'N' END",
		"ALTER TABLE dossiers MODIFY is_late ENUM('N','Y')", "UPDATE dossiers SET is_late = NULL WHERE id = 1")
	requireRoundTrip(t, conn, 1, "is_late", "N")
}

// An ENUM late flag whose members are no true/false pair is refused at the catalog check, with
// the type and what to do, before anything is read or written.
func TestEnumLateFlagWithoutAPairIsRefused(t *testing.T) {
	t.Parallel()
	conn := open(t, db.MySQL)
	loadFixture(t, conn)
	execAll(t, conn, "UPDATE dossiers SET is_late = NULL", "ALTER TABLE dossiers MODIFY is_late ENUM('dung_han','tre_han')")
	seeded, before := checksums(t, conn), tables(t, conn)
	_, err := runner(t, conn).Apply(context.Background(), "CV 1503/STTTT enum flag")
	require.ErrorIs(t, err, repair.ErrConfig)
	require.ErrorContains(t, err, "column dossiers.is_late (schema.dossiers.is_late) has type enum('dung_han','tre_han'), "+
		"with no two members fixer can write as late and not late")
	require.Equal(t, seeded, checksums(t, conn))
	require.Equal(t, before, tables(t, conn))
}

// MySQL BIGINT UNSIGNED keys above the largest signed integer are matched exactly: the dossiers
// and steps moved to either side of 2^63 and just below 2^64 are repaired like the others, and
// rolled back exactly.
func TestUnsignedKeysAboveSignedRange(t *testing.T) {
	t.Parallel()
	conn := open(t, db.MySQL)
	loadFixture(t, conn)
	execAll(t, conn,
		"ALTER TABLE dossiers MODIFY id BIGINT UNSIGNED NOT NULL",
		"ALTER TABLE dossier_steps MODIFY id BIGINT UNSIGNED NOT NULL, MODIFY dossier_id BIGINT UNSIGNED NOT NULL",
		// 4 and 5 just below and above 2^63, the rest just below 2^64: as doubles, each group
		// is one number.
		"UPDATE dossiers SET id = id + 18446744073709551600 WHERE id > 5",
		"UPDATE dossiers SET id = id + 9223372036854775803 WHERE id IN (4, 5)",
		"UPDATE dossier_steps SET dossier_id = dossier_id + 18446744073709551600 WHERE dossier_id > 5",
		"UPDATE dossier_steps SET dossier_id = dossier_id + 9223372036854775803 WHERE dossier_id IN (4, 5)",
		"UPDATE dossier_steps SET id = id + 18446744073709551600 WHERE id > 3")
	plain := open(t, db.MySQL)
	loadFixture(t, plain)

	ctx := context.Background()
	seeded := checksums(t, conn)
	want, err := runner(t, plain).Apply(ctx, "CV 1503/STTTT signed keys")
	require.NoError(t, err)
	r := runner(t, conn)
	r.BatchSize = 100 // the keys of both sides of 2^63 in one statement
	sum, err := r.Apply(ctx, "CV 1503/STTTT unsigned keys")
	require.NoError(t, err)
	require.Zero(t, sum.Conflicts)
	require.Equal(t, want.RowsChanged, sum.RowsChanged)
	require.Equal(t, want.ValuesChanged, sum.ValuesChanged)
	var due string
	require.NoError(t, conn.Get(&due, "SELECT due_at FROM dossiers WHERE id = 18446744073709551609"))
	require.Equal(t, column(t, plain, "dossiers", "due_at", 9), due)

	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}

// execAll runs statements in order on conn.
func execAll(t *testing.T, conn *db.DB, statements ...string) {
	t.Helper()
	for _, q := range statements {
		_, err := conn.Exec(q)
		require.NoError(t, err, q)
	}
}

// A schema with Vietnamese names holding spaces is read, repaired and rolled back like the
// reference one: the dossiers table is "hồ sơ" and its completion column "Ngày Xong".
func TestVietnameseNamesWithSpaces(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			plain := open(t, d)
			loadFixture(t, plain)
			want, err := runner(t, plain).Apply(ctx, "CV 1503/STTTT names")
			require.NoError(t, err)

			conn := open(t, d)
			loadFixture(t, conn)
			execAll(t, conn, "ALTER TABLE dossiers RENAME COLUMN completed_at TO "+d.Quote("Ngày Xong"),
				"ALTER TABLE dossiers RENAME TO "+d.Quote("hồ sơ"))
			cfg := repair.DefaultConfig()
			cfg.Schema.Dossiers.Table, cfg.Schema.Dossiers.Completed = "hồ sơ", "Ngày Xong"
			res, err := cfg.Resolve()
			require.NoError(t, err)
			seeded := checksumsOf(t, conn, "hồ sơ", "dossier_steps", "procedures")
			r := runner(t, conn)
			r.Config, r.Store = res, sqlstore.New(conn, res.Schema, res.TablePrefix, res.Zone)
			sum, err := r.Apply(ctx, "CV 1503/STTTT names")
			require.NoError(t, err)
			require.Equal(t, want.RowsChanged, sum.RowsChanged)
			require.Equal(t, want.ValuesChanged, sum.ValuesChanged)
			require.Equal(t, want.Transitions, sum.Transitions)

			back, err := r.Rollback(ctx, sum.ChangesetID, "", false)
			require.NoError(t, err)
			require.Zero(t, back.Conflicts)
			require.Equal(t, seeded, checksumsOf(t, conn, "hồ sơ", "dossier_steps", "procedures"))
		})
	}
}

// A PostgreSQL domain over timestamp, with a constraint and a Vietnamese name, is a time column:
// the deadlines are written in it as in a plain timestamp, and rolled back.
func TestPostgresDomainOverTimestamp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain := open(t, db.Postgres)
	loadFixture(t, plain)
	_, err := runner(t, plain).Apply(ctx, "CV 1503/STTTT plain")
	require.NoError(t, err)

	conn := open(t, db.Postgres)
	loadFixture(t, conn)
	execAll(t, conn, `CREATE DOMAIN "Hạn xử lý" AS timestamp(0) CHECK (VALUE > '2000-01-01')`,
		`ALTER TABLE dossiers ALTER COLUMN due_at TYPE "Hạn xử lý"`)
	seeded := checksums(t, conn)
	sum, err := runner(t, conn).Apply(ctx, "CV 1503/STTTT domain")
	require.NoError(t, err)
	for id := 1; id <= 14; id++ {
		require.Equal(t, column(t, plain, "dossiers", "due_at", id), column(t, conn, "dossiers", "due_at", id), "dossier %d", id)
	}
	back, err := runner(t, conn).Rollback(ctx, sum.ChangesetID, "", false)
	require.NoError(t, err)
	require.Zero(t, back.Conflicts)
	require.Equal(t, seeded, checksums(t, conn))
}
