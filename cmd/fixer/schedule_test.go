package main

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// Field case 12: with the host in UTC, "CRON_TZ=Asia/Ho_Chi_Minh 0 1 * * *" after
// 2024-03-04 12:00 UTC next runs at 2024-03-04 18:00 UTC (01:00 the next day in Hanoi), and a
// spec without a zone is read in the configured zone, not the host's.
func TestScheduleNextTimes(t *testing.T) {
	t.Setenv("TZ", "UTC")
	for _, spec := range []string{"CRON_TZ=Asia/Ho_Chi_Minh 0 1 * * *", "0 1 * * *"} {
		out, stderr, code := run(t, "schedule", "--cron", spec, "--next", "2", "--after", "2024-03-04T12:00:00Z")
		require.Equal(t, 0, code, stderr)
		require.Equal(t, "2024-03-05T01:00:00+07:00\n2024-03-06T01:00:00+07:00\n", out)
		first, err := time.Parse(time.RFC3339, "2024-03-05T01:00:00+07:00")
		require.NoError(t, err)
		require.Equal(t, "2024-03-04 18:00:00", first.UTC().Format(time.DateTime))
	}
	// Without --after too, the times are in the configured zone, not the host's.
	out, stderr, code := run(t, "schedule", "--cron", "0 1 * * *", "--next", "1")
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `^\d{4}-\d\d-\d\dT01:00:00\+07:00\n$`, out)

	_, stderr, code = run(t, "schedule", "--cron", "61 * * * *", "--next", "1")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "61 * * * *")
	// 30 February never comes: refused, not printed as year 1 nor waited for.
	out, stderr, code = run(t, "schedule", "--cron", "0 1 30 2 *", "--next", "1")
	require.Equal(t, 2, code, out)
	require.Empty(t, out)
	require.Contains(t, stderr, "never run")
}

// Field case 11: a procedure with an unreadable time is reported, the runs go on, and each run
// after the first finds nothing left to change.
func TestScheduleKeepsRunning(t *testing.T) {
	dsn := fixtureDB(t, db.SQLite)
	ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
	defer cancel()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"schedule", "--cron", "@every 1s", "--reason", "nightly repair", "--dsn", dsn})
	require.NoError(t, cmd.ExecuteContext(ctx))

	log := errOut.String()
	require.Contains(t, log, "unreadable_processing_time")
	require.Contains(t, log, `msg="run done" command=schedule changeset=1 rows_changed=12 `)
	require.Contains(t, log, `msg="run done" command=schedule changeset=2 rows_changed=0 `)
}

// A schedule that cannot reach its database, or whose mapping does not match it, fails at
// once, not at its first run.
func TestScheduleChecksTheDatabaseAtStart(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(dir+"/empty.db", nil, 0o600))
	for _, dsn := range []string{"sqlite:" + dir + "/missing/none.db", "sqlite:" + dir + "/empty.db"} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		cmd := newRootCmd()
		var errOut bytes.Buffer
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&errOut)
		cmd.SetArgs([]string{"schedule", "--cron", "0 1 * * *", "--reason", "nightly repair", "--dsn", dsn})
		err := cmd.ExecuteContext(ctx)
		cancel()
		require.Error(t, err, dsn)
		require.NotContains(t, errOut.String(), "schedule started", dsn)
	}
}
