package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// plan --output csv lists every skipped row and every kept deadline, not only the first
// thousand the summary keeps. 1200 dossiers of procedure 1 (1d) received Monday 2021-03-08
// at 10:15:42, with the legacy deadline Tuesday 10:15:42 and a result on Thursday 11th, missed
// it by whole days: both deadlines are kept, where the new rule gives Tuesday 17:00 for the
// appointment (counted by day) and Tuesday 11:30 for the deadline (the end of the morning
// session). 1100 more dossiers have no receipt time and are skipped.
func TestPlanCSVListsEveryKeptDeadlineAndSkip(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	tx, err := conn.Begin()
	require.NoError(t, err)
	for i := 0; i < 1200; i++ {
		_, err := tx.Exec(fmt.Sprintf("INSERT INTO dossiers VALUES (%d, 'K%d', 1, 1, '2021-03-08 10:15:42', "+
			"'2021-03-09 10:15:42', '2021-03-09 10:15:42', '2021-03-11 09:00:00', 'done', 1, 0, NULL, NULL)", 1001+i, i))
		require.NoError(t, err)
	}
	for i := 0; i < 1100; i++ {
		_, err := tx.Exec(fmt.Sprintf("INSERT INTO dossiers VALUES (%d, 'S%d', 1, 1, NULL, NULL, NULL, NULL, "+
			"'processing', NULL, 0, NULL, NULL)", 3001+i, i))
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())
	require.NoError(t, conn.Close())

	out, stderr, code := run(t, "plan", "--dsn", dsn, "--output", "csv")
	require.Equal(t, 0, code, stderr)
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	kept, skipped := map[string]bool{}, map[string]bool{}
	for _, r := range records[1:] {
		switch {
		case r[0] == "kept" && strings.HasPrefix(r[3], "K"):
			require.Equal(t, "2021-03-09 10:15:42", r[5], "stored %v", r)
			require.Equal(t, "late_by_days", r[7], "%v", r)
			want := map[string]string{"appointment_at": "2021-03-09 17:00:00", "due_at": "2021-03-09 11:30:00"}[r[4]]
			require.Equal(t, want, r[6], "computed %v", r)
			kept[r[2]+" "+r[4]] = true
		case r[0] == "skip" && strings.HasPrefix(r[3], "S"):
			require.Equal(t, "no_receipt_time", r[7], "%v", r)
			skipped[r[2]] = true
		}
	}
	require.Equal(t, 2400, len(kept), "every kept deadline of the 1200 dossiers")
	require.Equal(t, 1100, len(skipped), "every dossier without a receipt time")
}
