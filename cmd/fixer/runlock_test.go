package main

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// lockedMessage matches what a run refused by the lock prints, and captures when the holder
// took it.
var lockedMessage = regexp.MustCompile(
	`another fixer run holds the lock: held by (\S+) on (\S+) \(pid (\d+)\) since (\S+) `)

// TestApplyRunLock starts two applies on one database at once: exactly one proceeds, the other
// exits with code 3 and says who holds the lock since when, and changes nothing. Then a run is
// killed while it holds the lock, and the next run takes the lock over: at once on PostgreSQL and
// MySQL, whose session lock ends with the killed process; on SQLite once the killed run's lease
// has expired (moved into the past here), and until then it is refused naming the dead run.
func TestApplyRunLock(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, dsn := freshDB(t, d)
			seedProvince(t, bin, dsn, 1000)
			slow := []string{"apply", "--dsn", dsn, "--reason", "nightly schedule", "--batch-size", "25",
				"--sleep", "50ms", "--as-of", asOf}
			fast := []string{"apply", "--dsn", dsn, "--reason", "manual run", "--as-of", asOf}

			started := time.Now()
			first := bin.start(t, "first-runner", slow...)
			eventually(t, time.Minute, first, "the first run's lease", func() bool { return leaseHolder(conn) == "first-runner" })
			code, out, errOut := bin.run(t, "second-runner", fast...)
			require.Equal(t, exitLocked, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			m := lockedMessage.FindStringSubmatch(errOut)
			require.NotNil(t, m, errOut)
			require.Equal(t, "first-runner", m[1])
			require.Equal(t, hostnameOnce(), m[2])
			require.Equal(t, fmt.Sprint(first.cmd.Process.Pid), m[3])
			since, err := time.Parse(time.RFC3339, m[4])
			require.NoError(t, err)
			require.WithinDuration(t, started, since, 5*time.Second)

			require.Equal(t, 0, first.wait(t, 2*time.Minute), first.stderr.String())
			list := changesetRows(conn)
			require.Len(t, list, 1, "the refused run created a changeset")
			require.Equal(t, "first-runner", list[0].Operator)
			require.Equal(t, "done", list[0].Status)
			require.Positive(t, list[0].RowsChanged)

			// A run killed while it holds the lock. Nothing is left to change, but the run still
			// walks every batch, sleeping between them, and holds the lock all along.
			doomed := bin.start(t, "doomed-runner", slow...)
			eventually(t, time.Minute, doomed, "the doomed run's lease and changeset", func() bool {
				list := changesetRows(conn)
				return leaseHolder(conn) == "doomed-runner" && len(list) == 2 && list[1].Operator == "doomed-runner"
			})
			doomed.kill(t)
			waitSessionLockFree(t, conn)
			if d == db.SQLite {
				code, _, errOut := bin.run(t, "third-runner", fast...)
				require.Equal(t, exitLocked, code, errOut)
				m := lockedMessage.FindStringSubmatch(errOut)
				require.NotNil(t, m, errOut)
				require.Equal(t, "doomed-runner", m[1])
				expireLease(t, conn)
			}
			code, _, errOut = bin.run(t, "third-runner", fast...)
			require.Equal(t, 0, code, errOut)
			require.Empty(t, leaseHolder(conn), "the lease is released at the end of the run")

			list = changesetRows(conn)
			require.Len(t, list, 3)
			require.Equal(t, "doomed-runner", list[1].Operator)
			require.Equal(t, "running", list[1].Status, "a killed run cannot record its end")
			require.Equal(t, "third-runner", list[2].Operator)
			require.Equal(t, "done", list[2].Status)
			require.Zero(t, list[2].RowsChanged)
		})
	}
}

// TestApplyOnTwoDatabasesAtOnce runs two applies at the same time on two databases of one
// server. They do not share data, so both must proceed.
func TestApplyOnTwoDatabasesAtOnce(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, dsn := freshDB(t, d)
			_, otherDSN := freshDB(t, d)
			seedProvince(t, bin, dsn, 500)
			seedProvince(t, bin, otherDSN, 500)

			first := bin.start(t, "province-a", "apply", "--dsn", dsn, "--reason", "CV 1503/STTTT",
				"--batch-size", "25", "--sleep", "50ms", "--as-of", asOf)
			eventually(t, time.Minute, first, "the first run's lease", func() bool { return leaseHolder(conn) == "province-a" })
			code, _, errOut := bin.run(t, "province-b", "apply", "--dsn", otherDSN, "--reason", "CV 1503/STTTT", "--as-of", asOf)
			require.Equal(t, 0, code, "a run on another database kept this one out: %s", errOut)
			require.Equal(t, 0, first.wait(t, 2*time.Minute), first.stderr.String())
		})
	}
}

// TestApplyRunsStartedTogether is field case 10 at its sharpest: three applies started at the
// same moment on a database fixer has never run on, so that they also race to create fixer's
// own tables. One run proceeds and the others are refused by the lock (exit code 3), never
// failed by the race; every changed value is recorded once.
func TestApplyRunsStartedTogether(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, dsn := freshDB(t, d)
			seedProvince(t, bin, dsn, 500)

			var runs []*fixerProcess
			for i := range 3 {
				runs = append(runs, bin.start(t, fmt.Sprintf("runner-%d", i+1), "apply", "--dsn", dsn,
					"--reason", "nightly schedule", "--batch-size", "25", "--sleep", "50ms", "--as-of", asOf))
			}
			codes := map[int]int{}
			for _, p := range runs {
				code := p.wait(t, 2*time.Minute)
				codes[code]++
				if code != 0 && code != exitLocked {
					t.Errorf("a run failed instead of being refused by the lock; stderr:\n%s", p.stderr.String())
				}
			}
			require.Equal(t, map[int]int{0: 1, exitLocked: 2}, codes)
			list := changesetRows(conn)
			require.Len(t, list, 1)
			require.Equal(t, "done", list[0].Status)
			requireCountsMatchAudit(t, conn)
			var twice int
			require.NoError(t, conn.Get(&twice, "SELECT COUNT(*) FROM (SELECT table_name, row_pk, column_name "+
				"FROM fixer_changes GROUP BY table_name, row_pk, column_name HAVING COUNT(*) > 1) x"))
			require.Zero(t, twice, "a value changed by two runs")
		})
	}
}
