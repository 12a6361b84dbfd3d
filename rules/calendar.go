package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// The years the working calendar covers. Deadlines outside them are an error ([ErrOutOfRange]).
const (
	FirstYear = 1990
	LastYear  = 2100
)

// ErrOutOfRange reports a receipt or a deadline outside the years the calendar covers.
var ErrOutOfRange = errors.New("outside the calendar's range 1990-01-01 to 2100-12-31")

// ErrBadConfig reports a calendar configuration that cannot be used.
var ErrBadConfig = errors.New("invalid calendar configuration")

// DefaultHoursPerDay is the working time of a day where hours are counted, when the
// configuration sets none.
const DefaultHoursPerDay = 8

// Config describes a province's working calendar. The zero Config is the national calendar
// with the default sessions in Asia/Ho_Chi_Minh.
type Config struct {
	// Zone is where wall-clock times are read and deadlines written. Nil: Asia/Ho_Chi_Minh.
	//
	// NOTE: session time is counted on the wall clock. In a zone with daylight saving, a
	// session that spans a clock change counts its wall-clock length, not the elapsed time;
	// Vietnam has had no daylight saving since 1975.
	Zone *time.Location
	// Sessions are the working periods of every working day. Nil: [DefaultSessions],
	// 07:30–11:30 and 13:00–17:00.
	Sessions []Session
	// Seasons override Sessions on their dates. They must not overlap.
	Seasons []Season
	// HoursPerDay is the working time of one working day where a duration in days is counted
	// in hours ([ModeHour]), rounded to a whole second. Zero: [DefaultHoursPerDay].
	HoursPerDay float64
	// DaysOff are a province's own exceptions, merged over the built-in ones of
	// [DaysOffInYear]: the local entries of a date replace all built-in entries of that date.
	// Entries outside [FirstYear]..[LastYear] are ignored.
	DaysOff []DayOff
	// Derive tunes how years with no official notice are derived.
	Derive DeriveOptions
}

// day is one row of the calendar's precomputed table.
type day struct {
	cumEnd  int64  // working seconds from the start of the table to the end of this day
	ord     int32  // number of working days before this day
	next    int32  // index of the first working day on or after this day; len(days) if none
	set     uint16 // index of this day's sessions in Calendar.sets
	working bool
}

// Calendar is a working calendar: which days are worked, their sessions, and how deadlines
// are counted on them. It precomputes one row per day from [FirstYear] to [LastYear], so that a
// deadline is found by index arithmetic and binary search rather than by walking day by day.
// A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	zone       *time.Location
	daySeconds int64 // working seconds of one working day where days are counted in hours
	sets       []sessionSet
	days       []day
	workDays   []int32            // index of each working day, in order
	entries    map[int32][]DayOff // the exceptions in force on each day that has some
	derived    []int              // years whose built-in days off were derived
	minDayLen  int64              // working seconds of the shortest working day
	firstDay   int                // day number (see Date.DayNumber) of row 0
	print      string
}

// NewCalendar builds the calendar that cfg describes. Defaults are described on [Config].
func NewCalendar(cfg Config) (*Calendar, error) {
	c := &Calendar{
		zone:     zoneOrDefault(cfg.Zone),
		firstDay: Date{FirstYear, time.January, 1}.DayNumber(),
	}
	if err := c.setHours(cfg.HoursPerDay); err != nil {
		return nil, err
	}

	base := cfg.Sessions
	if base == nil {
		base = DefaultSessions()
	}
	if err := validateSessions(base); err != nil {
		return nil, fmt.Errorf("%w: sessions: %w", ErrBadConfig, err)
	}
	if err := validateSeasons(cfg.Seasons); err != nil {
		return nil, err
	}
	// A day counted in hours longer than the sessions of a day would run into the next one:
	// 1d would end on the second working day.
	for i, s := range append([]Season{{Sessions: base}}, cfg.Seasons...) {
		var held int64
		for _, x := range s.Sessions {
			held += x.Length()
		}
		if held < c.daySeconds {
			where := ""
			if i > 0 {
				where = fmt.Sprintf(" of the season %s..%s", s.From, s.To)
			}
			return nil, fmt.Errorf("%w: hours per day %v is more than the %v h the sessions%s hold (%s): "+
				"a day counted in hours would end on the next working day; set the hours per day to at most %v "+
				"or give the sessions of a whole day", ErrBadConfig, float64(c.daySeconds)/3600, float64(held)/3600,
				where, sessionsText(s.Sessions), float64(held)/3600)
		}
	}

	entries, err := c.mergeDaysOff(cfg.DaysOff, cfg.Derive)
	if err != nil {
		return nil, err
	}
	c.buildTable(base, cfg.Seasons, entries)
	c.print = c.computeFingerprint()
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := NewCalendar(Config{})
	if err != nil {
		// Config{} has nothing a user can get wrong: only a broken build can fail here.
		panic(fmt.Sprintf("rules: default calendar: %v", err))
	}
	return c
})

