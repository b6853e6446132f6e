package sync

import (
	"testing"
	"time"
)

// TestDateLayout shows one date and time in custom and built-in formats as
// the streaming reader does; "" is a format it shows by its defaults
// (2022-03-05 14:07:09 in the format's parts).
func TestDateLayout(t *testing.T) {
	day := time.Date(2022, 3, 5, 14, 7, 9, 0, time.UTC)
	morning := time.Date(2022, 3, 5, 0, 4, 0, 0, time.UTC)
	tests := []struct {
		code string
		want string // "": shown by the defaults
		// wantMorn is the text at 00:04, when it differs from want.
		wantMorn string
	}{
		{"dd/mm/yyyy", "05/03/2022", ""},
		{"d/m/yy", "5/3/22", ""},
		{"d/m/y", "5/3/22", ""},
		{"yyyy-mm-dd", "2022-03-05", ""},
		{`yyyy\-mm\-dd;@`, "2022-03-05", ""},
		{"d-mmm-yy", "5-Mar-22", ""},
		{"mmmm d, yyyy", "March 5, 2022", ""},
		{"mmmmm", "M", ""},
		{"dddd, mmmm d", "Saturday, March 5", ""},
		{"ddd d mmm yy", "Sat 5 Mar 22", ""},
		{"dd/mm/yyyy hh:mm", "05/03/2022 14:07", "05/03/2022 00:04"},
		{"hh:mm:ss", "14:07:09", "00:04:00"},
		{"h:mm", "14:07", "0:04"},
		{"h:m:s", "14:7:9", "0:4:0"},
		{"mm:ss", "07:09", "04:00"},
		{"h:mm AM/PM", "2:07 PM", "12:04 AM"},
		{"hh:mm:ss am/pm", "02:07:09 pm", "12:04:00 am"},
		{"h:mm A/P", "2:07 P", "12:04 A"},
		{"h:mm a/p", "2:07 p", "12:04 a"},
		{"mmm d, yyyy h:mm AM/PM", "Mar 5, 2022 2:07 PM", "Mar 5, 2022 12:04 AM"},
		{`d "de" mmmm`, "5 de March", ""},
		{`hh"h"mm`, "14h07", "00h04"},
		{`yyyy"年"m"月"`, "2022年3月", ""},
		{"dd/mm/yyyy_)", "05/03/2022 ", ""},
		{"[Red]h:mm", "14:07", "0:04"},
		{"[$-409]mmmm d, yyyy", "March 5, 2022", ""},
		{"[$-1009]d-mmm-yy;@", "5-Mar-22", ""},
		{"[$-10409]h:mm AM/PM", "2:07 PM", "12:04 AM"},
		{"[$-en-CA]mmm", "Mar", ""},
		// Shown by the defaults.
		{"[$-40C]d mmmm yyyy", "", ""},          // French month names
		{"[$-F800]dddd, mmmm dd, yyyy", "", ""}, // the system's long date
		{"[$-F400]h:mm:ss AM/PM", "", ""},       // the system's time
		{"[h]:mm", "", ""},                      // elapsed hours
		{"mm:ss.0", "", ""},                     // tenths of a second
		{"mmmmmm", "", ""},
		{"h:mm AMPM", "", ""},
		{"[<1]h:mm", "", ""},
		{"*-dd/mm", "", ""},
		{"\"a\x01\"yyyy", "", ""},
	}
	for _, tt := range tests {
		l := dateLayout(tt.code)
		if (l != "") != (tt.want != "") {
			t.Errorf("%q: layout %q, want one: %v", tt.code, l, tt.want != "")
			continue
		}
		if l == "" {
			continue
		}
		f := numFmt{kind: fmtDate, layout: l}
		if got := string(dateText(nil, day, f)); got != tt.want {
			t.Errorf("%q shows %q, want %q", tt.code, got, tt.want)
		}
		wantMorn := tt.wantMorn
		if wantMorn == "" {
			wantMorn = tt.want
		}
		if got := string(dateText(nil, morning, f)); got != wantMorn {
			t.Errorf("%q at 00:04 shows %q, want %q", tt.code, got, wantMorn)
		}
	}
}

// TestBuiltinDates shows a date and time in the built-in formats 14–22 and
// 45, as excelize v2.11.1 shows them (the codes ECMA-376 lists).
func TestBuiltinDates(t *testing.T) {
	at := time.Date(2022, 10, 15, 18, 0, 5, 0, time.UTC)
	want := map[int]string{14: "10-15-22", 15: "15-Oct-22", 16: "15-Oct", 17: "Oct-22", 18: "6:00 PM", 19: "6:00:05 PM",
		20: "18:00", 21: "18:00:05", 22: "10/15/22 18:00", 45: "00:05"}
	for id, w := range want {
		f := builtinNumFmt(id)
		if f.kind != fmtDate || f.layout == "" {
			t.Errorf("format %d: %+v, want a date layout", id, f)
			continue
		}
		if got := string(dateText(nil, at, f)); got != w {
			t.Errorf("format %d shows %q, want %q", id, got, w)
		}
	}
	for _, id := range []int{14, 15, 16, 17, 22} {
		if !builtinNumFmt(id).date {
			t.Errorf("format %d shows no day", id)
		}
	}
	for _, id := range []int{18, 19, 20, 21, 22, 45} {
		if !builtinNumFmt(id).clock {
			t.Errorf("format %d shows no time", id)
		}
	}
}

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
		{"defaults (time.AppendFormat)", numFmt{kind: fmtDate, date: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf = dateText(buf[:0], at, bc.f)
			}
		})
	}
}
