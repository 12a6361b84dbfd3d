package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseModeAndSnap(t *testing.T) {
	t.Parallel()

	for _, m := range []Mode{ModeHour, ModeDay} {
		got, err := ParseMode(m.String())
		require.NoError(t, err)
		require.Equal(t, m, got)
	}
	for _, s := range []Snap{SnapNone, SnapSession, SnapDay} {
		got, err := ParseSnap(s.String())
		require.NoError(t, err)
		require.Equal(t, s, got)
	}

	m, err := ParseMode(" DAY ")
	require.NoError(t, err)
	require.Equal(t, ModeDay, m)

	_, err = ParseMode("minute")
	require.ErrorIs(t, err, ErrBadPolicy)
	require.ErrorContains(t, err, `"minute"`)
	_, err = ParseSnap("half")
	require.ErrorIs(t, err, ErrBadPolicy)
	require.ErrorContains(t, err, `"half"`)
}

func TestNamedPolicies(t *testing.T) {
	t.Parallel()

	require.Equal(t, "hour/none", LegacyPolicy.String())
	require.Equal(t, "day/none", AppointmentPolicy2021.String())
	require.Equal(t, "hour/session", DeadlinePolicy2021.String())
	require.Error(t, Policy{Snap: 3}.validate())
}
