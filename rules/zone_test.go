package rules

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoadZone(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name, want, err string
	}{
		{"", DefaultZoneName, ""},
		{"  ", DefaultZoneName, ""},
		{"Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", ""},
		{"Asia/Bangkok", "Asia/Bangkok", ""},
		{"UTC", "UTC", ""},
		{"Asia/Hanoi_City", "", `unknown zone "Asia/Hanoi_City"`},
		{"Local", "", `zone "Local"`},
		{"+07:00", "", `unknown zone "+07:00"`},
	}
	for _, tc := range cases {
		loc, err := LoadZone(tc.name)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err)
			require.Nil(t, loc)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, loc.String())
	}
}

// Field case 3: a host with no zone database still resolves Asia/Ho_Chi_Minh from the copy
// compiled into the binary, and never falls back to UTC.
func TestLoadZoneWithoutHostTzdata(t *testing.T) {
	t.Setenv("ZONEINFO", t.TempDir())

	loc, err := LoadZone("")
	require.NoError(t, err)
	require.Equal(t, DefaultZoneName, loc.String())
	_, offset := time.Date(2024, 3, 4, 8, 0, 0, 0, loc).Zone()
	require.Equal(t, 7*3600, offset)

	_, err = LoadZone("Nowhere/Nothing")
	require.ErrorContains(t, err, `unknown zone "Nowhere/Nothing"`)
}

func TestParseReceived(t *testing.T) {
	t.Parallel()

	cases := []struct {
		in, want string // want in RFC 3339 at +07:00; "" for an error
	}{
		{"2021-03-08T03:15:42Z", "2021-03-08T10:15:42+07:00"},
		{"2021-03-08T10:15:42+07:00", "2021-03-08T10:15:42+07:00"},
		{"2021-03-08T05:15:42+02:00", "2021-03-08T10:15:42+07:00"},
		{"2021-03-08 10:15:42", "2021-03-08T10:15:42+07:00"},
		{"2021-03-08T10:15:42", "2021-03-08T10:15:42+07:00"},
		{"2021-03-08 10:15", "2021-03-08T10:15:00+07:00"},
		{"2021-03-08T10:15", "2021-03-08T10:15:00+07:00"},
		{" 2021-03-08 10:15 ", "2021-03-08T10:15:00+07:00"},
		{"2021-03-08 10:15:42.75", "2021-03-08T10:15:42.75+07:00"},
		{"2021-03-08 10:15:42+00:00", "2021-03-08T17:15:42+07:00"},
		{"2021-03-08", ""},
		{"08/03/2021 10:15", ""},
		{"2021-02-30 10:00", ""},
		{"2021-03-08 25:00", ""},
		{"", ""},
	}
	for _, tc := range cases {
		got, err := ParseReceived(tc.in, nil)
		if tc.want == "" {
			require.ErrorIs(t, err, ErrBadTime, tc.in)
			require.ErrorContains(t, err, `invalid time "`+tc.in+`"`)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got.Format(time.RFC3339Nano), tc.in)
	}

	bangkok, err := LoadZone("Asia/Bangkok")
	require.NoError(t, err)
	got, err := ParseReceived("2021-03-08 10:15", bangkok)
	require.NoError(t, err)
	require.Equal(t, bangkok, got.Location())
}
