package numfmt

import (
	"testing"
	"time"
)

// TestParseLayout shows one date and time in custom formats as the
// spreadsheet does in English; "" is a format it shows by its defaults
// (2022-03-05 14:07:09 in the format's parts).
func TestParseLayout(t *testing.T) {
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
		f := Parse(tt.code)
		if f.Kind != Date {
			t.Errorf("%q: kind %v, want a date", tt.code, f.Kind)
			continue
		}
		l := f.Layout
		if (l != "") != (tt.want != "") {
			t.Errorf("%q: layout %q, want one: %v", tt.code, l, tt.want != "")
			continue
		}
		if l == "" {
			continue
		}
		if got := string(AppendDate(nil, day, l)); got != tt.want {
			t.Errorf("%q shows %q, want %q", tt.code, got, tt.want)
		}
		wantMorn := tt.wantMorn
		if wantMorn == "" {
			wantMorn = tt.want
		}
		if got := string(AppendDate(nil, morning, l)); got != wantMorn {
			t.Errorf("%q at 00:04 shows %q, want %q", tt.code, got, wantMorn)
		}
	}
}

// TestBuiltinDates shows a date and time in the built-in formats 14–22 and
// 45: the short date (14, 22) as Canada's, the others as excelize v2.11.1
// shows them (the codes ECMA-376 lists).
func TestBuiltinDates(t *testing.T) {
	at := time.Date(2022, 10, 15, 18, 0, 5, 0, time.UTC)
	want := map[int]string{14: "2022-10-15", 15: "15-Oct-22", 16: "15-Oct", 17: "Oct-22", 18: "6:00 PM", 19: "6:00:05 PM",
		20: "18:00", 21: "18:00:05", 22: "2022-10-15 18:00", 45: "00:05"}
	for id, w := range want {
		f := Builtin(id)
		if f.Kind != Date || f.Layout == "" {
			t.Errorf("format %d: %+v, want a date layout", id, f)
			continue
		}
		if got := string(AppendDate(nil, at, f.Layout)); got != w {
			t.Errorf("format %d shows %q, want %q", id, got, w)
		}
	}
	for _, id := range []int{14, 15, 16, 17, 22} {
		if !Builtin(id).Date {
			t.Errorf("format %d shows no day", id)
		}
	}
	for _, id := range []int{18, 19, 20, 21, 22, 45} {
		if !Builtin(id).Clock {
			t.Errorf("format %d shows no time", id)
		}
	}
}

// TestParseKinds reads what formats do to a number.
func TestParseKinds(t *testing.T) {
	tests := []struct {
		code string
		want Format
	}{
		{"General", Format{}},
		{"@", Format{}},
		{"0", Format{Kind: Fixed, Lead: 1}},
		{"#,##0.00", Format{Kind: Fixed, Decimals: 2, Lead: 1, Group: true}},
		{"000", Format{Kind: Fixed, Lead: 3}},
		{"0.00%", Format{Kind: Percent, Decimals: 2, Lead: 1}},
		{"0.00E+00", Format{}},
		{"0.00e+00", Format{}},
		{`"$"#,##0.00`, Format{}},
		{"[$$-409]#,##0.00", Format{}},
		{`0 "days"`, Format{}},
		{"yyyy-mm-dd", Format{Kind: Date, Date: true, Layout: Parse("yyyy-mm-dd").Layout}},
		{"mmmm", Format{Kind: Date, Date: true, Layout: Parse("mmmm").Layout}},
		{"h:mm AM/PM", Format{Kind: Date, Clock: true, Layout: Parse("h:mm AM/PM").Layout}},
		{"[h]:mm:ss", Format{Kind: Date, Clock: true, Seconds: true}},
		{"yyyy-mm-dd hh:mm", Format{Kind: Date, Date: true, Clock: true, Layout: Parse("yyyy-mm-dd hh:mm").Layout}},
		{"[$-40C]d mmmm yyyy;@", Format{Kind: Date, Date: true}},
		{"eeee", Format{Kind: Date, Date: true}},
	}
	for _, tt := range tests {
		if got := Parse(tt.code); got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.code, got, tt.want)
		}
	}
	for _, code := range []string{"yyyy-mm-dd", "mmmm", "h:mm AM/PM", "yyyy-mm-dd hh:mm"} {
		if Parse(code).Layout == "" {
			t.Errorf("%q has no layout", code)
		}
	}
}
