package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseClock(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in   string
		want ClockTime
		text string // String of the result; "" for an error
	}{
		{"15:00", 15 * 3600, "15:00"},
		{"07:30:00", 7*3600 + 1800, "07:30"},
		{"7:30", 7*3600 + 1800, "07:30"},
		{"00:00", 0, "00:00"},
		{"23:59:59", 86399, "23:59:59"},
		{"24:00", 86400, "24:00"},
		{" 11:30 ", 11*3600 + 1800, "11:30"},
		{"24:01", 0, ""},
		{"25:00", 0, ""},
		{"12:60", 0, ""},
		{"12:5", 0, ""},
		{"+7:30", 0, ""},
		{"12", 0, ""},
		{"12:00:00:00", 0, ""},
		{"", 0, ""},
	}
	for _, tc := range cases {
		got, err := ParseClock(tc.in)
		if tc.text == "" {
			require.ErrorIs(t, err, ErrBadClock, tc.in)
			require.ErrorContains(t, err, `"`+tc.in+`"`)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got)
		require.Equal(t, tc.text, got.String())
	}
	require.Equal(t, "none", NoCutoff.String())
}

func TestParseSessions(t *testing.T) {
	t.Parallel()

	got, err := ParseSessions("07:30-11:30,13:00-17:00")
	require.NoError(t, err)
	require.Equal(t, DefaultSessions(), got)

	got, err = ParseSessions(" 08:00-12:00 , 12:00-16:00 ")
	require.NoError(t, err, "sessions may touch")
	require.Equal(t, []Session{{8 * 3600, 12 * 3600}, {12 * 3600, 16 * 3600}}, got)

	for _, bad := range []string{"", "07:30", "11:30-07:30", "07:30-07:30",
		"13:00-17:00,07:30-11:30", "07:30-12:00,11:30-17:00", "07:30-11:30,", "07:30-25:00"} {
		_, err := ParseSessions(bad)
		require.Error(t, err, bad)
		require.ErrorContains(t, err, `invalid sessions "`+bad+`"`)
	}
}

func TestSessionSet(t *testing.T) {
	t.Parallel()

	set := newSessionSet(DefaultSessions())
	require.Equal(t, int64(8*3600), set.length)

	h := func(hh, mm int) int64 { return int64(hh*3600 + mm*60) }
	require.Equal(t, int64(0), set.workedBefore(h(7, 0)))
	require.Equal(t, h(1, 0), set.workedBefore(h(8, 30)))
	require.Equal(t, h(4, 0), set.workedBefore(h(12, 0)))
	require.Equal(t, h(8, 0), set.workedBefore(h(18, 0)))

	require.Equal(t, h(11, 30), set.clockAfter(h(4, 0)), "stays at the session's end")
	require.Equal(t, h(13, 0)+1, set.clockAfter(h(4, 0)+1))
	require.Equal(t, h(17, 0), set.clockAfter(h(8, 0)))
}
