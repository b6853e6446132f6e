package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// Clock is the time source of a Loop. RealClock is the wall clock; tests
// give a fake one.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// SleepUntil returns once the clock has reached t, or with ctx's error
	// when ctx is done first.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock is the system's wall clock.
type RealClock struct{}

var _ Clock = RealClock{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// maxNap bounds one wait of RealClock, so that a wall clock that jumps (a
// suspended machine, an NTP step) is noticed within that time.
const maxNap = time.Minute

// SleepUntil waits until the wall clock reads t or later. It waits in naps
// of at most a minute and reads the clock after each, because Go timers
// follow the monotonic clock, which stops while a machine sleeps.
func (RealClock) SleepUntil(ctx context.Context, t time.Time) error {
	for {
		d := time.Until(t)
		if d <= 0 {
			return nil
		}
		timer := time.NewTimer(min(d, maxNap))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// Job is one run of the scheduled work. Its error is logged; it does not
// stop the loop.
type Job func(ctx context.Context) error

// Loop runs a Job on a Schedule, one run at a time.
type Loop struct {
	Schedule *Schedule
	Job      Job
	// Clock defaults to RealClock.
	Clock Clock
	// Logger defaults to a logger that discards.
	Logger *slog.Logger
}

// ErrPanic wraps the value of a job that panicked.
var ErrPanic = errors.New("the run panicked")

// Run waits for each run time of the schedule and runs the job then, until
// ctx is cancelled, when it returns nil (after the run under way, if any,
// has returned: the job gets ctx and is expected to stop early). Runs never
// overlap: the next run time is computed when a run ends, so run times that
// passed during a long run are skipped, and logged as such. A run that
// fails or panics is logged and the loop goes on. Run returns an error only
// when the schedule has no next run time.
func (l *Loop) Run(ctx context.Context) error {
	clock := l.Clock
	if clock == nil {
		clock = RealClock{}
	}
	log := l.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	loc := l.Schedule.Location()
	from := clock.Now()
	for {
		next := l.Schedule.Next(from)
		if next.IsZero() {
			return fmt.Errorf("schedule %s: %w", l.Schedule, ErrNoNextRun)
		}
		log.Info("next run", "at", next.In(loc).Format(time.RFC3339), "schedule", l.Schedule.String())
		if err := clock.SleepUntil(ctx, next); err != nil {
			log.Info("scheduler stopped", "reason", err.Error())
			return nil
		}
		start := clock.Now()
		log.Info("run started", "scheduled", next.In(loc).Format(time.RFC3339))
		err := l.run(ctx, log)
		end := clock.Now()
		if err != nil {
			log.Error("run failed", "err", err.Error(), "duration", end.Sub(start).String())
		} else {
			log.Info("run finished", "duration", end.Sub(start).String())
		}
		if ctx.Err() != nil {
			log.Info("scheduler stopped", "reason", ctx.Err().Error())
			return nil
		}
		if missed := countMissed(l.Schedule, next, end); missed > 0 {
			log.Warn("run times skipped while a run was under way", "skipped", missed)
		}
		from = end
		if from.Before(next) {
			// A clock set back during the run must not make the same
			// slot run twice.
			from = next
		}
	}
}

// run runs the job once, turning a panic into an error; the stack goes to
// the debug log.
func (l *Loop) run(ctx context.Context, log *slog.Logger) (err error) {
	defer func() {
		if v := recover(); v != nil {
			log.Debug("panic", "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", ErrPanic, v)
		}
	}()
	return l.Job(ctx)
}

// countMissed counts the run times after done and up to end (inclusive),
// which a run from done to end kept from happening; it stops counting at 1000.
func countMissed(s *Schedule, done, end time.Time) int {
	n := 0
	for t := s.Next(done); !t.IsZero() && !t.After(end) && n < 1000; t = s.Next(t) {
		n++
	}
	return n
}
