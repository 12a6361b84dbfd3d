package main

import (
	"errors"
	"fmt"
)

// usageError is a mistake in the command line or the configuration: exit code 2.
type usageError struct {
	err  error
	hint string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error with a one-line hint of what to try.
func usagef(hint, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), hint: hint}
}

// asUsage marks err as a usage or configuration error.
func asUsage(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &usageError{err: err, hint: hint}
}

var (
	// errLocked: another run holds the database lock (exit 3).
	errLocked = errors.New("another fixer run holds the lock")
	// errConflicts: a rollback left rows that changed since the run (exit 4).
	errConflicts = errors.New("rollback found conflicts")
)
