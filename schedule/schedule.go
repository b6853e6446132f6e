package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the zone database, for containers that lack /usr/share/zoneinfo

	"github.com/robfig/cron/v3"
)

// The defaults of the schedule configuration.
const (
	DefaultCron     = "0 6 * * *"
	DefaultTimezone = "America/Toronto"
)

// ErrNoNextRun is returned when a schedule has no run in the next five
// years (e.g. "0 0 30 2 *", the 30th of February).
var ErrNoNextRun = errors.New("the schedule has no next run time")

// Schedule is a cron expression evaluated in a time zone.
type Schedule struct {
	spec  string
	loc   *time.Location
	sched cron.Schedule
}

// Error is a schedule setting that cannot work. Field is the setting at
// fault: "cron" (the expression) or "timezone".
type Error struct {
	Field string
	Err   error
}

// Error returns the problem, without the field's name.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error (ErrNoNextRun, a parse error).
func (e *Error) Unwrap() error { return e.Err }

// Parse parses a standard five-field cron expression ("0 6 * * *") or a
// descriptor ("@daily", "@every 1h") to be evaluated in the IANA time zone
// tz ("America/Toronto"). The time zone belongs in tz, not in the
// expression. Each problem is an *Error naming its field; when both the
// expression and the zone are wrong, the error joins both.
func Parse(spec, tz string) (*Schedule, error) {
	var tzErr error
	loc := time.UTC
	switch {
	case strings.TrimSpace(tz) == "":
		tzErr = &Error{"timezone", errors.New("the time zone is empty")}
	default:
		l, err := time.LoadLocation(tz)
		if err != nil {
			tzErr = &Error{"timezone", fmt.Errorf("unknown time zone %q (want an IANA name such as America/Toronto)", tz)}
		} else {
			loc = l
		}
	}
	sch, cronErr := parseCron(strings.TrimSpace(spec), loc)
	if tzErr != nil || cronErr != nil {
		return nil, errors.Join(tzErr, cronErr)
	}
	return sch, nil
}

// parseCron parses the expression for the zone loc.
func parseCron(spec string, loc *time.Location) (*Schedule, error) {
	bad := func(err error) error { return &Error{"cron", err} }
	if spec == "" {
		return nil, bad(errors.New("the cron expression is empty"))
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, bad(fmt.Errorf("cron expression %q: give the time zone in schedule.timezone, not in the expression", spec))
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, bad(fmt.Errorf("cron expression %q: %w", spec, err))
	}
	if ss, ok := s.(*cron.SpecSchedule); ok {
		ss.Location = loc
	}
	sch := &Schedule{spec: spec, loc: loc, sched: s}
	if sch.Next(time.Now()).IsZero() {
		return nil, bad(fmt.Errorf("cron expression %q: %w", spec, ErrNoNextRun))
	}
	return sch, nil
}

// MustParse is Parse for expressions known to be valid; it panics on error.
func MustParse(spec, tz string) *Schedule {
	s, err := Parse(spec, tz)
	if err != nil {
		panic(err)
	}
	return s
}

// Next returns the first run time strictly after t, in the schedule's time
// zone, or the zero time when there is none in the next five years.
//
// Around daylight-saving changes a wall-clock schedule runs once a day, as
// cron does: a run time that the spring change skips (02:30 when clocks go
// from 02:00 to 03:00) runs at the change, and a run time that the autumn
// change repeats (01:30 twice) runs only the first time.
func (s *Schedule) Next(t time.Time) time.Time {
	t = t.In(s.loc)
	ss, ok := s.sched.(*cron.SpecSchedule)
	if !ok {
		return s.sched.Next(t).In(s.loc)
	}
	for range 8 {
		n := ss.Next(t)
		if n.IsZero() {
			return n
		}
		if g := skippedInGap(ss, t, n); !g.IsZero() {
			return g.In(s.loc)
		}
		if repeated(n) {
			t = n
			continue
		}
		return n.In(s.loc)
	}
	return time.Time{}
}

// skippedInGap returns the first instant after t and before n at which the
// clocks moved forward over a wall time the schedule names, or the zero time.
func skippedInGap(ss *cron.SpecSchedule, t, n time.Time) time.Time {
	z := t
	for {
		_, end := z.ZoneBounds()
		if end.IsZero() || !end.Before(n) {
			return time.Time{}
		}
		_, before := z.Zone()
		_, after := end.Zone()
		if after > before {
			// Wall times from the change, read in the old offset, to
			// that plus the jump, never happened that day.
			old := *ss
			old.Location = time.FixedZone("", before)
			from := end.In(old.Location)
			if m := old.Next(from.Add(-time.Second)); !m.IsZero() && m.Before(from.Add(time.Duration(after-before)*time.Second)) {
				return end
			}
		}
		z = end
	}
}

// repeated reports whether the wall-clock reading of n already happened
// earlier that night, because the clocks were set back shortly before n.
func repeated(n time.Time) bool {
	start, _ := n.ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, off := n.Zone()
	_, prev := start.Add(-time.Second).Zone()
	return prev > off && n.Sub(start) < time.Duration(prev-off)*time.Second
}

// Location returns the schedule's time zone.
func (s *Schedule) Location() *time.Location { return s.loc }

// String returns the expression and the zone, "0 6 * * * (America/Toronto)".
func (s *Schedule) String() string { return s.spec + " (" + s.loc.String() + ")" }
