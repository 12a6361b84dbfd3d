package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"fixer/repair"
	"fixer/rules"
)

const dueHint = `example: fixer due --received "2021-03-08 10:15" --duration 3d --count day`

// dueFlags are the flags of fixer due, as typed.
type dueFlags struct {
	received, duration, count, snap, sessions, cutoff, zone string
	explain                                                 bool
	// zoneSet and sessionsSet say whether --zone and --sessions were given: given, they
	// replace the configuration's zone and sessions.
	zoneSet, sessionsSet bool
}

// newDueCmd builds "fixer due": the deadline of one receipt on the working calendar of the
// configuration (--config, $FIXER_CONFIG), or on the built-in one. It needs no database.
func newDueCmd(g *globalFlags) *cobra.Command {
	var f dueFlags
	cmd := &cobra.Command{
		Use:   "due --received TIME --duration DUR",
		Short: "Compute one deadline on the working calendar",
		Long: `Compute the deadline of something received at TIME with processing time DUR, on the
working calendar (weekends, official days off, make-up working days).

With a configuration file (--config or $FIXER_CONFIG) the calendar is the configuration's:
its zone, sessions, seasons, hours per day, days-off file and Tết placement, as plan and
apply use them. --zone and --sessions, when given, replace the configuration's zone and
sessions (its seasons still apply). Without one, the built-in calendar with the default
sessions.

TIME is RFC 3339 (2021-03-08T03:15:42Z) or local wall-clock time in --zone
(2021-03-08 10:15:42, 2021-03-08 10:15, with a space or a T).
DUR is 3d or 0.5d (working days), 4h (working hours), 15cd (calendar days), 0d (within the
day of receipt), or as procedures write it: "05 ngày làm việc", "15 ngày", "04 giờ".

The defaults, --count hour and --snap none, are the legacy rule. The 2021 profile is
--count day for an appointment and --count hour --snap session for a processing deadline.

The first line of output is the deadline in RFC 3339; --explain adds how it was found.`,
		Example: "  fixer due --received 2021-03-08T03:15:42Z --duration 1d\n" +
			"  fixer due --received \"2024-04-26 10:00\" --duration 3d --count day --explain\n" +
			"  fixer due --received \"2024-03-04 16:00\" --duration 4h --snap session --cutoff 15:00",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(dueHint, "due takes no arguments, got %q", strings.Join(args, " "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.zoneSet = cmd.Flags().Changed("zone")
			f.sessionsSet = cmd.Flags().Changed("sessions")
			calendar := repair.DefaultConfig().Calendar
			if g.resolveConfig() != "" {
				cfg, err := loadConfig(g)
				if err != nil {
					return err
				}
				calendar = cfg.Config.Calendar
				if !f.zoneSet {
					f.zone = cfg.Config.Zone
				}
			}
			due, lines, err := f.run(calendar)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, due.Format(time.RFC3339))
			for _, l := range lines {
				fmt.Fprintln(out, "  "+l)
			}
			return nil
		},
	}

	fl := cmd.Flags()
	fl.StringVar(&f.received, "received", "",
		"receipt time: RFC 3339, or local wall-clock in --zone")
	fl.StringVar(&f.duration, "duration", "",
		`processing time: 3d, 0.5d, 4h, 15cd, 0d, "05 ngày làm việc"`)
	fl.StringVar(&f.count, "count", "hour", "counting mode: hour or day")
	fl.StringVar(&f.snap, "snap", "none", "rounding after counting: none, session or day")
	fl.StringVar(&f.sessions, "sessions", "07:30-11:30,13:00-17:00",
		"the sessions of a working day; with --config, the configuration's unless given")
	fl.StringVar(&f.cutoff, "cutoff", "",
		"cut-off time HH:MM: receipt at or after it counts from the next working day")
	fl.StringVar(&f.zone, "zone", rules.DefaultZoneName,
		"time zone of wall-clock times and of the result; with --config, the configuration's unless given")
	fl.BoolVar(&f.explain, "explain", false, "print how the deadline was found")
	return cmd
}

// run checks the flags and computes the deadline on the calendar that settings describe, with
// the explanation when asked for. Every error is a usage
// error naming the flag or the setting, and the value.
func (f *dueFlags) run(settings repair.CalendarConfig) (time.Time, []string, error) {
	if f.received == "" || f.duration == "" {
		return time.Time{}, nil, usagef(dueHint, "due needs --received and --duration")
	}
	zone, err := rules.LoadZone(f.zone)
	if err != nil {
		return time.Time{}, nil, asUsage(fmt.Errorf("--zone: %w", err),
			"name an IANA zone such as Asia/Ho_Chi_Minh")
	}
	received, err := rules.ParseReceived(f.received, zone)
	if err != nil {
		return time.Time{}, nil, asUsage(fmt.Errorf("--received: %w", err), dueHint)
	}
	d, err := rules.ParseTextDuration(f.duration)
	if err != nil {
		return time.Time{}, nil, asUsage(fmt.Errorf("--duration: %w", err), dueHint)
	}
	policy, err := f.policy()
	if err != nil {
		return time.Time{}, nil, err
	}
	cutoff := rules.NoCutoff
	if f.cutoff != "" {
		if cutoff, err = rules.ParseClock(f.cutoff); err != nil {
			return time.Time{}, nil, asUsage(fmt.Errorf("--cutoff: %w", err),
				"give the cut-off as HH:MM, e.g. --cutoff 15:00")
		}
	}
	calCfg, err := settings.Rules(zone)
	if err != nil {
		return time.Time{}, nil, asUsage(err, "fix the configuration file; configs/ holds commented examples")
	}
	if f.sessionsSet || settings.Sessions == "" {
		if calCfg.Sessions, err = rules.ParseSessions(f.sessions); err != nil {
			return time.Time{}, nil, asUsage(fmt.Errorf("--sessions: %w", err),
				`e.g. --sessions "07:30-11:30,13:00-17:00"`)
		}
	}
	cal, err := rules.NewCalendar(calCfg)
	if err != nil {
		return time.Time{}, nil, asUsage(fmt.Errorf("calendar: %w", err),
			"fix the sessions or the configuration's calendar settings")
	}

	var due time.Time
	var lines []string
	if f.explain {
		due, lines, err = cal.Explain(received, d, policy, cutoff)
	} else {
		due, err = cal.Deadline(received, d, policy, cutoff)
	}
	if err != nil {
		return time.Time{}, nil, asUsage(err, "the calendar covers 1990 to 2100")
	}
	return due, lines, nil
}

func (f *dueFlags) policy() (rules.Policy, error) {
	mode, err := rules.ParseMode(f.count)
	if err != nil {
		return rules.Policy{}, asUsage(fmt.Errorf("--count: %w", err),
			"use --count hour or --count day")
	}
	snap, err := rules.ParseSnap(f.snap)
	if err != nil {
		return rules.Policy{}, asUsage(fmt.Errorf("--snap: %w", err),
			"use --snap none, --snap session or --snap day")
	}
	return rules.Policy{Mode: mode, Snap: snap}, nil
}
