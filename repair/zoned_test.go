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
