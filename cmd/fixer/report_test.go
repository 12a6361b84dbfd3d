package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/testdb"
)

// report counts every dossier in scope by its stored deadline, the ones plan would skip
// included, and counts closed dossiers apart. The classes of the fixture and of the rows in
// closed.sql are worked out by hand in the repair suite (integration_test.go, closed_test.go):
// agency 1 holds D08 on time, D01 and D18 late by hours, D16 late by days, D02, D09 and D12
// overdue; agency 2 holds D03 on time, D04 late by days, D05 and D11 overdue, D15 and D17
// closed; D06, D07 and D10 have no stored deadline.
func TestReportCountsSkippedAndClosedDossiers(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn, conn := fixtureConn(t, d)
			rows, err := os.ReadFile("../../repair/sqlstore/testdata/closed.sql")
			require.NoError(t, err)
			for _, l := range strings.Split(string(rows), "\n") {
				if strings.HasPrefix(l, "INSERT") {
					_, err := conn.Exec(strings.TrimSuffix(l, ";"))
					require.NoError(t, err)
				}
			}

			out, stderr, code := run(t, "report", "--dsn", dsn, "--as-of", "2021-12-09 17:00", "--output", "json")
			require.Equal(t, 0, code, stderr)
			var got struct {
				Agencies []struct {
					Agency  string           `json:"agency"`
					Classes map[string]int64 `json:"classes"`
					Closed  int64            `json:"closed"`
				} `json:"agencies"`
				Closed       int64 `json:"closed"`
				Unclassified int64 `json:"unclassified"`
				Scanned      int64 `json:"dossiers_scanned"`
				Skipped      int64 `json:"skipped"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			require.Len(t, got.Agencies, 2)
			require.Equal(t, map[string]int64{"on_time": 1, "late_hours": 2, "late_days": 1, "overdue": 3},
				got.Agencies[0].Classes)
			require.Zero(t, got.Agencies[0].Closed)
			require.Equal(t, map[string]int64{"on_time": 1, "late_days": 1, "overdue": 2}, got.Agencies[1].Classes)
			require.EqualValues(t, 2, got.Agencies[1].Closed)
			require.EqualValues(t, 2, got.Closed)
			require.EqualValues(t, 3, got.Unclassified)
			// Skipped dossiers, as the table counts them: D06 (procedure 6 unreadable), D07 (no
			// receipt), D08 (completed before receipt), D09 and D16 (clock stopped), D10 (unknown
			// procedure), D18 (re-scheduled). Procedure 6 itself is a skipped row, not a dossier.
			require.EqualValues(t, 16, got.Scanned)
			require.EqualValues(t, 7, got.Skipped)

			out, stderr, code = run(t, "report", "--dsn", dsn, "--as-of", "2021-12-09 17:00")
			require.Equal(t, 0, code, stderr)
			require.Contains(t, out, "NO RESULT (CLOSED)")
			var total []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "TOTAL") {
					total = strings.Fields(l)
				}
			}
			// on time, late by hours, late by days, overdue, open, closed
			require.Equal(t, []string{"TOTAL", "2", "2", "2", "5", "0", "2"}, total)
			require.Contains(t, out, "16 dossiers scanned; 7 of them skipped")
			require.Contains(t, out, "3 not classified")

			out, stderr, code = run(t, "plan", "--dsn", dsn, "--as-of", "2021-12-09 17:00")
			require.Equal(t, 0, code, stderr)
			require.Contains(t, out, "late_hours -> late_hours")
			require.Contains(t, out, "No result (closed): 2 dossiers")
		})
	}
}
