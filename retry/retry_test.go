package retry

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestExponential(t *testing.T) {
	const s, m = time.Second, time.Minute
	tests := []struct {
		name        string
		base, limit time.Duration
		n           []int
		want        []time.Duration
	}{
		{"SMTP: 30 s doubling to 4 min", 30 * s, 4 * m, []int{1, 2, 3, 4, 5, 6, 70},
			[]time.Duration{30 * s, m, 2 * m, 4 * m, 4 * m, 4 * m, 4 * m}},
		{"no limit", 2 * s, 0, []int{1, 2, 3, 5},
			[]time.Duration{2 * s, 4 * s, 8 * s, 32 * s}},
		{"doublings bounded, no overflow", 2 * s, 0, []int{17, 18, 1000},
			[]time.Duration{2 * s << 16, 2 * s << 16, 2 * s << 16}},
		{"n below 1 is the first wait", 3 * s, 0, []int{0, -5},
			[]time.Duration{3 * s, 3 * s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Exponential(tt.base, tt.limit, false)
			for i, n := range tt.n {
				if got := b(n); got != tt.want[i] {
					t.Errorf("wait after attempt %d: %v, want %v", n, got, tt.want[i])
				}
			}
		})
	}
}

// TestExponentialJitter: with jitter, each wait is between half the full
// wait and the full wait, and the waits differ from one call to the next.
func TestExponentialJitter(t *testing.T) {
	full := Exponential(time.Second, 20*time.Second, false)
	jit := Exponential(time.Second, 20*time.Second, true)
	for n := 1; n <= 8; n++ {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := jit(n)
			if d < full(n)/2 || d > full(n) {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", n, d, full(n)/2, full(n))
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("attempt %d: 200 jittered waits all equal %v", n, full(n))
		}
	}
}

// script is what the attempts of a test answer: true asks for another.
type script []bool

func (s script) attempt(calls *int) func(int) bool {
	return func(n int) bool {
		*calls = n
		return n <= len(s) && s[n-1]
	}
}

func TestDo(t *testing.T) {
	backoff := Exponential(time.Second, 0, false)
	tests := []struct {
		name     string
		policy   Policy
		deadline time.Duration // 0: none
		answers  script
		// cancelAt cancels the context during that attempt (0: never);
		// cancelInWait during that wait.
		cancelAt, cancelInWait int
		wantN                  int
		wantErr                error
		wantWaits              []time.Duration
	}{
		{name: "success at once", policy: Policy{Attempts: 5, Backoff: backoff},
			answers: script{false}, wantN: 1},
		{name: "transient twice then success", policy: Policy{Attempts: 5, Backoff: backoff},
			answers: script{true, true, false}, wantN: 3, wantWaits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "permanent failure not retried", policy: Policy{Attempts: 5, Backoff: backoff},
			answers: script{false}, wantN: 1},
		{name: "attempts exhausted", policy: Policy{Attempts: 3, Backoff: backoff},
			answers: script{true, true, true, true}, wantN: 3, wantErr: ErrAttempts,
			wantWaits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "no attempts set means once", policy: Policy{Backoff: backoff},
			answers: script{true}, wantN: 1, wantErr: ErrAttempts},
		{name: "no backoff means no wait", policy: Policy{Attempts: 2},
			answers: script{true, true}, wantN: 2, wantErr: ErrAttempts, wantWaits: []time.Duration{0}},
		{name: "wait would pass the deadline", policy: Policy{Attempts: 5, Backoff: Exponential(time.Hour, 0, false)},
			deadline: time.Minute, answers: script{true, true}, wantN: 1, wantErr: ErrNoTime},
		{name: "wait leaves less than the reserve", policy: Policy{Attempts: 5, Backoff: Exponential(30*time.Second, 0, false), Reserve: time.Minute},
			deadline: 80 * time.Second, answers: script{true, true}, wantN: 1, wantErr: ErrNoTime},
		{name: "second wait would pass the deadline", policy: Policy{Attempts: 5, Backoff: Exponential(time.Minute, 0, false)},
			deadline: 100 * time.Second, answers: script{true, true, true}, wantN: 2, wantErr: ErrNoTime,
			wantWaits: []time.Duration{time.Minute}},
		{name: "time enough before the deadline", policy: Policy{Attempts: 5, Backoff: backoff, Reserve: time.Second},
			deadline: time.Hour, answers: script{true, false}, wantN: 2, wantWaits: []time.Duration{time.Second}},
		{name: "cancelled during an attempt", policy: Policy{Attempts: 5, Backoff: backoff},
			answers: script{true, true}, cancelAt: 1, wantN: 1, wantErr: context.Canceled},
		{name: "cancelled during a wait", policy: Policy{Attempts: 5, Backoff: backoff},
			answers: script{true, true, true}, cancelInWait: 2, wantN: 2, wantErr: context.Canceled,
			wantWaits: []time.Duration{time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			if tt.deadline > 0 {
				ctx, cancel = context.WithTimeout(context.Background(), tt.deadline)
			}
			defer cancel()
			var waits, logged []time.Duration
			p := tt.policy
			p.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				if len(waits) == tt.cancelInWait {
					cancel()
				}
				return ctx.Err()
			}
			p.OnRetry = func(n int, d time.Duration) {
				if n != len(logged)+1 {
					t.Errorf("OnRetry for attempt %d, want %d", n, len(logged)+1)
				}
				logged = append(logged, d)
			}
			calls := 0
			ask := tt.answers.attempt(&calls)
			n, err := p.Do(ctx, func(n int) bool {
				again := ask(n)
				if n == tt.cancelAt {
					cancel()
				}
				return again
			})
			if n != tt.wantN || calls != tt.wantN || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Do = %d, %v after %d calls; want %d, %v", n, err, calls, tt.wantN, tt.wantErr)
			}
			if !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("waits %v, want %v", waits, tt.wantWaits)
			}
			if !slices.Equal(logged, tt.wantWaits) {
				t.Errorf("OnRetry saw %v, want %v", logged, tt.wantWaits)
			}
		})
	}
}

// TestDoRealSleepCancelled: without a Sleep hook, Do waits with gax.Sleep,
// which a cancelled context ends at once rather than after the hour.
func TestDoRealSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := Policy{Attempts: 2, Backoff: Exponential(time.Hour, 0, false), OnRetry: func(int, time.Duration) { cancel() }}
	n, err := p.Do(ctx, func(int) bool { return true })
	if n != 1 || !errors.Is(err, context.Canceled) {
		t.Errorf("Do = %d, %v; want 1, context.Canceled", n, err)
	}
}
