package repair

import (
	"crypto/rand"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// transientMarks are driver messages and codes of failures that a retry of the whole batch
// cures: deadlocks, lock-wait limits, serialization failures, busy SQLite files and lost
// connections.
var transientMarks = []string{
	"deadlock", "40P01", "40001", "55P03", "lock timeout", "lock_timeout", "could not obtain lock",
	"Error 1213", "Error 1205", "Lock wait timeout", "SQLITE_BUSY", "database is locked",
	"bad connection", "invalid connection", "connection reset", "broken pipe", "unexpected EOF",
	"connection refused", "server closed the connection", "restart transaction",
}

// Transient reports whether err is worth retrying the batch for.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) {
		return true
	}
	msg := err.Error()
	for _, m := range transientMarks {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// newRunID returns a random identifier linking the changesets of one run.
func newRunID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
