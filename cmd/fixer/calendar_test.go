package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// runCalendar runs "fixer calendar ARGS..." in-process and returns what it wrote to stdout.
func runCalendar(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"calendar"}, args...))
	err := root.Execute()
	return out.String(), err
}

// TestCalendarCSV2021 compares the whole CSV of 2021 with the notice for that year, the weekday
// and lunar date of each day worked out by hand: Tết Tân Sửu on Fri 12 Feb; the 12th month of
// Canh Tý from 13 Jan (30 days), the 11th from 14 Dec 2020; the 3rd month of Tân Sửu from
// 12 Apr, the 7th from 8 Aug.
func TestCalendarCSV2021(t *testing.T) {
	t.Parallel()

	out, err := runCalendar(t, "2021", "--output", "csv")
	require.NoError(t, err)
	require.Equal(t, `date,weekday,kind,name,lunar_date,source
2021-01-01,Fri,holiday,Tết Dương lịch,19/11,official
2021-02-10,Wed,holiday,Tết Nguyên đán (29 tháng Chạp Canh Tý),29/12,official
2021-02-11,Thu,holiday,"Tết Nguyên đán (30 tháng Chạp, Giao thừa)",30/12,official
2021-02-12,Fri,holiday,Tết Nguyên đán (mùng 1 Tân Sửu),1/1,official
2021-02-13,Sat,holiday,Tết Nguyên đán (mùng 2; trùng thứ Bảy),2/1,official
2021-02-14,Sun,holiday,Tết Nguyên đán (mùng 3; trùng Chủ nhật),3/1,official
2021-02-15,Mon,compensatory,Nghỉ bù Tết (mùng 4),4/1,official
2021-02-16,Tue,compensatory,Nghỉ bù Tết (mùng 5),5/1,official
2021-04-21,Wed,holiday,Giỗ Tổ Hùng Vương (10/3 âm lịch),10/3,official
2021-04-30,Fri,holiday,Ngày Chiến thắng 30/4,19/3,official
2021-05-01,Sat,holiday,Ngày Quốc tế Lao động (trùng thứ Bảy),20/3,official
2021-05-03,Mon,compensatory,Nghỉ bù Quốc tế Lao động,22/3,official
2021-09-02,Thu,holiday,Quốc khánh,26/7,official
2021-09-03,Fri,holiday,Quốc khánh (ngày liền kề),27/7,official
`, out)
}

// TestCalendarCSVDerived checks a derived year: 2028, worked out by hand in the rules tests
// (1 Jan 2028 is a Saturday; Tết on Wed 26 Jan; Hùng Kings' day Tue 4 Apr).
func TestCalendarCSVDerived(t *testing.T) {
	t.Parallel()

	out, err := runCalendar(t, "2028", "--format=csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+14)
	require.True(t, strings.HasPrefix(lines[1], "2028-01-01,Sat,holiday,Tết Dương lịch,"))
	require.True(t, strings.HasSuffix(lines[1], ",derived"))
	require.True(t, strings.HasPrefix(lines[2], "2028-01-03,Mon,compensatory,"))
	require.Equal(t, "2028-01-26,Wed,holiday,Tết Nguyên đán (mùng 1),1/1,derived", lines[5])
	require.Equal(t, "2028-04-04,Tue,holiday,Giỗ Tổ Hùng Vương (10/3 âm lịch),10/3,derived",
		lines[8])
}

func TestCalendarJSON2024(t *testing.T) {
	t.Parallel()

	out, err := runCalendar(t, "2024", "-o", "json")
	require.NoError(t, err)

	var rows []map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.Len(t, rows, 15)
	for _, r := range rows {
		require.ElementsMatch(t, []string{"date", "weekday", "kind", "name", "lunar_date",
			"source", "ref"}, jsonKeys(r))
	}

	// Tết Giáp Thìn fell on Saturday 10 Feb 2024.
	require.Equal(t, map[string]string{
		"date": "2024-02-10", "weekday": "Sat", "kind": "holiday",
		"name":       "Tết Nguyên đán (mùng 1 Giáp Thìn; trùng thứ Bảy)",
		"lunar_date": "1/1", "source": "official",
		"ref": "https://vietnamnews.vn/society/1636141/one-week-break-approved-for-tet-holiday-" +
			"in-2024.html ; https://vietnaminsider.vn/consensus-on-7-day-lunar-new-year-holiday-" +
			"in-2024/",
	}, rows[3])

	// Saturday 4 May 2024 was worked in exchange for Monday 29 April; 26/3 Giáp Thìn, the 3rd
	// month having begun on 9 Apr (Hùng Kings' day, 10/3, was 18 Apr).
	makeup := rows[12]
	require.Equal(t, "2024-05-04", makeup["date"])
	require.Equal(t, "Sat", makeup["weekday"])
	require.Equal(t, "makeup_workday", makeup["kind"])
	require.Equal(t, "Làm bù cho ngày 29/04/2024", makeup["name"])
	require.Equal(t, "26/3", makeup["lunar_date"])
	require.Equal(t, "official", makeup["source"])
	require.Contains(t, makeup["ref"], "TB 1570/TB-BLDTBXH")
	require.NotContains(t, out, `\u0026`, "URLs are written as they are")
}

func jsonKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCalendarTable(t *testing.T) {
	t.Parallel()

	out, err := runCalendar(t, "2027")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+14+1)
	require.Equal(t, "DATE        DAY  KIND          LUNAR  SOURCE   NAME", lines[0])
	require.Equal(t, "2027-02-06  Sat  holiday       1/1    derived  Tết Nguyên đán (mùng 1)",
		lines[4])
	require.Equal(t,
		"2027-02-09  Tue  compensatory  4/1    derived  Nghỉ bù Tết Nguyên đán (mùng 1)",
		lines[7])
	require.Equal(t,
		"2027 is derived from the Labour Code 45/2019/QH14: no notice on file.", lines[15])

	out, err = runCalendar(t, "2023", "--format", "table")
	require.NoError(t, err)
	lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+17+1)
	require.Equal(t, "2023 is official: from the government's notice shipped with fixer.",
		lines[len(lines)-1])
}

