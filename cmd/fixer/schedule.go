package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"fixer/repair"
	"fixer/rules"
)

func newScheduleCmd(g *globalFlags) *cobra.Command {
	f := &applyFlags{}
	var spec, after string
	var next int
	cmd := &cobra.Command{
		Use:   "schedule --cron SPEC --reason TEXT",
		Short: "Run apply on a cron schedule, nightly for example, until stopped",
		Long: `schedule stays in the foreground and runs apply at every time of the cron
expression (five fields; prefix CRON_TZ=Zone to read it in a zone other than the configured one,
by default Asia/Ho_Chi_Minh whatever the host's zone). A run still going when the next time
comes is not doubled; a run that finds the database lock held by another process logs that it
skipped; a run that fails or panics is logged and the schedule goes on. With --next N it only
prints the next N times and exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if spec == "" {
				return usagef("example: --cron 'CRON_TZ=Asia/Ho_Chi_Minh 0 1 * * *' for 01:00 every night", "--cron is required")
			}
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			sched, err := cron.ParseStandard(withZone(spec, cfg.Zone))
			if err != nil {
				return usagef("five fields: minute hour day-of-month month day-of-week", "--cron %q: %v", spec, err)
			}
			// A spec no date matches (30 February) parses, and its next time is the zero time:
			// the schedule would wait for ever and never run.
			if sched.Next(time.Now()).IsZero() {
				return usagef("check the day of the month against the month, e.g. '0 1 28 2 *'",
					"--cron %q: no date matches it, so it would never run", spec)
			}
			if next > 0 {
				// Printed in the configured zone, whatever the host's, with or without --after.
				t := time.Now().In(cfg.Zone)
				if after != "" {
					if t, err = rules.ParseReceived(after, cfg.Zone); err != nil {
						return usagef("example: --after 2024-03-04T12:00:00Z", "--after: %v", err)
					}
				}
				for range next {
					t = sched.Next(t)
					fmt.Fprintln(cmd.OutOrStdout(), t.Format(time.RFC3339))
				}
				return nil
			}
			if err := f.validate(); err != nil {
				return err
			}
			// A wrong address, password or mapping fails now, not at the first run hours later.
			g.inFlight = f.inFlight
			a, err := openApp(cmd.Context(), cmd, g, cfg)
			if err != nil {
				return err
			}
			err = a.store.Check(cmd.Context())
			a.close()
			if err != nil {
				return err
			}
			return runSchedule(cmd, g, f, sched)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&spec, "cron", "", "when to run, e.g. 'CRON_TZ=Asia/Ho_Chi_Minh 0 1 * * *'")
	cmd.Flags().IntVar(&next, "next", 0, "print the next N run times and exit")
	cmd.Flags().StringVar(&after, "after", "", "with --next: count from this time instead of now")
	return cmd
}

// withZone reads a spec without CRON_TZ in the configured zone, not the host's.
func withZone(spec string, loc *time.Location) string {
	if len(spec) >= 8 && (spec[:8] == "CRON_TZ=" || spec[:3] == "TZ=") {
		return spec
	}
	return "CRON_TZ=" + loc.String() + " " + spec
}

// runSchedule runs apply at every tick until SIGINT or SIGTERM.
func runSchedule(cmd *cobra.Command, g *globalFlags, f *applyFlags, sched cron.Schedule) error {
	// The schedule's own log and each run's log write from different goroutines: one lock
	// keeps their lines whole.
	cmd.SetErr(&logWriter{w: cmd.ErrOrStderr()})
	log := newLogger(cmd.ErrOrStderr(), g.verbose).With("command", "schedule")
	c := cron.New(cron.WithLogger(cronLogger{log}),
		cron.WithChain(cron.Recover(cronLogger{log}), cron.SkipIfStillRunning(cronLogger{log})))
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	var running atomic.Bool
	c.Schedule(sched, cron.FuncJob(func() {
		running.Store(true)
		defer running.Store(false)
		scheduledRun(ctx, cmd, g, f, log)
	}))
	c.Start()
	log.Info("schedule started", "next", sched.Next(time.Now()).Format(time.RFC3339))

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	select {
	case <-sigs:
	case <-ctx.Done():
	}
	if running.Load() {
		log.Info("schedule stopping: waiting for the running apply to finish its batch")
	} else {
		log.Info("schedule stopping")
	}
	cancel()
	<-c.Stop().Done()
	return nil
}

// scheduledRun is one apply of the schedule. Its failures are logged, never fatal.
func scheduledRun(ctx context.Context, cmd *cobra.Command, g *globalFlags, f *applyFlags, log *slog.Logger) {
	start := time.Now()
	sum, err := runApply(ctx, cmd, g, f, io.Discard)
	switch {
	case errors.Is(err, repair.ErrLocked):
		log.Info("run skipped: another run holds the lock", "reason", err.Error())
	case errors.Is(err, errStopped):
		log.Info("run stopped before the end; the next run repairs the rest in a changeset of its own", "changeset", sum.ChangesetID)
	case err != nil:
		log.Error("run failed; the schedule goes on", "error", err.Error())
	default:
		log.Info("run done", "changeset", sum.ChangesetID, "rows_changed", sum.RowsChanged,
			"rows_skipped", sum.RowsSkipped, "conflicts", sum.Conflicts, "took", time.Since(start).Round(time.Millisecond).String())
	}
}

// cronLogger routes the scheduler's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Info("run skipped: the previous scheduled run is still going")
		return
	}
	l.log.Debug(msg, kv...)
}
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "error", err.Error())...)
}
