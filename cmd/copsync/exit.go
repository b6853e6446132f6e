package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"copsync/config"
	"copsync/job"
	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
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

// usageError is a command line or configuration that cannot work; the
// job says the same of a run it refuses (a run date before the last run's).
type usageError = job.UsageError

func usagef(format string, a ...any) error { return &usageError{Err: fmt.Errorf(format, a...)} }

// deliveryError is a report, snapshot or notification that could not be
// delivered.
type deliveryError = job.DeliveryError

// findingsError says that findings reached the --fail-on threshold; its
// message has been printed already.
type findingsError struct{ n int }

func (e *findingsError) Error() string {
	return fmt.Sprintf("%d finding(s) at or above the --fail-on severity", e.n)
}

// exitCode maps an error to the process exit code: the one place where
// they are decided.
func exitCode(err error) int {
	var (
		ue *usageError
		ce *config.Error
		se *sync.SourceError
		de *deliveryError
		fe *findingsError
		ie *interruptedError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ie):
		return exitInterrupted
	case errors.Is(err, notify.ErrLocked):
		return exitLocked
	case errors.As(err, &fe):
		return exitFindings
	case errors.As(err, &de):
		// Before the source errors: a snapshot incomplete wraps the
		// source that could not be copied, while the sources were read.
		return exitDelivery
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	case errors.As(err, &se):
		return exitSource
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
			fmt.Fprintln(w, "copsync: "+validate.OneLine(p))
		}
		return
	}
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintln(w, "copsync: "+msg)
}
