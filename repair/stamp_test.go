package repair

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// stampZones returns the zones the timestamp tests run in: the default zone of the project
// (whose early years have an offset that is not a whole number of minutes), UTC, and a zone with
// daylight saving time, whose gaps and overlaps exercise time.Date's choice of offset.
func stampZones(tb testing.TB) []*time.Location {
	tb.Helper()
	var locs []*time.Location
	for _, name := range []string{"Asia/Ho_Chi_Minh", "UTC", "America/New_York"} {
		loc, err := time.LoadLocation(name)
		require.NoError(tb, err)
		locs = append(locs, loc)
	}
	return locs
}

// stampTestLayouts are the layouts the comparison tests read with: ISO, which has the richest
// fast path, the two day-first layouts that have one, and a layout that has none.
var stampTestLayouts = []string{"", dmyDateTimeLayout, dmyDateLayout, "2006/01/02 15:04"}

// parseDiff describes how parseStamp and parseStampSlow differ on one value, or returns "" when
// they agree: the same error text, the same ok and the very same time, location included.
func parseDiff(v Value, layout string, loc *time.Location) string {
	got, gotOK, gotErr := parseStamp(v, layout, loc)
	want, wantOK, wantErr := parseStampSlow(v, layout, loc)
	var diff string
	switch {
	case (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error():
		diff = fmt.Sprintf("error %v, slow path %v", gotErr, wantErr)
	case gotOK != wantOK:
		diff = fmt.Sprintf("ok %v, slow path %v", gotOK, wantOK)
	case !got.Equal(want) || got.Location() != want.Location() || got != want:
		diff = fmt.Sprintf("%s, slow path %s", got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	default:
		return ""
	}
	return fmt.Sprintf("%q (layout %q, zone %s): %s", v.String, layout, loc, diff)
}

// randomStamp returns a text shaped like a timestamp, ISO or day-first: mostly valid, often with
// a field out of range, a one-digit field, another separator, a fraction of up to ten digits, a
// zone or stray text, and sometimes cut short or with one byte replaced.
func randomStamp(r *rand.Rand, dayFirst bool) string {
	pick := func(choices ...string) string { return choices[r.IntN(len(choices))] }
	field := func(n int) string {
		if r.IntN(40) == 0 {
			return fmt.Sprint(n) // no zero padding
		}
		return fmt.Sprintf("%02d", n)
	}

	year := 1900 + r.IntN(201)
	if r.IntN(20) == 0 {
		year = r.IntN(10000)
	}
	month, day := 1+r.IntN(12), 1+r.IntN(31)
	if r.IntN(4) == 0 {
		month, day = r.IntN(14), r.IntN(33)
	}
	if r.IntN(8) == 0 {
		month, day = 2, 28+r.IntN(2)
	}
	hour, minute, second := r.IntN(24), r.IntN(60), r.IntN(60)
	if r.IntN(4) == 0 {
		hour, minute, second = r.IntN(26), r.IntN(62), r.IntN(62)
	}

	var b strings.Builder
	if dayFirst {
		fmt.Fprintf(&b, "%s/%s/%04d", field(day), field(month), year)
	} else {
		fmt.Fprintf(&b, "%04d-%s-%s", year, field(month), field(day))
	}
	form := r.IntN(4) // date; date and minutes; date and seconds; with a fraction
	if form > 0 {
		b.WriteString(pick(" ", " ", " ", " ", "T", "T", "t", "  ", "_"))
		b.WriteString(field(hour) + ":" + field(minute))
	}
	if form > 1 {
		b.WriteString(":" + field(second))
	}
	if form > 2 {
		b.WriteString(pick(".", ".", ".", ","))
		for range 1 + r.IntN(10) {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	if r.IntN(2) == 0 {
		b.WriteString(pick("Z", "+07", "+07:00", "-05:30", "-05", "+0700", " ", "x", "0", ":"))
	}

	s := b.String()
	if r.IntN(10) == 0 {
		s = s[:r.IntN(len(s)+1)]
	}
	if r.IntN(20) == 0 && s != "" {
		i := r.IntN(len(s))
		s = s[:i] + string(rune(' '+r.IntN(95))) + s[i+1:]
	}
	return s
}

func TestParseStampMatchesSlowPath(t *testing.T) {
	t.Parallel()
	locs := stampZones(t)
	r := rand.New(rand.NewPCG(1, 2))
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	fast := 0
	for i := range n {
		loc := locs[i%len(locs)]
		layout := stampTestLayouts[r.IntN(len(stampTestLayouts))]
		s := randomStamp(r, layout != "" && r.IntN(8) != 0)
		if d := parseDiff(Text(s), layout, loc); d != "" {
			t.Fatal(d)
		}
		if _, ok := parseStampFast(s, layout, loc); ok {
			fast++
		}
	}
	t.Logf("%d of %d texts read by the fast path", fast, n)
	// The comparison means little unless the fast path took a fair share of the texts.
	require.Greater(t, fast, n/20, "texts read by the fast path")
}

// Every date around the years the data spans, valid or not, in each form, against the slow path.
func TestParseStampDatesMatchSlowPath(t *testing.T) {
	t.Parallel()
	locs := stampZones(t)
	i := 0
	for year := 1895; year <= 2105; year++ {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				loc := locs[i%len(locs)]
				i++
				for _, v := range []string{
					fmt.Sprintf("%04d-%02d-%02d", year, month, day),
					fmt.Sprintf("%04d-%02d-%02d 23:59:59.5", year, month, day),
				} {
					if d := parseDiff(Text(v), "", loc); d != "" {
						t.Fatal(d)
					}
				}
				v := fmt.Sprintf("%02d/%02d/%04d 00:00:00", day, month, year)
				if d := parseDiff(Text(v), dmyDateTimeLayout, loc); d != "" {
					t.Fatal(d)
				}
			}
		}
	}
}

// Texts with known instants and known failures, read by the fast path and the slow path alike.
func TestParseStampKnownAnswers(t *testing.T) {
	t.Parallel()
	locs := stampZones(t)
	hcm, utc, ny := locs[0], locs[1], locs[2]
	for _, tc := range []struct {
		in, layout string
		loc        *time.Location
		want       string // RFC 3339 in UTC; "" for an error
		missing    bool
	}{
		{in: "2021-03-11 09:47:00", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11 09:47", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11", loc: hcm, want: "2021-03-10T17:00:00Z"},
		{in: "2021-03-11 09:47:00.999999999", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11T09:47:00.5", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11 09:47:00.1234567891", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11 9:47:00", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11T02:47:00Z", loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11 09:47:00+07", loc: utc, want: "2021-03-11T02:47:00Z"},
		{in: "2021-03-11 04:17:00+05:30", loc: ny, want: "2021-03-10T22:47:00Z"},
		{in: "11/03/2021 09:47:00", layout: dmyDateTimeLayout, loc: hcm, want: "2021-03-11T02:47:00Z"},
		{in: "11/03/2021", layout: dmyDateLayout, loc: hcm, want: "2021-03-10T17:00:00Z"},
		{in: "2021-01-15 12:00:00", loc: ny, want: "2021-01-15T17:00:00Z"},
		{in: "2021-07-15 12:00:00", loc: ny, want: "2021-07-15T16:00:00Z"},
		{in: "2024-02-29 12:00:00", loc: utc, want: "2024-02-29T12:00:00Z"},
		{in: "2000-02-29", loc: utc, want: "2000-02-29T00:00:00Z"},
		{in: "2023-02-29", loc: utc},
		{in: "1900-02-29", loc: utc},
		{in: "2021-04-31 00:00:00", loc: utc},
		{in: "2021-13-01", loc: utc},
		{in: "2021-00-10", loc: utc},
		{in: "2021-03-11 24:00:00", loc: utc},
		{in: "2021-03-11 23:60:00", loc: utc},
		{in: "2021-03-11 23:59:60", loc: utc},
		{in: "2021-03-11T09:47", loc: utc},
		{in: "2021-03-11 09:47:00 junk", loc: utc},
		{in: "21-03-11", loc: utc},
		{in: "31/02/2021", layout: dmyDateLayout, loc: utc},
		{in: "11/03/2021", layout: dmyDateTimeLayout, loc: utc},
		{in: "0000-00-00 00:00:00", loc: hcm, missing: true},
		{in: "", loc: hcm, missing: true},
	} {
		for _, parse := range []func(Value, string, *time.Location) (time.Time, bool, error){
			parseStamp, parseStampSlow,
		} {
			got, ok, err := parse(Text(tc.in), tc.layout, tc.loc)
			switch {
			case tc.missing:
				require.NoError(t, err, tc.in)
				require.False(t, ok, tc.in)
			case tc.want == "":
				require.Error(t, err, tc.in)
			default:
				require.NoError(t, err, tc.in)
				require.True(t, ok, tc.in)
				require.Equal(t, tc.want, got.UTC().Format(time.RFC3339), tc.in)
				require.Same(t, tc.loc, got.Location(), tc.in)
			}
		}
	}
}

// The fast path must take the common forms, or it is not worth having, and must leave every
// other form to the slow path.
func TestParseStampFastForms(t *testing.T) {
	t.Parallel()
	loc := stampZones(t)[0]
	for _, tc := range []struct {
		in, layout string
		fast       bool
	}{
		{in: "2021-03-11", fast: true},
		{in: "2021-03-11 09:47", fast: true},
		{in: "2021-03-11 09:47:00", fast: true},
		{in: "2021-03-11 09:47:00.1", fast: true},
		{in: "2021-03-11 09:47:00.123456789", fast: true},
		{in: "2021-03-11T09:47:00", fast: true},
		{in: "2021-03-11T09:47:00.123456", fast: true},
		{in: "0000-01-01 00:00:00", fast: true},
		{in: "9999-12-31 23:59:59", fast: true},
		{in: "11/03/2021 09:47:00", layout: dmyDateTimeLayout, fast: true},
		{in: "11/03/2021", layout: dmyDateLayout, fast: true},
		{in: "2021-03-11 09:47:00.1234567890"},
		{in: "2021-03-11 09:47:00,5"},
		{in: "2021-03-11 09:47:00."},
		{in: "2021-03-11 09:47:00Z"},
		{in: "2021-03-11 09:47:00+07"},
		{in: "2021-03-11T09:47:00+07:00"},
		{in: "2021-03-11T09:47"},
		{in: "2021-03-11  09:47:00"},
		{in: "2021-03-11 9:47:00"},
		{in: "2021-03-11t09:47:00"},
		{in: "2021-3-11"},
		{in: "0000-00-00 00:00:00"},
		{in: ""},
		{in: "2021-03-11", layout: dmyDateLayout},
		{in: "11/03/2021 09:47", layout: dmyDateTimeLayout},
		{in: "11/03/2021 09:47:00.5", layout: dmyDateTimeLayout},
		{in: "11/03/2021 09:47:00", layout: "2006/01/02 15:04:05"},
	} {
		_, ok := parseStampFast(tc.in, tc.layout, loc)
		require.Equal(t, tc.fast, ok, "%q (layout %q)", tc.in, tc.layout)
	}
}

func FuzzParseStampFast(f *testing.F) {
	for _, s := range []string{
		"2021-03-11 09:47:00", "2021-03-11 09:47", "2021-03-11", "2021-03-11T09:47:00.123",
		"2024-02-29 00:00:00.123456789", "2023-02-29", "2021-03-11 09:47:00Z",
		"2021-03-11 09:47:00+07", "2021-03-11T09:47:00-05:30", "2021-03-11 24:00:00",
		"2021-03-11 09:47:00,5", "2021-03-11 9:47:00", "0000-00-00 00:00:00",
		"11/03/2021 09:47:00", "11/03/2021", "29/02/2023",
	} {
		for which := range uint8(12) {
			f.Add(s, which)
		}
	}
	locs := stampZones(f)
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		loc := locs[int(which)%len(locs)]
		layout := stampTestLayouts[int(which)/len(locs)%len(stampTestLayouts)]
		if d := parseDiff(Text(s), layout, loc); d != "" {
			t.Fatal(d)
		}
	})
}

func TestFormatStampMatchesFormat(t *testing.T) {
	t.Parallel()
	locs := append(stampZones(t), time.FixedZone("", -(11*3600+59*60+59)))
	check := func(tm time.Time) {
		for _, loc := range locs {
			got, want := formatStamp(tm, "", loc), tm.In(loc).Format(time.DateTime)
			if got != want {
				t.Fatalf("%s in %s: %q, Format gives %q", tm.Format(time.RFC3339Nano), loc, got, want)
			}
		}
	}

	// Around the ends of the four-digit years, in every zone.
	for _, loc := range locs {
		for _, edge := range []time.Time{
			time.Date(0, 1, 1, 0, 0, 0, 0, loc), time.Date(10000, 1, 1, 0, 0, 0, 0, loc),
		} {
			for _, d := range []time.Duration{-time.Hour * 24, -time.Nanosecond, 0, time.Hour * 24} {
				check(edge.Add(d))
			}
		}
	}
	check(time.Now())
	check(time.Time{})

	r := rand.New(rand.NewPCG(3, 4))
	lo := time.Date(-100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(10100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	recent := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for i := range n {
		from := lo
		if i%2 == 0 {
			from = recent // most data lies near the present
		}
		check(time.Unix(from+r.Int64N(hi-from), r.Int64N(1e9)))
	}
}

func BenchmarkParseStamp(b *testing.B) {
	loc := stampZones(b)[0]
	for _, bc := range []struct{ name, in, layout string }{
		{"iso", "2021-03-11 09:47:00", ""},
		{"iso-fraction", "2021-03-11 09:47:00.123456", ""},
		{"iso-zone", "2021-03-11T02:47:00Z", ""},
		{"day-first", "11/03/2021 09:47:00", dmyDateTimeLayout},
	} {
		v := Text(bc.in)
		b.Run(bc.name+"/slow", func(b *testing.B) {
			for b.Loop() {
				_, _, _ = parseStampSlow(v, bc.layout, loc)
			}
		})
		b.Run(bc.name+"/fast", func(b *testing.B) {
			for b.Loop() {
				_, _, _ = parseStamp(v, bc.layout, loc)
			}
		})
	}
}

func BenchmarkFormatStamp(b *testing.B) {
	loc := stampZones(b)[0]
	tm := time.Date(2021, 3, 11, 2, 47, 0, 0, time.UTC)
	b.Run("slow", func(b *testing.B) {
		for b.Loop() {
			_ = tm.In(loc).Format(time.DateTime)
		}
	})
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			_ = formatStamp(tm, "", loc)
		}
	})
}
