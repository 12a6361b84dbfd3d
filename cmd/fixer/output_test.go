package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/repair"
)

// helpFormats reads the --output values that the help of a command lists.
func helpFormats(t *testing.T, command string) []string {
	t.Helper()
	out, _, code := run(t, command, "--help")
	require.Equal(t, 0, code)
	m := regexp.MustCompile(`--output string\s+output format: ([a-z, ]+?)(?: or ([a-z]+))? \(default`).
		FindStringSubmatch(out)
	require.NotNil(t, m, "the help of %s lists its output formats:\n%s", command, out)
	formats := strings.Split(m[1], ", ")
	if m[2] != "" {
		formats = append(formats, m[2])
	}
	return formats
}

// Every command writes each format its help lists, and refuses any other with a usage error
// that names the formats there are.
func TestOutputFormatsMatchTheHelp(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	_, stderr, code := run(t, "apply", "--dsn", dsn, "--reason", "CV 1503/STTTT")
	require.Equal(t, 0, code, stderr)

	for _, tc := range []struct {
		command string
		args    []string
		want    []string
	}{
		{"plan", nil, []string{"table", "json", "csv"}},
		{"apply", []string{"--reason", "CV 1503/STTTT"}, []string{"table", "json"}},
		{"report", nil, []string{"table", "json", "csv"}},
		{"history", nil, []string{"table", "json"}},
		{"show", []string{"1"}, []string{"table", "json"}},
		{"rollback", []string{"1", "--dry-run"}, []string{"table", "json"}},
	} {
		formats := helpFormats(t, tc.command)
		require.Equal(t, tc.want, formats, tc.command)
		for _, f := range formats {
			args := append([]string{tc.command, "--dsn", dsn, "--output", f}, tc.args...)
			out, stderr, code := run(t, args...)
			require.Equal(t, 0, code, "%s --output %s: %s", tc.command, f, stderr)
			require.NotEmpty(t, out)
			if f == "json" {
				require.True(t, json.Valid([]byte(out)), "%s --output json: %s", tc.command, out)
			}
		}
		for _, f := range []string{"csv", "xml"} {
			if strings.Contains(strings.Join(formats, " "), f) {
				continue
			}
			args := append([]string{tc.command, "--dsn", dsn, "--output", f}, tc.args...)
			out, stderr, code := run(t, args...)
			require.Equal(t, 2, code, "%s --output %s", tc.command, f)
			require.Empty(t, out)
			require.Contains(t, stderr, `unknown --output "`+f+`"`)
			require.Contains(t, stderr, orList(formats), "the error names the formats there are")
		}
	}
}

// report --output csv: one line per agency with its dossiers in each class, by the stored
// deadlines of the fixture as of 9 December 2021, then those with a closed status (none here).
// Agency 1: D01 finished 24 minutes after its deadline on the same date (late by hours), D02
// and D12 open past theirs (overdue); of the dossiers the repair skips, D08 (completed before
// its receipt) finished before its stored deadline (on time) and D09 (paused) is open past
// its stored deadline (overdue), while D07 and D10 have no stored deadline (not classified).
// Agency 2: D03 on time, D04 finished the next day (late by days), D05 and D11 open past theirs
// (overdue); D06 has no stored deadline.
func TestReportCSV(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	out, stderr, code := run(t, "report", "--dsn", dsn, "--as-of", "2021-12-09 17:00", "--output", "csv")
	require.Equal(t, 0, code, stderr)
	require.Equal(t, "agency,name,on_time,late_hours,late_days,overdue,open,closed\n"+
		"1,Sở Tư pháp,1,1,0,3,0,0\n"+
		"2,UBND huyện An Lạc,1,0,1,2,0,0\n", out)
}

// show and history write snake_case JSON, values as plain strings or null, as plan and apply
// do.
func TestAuditJSONIsSnakeCase(t *testing.T) {
	t.Parallel()
	dsn := fixtureDB(t, db.SQLite)
	_, stderr, code := run(t, "apply", "--dsn", dsn, "--reason", "CV 1503/STTTT")
	require.Equal(t, 0, code, stderr)

	out, stderr, code := run(t, "show", "1", "--dsn", dsn, "--output", "json", "--limit", "1000")
	require.Equal(t, 0, code, stderr)
	var shown struct {
		Changeset map[string]any   `json:"changeset"`
		Changes   []map[string]any `json:"changes"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &shown), out)
	require.EqualValues(t, 1, shown.Changeset["id"])
	require.Equal(t, "CV 1503/STTTT", shown.Changeset["reason"])
	require.Equal(t, "apply", shown.Changeset["kind"])
	require.Nil(t, shown.Changeset["reverts_id"])
	var due map[string]any
	for _, c := range shown.Changes {
		require.ElementsMatch(t, []string{"id", "changeset_id", "table", "key", "column", "old", "new",
			"rule"}, keysOf(c))
		if c["table"] == "dossiers" && c["key"] == "1" && c["column"] == "due_at" {
			due = c
		}
	}
	// D01, 1d from Monday 10:15:42 by the hour, snapped to the end of the morning session.
	require.Equal(t, map[string]any{"id": due["id"], "changeset_id": 1.0, "table": "dossiers",
		"key": "1", "column": "due_at", "old": "2021-03-09 10:15:42", "new": "2021-03-09 11:30:00",
		"rule": "deadline"}, due)

	out, stderr, code = run(t, "history", "--dsn", dsn, "--output", "json")
	require.Equal(t, 0, code, stderr)
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list, 1)
	require.EqualValues(t, 1, list[0]["id"])
	require.Equal(t, "done", list[0]["status"])
	require.EqualValues(t, 12, list[0]["rows_changed"])
	require.NotContains(t, out, `"Valid"`)
}

func keysOf(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// A key or value holding a line break or a tab is quoted in text output, so that it cannot break
// a line or the columns of a table; other text, Vietnamese included, is printed as it is.
func TestPlainQuotesControlCharacters(t *testing.T) {
	t.Parallel()
	require.Equal(t, `"HS\n01"`, plain("HS\n01"))
	require.Equal(t, `"a\tb"`, plain("a\tb"))
	require.Equal(t, "Hồ sơ 01 'x'", plain("Hồ sơ 01 'x'"))
	require.Equal(t, `"dòng 1\r\ndòng 2"`, show(repair.Text("dòng 1\r\ndòng 2")))
	require.Equal(t, "NULL", show(repair.Null))
}
