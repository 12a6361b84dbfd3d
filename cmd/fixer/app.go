package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"fixer/internal/db"
	"fixer/repair"
	"fixer/repair/sqlstore"
	"fixer/rules"
)

// version is set at build time with -ldflags "-X main.version=..." (make build); a plain go
// build from a git checkout is "dev-" and its commit, "-dirty" when the tree had changes.
var version = "dev"

func init() {
	if version != "dev" {
		return
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			rev = s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "-dirty"
		}
	}
	if rev != "" {
		version = "dev-" + rev + dirty
	}
}

// app is what a database command needs: the resolved configuration, the open database and the
// store over it.
type app struct {
	cfg   *repair.Resolved
	db    *db.DB
	store *sqlstore.Store
	log   *slog.Logger
}

// newLogger returns the structured logger of a command: text key/value pairs on stderr, drawn
// above the progress bar when there is one.
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	lw := &logWriter{w: w}
	return slog.New(barHandler{slog.NewTextHandler(lw, &slog.HandlerOptions{Level: level}), lw})
}

// loadConfig reads and validates the configuration; any problem is a usage error.
func loadConfig(g *globalFlags) (*repair.Resolved, error) {
	path := g.resolveConfig()
	cfg, err := repair.LoadConfig(path)
	if err != nil {
		return nil, asUsage(err, "fix the configuration file; configs/ holds commented examples")
	}
	res, err := cfg.Resolve()
	if err != nil {
		return nil, asUsage(err, "fix the configuration file; configs/ holds commented examples")
	}
	return res, nil
}

