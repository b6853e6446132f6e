package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func toronto(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Toronto")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNextAcrossDaylightSaving(t *testing.T) {
	loc := toronto(t)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name string
		spec string
		from time.Time
		want []time.Time // in UTC, to pin the instants
	}{
		{
			name: "06:00 daily through the spring change keeps 06:00 local",
			spec: "0 6 * * *",
			from: at(2026, 3, 6, 12, 0),
			want: []time.Time{utc(2026, 3, 7, 11, 0), utc(2026, 3, 8, 10, 0), utc(2026, 3, 9, 10, 0)},
		},
		{
			name: "06:00 daily through the autumn change keeps 06:00 local",
			spec: "0 6 * * *",
			from: at(2026, 10, 31, 12, 0),
			want: []time.Time{utc(2026, 11, 1, 11, 0), utc(2026, 11, 2, 11, 0)},
		},
		{
			name: "02:30 does not exist on the spring day: it runs at the change",
			spec: "30 2 * * *",
			from: at(2026, 3, 6, 12, 0),
			want: []time.Time{utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 6, 30)},
		},
		{
			name: "01:30 happens twice on the autumn day: it runs once",
			spec: "30 1 * * *",
			from: at(2026, 10, 31, 12, 0),
			want: []time.Time{utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)},
		},
		{
			name: "hourly through the autumn change runs each distinct hour once",
			spec: "0 * * * *",
			from: at(2026, 11, 1, 0, 10),
			want: []time.Time{utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 7, 0), utc(2026, 11, 1, 8, 0)},
		},
		{
			name: "hourly through the spring change",
			spec: "0 * * * *",
			from: at(2026, 3, 8, 0, 10),
			want: []time.Time{utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 7, 0), utc(2026, 3, 8, 8, 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.spec, "America/Toronto")
			if err != nil {
				t.Fatal(err)
			}
			from := tt.from
			for i, w := range tt.want {
				got := s.Next(from)
				if !got.Equal(w) {
					t.Fatalf("run %d after %s: got %s (%s), want %s", i+1, from, got, got.UTC(), w)
				}
				if got.Location().String() != loc.String() {
					t.Errorf("run %d: location %s, want %s", i+1, got.Location(), loc)
				}
				from = got
			}
		})
	}
}

// joined returns the errors err joins, or err alone.
func joined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, spec, tz, want string
		fields               []string // the fields at fault, in order
	}{
		{"empty expression", "", "America/Toronto", "empty", []string{"cron"}},
		{"bad field", "0 25 * * *", "America/Toronto", `"0 25 * * *"`, []string{"cron"}},
		{"out of range", "99 99 * * *", "America/Toronto", `"99 99 * * *"`, []string{"cron"}},
		{"six fields", "0 0 6 * * *", "America/Toronto", "cron expression", []string{"cron"}},
		{"zone in the expression", "CRON_TZ=UTC", "America/Toronto", "schedule.timezone", []string{"cron"}},
		{"unknown zone", "0 6 * * *", "America/Torronto", `unknown time zone "America/Torronto"`, []string{"timezone"}},
		{"empty zone", "0 6 * * *", " ", "time zone is empty", []string{"timezone"}},
		{"never", "0 0 30 2 *", "UTC", "no next run", []string{"cron"}},
		{"both wrong", "0 25 * * *", "Mars/Olympus", "Mars/Olympus", []string{"timezone", "cron"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.spec, tt.tz)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			var fields []string
			for _, e := range joined(err) {
				var se *Error
				if !errors.As(e, &se) {
					t.Fatalf("error %v is a %T, not a *schedule.Error", e, e)
				}
				fields = append(fields, se.Field)
				if strings.Contains(se.Error(), "\n") {
					t.Errorf("error %q spans lines", se)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields at fault = %v, want %v", fields, tt.fields)
			}
		})
	}
}

func TestParseDescriptorAndString(t *testing.T) {
	s, err := Parse("@daily", "Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	got := s.Next(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 6, 2, 0, 0, 0, 0, paris); !got.Equal(want) {
		t.Errorf("Next = %s, want %s", got, want)
	}
	if s.String() != "@daily (Europe/Paris)" {
		t.Errorf("String = %q", s.String())
	}
	e, err := Parse("@every 90m", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	if got := e.Next(from); !got.Equal(from.Add(90 * time.Minute)) {
		t.Errorf("@every 90m: Next = %s", got)
	}
}
