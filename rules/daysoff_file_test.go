package rules

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDaysOffParse(t *testing.T) {
	t.Parallel()

	// A byte order mark, a comment, spaces around fields, a quoted name with a comma, rows out
	// of order: 24 Nov 2025 is a Monday, 29 Nov 2025 a Saturday.
	in := "\uFEFF# Province notice 123/QĐ-UBND\n" +
		"date,kind,name,ref\n" +
		"2025-11-29, makeup_workday ,Làm bù cho ngày 28/11/2025,QĐ 123\n" +
		"2025-11-24,holiday,\"Ngày Văn hóa, địa phương\",QĐ 123\n" +
		"\n" +
		"2025-11-28,swap_off,Nghỉ hoán đổi,\n"
	days, err := ParseDaysOff(strings.NewReader(in), "local.csv")
	require.NoError(t, err)
	require.Equal(t, []DayOff{
		{Date: Date{2025, time.November, 24}, Kind: KindHoliday,
			Name: "Ngày Văn hóa, địa phương", Source: SourceLocal, Ref: "QĐ 123"},
		{Date: Date{2025, time.November, 28}, Kind: KindSwapOff, Name: "Nghỉ hoán đổi",
			Source: SourceLocal},
		{Date: Date{2025, time.November, 29}, Kind: KindMakeupWorkday,
			Name: "Làm bù cho ngày 28/11/2025", Source: SourceLocal, Ref: "QĐ 123"},
	}, days)
}

func TestDaysOffParseWithoutRef(t *testing.T) {
	t.Parallel()

	// 2 Jan 2027 is a Saturday: its compensatory day is Monday 4 Jan.
	in := "date,kind,name\n2027-01-04,compensatory,Nghỉ bù\n"
	days, err := ParseDaysOff(strings.NewReader(in), "local.csv")
	require.NoError(t, err)
	require.Equal(t, []DayOff{{Date: Date{2027, time.January, 4}, Kind: KindCompensatory,
		Name: "Nghỉ bù", Source: SourceLocal}}, days)
}

