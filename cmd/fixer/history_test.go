package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
	"fixer/repair/sqlstore"
)

// history tells a changeset left running by a killed run ("interrupted") from the one of the
// run that holds the lock now ("running").
func TestHistoryTellsInterruptedRuns(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	_, stderr, code := run(t, "apply", "--dsn", dsn, "--reason", "first", "--as-of", asOf)
	require.Equal(t, 0, code, stderr)
	_, stderr, code = run(t, "apply", "--dsn", dsn, "--reason", "second", "--as-of", asOf)
	require.Equal(t, 0, code, stderr)

	ctx := context.Background()
	conn, err := db.Open(ctx, dsn, db.Options{})
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Exec("UPDATE fixer_changesets SET status = 'running'")
	require.NoError(t, err)

	status := func() map[string]string {
		out, stderr, code := run(t, "history", "--dsn", dsn)
		require.Equal(t, 0, code, stderr)
		got := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			f := strings.Fields(line)
			got[f[0]] = f[2]
		}
		return got
	}
	require.Equal(t, map[string]string{"1": "interrupted", "2": "interrupted"}, status(), "nobody holds the lock")
	out, stderr, code := run(t, "show", "2", "--dsn", dsn)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "Changeset 2 (apply, interrupted)", "show says what history says")
	out, stderr, code = run(t, "history", "--dsn", dsn, "--output", "json")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, 2, strings.Count(out, `"status":"interrupted"`), "JSON says what the table says: %s", out)

	cfg, err := repair.DefaultConfig().Resolve()
	require.NoError(t, err)
	store := sqlstore.New(conn, cfg.Schema, cfg.TablePrefix, cfg.Zone)
	_, unlock, err := store.Lock(ctx, repair.Operator{Name: "live", Host: "here", PID: 1}, "")
	require.NoError(t, err)
	defer unlock()
	require.Equal(t, map[string]string{"1": "interrupted", "2": "running"}, status(),
		"only the newest can be the live run's")
	out, stderr, code = run(t, "show", "2", "--dsn", dsn)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "Changeset 2 (apply, running)")
}
