package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"copsync/config"
	"copsync/sync"
)

// The exit codes, documented in the README.
const (
	exitOK       = 0 // the job ran
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage or configuration error
	exitSource   = 3 // a source could not be read
	exitDelivery = 4 // a report or notification could not be delivered
	exitLocked   = 5 // another copsync run holds the lock
	exitFailure  = 6 // any other failure (state directory, disk, deadline…)
	// exitInterrupted is 128 + SIGINT, as shells report a process ended
	// by Ctrl-C; copsync uses it for SIGTERM too.
	exitInterrupted = 130
)

// interruptedError is a command stopped by SIGINT or SIGTERM.
type interruptedError struct{ cause error }

func (e *interruptedError) Error() string {
	return "interrupted: the run stopped at a signal; what it had not finished was left as it was before"
}
func (e *interruptedError) Unwrap() error { return e.cause }

// usageError is a command line that cannot work.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// deliveryError is a report or notification that could not be delivered.
type deliveryError struct{ err error }

func (e *deliveryError) Error() string { return e.err.Error() }
func (e *deliveryError) Unwrap() error { return e.err }

// findingsError says that findings reached the --fail-on threshold; its
// message has been printed already.
type findingsError struct{ n int }

func (e *findingsError) Error() string {
	return fmt.Sprintf("%d finding(s) at or above the --fail-on severity", e.n)
}

// codedError carries an explicit exit code.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// exitCode maps an error to the process exit code: the one place where
// they are decided.
func exitCode(err error) int {
	var (
		ue *usageError
		ce *config.Error
		se *sync.SourceError
		de *deliveryError
		fe *findingsError
		xe *codedError
		ie *interruptedError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ie):
		return exitInterrupted
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &fe):
		return exitFindings
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	case errors.As(err, &se):
		return exitSource
	case errors.As(err, &de):
		return exitDelivery
	}
	return exitFailure
}

// report prints err on one line, prefixed with the program name.
func reportError(w io.Writer, err error) {
	var fe *findingsError
	if errors.As(err, &fe) {
		return
	}
	var ce *config.Error
	if errors.As(err, &ce) && len(ce.Problems) > 0 {
		// A configuration's problems, one line each.
		for _, p := range ce.Problems {
			fmt.Fprintln(w, "copsync: "+oneLine(p))
		}
		return
	}
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintln(w, "copsync: "+msg)
}