// Default returns the calendar of the zero [Config], built on first use and shared.
func Default() *Calendar { return defaultCalendar() }

// Zone returns the location in which the calendar reads wall-clock times and writes deadlines.
func (c *Calendar) Zone() *time.Location { return c.zone }

// IsWorkingDay reports whether d is a working day. Dates outside [FirstYear]..[LastYear] are
// not.
func (c *Calendar) IsWorkingDay(d Date) bool {
	i, ok := c.index(d)
	return ok && c.days[i].working
}

// Sessions returns the sessions of d, whether or not d is worked, or nil outside the range.
func (c *Calendar) Sessions(d Date) []Session {
	i, ok := c.index(d)
	if !ok {
		return nil
	}
	return append([]Session(nil), c.sets[c.days[i].set].sessions...)
}

// Entries returns the exceptions in force on d after merging the local days off over the
// built-in ones: why a weekday is off, or why a weekend day is worked.
func (c *Calendar) Entries(d Date) []DayOff {
	i, ok := c.index(d)
	if !ok {
		return nil
	}
	return append([]DayOff(nil), c.entries[int32(i)]...)
}

// DerivedYears returns the years whose built-in days off were derived from the Labour Code
// because no official notice ships with fixer.
func (c *Calendar) DerivedYears() []int { return append([]int(nil), c.derived...) }

// Fingerprint returns a stable hex SHA-256 of everything that decides a deadline: the zone,
// the working days, the sessions of each working day and the hours of a working day. Two
// calendars with the same fingerprint compute the same deadlines.
func (c *Calendar) Fingerprint() string { return c.print }

// index returns the table row of d.
func (c *Calendar) index(d Date) (int, bool) {
	i := d.DayNumber() - c.firstDay
	return i, i >= 0 && i < len(c.days)
}

// sessionsText writes sessions as they are configured: 07:30-11:30,13:00-17:00.
func sessionsText(sessions []Session) string {
	parts := make([]string, len(sessions))
	for i, x := range sessions {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

// setHours checks and stores the hours of a working day.
func (c *Calendar) setHours(h float64) error {
	if h == 0 {
		h = DefaultHoursPerDay
	}
	if math.IsNaN(h) || h <= 0 || h > 24 {
		return fmt.Errorf("%w: hours per day %v: want more than 0 and at most 24", ErrBadConfig, h)
	}
	c.daySeconds = int64(math.Round(h * 3600))
	return nil
}

func validateSeasons(seasons []Season) error {
	for i, s := range seasons {
		if s.To.Before(s.From) {
			return fmt.Errorf("%w: season %s..%s ends before it starts", ErrBadConfig, s.From, s.To)
		}
		if err := validateSessions(s.Sessions); err != nil {
			return fmt.Errorf("%w: season %s..%s: %w", ErrBadConfig, s.From, s.To, err)
		}
		for _, o := range seasons[:i] {
			if !s.To.Before(o.From) && !o.To.Before(s.From) {
				return fmt.Errorf("%w: seasons %s..%s and %s..%s overlap", ErrBadConfig,
					o.From, o.To, s.From, s.To)
			}
		}
	}
	return nil
}

// mergeDaysOff collects the built-in exceptions of every year in range, lays the local ones
// over them with [MergeDaysOff], and keys the result by table row.
func (c *Calendar) mergeDaysOff(local []DayOff, o DeriveOptions) (map[int32][]DayOff, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadConfig, err)
	}
	for _, e := range local {
		if err := validateDayOff(e); err != nil {
			return nil, err
		}
	}

	var builtIn []DayOff
	for y := FirstYear; y <= LastYear; y++ {
		days, derived := DaysOffInYear(y, o)
		if derived {
			c.derived = append(c.derived, y)
		}
		builtIn = append(builtIn, days...)
	}

	entries := make(map[int32][]DayOff)
	last := Date{LastYear, time.December, 31}.DayNumber()
	for _, e := range MergeDaysOff(builtIn, local) {
		if n := e.Date.DayNumber(); n >= c.firstDay && n <= last {
			i := int32(n - c.firstDay)
			entries[i] = append(entries[i], e)
		}
	}
	return entries, nil
}

