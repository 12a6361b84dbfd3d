package rules

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Columns of a days-off file, in order; ref is optional.
var daysOffColumns = []string{"date", "kind", "name", "ref"}

// ErrUnknownKind is wrapped by a [DaysOffFileError] for a kind that is not one of the [Kind]
// constants.
var ErrUnknownKind = errors.New("unknown kind")

// DaysOffFileError is a mistake in a days-off file: it names the file, the line (1-based, as an
// editor counts them) and the column (1-based field number, with its header name).
type DaysOffFileError struct {
	File   string
	Line   int
	Column int    // 0 when the mistake is about the whole line
	Field  string // the column's header name, "" when Column is 0
	Err    error
}

// Error reads like "holidays.csv: line 4, column 2 (kind): unknown kind "holyday": ...".
func (e *DaysOffFileError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: line %d, column %d (%s): %v", e.File, e.Line, e.Column, e.Field,
		e.Err)
}

// Unwrap returns the underlying mistake.
func (e *DaysOffFileError) Unwrap() error { return e.Err }

// ParseDaysOff reads a province's own days-off file: CSV with the header date,kind,name or
// date,kind,name,ref, then one row per day:
//
//	date,kind,name,ref
//	2025-11-24,holiday,Ngày Văn hóa Việt Nam,Quyết định 123/QĐ-UBND
//	2025-11-29,makeup_workday,Làm bù cho ngày 28/11/2025,Quyết định 123/QĐ-UBND
//
// date is YYYY-MM-DD; kind is one of holiday, compensatory, swap_off, makeup_workday (see
// [Kind]); name may not be empty. Lines starting with # are comments; fields are trimmed;
// a UTF-8 byte order mark is skipped. A make-up working day must be a Saturday or Sunday, a
// compensatory or swapped day off a weekday, and no date may be listed twice. Entries come back
// in date order with Source [SourceLocal]. Every mistake is a [*DaysOffFileError] naming name,
// the line and the column.
func ParseDaysOff(r io.Reader, name string) ([]DayOff, error) {
	return parseDaysOff(r, name, SourceLocal)
}

// parseDaysOff reads a days-off file and gives its entries the source given.
func parseDaysOff(r io.Reader, name, source string) ([]DayOff, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &DaysOffFileError{File: name, Line: 1,
			Err: errors.New("empty file: want the header date,kind,name[,ref]")}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	if line, _ := cr.FieldPos(0); !validHeader(header) {
		return nil, &DaysOffFileError{File: name, Line: line,
			Err: fmt.Errorf("header %q: want date,kind,name or date,kind,name,ref",
				strings.Join(header, ","))}
	}

	var days []DayOff
	seen := make(map[Date]int) // date → line
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}

		line, _ := cr.FieldPos(0)
		d, col, err := parseDaysOffRecord(record, len(header), source)
		if err != nil {
			e := &DaysOffFileError{File: name, Line: line, Column: col, Err: err}
			if col > 0 {
				e.Field = daysOffColumns[col-1]
				e.Line, _ = cr.FieldPos(col - 1)
			}
			return nil, e
		}
		if first, ok := seen[d.Date]; ok {
			return nil, &DaysOffFileError{File: name, Line: line, Column: 1, Field: "date",
				Err: fmt.Errorf("%s is already listed on line %d", d.Date, first)}
		}
		seen[d.Date] = line
		days = append(days, d)
	}

	slices.SortStableFunc(days, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	return days, nil
}

func validHeader(header []string) bool {
	if len(header) != 3 && len(header) != 4 {
		return false
	}
	for i, h := range header {
		if !strings.EqualFold(strings.TrimSpace(h), daysOffColumns[i]) {
			return false
		}
	}
	return true
}

// parseDaysOffRecord checks one row; on a mistake it returns the 1-based column at fault, or 0
// for the row as a whole.
func parseDaysOffRecord(record []string, columns int, source string) (DayOff, int, error) {
	if len(record) != columns {
		return DayOff{}, 0, fmt.Errorf("%d fields, want %d as in the header", len(record), columns)
	}
	for i := range record {
		record[i] = strings.TrimSpace(record[i])
	}

	d, err := ParseDate(record[0])
	if err != nil {
		return DayOff{}, 1, err
	}

	kind := Kind(record[1])
	switch kind {
	case KindHoliday, KindCompensatory, KindSwapOff, KindMakeupWorkday:
	default:
		return DayOff{}, 2, fmt.Errorf("%w %q: want %s, %s, %s or %s", ErrUnknownKind, record[1],
			KindHoliday, KindCompensatory, KindSwapOff, KindMakeupWorkday)
	}
	weekend := isWeekend(d)
	if kind == KindMakeupWorkday && !weekend {
		return DayOff{}, 2, fmt.Errorf("%s on %s, a %s: a make-up working day must be a "+
			"Saturday or Sunday", kind, d, d.Weekday())
	}
	if (kind == KindCompensatory || kind == KindSwapOff) && weekend {
		return DayOff{}, 2, fmt.Errorf("%s on %s, a %s: a %s day off must be a weekday",
			kind, d, d.Weekday(), kind)
	}

	if record[2] == "" {
		return DayOff{}, 3, errors.New("empty name")
	}

	out := DayOff{Date: d, Kind: kind, Name: record[2], Source: source}
	if columns == 4 {
		out.Ref = record[3]
	}
	return out, 0, nil
}

// csvError turns an error of encoding/csv into a [*DaysOffFileError].
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DaysOffFileError{File: name, Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// skipBOM drops a UTF-8 byte order mark, which spreadsheet programs write at the start of CSV.
func skipBOM(r io.Reader) io.Reader {
	const bom = "\uFEFF"
	buf := make([]byte, len(bom))
	n, err := io.ReadFull(r, buf)
	if err == nil && string(buf) == bom {
		return r
	}
	return io.MultiReader(strings.NewReader(string(buf[:n])), r)
}

// MergeDaysOff returns base with the local entries applied, in date order: a local entry
// replaces every base entry of the same date (so a province can, say, turn a holiday of the
// national list into its own kind of day), and the other local entries are added. Neither
// slice is changed.
//
// NOTE: a local file can change a base day or add one, not remove one and leave an ordinary
// working day: there is no kind for that yet.
func MergeDaysOff(base, local []DayOff) []DayOff {
	replaced := make(map[Date]bool, len(local))
	for _, l := range local {
		replaced[l.Date] = true
	}

	out := make([]DayOff, 0, len(base)+len(local))
	for _, b := range base {
		if !replaced[b.Date] {
			out = append(out, b)
		}
	}
	out = append(out, local...)
	slices.SortStableFunc(out, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	return out
}