func TestCalendarICS(t *testing.T) {
	t.Parallel()

	out, err := runCalendar(t, "2021", "--format", "ics")
	require.NoError(t, err)

	require.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))
	raw := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	for _, l := range raw {
		require.LessOrEqual(t, len(l), 75, "line %q", l)
		require.NotContains(t, l, "\n")
		require.True(t, utf8.ValidString(l), "no character split: %q", l)
	}

	// Unfold: a line that starts with a space continues the one before.
	var lines []string
	for _, l := range raw {
		if strings.HasPrefix(l, " ") {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	require.Equal(t, "BEGIN:VCALENDAR", lines[0])
	require.Contains(t, lines, "VERSION:2.0")
	require.Equal(t, 14, icsCount(lines, "BEGIN:VEVENT"))
	require.Equal(t, 14, icsCount(lines, "END:VEVENT"))
	require.Equal(t, 14, icsCount(lines, "DTSTAMP:20210101T000000Z"))

	uids := make(map[string]bool)
	for _, l := range lines {
		if strings.HasPrefix(l, "UID:") {
			require.False(t, uids[l], "duplicate %s", l)
			uids[l] = true
		}
	}
	require.Len(t, uids, 14)

	// The compensatory day of 15 Feb 2021, as one event.
	i := icsIndex(lines, "DTSTART;VALUE=DATE:20210215")
	require.Positive(t, i)
	require.Equal(t, []string{
		"BEGIN:VEVENT",
		"UID:20210215-compensatory@fixer.calendar",
		"DTSTAMP:20210101T000000Z",
		"DTSTART;VALUE=DATE:20210215",
		"DTEND;VALUE=DATE:20210216",
		"SUMMARY:Nghỉ bù Tết (mùng 4)",
	}, lines[i-3:i+3])
	require.True(t, strings.HasPrefix(lines[i+3],
		`DESCRIPTION:compensatory\, lunar 4/1\, official\nhttps://sggpnews.org.vn/`))

	// Commas in a name are escaped.
	require.Contains(t, lines, `SUMMARY:Tết Nguyên đán (30 tháng Chạp\, Giao thừa)`)

	again, err := runCalendar(t, "2021", "--format", "ics")
	require.NoError(t, err)
	require.Equal(t, out, again, "the same year gives the same file")
}

func icsCount(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if l == s {
			n++
		}
	}
	return n
}

