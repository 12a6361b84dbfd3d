package main

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// runFixer runs the command line with args and returns its standard output and error.
func runFixer(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	return out.String(), err
}

func TestSeedCommand(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "seed.db")

	out, err := runFixer(t, "seed", "--dsn", dsn, "--dossiers", "400", "--year", "2023", "--seed", "9")
	require.NoError(t, err)
	require.Contains(t, out, "year 2023, seed 9")
	require.Contains(t, out, "as of 2023-12-31 23:59, the end of the year")
	require.Regexp(t, `dossiers\s+400\b`, out)

	again, err := runFixer(t, "seed", "--dsn", dsn, "--dossiers", "400", "--year", "2023", "--seed", "9")
	require.Error(t, err, "a seeded database is refused")
	require.Equal(t, exitUsage, exitCode(err, io.Discard))
	require.ErrorContains(t, err, "already holds")
	require.Empty(t, again)

	out, err = runFixer(t, "seed", "--dsn", dsn, "--dossiers", "250", "--replace")
	require.NoError(t, err)
	require.Contains(t, out, "as of 2021-12-09 17:00, the date of the 2021 letter")
	require.Regexp(t, `dossiers\s+250\b`, out)
}

func TestSeedCommandRejectsBadFlags(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "never.db")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no dossiers", []string{"--dossiers", "0"}, "--dossiers 0"},
		{"negative dossiers", []string{"--dossiers", "-3"}, "--dossiers -3"},
		{"year too early", []string{"--year", "1989"}, "--year 1989"},
		{"year too late", []string{"--year", "2101"}, "--year 2101"},
		{"not a number", []string{"--dossiers", "many"}, "many"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"seed", "--dsn", dsn}, c.args...)
			_, err := runFixer(t, args...)
			require.Error(t, err)
			require.ErrorContains(t, err, c.want)
			require.Equal(t, exitUsage, exitCode(err, io.Discard))
		})
	}
}
