package repair

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A deadline written over zoned text keeps the offset the text was written with, whatever the
// zone of the machine fixer runs on: on a host in New York, where -05:00 is the winter offset,
// a July deadline stays at -05:00 rather than taking the host's summer time.
func TestFormatLikeKeepsTheWrittenOffset(t *testing.T) {
	if os.Getenv("FIXER_ZONED_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFormatLikeKeepsTheWrittenOffset$", "-test.count=1")
		cmd.Env = append(os.Environ(), "FIXER_ZONED_CHILD=1", "TZ=America/New_York")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "PASS")
	}
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	due := time.Date(2021, 7, 15, 17, 0, 0, 0, hcm) // 10:00 UTC
	for old, want := range map[string]string{
		"2021-01-15T12:00:00-05:00": "2021-07-15T05:00:00-05:00",
		"2021-01-15 12:00:00-05":    "2021-07-15 05:00:00-05",
		"2021-01-15T12:00:00Z":      "2021-07-15T10:00:00Z",
		"2021-01-15 19:00:00+07":    "2021-07-15 17:00:00+07",
	} {
		require.Equal(t, want, formatLike(due, Text(old), "", hcm), "over %s", old)
	}
}

// A deadline written over ISO text without a zone keeps the text's spelling: a T between date
// and time, and as many digits of a fraction as it had.
func TestFormatLikeKeepsISOSpelling(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	due := time.Date(2021, 3, 15, 17, 0, 0, 0, hcm)
	for old, want := range map[string]string{
		"2021-03-15 09:47:00":        "2021-03-15 17:00:00",
		"2021-03-15T09:47:00":        "2021-03-15T17:00:00",
		"2021-03-28 10:00:00.000":    "2021-03-15 17:00:00.000",
		"2021-03-28T10:00:00.123456": "2021-03-15T17:00:00.000000",
		"2021-03-28 10:00:00.5":      "2021-03-15 17:00:00.0",
		"2021-03-28":                 "2021-03-15 17:00:00",
		"2021-03-28 10:00:00.":       "2021-03-15 17:00:00",
		"15/03/2021 09:47":           "2021-03-15 17:00:00",
	} {
		require.Equal(t, want, formatLike(due, Text(old), "", hcm), "over %s", old)
	}
	require.Equal(t, "2021-03-15 17:00:00.250", formatLike(due.Add(250*time.Millisecond), Text("2021-03-28 10:00:00.000"), "", hcm))
}

// A layout without seconds writes a time with seconds rounded up to the next minute, never
// down: 10:15:36 becomes 10:16, so that a result at 10:15:50 is not made late.
func TestFormatStampRoundsUpToALayoutsMinute(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	at := time.Date(2021, 3, 15, 10, 15, 36, 0, hcm)
	require.Equal(t, "15/03/2021 10:16", formatStamp(at, "02/01/2006 15:04", hcm))
	require.Equal(t, "15/03/2021 10:15:36", formatStamp(at, "02/01/2006 15:04:05", hcm))
	require.Equal(t, "15/03/2021 10:15", formatStamp(at.Truncate(time.Minute), "02/01/2006 15:04", hcm))
	require.Equal(t, "2021-03-15 10:15:36", formatStamp(at, "", hcm))
}
