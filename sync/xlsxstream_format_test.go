package sync

import (
	"testing"
	"time"
)

// TestTimeOfDayFmt: a time without a day shows in a time format as the
// format says, and in a format with a day as the time alone.
func TestTimeOfDayFmt(t *testing.T) {
	noon := timeOfDay(0.5, false)
	tests := []struct {
		f    numFmt
		want string
	}{
		{builtinNumFmt(18), "12:00 PM"},
		{builtinNumFmt(21), "12:00:00"},
		{parseNumFmt("h:mm A/P"), "12:00 P"},
		{builtinNumFmt(22), "12:00"},
		{parseNumFmt("dd/mm/yyyy hh:mm:ss"), "12:00:00"},
		{builtinNumFmt(46), "12:00:00"},
	}
	for _, tt := range tests {
		if got := string(dateText(nil, noon, timeOfDayFmt(tt.f))); got != tt.want {
			t.Errorf("%+v shows noon as %q, want %q", tt.f, got, tt.want)
		}
	}
}

// TestDateTextAllocates nothing with a layout.
func TestDateTextAllocates(t *testing.T) {
	f := parseNumFmt("dddd d mmmm yyyy h:mm:ss AM/PM")
	buf := make([]byte, 0, 64)
	at := time.Date(2022, 10, 15, 18, 0, 5, 0, time.UTC)
	if n := testing.AllocsPerRun(100, func() { buf = dateText(buf[:0], at, f) }); n != 0 {
		t.Errorf("dateText allocates %v times", n)
	}
	if string(buf) != "Saturday 15 October 2022 6:00:05 PM" {
		t.Errorf("shows %q", buf)
	}
}

// BenchmarkDateText shows a date in a custom layout and by the defaults.
func BenchmarkDateText(b *testing.B) {
	at := time.Date(2022, 10, 15, 18, 0, 5, 0, time.UTC)
	buf := make([]byte, 0, 64)
	for _, bc := range []struct {
		name string
		f    numFmt
	}{
		{"dd/mm/yyyy h:mm AM/PM", parseNumFmt("dd/mm/yyyy h:mm AM/PM")},
		{"yyyy-mm-dd", parseNumFmt("yyyy-mm-dd")},
		{"builtin14", builtinNumFmt(14)},
		{"defaults (time.AppendFormat)", numFmt{Kind: fmtDate, Date: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf = dateText(buf[:0], at, bc.f)
			}
		})
	}
}
