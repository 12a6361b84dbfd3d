package main

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"fixer/internal/db"
	"fixer/internal/seed"
)

// seedFlags are the flags of "fixer seed".
type seedFlags struct {
	dossiers int
	year     int
	seed     uint64
	replace  bool
}

func newSeedCmd(g *globalFlags) *cobra.Command {
	f := &seedFlags{}
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Fill a database with a deterministic synthetic province to try fixer on",
		Long: `Create the reference one-stop-shop schema and fill it with a synthetic province:
about twenty provincial departments, seven district People's Committees, a few hundred
procedures and a year of dossiers whose stored deadlines are those the legacy system computed
(counted in hours, not rounded). The same --seed and --dossiers give the same data.

The default size reproduces, for 2021, the counts of the provincial letter of December 2021:
about 1,500 dossiers resolved late and about 120 open and overdue on 2021-12-09 at 17:00.

A database whose reference tables hold rows is refused; --replace drops the five reference
tables (agencies, procedures, procedure_steps, dossiers, dossier_steps), and no other, first.`,
		Example: `  fixer seed --dsn sqlite:demo.db
  fixer seed --dsn postgres://fixer@127.0.0.1/demo --dossiers 1000000 --replace`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSeed(cmd, g, f)
		},
	}
	cmd.Flags().IntVar(&f.dossiers, "dossiers", seed.DefaultDossiers, "number of dossiers to generate")
	cmd.Flags().IntVar(&f.year, "year", seed.DefaultYear, "year the dossiers are received in")
	cmd.Flags().Uint64Var(&f.seed, "seed", seed.DefaultSeed, "seed of the random generator")
	cmd.Flags().BoolVar(&f.replace, "replace", false,
		"drop the five reference tables first when they hold rows")
	return cmd
}

func runSeed(cmd *cobra.Command, g *globalFlags, f *seedFlags) error {
	opts := seed.Options{Dossiers: f.dossiers, Year: f.year, Seed: f.seed}
	if f.dossiers <= 0 {
		return usagef("example: fixer seed --dossiers 50000", "--dossiers %d: want a positive number",
			f.dossiers)
	}
	if f.year < seed.MinYear || f.year > seed.MaxYear {
		return usagef("example: fixer seed --year 2021", "--year %d: want a year from %d to %d",
			f.year, seed.MinYear, seed.MaxYear)
	}
	dsn, err := g.resolveDSN()
	if err != nil {
		return err
	}

	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))

	ctx := cmd.Context()
	conn, err := db.Open(ctx, dsn, db.Options{Create: true})
	if err != nil {
		if errors.Is(err, db.ErrBadDSN) {
			return asUsage(err, "example: fixer seed --dsn sqlite:fixer-demo.db")
		}
		return err
	}
	defer conn.Close()

	sum, err := seed.Run(ctx, conn, opts, f.replace)
	switch {
	case errors.Is(err, seed.ErrNotEmpty):
		return asUsage(fmt.Errorf("%s: %w", conn.Name, err),
			"pass --replace to drop the five reference tables and seed again")
	case err != nil:
		return fmt.Errorf("seed %s: %w", conn.Name, err)
	}
	fmt.Fprint(cmd.OutOrStdout(), sum.String())
	return nil
}
