package seed

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/rules"
)

// The counts of the provincial letter of December 2021, between 1 January and 9 December.
const (
	letterLate    = 1503 // dossiers resolved late
	letterOverdue = 122  // dossiers overdue and still unresolved
)

// within reports whether got is within 5% of want.
func within(got int64, want float64) bool {
	return float64(got) >= want*0.95 && float64(got) <= want*1.05
}

// TestSeedDefaultSizeMatchesTheLetter seeds the default province for 2021 and classifies every
// dossier read back from the database by its stored due_at, as of the letter's date.
func TestSeedDefaultSizeMatchesTheLetter(t *testing.T) {
	t.Parallel()
	// About 3 s on SQLite, more under -race; -short leaves it out.
	if testing.Short() {
		t.Skip("seeds the default 50,000 dossiers")
	}
	conn, sum := seeded(t, db.SQLite, Options{Dossiers: DefaultDossiers, Year: 2021, Seed: DefaultSeed})
	loc, err := rules.LoadZone("")
	require.NoError(t, err)
	asOf := time.Date(2021, 12, 9, 17, 0, 0, 0, loc)
	require.True(t, sum.AsOf.Equal(asOf))

	parse := func(s string) time.Time {
		v, err := time.ParseInLocation(timeLayout, s, loc)
		require.NoError(t, err)
		return v
	}
	var got Summary
	for _, r := range readRows(t, conn, `SELECT status, due_at, completed_at FROM dossiers
		WHERE due_at IS NOT NULL AND received_at IS NOT NULL ORDER BY id`) {
		due := parse(r[1])
		switch r[0] {
		case statusDone:
			c := parse(r[2])
			got.add(rules.Classify(due, &c, c, loc))
		case statusProcessing, statusPaused:
			got.add(rules.Classify(due, nil, asOf, loc))
		}
	}

	t.Logf("late %d (by hours %d, by days %d), overdue %d", got.Late(), got.LateHours, got.LateDays,
		got.Overdue)
	require.True(t, within(got.Late(), letterLate), "resolved late: %d, want %d ±5%%", got.Late(), letterLate)
	require.True(t, within(got.Overdue, letterOverdue), "overdue: %d, want %d ±5%%", got.Overdue, letterOverdue)
	require.GreaterOrEqual(t, float64(got.LateHours), 0.75*float64(got.Late()), "mostly late by hours")

	// The summary tells the same, the bad rows apart (none of them late or overdue).
	require.Equal(t, got.Late(), sum.Late())
	require.Equal(t, got.LateHours, sum.LateHours)
	require.Equal(t, got.Overdue, sum.Overdue)
	require.Equal(t, got.Open, sum.Open)
	// ... and the dossiers on time, the bad rows with a stored deadline among them, as fixer
	// report counts them.
	require.Equal(t, got.OnTime, sum.OnTime)
}