// openApp loads the configuration, connects and checks the mapped schema.
func openApp(ctx context.Context, cmd *cobra.Command, g *globalFlags, cfg *repair.Resolved) (*app, error) {
	dsn, err := g.resolveDSN()
	if err != nil {
		return nil, err
	}
	// A run needs, per worker, one connection to read and one per batch in flight; and one for
	// the lock and one for the lease renewal.
	conn, err := db.Open(ctx, dsn, db.Options{Zone: cfg.Zone, MaxOpen: g.workers*(1+max(g.inFlight, 1)) + 2})
	if err != nil {
		if errors.Is(err, db.ErrBadDSN) {
			return nil, asUsage(err, "examples: postgres://user@host:5432/db, mysql://user:pass@host:3306/db, sqlite:file.db")
		}
		return nil, err
	}
	var logOut io.Writer = cmd.ErrOrStderr()
	if g.logFile != "" {
		f, err := os.OpenFile(g.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
		if err != nil {
			conn.Close()
			return nil, asUsage(fmt.Errorf("--log-file: %w", err), "name a file fixer can write")
		}
		logOut = f
	}
	log := newLogger(logOut, g.verbose)
	return &app{cfg: cfg, db: conn, log: log,
		store: sqlstore.New(conn, cfg.Schema, cfg.TablePrefix, cfg.Zone)}, nil
}

func (a *app) close() { a.db.Close() }

// operator identifies the person and machine running fixer, for the audit and the lock.
func operator() repair.Operator {
	name := os.Getenv("FIXER_OPERATOR")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	host, _ := os.Hostname()
	return repair.Operator{Name: name, Host: host, PID: os.Getpid(), Version: version}
}

// runFlags are the flags shared by plan, apply and report.
type runFlags struct {
	// formats are the --output values the command writes, the first being the default.
	formats      []string
	output       string
	batchSize    int
	receivedFrom string
	receivedTo   string
	noOpen       bool
	agencies     []string
	procedures   []string
	asOf         string
	shard        string
	workers      int
}

// register adds the flags to cmd, whose --output takes one of formats, the first by default.
func (f *runFlags) register(cmd *cobra.Command, formats ...string) {
	fl := cmd.Flags()
	f.formats = formats
	fl.StringVarP(&f.output, "output", "o", formats[0], outputHelp(formats))
	fl.IntVar(&f.batchSize, "batch-size", 1000, "dossiers per batch and per transaction")
	fl.StringVar(&f.receivedFrom, "received-from", "", "first receipt date in scope, YYYY-MM-DD (default from the configuration: 2021-01-01)")
	fl.StringVar(&f.receivedTo, "received-to", "", "last receipt date in scope, YYYY-MM-DD, inclusive (default 2021-12-31)")
	fl.BoolVar(&f.noOpen, "no-open", false, "leave open dossiers received outside the date range out of scope")
	fl.StringSliceVar(&f.agencies, "agency", nil, "only these agency keys (repeat or comma-separate); a key the database lacks is an error")
	fl.StringSliceVar(&f.procedures, "procedure", nil, "only these procedure keys (repeat or comma-separate); a key the database lacks is an error")
	fl.StringVar(&f.asOf, "as-of", "", "the present moment for the overdue class, e.g. '2021-12-09 17:00' (default now)")
	fl.StringVar(&f.shard, "shard", "", "i/n: take only shard i of n of the key space (for n cooperating processes)")
	fl.IntVar(&f.workers, "workers", 1, "concurrent workers in this process, each over a part of the key range")
}

// apply puts the flags over the configuration and into the runner.
func (f *runFlags) apply(cfg *repair.Resolved, r *repair.Runner, g *globalFlags) error {
	if err := checkOutput(f.output, f.formats); err != nil {
		return err
	}
	if f.batchSize <= 0 {
		return usagef("a few hundred to a few thousand rows suit most servers", "--batch-size %d: must be at least 1", f.batchSize)
	}
	r.BatchSize = f.batchSize
	if f.workers < 1 || f.workers > 64 {
		return usagef("one worker per spare core of the database server is a good start", "--workers %d: use 1 to 64", f.workers)
	}
	r.Workers = f.workers
	g.workers = f.workers
	if f.receivedFrom != "" {
		d, err := rules.ParseDate(f.receivedFrom)
		if err != nil {
			return usagef("example: --received-from 2021-01-01", "--received-from: %v", err)
		}
		cfg.Scope.ReceivedFrom, cfg.ReceivedFrom = f.receivedFrom, d.In(cfg.Zone, 0)
	}
	if f.receivedTo != "" {
		d, err := rules.ParseDate(f.receivedTo)
		if err != nil {
			return usagef("example: --received-to 2021-12-31", "--received-to: %v", err)
		}
		cfg.Scope.ReceivedTo, cfg.ReceivedTo = f.receivedTo, d.AddDays(1).In(cfg.Zone, 0)
	}
	if !cfg.ReceivedFrom.IsZero() && !cfg.ReceivedTo.IsZero() && !cfg.ReceivedFrom.Before(cfg.ReceivedTo) {
		return usagef("the range is inclusive: --received-from must not be after --received-to",
			"empty receipt range %s .. %s", cfg.Scope.ReceivedFrom, cfg.Scope.ReceivedTo)
	}
	if f.noOpen {
		no := false
		cfg.Scope.IncludeOpen = &no
	}
	r.Agencies, r.Procedures = f.agencies, f.procedures
	if f.asOf != "" {
		t, err := rules.ParseReceived(f.asOf, cfg.Zone)
		if err != nil {
			return usagef("example: --as-of '2021-12-09 17:00'", "--as-of: %v", err)
		}
		r.AsOf = t
	}
	if f.shard != "" {
		var i, n int
		if _, err := fmt.Sscanf(f.shard, "%d/%d", &i, &n); err != nil || n < 1 || i < 1 || i > n {
			return usagef("example: --shard 2/4 for the second of four processes", "--shard %q: want i/n with 1 <= i <= n", f.shard)
		}
		r.Shard, r.ShardCount = i-1, n
	}
	return nil
}

// parseDuration reads a flag duration such as 200ms or 2h.
func parseFlagDuration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, usagef("examples: 500ms, 30s, 2h", "--%s %q: not a duration", name, v)
	}
	return d, nil
}

// scopeText describes the scope in one line for the reports.
func scopeText(cfg *repair.Resolved, r *repair.Runner) string {
	var parts []string
	if cfg.IncludeOpen() {
		parts = append(parts, "every open dossier")
	}
	if cfg.Scope.ReceivedFrom != "" || cfg.Scope.ReceivedTo != "" {
		parts = append(parts, fmt.Sprintf("dossiers received %s .. %s", orDash(cfg.Scope.ReceivedFrom), orDash(cfg.Scope.ReceivedTo)))
	}
	s := strings.Join(parts, " and ")
	if a := r.Agencies; len(a) > 0 {
		s += ", agencies " + strings.Join(a, ",")
	}
	if p := r.Procedures; len(p) > 0 {
		s += ", procedures " + strings.Join(p, ",")
	}
	if r.ShardCount > 1 {
		s += fmt.Sprintf(", shard %d/%d", r.Shard+1, r.ShardCount)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// openAudit opens the database for the commands that only read fixer's audit tables.
func openAudit(cmd *cobra.Command, g *globalFlags, output string) (*app, error) {
	if err := checkOutput(output, auditFormats); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, err
	}
	return openApp(cmd.Context(), cmd, g, cfg)
}
