package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// runDue runs "fixer due" with args in process and returns its standard output.
func runDue(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"due"}, args...))
	err := root.Execute()
	return out.String(), err
}

func TestDue(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"legacy example: Monday + 1 day of 8 hours",
			[]string{"--received", "2021-03-08T03:15:42Z", "--duration", "1d"},
			"2021-03-09T10:15:42+07:00"},
		{"local wall-clock, lunch break (field case 4)",
			[]string{"--received", "2024-03-04 12:15", "--duration", "1h"},
			"2024-03-04T14:00:00+07:00"},
		{"T between date and time",
			[]string{"--received", "2024-03-04T11:00:00", "--duration", "4h"},
			"2024-03-04T16:30:00+07:00"},
		{"day off (field case 5)",
			[]string{"--received", "2024-03-09 10:00", "--duration", "8h"},
			"2024-03-11T17:00:00+07:00"},
		{"appointment by day over a make-up Saturday",
			[]string{"--received", "2024-04-26 10:00", "--duration", "3d", "--count", "day"},
			"2024-05-04T17:00:00+07:00"},
		{"processing deadline snapped to the session",
			[]string{"--received", "2024-03-04 09:10", "--duration", "1h", "--snap", "session"},
			"2024-03-04T11:30:00+07:00"},
		{"cut-off",
			[]string{"--received", "2024-03-04 15:00", "--duration", "1h", "--cutoff", "15:00"},
			"2024-03-05T08:30:00+07:00"},
		{"own sessions",
			[]string{"--received", "2024-03-04 12:00", "--duration", "1h",
				"--sessions", "07:00-11:00,13:30-17:30"},
			"2024-03-04T14:30:00+07:00"},
		{"Vietnamese duration",
			[]string{"--received", "2024-03-04 10:00", "--duration", "05 ngày làm việc",
				"--count", "day"},
			"2024-03-11T17:00:00+07:00"},
		{"calendar days",
			[]string{"--received", "2024-03-04 10:00", "--duration", "15 ngày"},
			"2024-03-19T17:00:00+07:00"},
		{"another zone",
			[]string{"--received", "2024-03-04 08:00", "--duration", "1h", "--zone", "UTC"},
			"2024-03-04T09:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := runDue(t, tc.args...)
			require.NoError(t, err)
			require.Equal(t, tc.want+"\n", out)
		})
	}
}

func TestDueExplain(t *testing.T) {
	t.Parallel()

	out, err := runDue(t, "--received", "2021-02-09 16:00", "--duration", "2h",
		"--snap", "session", "--explain")
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "2021-02-17T11:30:00+07:00", lines[0], "the deadline alone comes first")
	require.Contains(t, out, "  deemed receipt: 2021-02-09 16:00:00 (Tue)")
	require.Contains(t, out, "  skipped 2021-02-15 (Mon): compensatory day off")
	require.Contains(t, out, "  snap session: moved up to the end of the session 07:30-11:30")
}

func TestDueUsageErrors(t *testing.T) {
	t.Parallel()

	ok := []string{"--received", "2024-03-04 10:00", "--duration", "1d"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no received", []string{"--duration", "1d"}, "needs --received and --duration"},
		{"no duration", []string{"--received", "2024-03-04 10:00"}, "needs --received"},
		{"bad received", []string{"--received", "04/03/2024", "--duration", "1d"},
			`--received: invalid time "04/03/2024"`},
		{"out of range", []string{"--received", "1989-06-01 10:00", "--duration", "1d"},
			"outside the calendar's range"},
		{"bad duration", append(ok[:2:2], "--duration", "3x"), `--duration: invalid duration "3x"`},
		{"too long", append(ok[:2:2], "--duration", "400d"), "over the limit"},
		{"bad count", append(ok, "--count", "minute"), `--count: invalid policy: counting mode "minute"`},
		{"bad snap", append(ok, "--snap", "half"), `--snap: invalid policy: snap "half"`},
		{"bad cut-off", append(ok, "--cutoff", "3pm"), `--cutoff: invalid time of day "3pm"`},
		{"bad sessions", append(ok, "--sessions", "13:00-17:00,07:30-11:30"),
			`--sessions: invalid sessions "13:00-17:00,07:30-11:30"`},
		{"bad zone", append(ok, "--zone", "Mars/Olympus"), `--zone: unknown zone "Mars/Olympus"`},
		{"argument", append(ok, "tomorrow"), `due takes no arguments, got "tomorrow"`},
		{"unknown flag", append(ok, "--round", "up"), "unknown flag: --round"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := runDue(t, tc.args...)
			require.ErrorContains(t, err, tc.want)
			var ue *usageError
			require.True(t, errors.As(err, &ue), "want a usage error (exit 2), got %v", err)
			require.Empty(t, out)
		})
	}
}

// With --config, due counts on the configuration's calendar, as apply does: its sessions, its
// days-off file, its hours per day and its zone; --sessions and --zone still override.
func TestDueUsesTheConfigurationCalendar(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	daysOff := filepath.Join(dir, "days-off.csv")
	require.NoError(t, os.WriteFile(daysOff,
		[]byte("date,kind,name,ref\n2024-03-05,holiday,Ngày nghỉ của tỉnh,QĐ 1/UBND\n"), 0o600))
	config := filepath.Join(dir, "sess.yaml")
	require.NoError(t, os.WriteFile(config, []byte("calendar:\n"+
		"  sessions: \"08:00-12:00,13:30-17:30\"\n"+
		"  hours_per_day: 6\n"+
		"  days_off_file: "+daysOff+"\n"), 0o600))
	utc := filepath.Join(dir, "utc.yaml")
	require.NoError(t, os.WriteFile(utc, []byte("zone: UTC\n"), 0o600))

	cases := []struct {
		name string
		args []string
		want string
	}{
		// Monday 09:00-12:00 and 13:30-17:30 are 7 hours; Tuesday is the province's day
		// off; the eighth hour is Wednesday 08:00-09:00.
		{"sessions and days off", []string{"--config", config,
			"--received", "2024-03-04 09:00", "--duration", "8h"}, "2024-03-06T09:00:00+07:00"},
		// One day is 6 hours: 08:00-12:00 and then 13:30-15:30.
		{"hours per day", []string{"--config", config,
			"--received", "2024-03-04 08:00", "--duration", "1d"}, "2024-03-04T15:30:00+07:00"},
		// --sessions replaces the sessions only: Monday 09:00-11:30 and 13:00-17:00 are 6.5
		// hours, Tuesday is still off, and the last half hour is Wednesday 07:30-08:00.
		{"--sessions over the configuration", []string{"--config", config,
			"--received", "2024-03-04 09:00", "--duration", "7h",
			"--sessions", "07:30-11:30,13:00-17:00"}, "2024-03-06T08:00:00+07:00"},
		{"the configuration's zone", []string{"--config", utc,
			"--received", "2024-03-04 08:00", "--duration", "1h"}, "2024-03-04T09:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := runDue(t, tc.args...)
			require.NoError(t, err)
			require.Equal(t, tc.want+"\n", out)
		})
	}
}