func validateDayOff(e DayOff) error {
	if DateOf(e.Date.In(time.UTC, 0)) != e.Date {
		return fmt.Errorf("%w: day off %d-%02d-%02d: no such date", ErrBadConfig,
			e.Date.Year, int(e.Date.Month), e.Date.Day)
	}
	switch e.Kind {
	case KindHoliday, KindCompensatory, KindSwapOff, KindMakeupWorkday:
		return nil
	}
	return fmt.Errorf("%w: day off %s: unknown kind %q", ErrBadConfig, e.Date, e.Kind)
}

// buildTable fills the day table, the list of working days and the distinct session sets.
func (c *Calendar) buildTable(base []Session, seasons []Season, entries map[int32][]DayOff) {
	n := Date{LastYear, time.December, 31}.DayNumber() - c.firstDay + 1
	c.days = make([]day, n)
	c.entries = entries

	// Sets are shared by content, so that the set index of a day changes exactly when its
	// sessions do; the base sessions are set 0 and each season maps to one set.
	setOf := make(map[string]uint16)
	pick := func(ss []Session) uint16 {
		key := sessionsKey(ss)
		if k, ok := setOf[key]; ok {
			return k
		}
		setOf[key] = uint16(len(c.sets))
		c.sets = append(c.sets, newSessionSet(append([]Session(nil), ss...)))
		return uint16(len(c.sets) - 1)
	}
	baseSet := pick(base)
	seasonSet := make([]uint16, len(seasons))
	for k, s := range seasons {
		seasonSet[k] = pick(s.Sessions)
	}

	var cum int64
	c.minDayLen = math.MaxInt64
	for i := range c.days {
		d := DateFromDayNumber(c.firstDay + i)
		row := &c.days[i]
		row.set = baseSet
		if k := seasonOn(d, seasons); k >= 0 {
			row.set = seasonSet[k]
		}
		row.working = isWorking(d.Weekday(), entries[int32(i)])
		row.ord = int32(len(c.workDays))
		if row.working {
			length := c.sets[row.set].length
			cum += length
			c.minDayLen = min(c.minDayLen, length)
			c.workDays = append(c.workDays, int32(i))
		}
		row.cumEnd = cum
	}

	next := int32(n)
	for i := n - 1; i >= 0; i-- {
		if c.days[i].working {
			next = int32(i)
		}
		c.days[i].next = next
	}
}

// isWorking applies the rule of the working week: Monday to Friday, less the days off, plus
// the make-up days. A date with both kinds of entry is off.
func isWorking(wd time.Weekday, entries []DayOff) bool {
	working := wd != time.Saturday && wd != time.Sunday
	for _, e := range entries {
		if e.IsOff() {
			return false
		}
		working = true
	}
	return working
}

// seasonOn returns the index of the season that holds d, or -1.
func seasonOn(d Date, seasons []Season) int {
	for k, s := range seasons {
		if !d.Before(s.From) && !s.To.Before(d) {
			return k
		}
	}
	return -1
}

func sessionsKey(ss []Session) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}

// computeFingerprint hashes the zone, the hours of a day, the working flag of every day and
// each change of sessions between working days, in a form that does not depend on how the
// configuration was written.
func (c *Calendar) computeFingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "zone=%s\nday=%ds\nfrom=%d-01-01\n", c.zone, c.daySeconds, FirstYear)

	prev := -1
	flags := make([]byte, len(c.days))
	for i, row := range c.days {
		if !row.working {
			continue
		}
		flags[i] = 1
		if int(row.set) != prev {
			fmt.Fprintf(h, "@%d=%s\n", i, sessionsKey(c.sets[row.set].sessions))
			prev = int(row.set)
		}
	}
	h.Write(flags)
	return hex.EncodeToString(h.Sum(nil))
}

// dayLen returns the working seconds of row i: its sessions if worked, else zero.
func (c *Calendar) dayLen(i int32) int64 {
	if !c.days[i].working {
		return 0
	}
	return c.sets[c.days[i].set].length
}

// cumStart returns the working seconds from the start of the table to the start of row i.
func (c *Calendar) cumStart(i int32) int64 { return c.days[i].cumEnd - c.dayLen(i) }

// date returns the date of row i.
func (c *Calendar) date(i int32) Date { return DateFromDayNumber(c.firstDay + int(i)) }
