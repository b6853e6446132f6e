package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"copsync/job"
	"copsync/notify"
	"copsync/sync"
)

// TestExitCodeOfJobErrors checks the one switch against what job.Runner
// returns: the job says what went wrong, the command picks the code.
func TestExitCodeOfJobErrors(t *testing.T) {
	source := &sync.SourceError{Source: "members", File: "members.xlsx", Err: sync.ErrNotFound}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"another run holds the lock", fmt.Errorf("%w (it holds state/copsync.lock)", notify.ErrLocked), exitLocked},
		{"a run date before the last run's", &job.UsageError{Err: errors.New("the run date is before the last run's")}, exitUsage},
		{"a source unread", errors.Join(source), exitSource},
		{"a snapshot incomplete names the source it could not copy", &job.DeliveryError{Err: fmt.Errorf("snapshot incomplete: %w", source)}, exitDelivery},
		{"an e-mail refused", &job.DeliveryError{Err: notify.ErrUndelivered}, exitDelivery},
		{"the state cannot be saved", errors.New("save state: disk full"), exitFailure},
		{"an interruption", &interruptedError{cause: context.Canceled}, exitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}
