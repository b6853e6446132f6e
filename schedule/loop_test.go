package schedule

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose time moves only when the test says so. Each
// SleepUntil hands the test a wait, which the test releases after setting
// the time.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan *wait
}

type wait struct {
	until time.Time
	wake  chan struct{}
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, waits: make(chan *wait)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	w := &wait{until: t, wake: make(chan struct{})}
	select {
	case c.waits <- w:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-w.wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// next returns the loop's next wait; it fails the test if the loop stopped
// waiting altogether (a guard against a hang, not a timing assertion).
func (c *fakeClock) next(t *testing.T, done <-chan error) *wait {
	t.Helper()
	select {
	case w := <-c.waits:
		return w
	case err := <-done:
		t.Fatalf("the loop returned (%v) instead of waiting", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the loop neither waited nor returned")
	}
	return nil
}

// syncBuffer is a log destination safe for the loop's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLoopAcrossDaylightSaving drives the loop with a fake clock over the
// spring change in Toronto: it wakes at 06:00 local each day (23 hours apart
// across the change), survives a failing and a panicking run, skips the run
// times a long run overlapped instead of running twice at once, and stops on
// cancel.
func TestLoopAcrossDaylightSaving(t *testing.T) {
	loc := toronto(t)
	clk := newFakeClock(time.Date(2026, 3, 6, 12, 0, 0, 0, loc))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		mu      sync.Mutex
		running int
		overlap bool
		ranAt   []time.Time
	)
	behaviours := []func() error{
		func() error { return errors.New("source unreadable") },
		func() error { panic("bad state") },
		func() error {
			// A run that lasts until after the next two run times.
			clk.set(time.Date(2026, 3, 11, 7, 0, 0, 0, loc))
			return nil
		},
		func() error { return nil },
	}
	job := func(ctx context.Context) error {
		mu.Lock()
		running++
		if running > 1 {
			overlap = true
		}
		i := len(ranAt)
		ranAt = append(ranAt, clk.Now())
		mu.Unlock()
		defer func() {
			mu.Lock()
			running--
			mu.Unlock()
		}()
		return behaviours[i]()
	}
	var logs syncBuffer
	l := &Loop{
		Schedule: MustParse("0 6 * * *", "America/Toronto"),
		Job:      job,
		Clock:    clk,
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
	}
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()

	wantWaits := []time.Time{
		time.Date(2026, 3, 7, 11, 0, 0, 0, time.UTC), // 06:00 EST
		time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC), // 06:00 EDT, 23 h later
		time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC), // 10th and 11th overlapped by the long run
	}
	for i, want := range wantWaits {
		w := clk.next(t, done)
		if !w.until.Equal(want) {
			t.Fatalf("wait %d until %s (%s), want %s", i+1, w.until, w.until.UTC(), want)
		}
		if h, m, _ := w.until.In(loc).Clock(); h != 6 || m != 0 {
			t.Errorf("wait %d at %02d:%02d local, want 06:00", i+1, h, m)
		}
		clk.set(w.until)
		close(w.wake)
	}
	// The loop is waiting for 13 March after the fourth run: stop it.
	w := clk.next(t, done)
	if want := time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC); !w.until.Equal(want) {
		t.Errorf("fifth wait until %s, want %s", w.until.UTC(), want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after cancel, want nil", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(ranAt) != 4 {
		t.Fatalf("%d runs, want 4", len(ranAt))
	}
	for i, want := range wantWaits {
		if !ranAt[i].Equal(want) {
			t.Errorf("run %d at %s, want %s", i+1, ranAt[i].UTC(), want)
		}
	}
	if overlap {
		t.Error("two runs overlapped")
	}
	out := logs.String()
	for _, want := range []string{
		"source unreadable",
		"the run panicked: bad state",
		"skipped=2",
		"next run",
		"at=2026-03-08T06:00:00-04:00",
		"scheduler stopped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "goroutine ") {
		t.Errorf("a stack trace reached the info log:\n%s", out)
	}
}

// TestLoopCancelDuringRun cancels while a run is under way: the loop waits
// for the run to return, then stops without starting another.
func TestLoopCancelDuringRun(t *testing.T) {
	clk := newFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	var runs int
	var sawCancel bool
	l := &Loop{
		Schedule: MustParse("*/5 * * * *", "UTC"),
		Clock:    clk,
		Job: func(ctx context.Context) error {
			runs++
			close(started)
			<-ctx.Done()
			sawCancel = true
			return ctx.Err()
		},
	}
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	w := clk.next(t, done)
	clk.set(w.until)
	close(w.wake)
	<-started
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if runs != 1 || !sawCancel {
		t.Errorf("runs = %d, job saw cancel = %v; want 1 run that saw the cancel", runs, sawCancel)
	}
}

func TestRealClockSleepUntil(t *testing.T) {
	var c RealClock
	if err := c.SleepUntil(context.Background(), c.Now().Add(-time.Second)); err != nil {
		t.Errorf("a time already past: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.SleepUntil(ctx, c.Now().Add(time.Hour)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}
