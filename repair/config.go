package repair

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"fixer/rules"
)

// ErrConfig marks a configuration error: the run stops before any write.
var ErrConfig = errors.New("configuration error")

// Config is everything a run needs besides the database: the calendar, the target profile,
// the scope, the guards and the schema mapping. [DefaultConfig] gives the reference schema,
// the built-in calendar and the 2021 repair profile; a YAML file overrides any part of it.
type Config struct {
	Zone        string         `yaml:"zone"`
	TablePrefix string         `yaml:"table_prefix"`
	Calendar    CalendarConfig `yaml:"calendar"`
	Profile     ProfileConfig  `yaml:"profile"`
	Scope       ScopeConfig    `yaml:"scope"`
	Guards      GuardConfig    `yaml:"guards"`
	Schema      Schema         `yaml:"schema"`
}

// CalendarConfig sets the working calendar (see [rules.Config]).
type CalendarConfig struct {
	// Sessions of a working day, e.g. "07:30-11:30,13:00-17:00".
	Sessions string `yaml:"sessions"`
	// Seasons with their own sessions, by date range.
	Seasons []SeasonConfig `yaml:"seasons"`
	// HoursPerDay converts a working day to hours where hours are counted (default 8); more
	// than 0 and at most 24.
	HoursPerDay float64 `yaml:"hours_per_day"`
	// DaysOffFile is a CSV of the province's own days off and make-up days (date,kind,name,ref).
	DaysOffFile string `yaml:"days_off_file"`
	// TetDaysBefore places the derived Lunar New Year break for years with no notice on file.
	TetDaysBefore int `yaml:"tet_days_before"`
}

// SeasonConfig is a date range with its own sessions. From and To are YYYY-MM-DD, or MM-DD for
// a range that repeats every year.
type SeasonConfig struct {
	From     string `yaml:"from"`
	To       string `yaml:"to"`
	Sessions string `yaml:"sessions"`
}

// PolicyConfig is a counting mode and a snap, by name.
type PolicyConfig struct {
	Count string `yaml:"count"`
	Snap  string `yaml:"snap"`
}

// ProfileConfig is the target deadline profile: how each kind of deadline is computed.
type ProfileConfig struct {
	Name        string       `yaml:"name"`
	Appointment PolicyConfig `yaml:"appointment"`
	Deadline    PolicyConfig `yaml:"deadline"`
	Step        PolicyConfig `yaml:"step"`
}

// ScopeConfig selects the dossiers a run recomputes: every open dossier (when IncludeOpen) and
// every dossier received between ReceivedFrom and ReceivedTo, both dates inclusive.
type ScopeConfig struct {
	ReceivedFrom string   `yaml:"received_from"`
	ReceivedTo   string   `yaml:"received_to"`
	IncludeOpen  *bool    `yaml:"include_open"`
	Agencies     []string `yaml:"agencies"`
	Procedures   []string `yaml:"procedures"`
}

// GuardConfig holds the safety rules of a recompute.
type GuardConfig struct {
	// AllowEarlier lets a recomputed deadline move earlier than the stored one (default false:
	// such rows are reported and keep their value).
	AllowEarlier bool `yaml:"allow_earlier"`
	// AllowHidingLateDays lets a deadline that a result missed by whole days move (default
	// false: it keeps its value and is listed).
	AllowHidingLateDays bool `yaml:"allow_hiding_late_days"`
	// Paused, Rescheduled and Extended say what to do with dossiers whose clock was stopped,
	// whose appointment was officially re-set, or whose deadline was extended: "skip" (default,
	// listed for review) or "recompute".
	Paused      string `yaml:"paused"`
	Rescheduled string `yaml:"rescheduled"`
	Extended    string `yaml:"extended"`
}

