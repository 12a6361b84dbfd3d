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
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/lib/pq"

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

// readOnly reports whether err is the server refusing a write in a read-only session.
func readOnly(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "25006" // read_only_sql_transaction
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		// 1792: a READ ONLY transaction; 1290: the server runs with --read-only (or another
		// option, which its message names).
		return me.Number == 1792 || me.Number == 1290 && strings.Contains(strings.ToLower(me.Message), "read")
	}
	return false
}

// exitCode prints the error of a command to w and maps it to the process exit code. Only main
// decides exit codes.
func exitCode(err error, w io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(w, "fixer:", err)
	if readOnly(err) {
		fmt.Fprintln(w, "the database session is read-only (default_transaction_read_only set for the database "+
			"or the role, a standby, or a server in read_only mode): plan works so; apply, rollback and migrate "+
			"need a session that can write, on the primary")
	}

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
