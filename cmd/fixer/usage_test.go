package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// Settings and flags that would make a run do nothing, or something else than asked, stop it
// with exit 2 and a message naming the setting or the flag, before anything is written.
func TestSettingsThatWouldMisleadAreRefused(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	dir := t.TempDir()
	scopeCfg := filepath.Join(dir, "scope.yaml")
	require.NoError(t, os.WriteFile(scopeCfg, []byte("scope:\n  procedures: [\"1\", \"77\"]\n"), 0o600))
	layoutCfg := filepath.Join(dir, "layout.yaml")
	require.NoError(t, os.WriteFile(layoutCfg, []byte("schema:\n  dossiers:\n    time_layout: dd/mm/yyyy\n"), 0o600))
	hoursCfg := filepath.Join(dir, "hours.yaml")
	require.NoError(t, os.WriteFile(hoursCfg, []byte("calendar:\n  hours_per_day: 0\n"), 0o600))

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"blank reason", []string{"apply", "--reason", "   "}, []string{"--reason is required and must not be blank"}},
		{"unknown agency", []string{"plan", "--agency", "2,CQ-Z"},
			[]string{`--agency "CQ-Z": no agency has this key`, "known keys include 1, 2"}},
		{"unknown agency on apply", []string{"apply", "--reason", "CV 1", "--agency", "CQ-Z"},
			[]string{`--agency "CQ-Z"`}},
		{"unknown agency on report", []string{"report", "--agency", "CQ-Z"}, []string{`--agency "CQ-Z"`}},
		{"unknown procedure", []string{"plan", "--procedure", "99"},
			[]string{`--procedure "99": no procedure has this key (id)`, "known keys include 1, 2, 3, 4, 5, ..."}},
		{"unknown procedure in the configuration", []string{"plan", "--config", scopeCfg},
			[]string{`scope.procedures "77"`}},
		{"layout in another notation", []string{"plan", "--config", layoutCfg},
			[]string{`schema.dossiers.time_layout "dd/mm/yyyy"`, `"02/01/2006 15:04:05"`}},
		{"zero hours per day", []string{"plan", "--config", hoursCfg}, []string{"calendar.hours_per_day 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := run(t, append(tc.args, "--dsn", dsn)...)
			require.Equal(t, 2, code, stderr)
			require.Empty(t, out)
			for _, w := range tc.want {
				require.Contains(t, stderr, w)
			}
		})
	}

	conn, err := db.Open(t.Context(), dsn, db.Options{})
	require.NoError(t, err)
	defer conn.Close()
	require.NotContains(t, testdb.Tables(t, conn), "fixer_changesets", "nothing was written")

	out, stderr, code := run(t, "plan", "--dsn", dsn, "--agency", "2", "--procedure", "3,4", "--output", "json")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, `"rows_to_change"`, "known keys are accepted")
}

// sqlite:FILE?mode=ro opens the file read-only: plan works, and apply fails without writing.
func TestSQLiteReadOnlyURL(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	conn, err := db.Open(t.Context(), dsn, db.Options{})
	require.NoError(t, err)
	before := testdb.Checksums(t, conn, testdb.ReferenceTables...)
	tables := testdb.Tables(t, conn)
	conn.Close()

	_, stderr, code := run(t, "plan", "--dsn", dsn+"?mode=ro")
	require.Equal(t, 0, code, stderr)
	_, stderr, code = run(t, "apply", "--dsn", dsn+"?mode=ro", "--reason", "CV 1503/STTTT")
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stderr, "readonly database")

	conn, err = db.Open(t.Context(), dsn, db.Options{})
	require.NoError(t, err)
	defer conn.Close()
	require.Equal(t, before, testdb.Checksums(t, conn, testdb.ReferenceTables...))
	require.Equal(t, tables, testdb.Tables(t, conn), "no table created")

	_, stderr, code = run(t, "plan", "--dsn", dsn+"?mode=ro&cache=shared&journal=wal")
	require.Equal(t, 2, code, stderr)
	require.Contains(t, stderr, `unknown parameter "journal"`)
}
