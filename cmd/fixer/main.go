// Command fixer repairs the deadline data of a Vietnamese one-stop-shop database: it rewrites the
// deadline configuration of procedures, recomputes the appointment and processing deadlines of
// dossiers by the working calendar, audits every change and can roll any run back.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"fixer/internal/db"
	"fixer/repair"
)

// Exit codes, documented in README.md.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitLocked   = 3
	exitConflict = 4
	exitStopped  = 5
)

func main() {
	if os.Getenv("GOGC") == "" {
		// A run's live heap is small (a page or two of rows per worker) and most of what it
		// allocates dies young: collecting at three times the live heap instead of twice halves
		// the time spent collecting.
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// ... and above 64 MiB the collector works harder rather than let the heap grow, which
		// keeps the peak well under 100 MB with several workers (make bench measures it).
		debug.SetMemoryLimit(64 << 20)
	}
	err := newRootCmd().Execute()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints the error of a command to w and maps it to the process exit code. Only main
// decides exit codes.
func exitCode(err error, w io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(w, "fixer:", err)

	var ue *usageError
	switch {
	case errors.As(err, &ue):
		if ue.hint != "" {
			fmt.Fprintln(w, ue.hint)
		}
		return exitUsage
	case errors.Is(err, repair.ErrConfig), errors.Is(err, db.ErrBadDSN),
		errors.Is(err, repair.ErrNoChangeset), errors.Is(err, repair.ErrNoAudit), errors.Is(err, repair.ErrRolledBack):
		return exitUsage
	case errors.Is(err, repair.ErrLocked):
		return exitLocked
	case errors.Is(err, repair.ErrConflicts):
		return exitConflict
	case errors.Is(err, errStopped):
		return exitStopped
	}
	return exitFailed
}
