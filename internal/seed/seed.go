// Package seed fills a database with a deterministic synthetic province: the reference
// one-stop-shop schema, about twenty provincial departments and seven district People's
// Committees, a few hundred procedures and a year of dossiers whose stored deadlines are those
// the legacy system computed (hour counting, no rounding). It gives the repair something
// realistic to work on, and the tests something to check it against.
//
// The same [Options] always produce the same rows, byte for byte. Rows are generated and
// written as a stream, so memory does not grow with the number of dossiers.
package seed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"fixer/internal/db"
	"fixer/rules"
)

// DefaultDossiers is the default number of dossiers: a province of about a million people
// whose portal receives some 50,000 dossiers a year at the provincial and district levels.
// With [DefaultSeed] and the year 2021 it reproduces, within a few percent, the counts of the
// provincial letter of December 2021 under the stored deadlines: about 1,500 dossiers resolved
// late (four in five of them late by hours only) and about 120 open and overdue on
// 2021-12-09 at 17:00.
const DefaultDossiers = 50000

// DefaultYear is the year seeded when none is given: the year of the letter.
const DefaultYear = 2021

// DefaultSeed is the seed of the random generator when none is given.
const DefaultSeed uint64 = 1

// Bounds of Options.Year, those of the working calendar.
const (
	MinYear = 1990
	MaxYear = 2100
)

// batchSize is the number of dossiers written per transaction, with their steps: a few
// thousand rows.
const batchSize = 2000

var (
	// ErrNotEmpty is returned when the reference tables already hold rows and replace is false.
	ErrNotEmpty = errors.New("the database already holds one-stop-shop data")
	// ErrBadOptions is returned for options out of range; the error names the value.
	ErrBadOptions = errors.New("invalid seed options")
)

// Options choose the synthetic province.
type Options struct {
	// Dossiers is the number of dossiers, ids 1 to Dossiers; it must be positive.
	Dossiers int
	// Year is the year the dossiers are received in, from MinYear to MaxYear.
	Year int
	// Seed selects the random sequence; the same seed and size give the same data.
	Seed uint64
	// Logger receives a line at the start and the end, and one per batch at debug level.
	// Nil discards them.
	Logger *slog.Logger
}

// Validate reports options out of range with an error wrapping ErrBadOptions.
func (o Options) Validate() error {
	if o.Dossiers <= 0 {
		return fmt.Errorf("%w: dossiers %d: want a positive number", ErrBadOptions, o.Dossiers)
	}
	if o.Year < MinYear || o.Year > MaxYear {
		return fmt.Errorf("%w: year %d: want %d to %d", ErrBadOptions, o.Year, MinYear, MaxYear)
	}
	return nil
}

// Run creates the reference schema in conn and fills it with the province chosen by opts.
//
// When the reference tables already hold rows Run returns [ErrNotEmpty], unless replace, in
// which case it first drops the five reference tables (agencies, procedures, procedure_steps,
// dossiers, dossier_steps) and no other. Dossiers are written a few thousand rows per
// transaction; on error, the rows already committed stay, and a new run needs replace.
func Run(ctx context.Context, conn *db.DB, opts Options, replace bool) (Summary, error) {
	if err := opts.Validate(); err != nil {
		return Summary{}, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	began := time.Now()
	log.Info("seed start", "db", conn.Name, "dossiers", opts.Dossiers, "year", opts.Year,
		"seed", opts.Seed, "replace", replace)

	cal := rules.Default()
	r := rand.New(rand.NewPCG(opts.Seed, 0x6f6e652d73746f70)) // stream: "one-stop"
	cat, err := buildCatalog(r)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{
		Year: opts.Year, Seed: opts.Seed, AsOf: asOfFor(opts.Year, cal.Zone()),
		Agencies: len(cat.agencies), Procedures: len(cat.procs), BadProcedures: len(cat.bad),
		ProcedureSteps: cat.steps,
	}

	if err := prepareSchema(ctx, conn, replace); err != nil {
		return Summary{}, err
	}
	l := &loader{conn: conn}
	if err := l.writeCatalog(ctx, cat); err != nil {
		return Summary{}, err
	}

	gen := newGenerator(cal, cat, opts, r, &sum)
	if err := stream(ctx, gen, l, opts.Dossiers, log, &sum); err != nil {
		return Summary{}, err
	}

	log.Info("seed done", "dossiers", sum.Dossiers, "steps", sum.DossierSteps,
		"late", sum.Late(), "overdue", sum.Overdue, "elapsed", time.Since(began).Round(time.Millisecond))
	return sum, nil
}

// stream generates the dossiers in one goroutine and writes them in this one, batch by batch,
// with two batches in flight so that generation and writing overlap.
func stream(ctx context.Context, gen *generator, l *loader, n int, log *slog.Logger,
	sum *Summary) error {

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	const inFlight = 2
	free := make(chan *batch, inFlight+1)
	for range inFlight + 1 {
		free <- &batch{
			dossiers: make([]dossierRow, 0, batchSize),
			steps:    make([]stepRow, 0, 4*batchSize),
		}
	}
	full := make(chan *batch, inFlight)
	genErr := make(chan error, 1)

	go func() {
		defer close(full)
		for done := 0; done < n; {
			var b *batch
			select {
			case b = <-free:
			case <-ctx.Done():
				genErr <- ctx.Err()
				return
			}
			b.dossiers, b.steps = b.dossiers[:0], b.steps[:0]
			for k := min(batchSize, n-done); k > 0; k-- {
				if err := gen.next(b); err != nil {
					genErr <- err
					return
				}
			}
			done += len(b.dossiers)
			full <- b
		}
		genErr <- nil
	}()

	var dossiers, steps int64
	for b := range full {
		if err := l.writeBatch(ctx, b); err != nil {
			cancel()
			for range full {
			}
			return err
		}
		dossiers += int64(len(b.dossiers))
		steps += int64(len(b.steps))
		log.Debug("seed batch", "dossiers", dossiers, "steps", steps)
		free <- b
	}
	if err := <-genErr; err != nil {
		return fmt.Errorf("generate dossiers: %w", err)
	}
	sum.Dossiers, sum.DossierSteps = dossiers, steps
	return nil
}
