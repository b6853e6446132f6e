// Package retry tries an operation again after a transient failure: a
// bounded number of attempts, an exponential wait between them (capped,
// with jitter if asked), never a wait that would leave no time before the
// context's deadline, and none at all once the context is done. The Google
// Sheets reader and the SMTP sender share it; what counts as transient is
// theirs to say.
//
// It imports the standard library and gax-go only, so that any package may
// use it.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/googleapis/gax-go/v2"
)

// Why Do stopped trying though the last attempt asked for another.
var (
	// ErrAttempts: the policy's attempts are all made.
	ErrAttempts = errors.New("no attempt left")
	// ErrNoTime: the wait before the next attempt would leave too little
	// time before the context's deadline.
	ErrNoTime = errors.New("no time left to try again before the deadline")
)

// maxShift bounds the doublings of the wait, so that it never overflows.
const maxShift = 16

// Exponential returns a backoff: the wait after the n-th failed attempt
// (n from 1) is base doubled n-1 times, at most limit (no limit when 0).
// With jitter, a random half of it is taken off ("equal jitter"), so that
// clients failing together do not retry together.
func Exponential(base, limit time.Duration, jitter bool) func(n int) time.Duration {
	return func(n int) time.Duration {
		d := base << min(max(n-1, 0), maxShift)
		if limit > 0 && d > limit {
			d = limit
		}
		if !jitter {
			return d
		}
		half := d / 2
		return half + rand.N(half+1)
	}
}

// Policy is how an operation is tried again.
type Policy struct {
	// Attempts is how many times the operation runs at most, the first
	// included; below 1 means once.
	Attempts int
	// Backoff returns the wait after the n-th failed attempt (n from 1);
	// nil means no wait.
	Backoff func(n int) time.Duration
	// Reserve is the least time an attempt needs: Do does not wait when the
	// wait would leave no more than Reserve before the context's deadline.
	Reserve time.Duration
	// OnRetry, when not nil, is called before each wait with the number of
	// the attempt that failed and the wait: the place to log it.
	OnRetry func(n int, wait time.Duration)
	// Sleep waits d or until ctx is done, and then returns ctx's error;
	// nil means gax.Sleep. Tests replace it so that retries take no time.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Do calls attempt with n = 1, 2, … until it returns false (the operation
// succeeded, or failed in a way that trying again cannot fix) or the
// policy stops it. It returns the number of attempts made and nil when
// attempt returned false; otherwise why it stopped: ErrAttempts,
// ErrNoTime, or ctx's error when ctx ended after an attempt or during a
// wait.
func (p Policy) Do(ctx context.Context, attempt func(n int) (again bool)) (int, error) {
	sleep := p.Sleep
	if sleep == nil {
		sleep = gax.Sleep
	}
	for n := 1; ; n++ {
		if !attempt(n) {
			return n, nil
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if n >= p.Attempts {
			return n, ErrAttempts
		}
		var wait time.Duration
		if p.Backoff != nil {
			wait = p.Backoff(n)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait+p.Reserve {
			return n, ErrNoTime
		}
		if p.OnRetry != nil {
			p.OnRetry(n, wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return n, err
		}
	}
}