func icsIndex(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func TestCalendarFoldICSLine(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, in, want string
	}{
		{"short", "SUMMARY:Tết", "SUMMARY:Tết\r\n"},
		{"75 octets stay", strings.Repeat("a", 75), strings.Repeat("a", 75) + "\r\n"},
		{"76 octets fold", strings.Repeat("a", 76),
			strings.Repeat("a", 75) + "\r\n a\r\n"},
		// "ệ" is 3 octets: after "ABC", 24 of them make 75 octets; the 25th goes on.
		{"multi-octet characters", "ABC" + strings.Repeat("ệ", 26),
			"ABC" + strings.Repeat("ệ", 24) + "\r\n " + strings.Repeat("ệ", 2) + "\r\n"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, foldICSLine(tc.in), tc.name)
	}
}

// TestCalendarLocalFile lays a province's file over 2025: 1 Sep becomes a local day with its
// own name, 24 Nov (a Monday) is added, and an entry of 2026 in the same file is left out.
func TestCalendarLocalFile(t *testing.T) {
	t.Parallel()

	path := filepath.Join(t.TempDir(), "province.csv")
	require.NoError(t, os.WriteFile(path, []byte("date,kind,name,ref\n"+
		"2025-09-01,holiday,Quốc khánh (tỉnh),QĐ 1\n"+
		"2025-11-24,holiday,Ngày Văn hóa Việt Nam,QĐ 2\n"+
		"2026-11-24,holiday,Ngày Văn hóa Việt Nam,QĐ 3\n"), 0o600))

	out, err := runCalendar(t, "2025", "--format", "csv", "--days-off", path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+13+1)
	require.Equal(t, "2025-09-01,Mon,holiday,Quốc khánh (tỉnh),10/7,local", lines[12])
	require.Equal(t, "2025-09-02,Tue,holiday,Quốc khánh,11/7,official", lines[13])
	require.Equal(t, "2025-11-24,Mon,holiday,Ngày Văn hóa Việt Nam,5/10,local", lines[14])

	out, err = runCalendar(t, "2025", "--days-off", path)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(out, "2025 is official: from the government's notice "+
		"shipped with fixer; 2 local entries from "+path+".\n"), out)
}

func TestCalendarUsageErrors(t *testing.T) {
	t.Parallel()

	bad := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("date,kind,name\n2025-11-26,makeup_workday,x\n"),
		0o600))

	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no year", nil, "calendar takes one YEAR, got 0 arguments"},
		{"two years", []string{"2024", "2025"}, "calendar takes one YEAR, got 2 arguments"},
		{"not a number", []string{"twenty"}, `year "twenty": want a number from 1990 to 2100`},
		{"before range", []string{"1989"}, `year "1989": want a number from 1990 to 2100`},
		{"after range", []string{"2101"}, `year "2101"`},
		{"unknown format", []string{"2024", "--format", "xml"}, `unknown output format "xml"`},
		{"unknown flag", []string{"2024", "--colour"}, "unknown flag: --colour"},
		{"missing file", []string{"2024", "--days-off", "/nonexistent/days.csv"},
			"open days-off file: open /nonexistent/days.csv"},
		{"bad file", []string{"2025", "--days-off", bad},
			bad + ": line 2, column 2 (kind): makeup_workday on 2025-11-26, a Wednesday"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := runCalendar(t, tc.args...)
			require.Error(t, err)
			var ue *usageError
			require.True(t, errors.As(err, &ue), "a usage error (exit 2): %v", err)
			require.Contains(t, err.Error(), tc.msg)
			require.Empty(t, out)
		})
	}
}

// A configuration's days-off file and Tết placement apply to fixer calendar.
func TestCalendarFollowsTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	local := filepath.Join(dir, "local.csv")
	require.NoError(t, os.WriteFile(local, []byte("date,kind,name,ref\n2027-11-24,holiday,Ngày Văn hóa Việt Nam,QĐ tỉnh\n"), 0o600))
	cfg := filepath.Join(dir, "fixer.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("calendar:\n  days_off_file: "+local+"\n  tet_days_before: -1\n"), 0o600))

	out, stderr, code := run(t, "calendar", "2027", "--format", "csv", "--config", cfg)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "2027-11-24,Wed,holiday,Ngày Văn hóa Việt Nam,")
	// Lunar New Year 2027 is 6 February (a Saturday); with no days before it the break is
	// 6-10 February and its first row is the 6th.
	require.NotContains(t, out, "2027-02-05,")
	require.Contains(t, out, "2027-02-06,Sat,holiday,")
}