// DefaultConfig returns the configuration fixer uses with no file: the reference schema, the
// built-in calendar, the default sessions and the 2021 repair profile of DOMAIN.md, in scope
// every open dossier and every dossier received in 2021.
func DefaultConfig() Config {
	open := true
	return Config{
		Zone:        rules.DefaultZoneName,
		TablePrefix: "fixer_",
		Calendar: CalendarConfig{
			Sessions:    "07:30-11:30,13:00-17:00",
			HoursPerDay: 8,
		},
		Profile: ProfileConfig{
			Name:        "2021",
			Appointment: PolicyConfig{Count: "day", Snap: "none"},
			Deadline:    PolicyConfig{Count: "hour", Snap: "session"},
			Step:        PolicyConfig{Count: "hour", Snap: "session"},
		},
		Scope: ScopeConfig{
			ReceivedFrom: "2021-01-01",
			ReceivedTo:   "2021-12-31",
			IncludeOpen:  &open,
		},
		Guards: GuardConfig{Paused: "skip", Rescheduled: "skip", Extended: "skip"},
		Schema: ReferenceSchema(),
	}
}

// LoadConfig reads a YAML configuration file over [DefaultConfig]. Unknown keys are errors that
// name their line. An empty path gives the defaults.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("%w: cannot read config: %w", ErrConfig, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		msg := unknownField.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "),
			"unknown setting $1 (a typo? configs/default.yaml lists every setting)")
		return cfg, fmt.Errorf("%w: %s: %s", ErrConfig, path, msg)
	}
	return cfg, nil
}

