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

// errStopped: a run stopped on request (a signal, --max-runtime) before the end: exit 5. What
// it committed is complete; stopped wraps it with how the command finishes the rest.
var errStopped = errors.New("stopped before the end")

// stopped returns errStopped with what finishes the rest of a stopped command.
func stopped(command string) error {
	switch command {
	case "apply":
		return fmt.Errorf("%w: apply --resume finishes the rest in the same changeset (a plain apply would start a second one); give it the same --reason and the same scope flags (--agency, --procedure, --received-from, --received-to, --no-open, --shard, --config) as this run", errStopped)
	case "rollback":
		return fmt.Errorf("%w: run the same rollback again to finish it", errStopped)
	}
	return fmt.Errorf("%w: run %s again, with a longer --max-runtime or none, for the whole result", errStopped, command)
}
