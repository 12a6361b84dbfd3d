package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"fixer/rules"
)

// calendarFormats are the output formats of fixer calendar, the first being the default.
var calendarFormats = []string{"table", "csv", "json", "ics"}

const calendarYearHint = "give a year from 1990 to 2100, e.g. fixer calendar 2024"

// newCalendarCmd builds "fixer calendar YEAR": the days off and make-up working days of a year.
// It needs no database and no configuration.
func newCalendarCmd(g *globalFlags) *cobra.Command {
	var format, daysOffFile string
	cmd := &cobra.Command{
		Use:   "calendar YEAR",
		Short: "List the days off and make-up working days of a year",
		Long: `List every day off and every make-up working day of YEAR (1990 to 2100): each day of
each holiday block, holidays that fall on a weekend too, with the weekday, the kind, the
Vietnamese name, the lunar date (day/month; "n" marks a leap month) and the source.

A year whose government notice ships with fixer is "official"; any other year is "derived"
from the Labour Code 45/2019/QH14. Entries of --days-off (CSV: date,kind,name[,ref]) are
"local" and replace the built-in entries of the same date.`,
		Example: "  fixer calendar 2024\n" +
			"  fixer calendar 2027 --output ics > days-off-2027.ics\n" +
			"  fixer calendar 2025 --days-off province-days-off.csv --output csv",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(calendarYearHint, "calendar takes one YEAR, got %d arguments",
					len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			year, err := parseCalendarYear(args[0])
			if err != nil {
				return err
			}
			if !validCalendarFormat(format) {
				return usagef("use --output "+strings.Join(calendarFormats, ", "),
					"unknown output format %q", format)
			}

			// A configuration file supplies the province's days-off file and the Tết placement
			// of derived years, unless --days-off names another file.
			var derive rules.DeriveOptions
			if g.resolveConfig() != "" {
				cfg, err := loadConfig(g)
				if err != nil {
					return err
				}
				derive.TetDaysBefore = cfg.Config.Calendar.TetDaysBefore
				if daysOffFile == "" {
					daysOffFile = cfg.Config.Calendar.DaysOffFile
				}
			}
			entries, derived, local, err := calendarEntries(year, daysOffFile, derive)
			if err != nil {
				return err
			}
			rows := calendarRows(entries)

			out := cmd.OutOrStdout()
			switch format {
			case "csv":
				return writeCalendarCSV(out, rows)
			case "json":
				return writeCalendarJSON(out, rows)
			case "ics":
				return writeCalendarICS(out, year, rows)
			default:
				return writeCalendarTable(out, year, rows, derived, local, daysOffFile)
			}
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", calendarFormats[0],
		"output format: "+strings.Join(calendarFormats, ", "))
	// --format was the flag's first name; it stays, as the other commands' --output.
	cmd.Flags().StringVar(&format, "format", calendarFormats[0], "the same as --output")
	_ = cmd.Flags().MarkHidden("format")
	cmd.Flags().StringVar(&daysOffFile, "days-off", "",
		"a province's own days-off CSV (date,kind,name[,ref]) laid over the built-in list")
	return cmd
}

// parseCalendarYear reads the YEAR argument; anything but a year the calendar covers is a
// usage error naming the value.
func parseCalendarYear(arg string) (int, error) {
	year, err := strconv.Atoi(strings.TrimSpace(arg))
	if err != nil || year < rules.FirstYear || year > rules.LastYear {
		return 0, usagef(calendarYearHint, "year %q: want a number from %d to %d", arg,
			rules.FirstYear, rules.LastYear)
	}
	return year, nil
}

func validCalendarFormat(f string) bool {
	for _, known := range calendarFormats {
		if f == known {
			return true
		}
	}
	return false
}

// calendarEntries returns the entries of year, with those of the local file laid over them,
// whether the built-in list is derived, and how many local entries fall in the year.
func calendarEntries(year int, daysOffFile string, derive rules.DeriveOptions) ([]rules.DayOff, bool, int, error) {
	base, derived := rules.DaysOffInYear(year, derive)
	if daysOffFile == "" {
		return base, derived, 0, nil
	}

	f, err := os.Open(daysOffFile)
	if err != nil {
		return nil, false, 0, asUsage(fmt.Errorf("open days-off file: %w", err),
			"check the path given to --days-off")
	}
	defer f.Close()
	all, err := rules.ParseDaysOff(f, daysOffFile)
	if err != nil {
		return nil, false, 0, asUsage(err,
			"fix the days-off file: CSV with the header date,kind,name[,ref], one day a row")
	}

	var local []rules.DayOff
	for _, d := range all {
		if d.Date.Year == year {
			local = append(local, d)
		}
	}
	return rules.MergeDaysOff(base, local), derived, len(local), nil
}

// calendarRow is one entry as every format writes it.
type calendarRow struct {
	Date      string `json:"date"`
	Weekday   string `json:"weekday"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	LunarDate string `json:"lunar_date"`
	Source    string `json:"source"`
	Ref       string `json:"ref"`

	date rules.Date
}

func calendarRows(entries []rules.DayOff) []calendarRow {
	rows := make([]calendarRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, calendarRow{
			Date:      e.Date.String(),
			Weekday:   e.Date.Weekday().String()[:3],
			Kind:      string(e.Kind),
			Name:      e.Name,
			LunarDate: rules.SolarToLunar(e.Date).String(),
			Source:    e.Source,
			Ref:       e.Ref,
			date:      e.Date,
		})
	}
	return rows
}

// writeCalendarTable writes aligned columns and, last, a line that says whether the year's
// list is official or derived.
func writeCalendarTable(w io.Writer, year int, rows []calendarRow, derived bool, local int,
	daysOffFile string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tDAY\tKIND\tLUNAR\tSOURCE\tNAME")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Date, r.Weekday, r.Kind, r.LunarDate,
			r.Source, r.Name)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}

	status := fmt.Sprintf("%d is official: from the government's notice shipped with fixer", year)
	if derived {
		status = fmt.Sprintf("%d is derived from the Labour Code 45/2019/QH14: no notice on file",
			year)
	}
	if local > 0 {
		status += fmt.Sprintf("; %d local entries from %s", local, daysOffFile)
	}
	_, err := fmt.Fprintln(w, status+".")
	return err
}

// calendarCSVHeader is the header of --output csv.
var calendarCSVHeader = []string{"date", "weekday", "kind", "name", "lunar_date", "source"}

func writeCalendarCSV(w io.Writer, rows []calendarRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(calendarCSVHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range rows {
		if err := cw.Write([]string{r.Date, r.Weekday, r.Kind, r.Name, r.LunarDate,
			r.Source}); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func writeCalendarJSON(w io.Writer, rows []calendarRow) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rows); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// writeCalendarICS writes an RFC 5545 calendar with one all-day event per entry. Every value is
// fixed by the entries alone (DTSTAMP is 1 January of the year), so the same year gives the
// same file byte for byte and a calendar program sees no change when it is imported again.
func writeCalendarICS(w io.Writer, year int, rows []calendarRow) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICSLine(s)) }

	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//fixer//calendar//VI")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line(fmt.Sprintf("X-WR-CALNAME:%s", escapeICSText(fmt.Sprintf("Ngày nghỉ %d", year))))
	stamp := fmt.Sprintf("%04d0101T000000Z", year)
	for _, r := range rows {
		day := fmt.Sprintf("%04d%02d%02d", r.date.Year, int(r.date.Month), r.date.Day)
		next := r.date.AddDays(1)
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:%s-%s@fixer.calendar", day, r.Kind))
		line("DTSTAMP:" + stamp)
		line("DTSTART;VALUE=DATE:" + day)
		line(fmt.Sprintf("DTEND;VALUE=DATE:%04d%02d%02d", next.Year, int(next.Month), next.Day))
		line("SUMMARY:" + escapeICSText(r.Name))
		desc := fmt.Sprintf("%s, lunar %s, %s", r.Kind, r.LunarDate, r.Source)
		if r.Ref != "" {
			desc += "\n" + r.Ref
		}
		line("DESCRIPTION:" + escapeICSText(desc))
		line("CATEGORIES:" + escapeICSText(strings.ToUpper(r.Kind)))
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")

	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write ics: %w", err)
	}
	return nil
}

// escapeICSText escapes a TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma, newline.
func escapeICSText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).
		Replace(s)
}

// foldICSLine ends a content line with CRLF, folded (RFC 5545, 3.1) so that no line is longer
// than 75 octets: each continuation starts with a space, and no UTF-8 character is split.
func foldICSLine(s string) string {
	const limit = 75
	var b strings.Builder
	width := limit // octets left on the current line
	for len(s) > 0 {
		_, size := utf8.DecodeRuneInString(s)
		if size > width {
			b.WriteString("\r\n ")
			width = limit - 1
		}
		b.WriteString(s[:size])
		width -= size
		s = s[size:]
	}
	b.WriteString("\r\n")
	return b.String()
}