// unknownField matches the YAML decoder's report of an unknown key, which names a Go type.
var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// Hash returns a short stable hash of the configuration, recorded with every changeset.
func (c Config) Hash() string {
	data, _ := yaml.Marshal(c)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// Resolved is a validated configuration with its parts parsed.
type Resolved struct {
	Config
	Calendar     *rules.Calendar
	Zone         *time.Location
	Appointment  rules.Policy
	Deadline     rules.Policy
	Step         rules.Policy
	ReceivedFrom time.Time // inclusive
	ReceivedTo   time.Time // exclusive: the start of the day after Scope.ReceivedTo
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]{0,63}$`)

// Resolve validates c and builds its calendar. Every problem is reported at once.
func (c Config) Resolve() (*Resolved, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	r := &Resolved{Config: c}
	zone, err := rules.LoadZone(c.Zone)
	if err != nil {
		bad("zone: %w", err)
		zone = time.FixedZone("ICT", 7*3600)
	}
	r.Zone = zone

	// Lower case only: PostgreSQL folds the unquoted names of the migrations to lower case, and
	// MySQL's names follow the file system's case rules.
	// Empty, fixer's tables would be plain changesets, changes, locks and migrations: names an
	// application's own tables often have (a framework's migrations table, say), which fixer
	// would then take for its own.
	if c.TablePrefix == "" {
		bad("table_prefix is empty: fixer's tables would be named changesets, changes, locks and migrations, " +
			"names the application's own tables may have; set a prefix such as fixer_")
	} else if !identRe.MatchString(c.TablePrefix+"x") || strings.ToLower(c.TablePrefix) != c.TablePrefix {
		bad("table_prefix %q: use lower-case letters, digits and underscores only", c.TablePrefix)
	}

	calCfg, err := c.Calendar.Rules(zone)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		if r.Calendar, err = rules.NewCalendar(calCfg); err != nil {
			bad("calendar: %w", err)
		}
	}

	r.Appointment = parsePolicy("profile.appointment", c.Profile.Appointment, bad)
	r.Deadline = parsePolicy("profile.deadline", c.Profile.Deadline, bad)
	r.Step = parsePolicy("profile.step", c.Profile.Step, bad)

	if c.Scope.ReceivedFrom != "" {
		d, err := rules.ParseDate(c.Scope.ReceivedFrom)
		if err != nil {
			bad("scope.received_from: %w", err)
		}
		r.ReceivedFrom = d.In(zone, 0)
	}
	if c.Scope.ReceivedTo != "" {
		d, err := rules.ParseDate(c.Scope.ReceivedTo)
		if err != nil {
			bad("scope.received_to: %w", err)
		}
		r.ReceivedTo = d.AddDays(1).In(zone, 0)
	}
	if !r.ReceivedFrom.IsZero() && !r.ReceivedTo.IsZero() && !r.ReceivedFrom.Before(r.ReceivedTo) {
		bad("scope: received_from %s is after received_to %s", c.Scope.ReceivedFrom, c.Scope.ReceivedTo)
	}

	for name, v := range map[string]string{"guards.paused": c.Guards.Paused,
		"guards.rescheduled": c.Guards.Rescheduled, "guards.extended": c.Guards.Extended} {
		if v != "skip" && v != "recompute" {
			bad("%s %q: use skip or recompute", name, v)
		}
	}

	errs = append(errs, c.Schema.validate()...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrConfig, errors.Join(errs...))
	}
	return r, nil
}

// IncludeOpen reports whether open dossiers are in scope whatever their receipt date.
func (r *Resolved) IncludeOpen() bool {
	return r.Scope.IncludeOpen == nil || *r.Scope.IncludeOpen
}

// RulesHash identifies the rules that decided the values of a run: the calendar and the profile.
func (r *Resolved) RulesHash() string {
	sum := sha256.Sum256([]byte(r.Calendar.Fingerprint() + "|" + r.Appointment.String() + "|" +
		r.Deadline.String() + "|" + r.Step.String()))
	return hex.EncodeToString(sum[:8])
}

// Rules reads the calendar settings into the [rules.Config] of a calendar in zone: the sessions,
// the seasons, the hours of a day, the days-off file and the Tết placement. Every problem is
// reported at once, each naming its setting.
func (c CalendarConfig) Rules(zone *time.Location) (rules.Config, error) {
	var errs []error
	cfg := rules.Config{Zone: zone, HoursPerDay: c.HoursPerDay,
		Derive: rules.DeriveOptions{TetDaysBefore: c.TetDaysBefore}}
	// Zero is refused rather than read as the default: a file that says 0 means something else.
	if !(c.HoursPerDay > 0 && c.HoursPerDay <= 24) {
		errs = append(errs, fmt.Errorf("calendar.hours_per_day %v: want more than 0 and at most 24 "+
			"(the working hours of one day; default 8)", c.HoursPerDay))
	}
	if c.Sessions != "" {
		var err error
		if cfg.Sessions, err = rules.ParseSessions(c.Sessions); err != nil {
			errs = append(errs, fmt.Errorf("calendar.sessions: %w", err))
		}
	}
	for i, s := range c.Seasons {
		seasons, err := expandSeason(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("calendar.seasons[%d]: %w", i, err))
		}
		cfg.Seasons = append(cfg.Seasons, seasons...)
	}
	if c.DaysOffFile != "" {
		days, err := readDaysOff(c.DaysOffFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("calendar.days_off_file: %w", err))
		}
		cfg.DaysOff = days
	}
	return cfg, errors.Join(errs...)
}

func parsePolicy(name string, p PolicyConfig, bad func(string, ...any)) rules.Policy {
	m, err := rules.ParseMode(p.Count)
	if err != nil {
		bad("%s.count: %w", name, err)
	}
	s, err := rules.ParseSnap(p.Snap)
	if err != nil {
		bad("%s.snap: %w", name, err)
	}
	return rules.Policy{Mode: m, Snap: s}
}

func expandSeason(s SeasonConfig) ([]rules.Season, error) {
	sessions, err := rules.ParseSessions(s.Sessions)
	if err != nil {
		return nil, err
	}
	if len(s.From) == 10 && len(s.To) == 10 {
		from, err1 := rules.ParseDate(s.From)
		to, err2 := rules.ParseDate(s.To)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		return []rules.Season{{From: from, To: to, Sessions: sessions}}, nil
	}
	var out []rules.Season
	for y := 1990; y <= 2100; y++ {
		from, err1 := rules.ParseDate(fmt.Sprintf("%04d-%s", y, s.From))
		to, err2 := rules.ParseDate(fmt.Sprintf("%04d-%s", y, s.To))
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("from %q to %q: use YYYY-MM-DD or MM-DD", s.From, s.To)
		}
		if to.Before(from) {
			return nil, fmt.Errorf("from %q is after to %q: a season across New Year is written as two "+
				"seasons, one to 12-31 and one from 01-01", s.From, s.To)
		}
		out = append(out, rules.Season{From: from, To: to, Sessions: sessions})
	}
	return out, nil
}

func readDaysOff(path string) ([]rules.DayOff, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return rules.ParseDaysOff(f, path)
}