func TestDaysOffParseErrors(t *testing.T) {
	t.Parallel()

	const header = "date,kind,name,ref\n"
	tests := []struct {
		name   string
		in     string
		line   int
		column int
		msg    string
	}{{
		name: "empty file",
		in:   "",
		line: 1,
		msg:  "local.csv: line 1: empty file",
	}, {
		name: "no header",
		in:   "2025-11-24,holiday,Lễ\n",
		line: 1,
		msg:  `local.csv: line 1: header "2025-11-24,holiday,Lễ": want date,kind,name`,
	}, {
		name: "header after comments",
		in:   "# notes\n# more\ndate,name,kind\n",
		line: 3,
		msg:  `local.csv: line 3: header "date,name,kind"`,
	}, {
		name:   "bad date",
		in:     header + "2025-11-24,holiday,Lễ,\n2025-02-30,holiday,Lễ,\n",
		line:   3,
		column: 1,
		msg:    `local.csv: line 3, column 1 (date): invalid date "2025-02-30"`,
	}, {
		name:   "unknown kind",
		in:     header + "2025-11-24,holyday,Lễ,\n",
		line:   2,
		column: 2,
		msg:    `local.csv: line 2, column 2 (kind): unknown kind "holyday": want holiday,`,
	}, {
		name:   "make-up day on a weekday",
		in:     header + "2025-11-26,makeup_workday,Làm bù,\n", // a Wednesday
		line:   2,
		column: 2,
		msg: "local.csv: line 2, column 2 (kind): makeup_workday on 2025-11-26, a Wednesday: " +
			"a make-up working day must be a Saturday or Sunday",
	}, {
		name:   "compensatory day on a weekend",
		in:     header + "2025-11-30,compensatory,Nghỉ bù,\n", // a Sunday
		line:   2,
		column: 2,
		msg:    "compensatory on 2025-11-30, a Sunday: a compensatory day off must be a weekday",
	}, {
		name:   "swapped day on a weekend",
		in:     header + "2025-11-29,swap_off,Nghỉ hoán đổi,\n", // a Saturday
		line:   2,
		column: 2,
		msg:    "swap_off on 2025-11-29, a Saturday",
	}, {
		name:   "empty name",
		in:     header + "2025-11-24,holiday,  ,x\n",
		line:   2,
		column: 3,
		msg:    "local.csv: line 2, column 3 (name): empty name",
	}, {
		name: "too many fields",
		in:   header + "2025-11-24,holiday,Lễ,x,y\n",
		line: 2,
		msg:  "local.csv: line 2: 5 fields, want 4 as in the header",
	}, {
		name: "too few fields",
		in:   header + "# a comment\n2025-11-24,holiday\n",
		line: 3,
		msg:  "local.csv: line 3: 2 fields, want 4 as in the header",
	}, {
		name:   "date twice",
		in:     header + "2025-11-24,holiday,Lễ,\n2025-11-25,holiday,Lễ,\n2025-11-24,holiday,Lễ,\n",
		line:   4,
		column: 1,
		msg:    "local.csv: line 4, column 1 (date): 2025-11-24 is already listed on line 2",
	}, {
		name: "bad quoting",
		in:   header + "2025-11-24,holiday,\"Lễ\"x,\n",
		line: 2,
		msg:  "local.csv: line 2: extraneous or missing \" in quoted-field",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDaysOff(strings.NewReader(tc.in), "local.csv")
			require.Error(t, err)

			var fe *DaysOffFileError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, "local.csv", fe.File)
			require.Equal(t, tc.line, fe.Line)
			require.Equal(t, tc.column, fe.Column)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestDaysOffParseUnknownKindIsSentinel(t *testing.T) {
	t.Parallel()

	_, err := ParseDaysOff(strings.NewReader("date,kind,name\n2025-11-24,fête,Lễ\n"), "x.csv")
	require.ErrorIs(t, err, ErrUnknownKind)
}

func TestDaysOffParseReadError(t *testing.T) {
	t.Parallel()

	broken := errors.New("disk on fire")
	_, err := ParseDaysOff(failingReader{broken}, "x.csv")
	require.ErrorIs(t, err, broken)
	require.Contains(t, err.Error(), "x.csv")
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestDaysOffMerge(t *testing.T) {
	t.Parallel()

	day := func(s string, k Kind, name, source string) DayOff {
		return DayOff{Date: parseTestDate(t, s), Kind: k, Name: name, Source: source}
	}
	base := []DayOff{
		day("2025-09-01", KindHoliday, "Quốc khánh (ngày liền kề)", SourceOfficial),
		day("2025-09-02", KindHoliday, "Quốc khánh", SourceOfficial),
		day("2025-09-02", KindHoliday, "a second base entry on the same date", SourceOfficial),
	}
	local := []DayOff{
		day("2025-11-24", KindHoliday, "Ngày Văn hóa", SourceLocal),
		day("2025-09-02", KindHoliday, "Quốc khánh (tỉnh)", SourceLocal),
	}
	baseCopy := append([]DayOff(nil), base...)
	localCopy := append([]DayOff(nil), local...)

	got := MergeDaysOff(base, local)
	require.Equal(t, []DayOff{
		day("2025-09-01", KindHoliday, "Quốc khánh (ngày liền kề)", SourceOfficial),
		day("2025-09-02", KindHoliday, "Quốc khánh (tỉnh)", SourceLocal),
		day("2025-11-24", KindHoliday, "Ngày Văn hóa", SourceLocal),
	}, got)
	require.Equal(t, baseCopy, base)
	require.Equal(t, localCopy, local)

	require.Equal(t, base, MergeDaysOff(base, nil))
	require.Empty(t, MergeDaysOff(nil, nil))
}

// TestDaysOffShippedDataParses reads the embedded notices with the same parser as local files.
func TestDaysOffShippedDataParses(t *testing.T) {
	t.Parallel()

	days, err := parseDaysOff(strings.NewReader(string(noticesCSV)), "days-off.csv",
		SourceOfficial)
	require.NoError(t, err)
	// 14 + 15 + 17 + 15 + 13 + 16 rows for 2021 to 2026, counted in the notices.
	require.Len(t, days, 90)
	for _, d := range days {
		require.Equal(t, SourceOfficial, d.Source)
		require.NotEmpty(t, d.Ref, "%s", d.Date)
	}
}
