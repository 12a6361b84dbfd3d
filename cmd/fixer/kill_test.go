package main

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// killStep is one fixer apply of the interrupted sequence. A step with a kill point is killed
// with SIGKILL once the newest changeset has recorded at least killAt of the rows the whole
// repair changes, and delay later (so that some kills land inside a batch's transaction and
// some between batches); a step without one must run to its end.
type killStep struct {
	args   []string
	killAt float64
	delay  time.Duration
}

// TestApplySurvivesKill kills fixer apply at several points and finishes the work with
// --resume and with plain applies. The result must be what one uninterrupted run gives on an
// identical copy of the data: the same reference tables, byte for byte, and the same audit rows,
// each changed value recorded exactly once across all the changesets. At every kill point each
// changeset's counts must agree with its audit rows, since counts and rows commit together.
func TestApplySurvivesKill(t *testing.T) {
	t.Parallel()
	bin := buildFixerBinary(t)
	const dossiers = 3000
	steps := []killStep{
		{args: []string{}, killAt: 0.10},
		{args: []string{"--resume"}, killAt: 0.35, delay: 11 * time.Millisecond},
		{args: []string{}, killAt: 0.10, delay: 4 * time.Millisecond}, // a new changeset, started over
		{args: []string{"--resume"}},                                  // finishes the newest one
		{args: []string{"--resume"}},                                  // finishes the first one: nothing left
		{args: []string{}},                                            // nothing to change
	}

	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			refConn, refDSN := freshDB(t, d)
			conn, dsn := freshDB(t, d)
			seedProvince(t, bin, refDSN, dossiers)
			seedProvince(t, bin, dsn, dossiers)
			require.Equal(t, referenceChecksums(t, refConn), referenceChecksums(t, conn), "fixer seed is not deterministic")

			apply := func(dsn string, extra ...string) []string {
				return append([]string{"apply", "--dsn", dsn, "--reason", "CV 1503/STTTT kill test",
					"--batch-size", "100", "--as-of", asOf}, extra...)
			}
			code, _, errOut := bin.run(t, "uninterrupted", apply(refDSN)...)
			require.Equal(t, 0, code, errOut)
			ref := changesetRows(refConn)
			require.Len(t, ref, 1)
			total := ref[0].RowsChanged
			require.Greater(t, total, int64(dossiers), "the seeded data should need a large repair")

			for i, step := range steps {
				args := apply(dsn, append([]string{"--sleep", "20ms"}, step.args...)...)
				p := bin.start(t, fmt.Sprintf("step-%d", i+1), args...)
				if step.killAt == 0 {
					require.Equal(t, 0, p.wait(t, 2*time.Minute), "step %d: %s", i+1, p.stderr.String())
					requireCountsMatchAudit(t, conn)
					continue
				}
				at := int64(step.killAt * float64(total))
				eventually(t, time.Minute, p, fmt.Sprintf("step %d reaching %d rows", i+1, at), func() bool {
					return newestRowsChanged(conn) >= at
				})
				time.Sleep(step.delay)
				p.kill(t)
				requireCountsMatchAudit(t, conn)
				waitSessionLockFree(t, conn)
				if d == db.SQLite {
					expireLease(t, conn) // no session lock on SQLite: the killed run's lease must expire
				}
			}

			require.Equal(t, referenceChecksums(t, refConn), referenceChecksums(t, conn))
			list := changesetRows(conn)
			require.Len(t, list, 3, "the first run, the plain apply after the second kill, the last apply")
			var sum int64
			for _, cs := range list {
				require.Equal(t, "done", cs.Status, "changeset %d", cs.ID)
				sum += cs.RowsChanged
			}
			require.Equal(t, total, sum)
			require.Zero(t, list[2].RowsChanged, "the last apply found something left to change")

			got, want := auditRows(t, conn), auditRows(t, refConn)
			require.Equal(t, want, got, "the audit differs from that of one uninterrupted run")
			for i := 1; i < len(got); i++ {
				require.NotEqual(t, got[i-1], got[i], "a change recorded twice")
			}
		})
	}
}

// auditRows returns every audit row of the database without its ids, sorted, each as
// "table|row|column|old|new|rule".
func auditRows(t *testing.T, conn *db.DB) []string {
	t.Helper()
	rows, err := conn.Query("SELECT table_name, row_pk, column_name, old_value, new_value, rule FROM fixer_changes")
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, pk, col, rule string
		var old, nw *string
		require.NoError(t, rows.Scan(&table, &pk, &col, &old, &nw, &rule))
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s", table, pk, col, nullText(old), nullText(nw), rule))
	}
	require.NoError(t, rows.Err())
	sort.Strings(out)
	return out
}

func nullText(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

// requireCountsMatchAudit checks that every changeset's rows_changed and values_changed agree
// with its audit rows, and that no changeset recorded a conflict.
func requireCountsMatchAudit(t *testing.T, conn *db.DB) {
	t.Helper()
	for _, cs := range changesetRows(conn) {
		var values, rows int64
		require.NoError(t, conn.Get(&values, conn.Rebind("SELECT COUNT(*) FROM fixer_changes WHERE changeset_id = ?"), cs.ID))
		require.NoError(t, conn.Get(&rows, conn.Rebind("SELECT COUNT(*) FROM (SELECT DISTINCT table_name, row_pk "+
			"FROM fixer_changes WHERE changeset_id = ?) x"), cs.ID))
		require.Equal(t, values, cs.ValuesChanged, "values_changed of changeset %d", cs.ID)
		require.Equal(t, rows, cs.RowsChanged, "rows_changed of changeset %d", cs.ID)
		require.Zero(t, cs.Conflicts, "conflicts of changeset %d", cs.ID)
	}
}
