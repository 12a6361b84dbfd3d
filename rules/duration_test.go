package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in   string
		want Duration
		text string
	}{
		{"3d", Duration{WorkingDays, 3000}, "3d"},
		{"0.5d", Duration{WorkingDays, 500}, "0.5d"},
		{"0d", Duration{WorkingDays, 0}, "0d"},
		{"4h", Duration{WorkingHours, 4000}, "4h"},
		{"1.5h", Duration{WorkingHours, 1500}, "1.5h"},
		{"1.25h", Duration{WorkingHours, 1250}, "1.25h"},
		{"0.001h", Duration{WorkingHours, 1}, "0.001h"},
		{"15cd", Duration{CalendarDays, 15000}, "15cd"},
		{"015cd", Duration{CalendarDays, 15000}, "15cd"},
		{" 3 D ", Duration{WorkingDays, 3000}, "3d"},
		{"2.50d", Duration{WorkingDays, 2500}, "2.5d"},
		{"365d", Duration{WorkingDays, 365000}, "365d"},
		{"2920h", Duration{WorkingHours, 2920000}, "2920h"},
		{"365cd", Duration{CalendarDays, 365000}, "365cd"},
	}
	for _, tc := range cases {
		got, err := ParseDuration(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
		require.Equal(t, tc.text, got.String())
	}
}

func TestParseDurationErrors(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in, want string
	}{
		{"", "want a number and a unit"},
		{"d", "want a number and a unit"},
		{".5d", "want a number and a unit"},
		{"5.d", "want a number and a unit"},
		{"1e3d", "unknown unit"},
		{"3", "unknown unit"},
		{"3w", "unknown unit"},
		{"3 days", "unknown unit"},
		{"1.2345h", "want a number and a unit"},
		{"1,5d", "unknown unit"},
		{"-1d", "negative"},
		{"366d", "over the limit of 365 working days"},
		{"2921h", "over the limit of 365 working days"},
		{"366cd", "over the limit of 365 working days"},
		{"0.5cd", "calendar days must be whole"},
		{"99999999999d", "want a number and a unit"},
	}
	for _, tc := range cases {
		_, err := ParseDuration(tc.in)
		require.ErrorIs(t, err, ErrBadDuration, tc.in)
		require.ErrorContains(t, err, `invalid duration "`+tc.in+`"`)
		require.ErrorContains(t, err, tc.want, tc.in)
	}
}

func TestDurationValidate(t *testing.T) {
	t.Parallel()

	require.NoError(t, Days(3).Validate())
	require.NoError(t, Hours(0).Validate())
	require.ErrorContains(t, Duration{}.Validate(), "no valid unit")
	require.ErrorContains(t, Duration{Unit: 9, Milli: 1}.Validate(), "no valid unit")
	require.ErrorContains(t, Days(-1).Validate(), "invalid duration -1d: negative")
	require.ErrorContains(t, Duration{CalendarDays, 1500}.Validate(), "must be whole")
	require.True(t, Hours(0).IsZero())
}
