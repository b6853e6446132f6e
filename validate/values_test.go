package validate

import (
	"strings"
	"testing"
	"time"
)

func TestValidEmail(t *testing.T) {
	good := []string{"a.b@example.ca", "marie-eve.cote+cop@gov.bc.ca", " x@y.org ", "jean@québec.ca"}
	bad := []string{"", "a", "a@", "@b.ca", "a@b", "a b@c.ca", "Jean <j@x.ca>", "a@@b.ca", "a@b..ca", "a@-b.ca", "a@b.c", "a@b.123", ".a@b.ca", "a;b@c.ca"}
	for _, s := range good {
		if !ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = false, want true", s)
		}
	}
	for _, s := range bad {
		if ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = true, want false", s)
		}
	}
}

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		v    Value
		y04  bool
		want time.Time
		ok   bool
	}{
		{"serial 1900", Value{Kind: Number, Num: 44833}, false, d(2022, 9, 29), true},
		{"serial 1904", Value{Kind: Number, Num: 43371}, true, d(2022, 9, 29), true},
		{"serial before phantom leap day", Value{Kind: Number, Num: 59}, false, d(1900, 2, 28), true},
		{"serial after phantom leap day", Value{Kind: Number, Num: 61}, false, d(1900, 3, 1), true},
		{"iso", Value{Kind: String, Text: "2022-09-29"}, false, d(2022, 9, 29), true},
		{"slashes", Value{Kind: String, Text: "2022/9/29"}, false, d(2022, 9, 29), true},
		{"english", Value{Kind: String, Text: "September 29, 2022"}, false, d(2022, 9, 29), true},
		{"english day first", Value{Kind: String, Text: "29 Sept 2022"}, false, d(2022, 9, 29), true},
		{"french", Value{Kind: String, Text: "le 29 septembre 2022"}, false, d(2022, 9, 29), true},
		{"french 1er", Value{Kind: String, Text: "1er août 2022"}, false, d(2022, 8, 1), true},
		{"ambiguous", Value{Kind: String, Text: "10/11/2022"}, false, time.Time{}, false},
		{"not a date", Value{Kind: String, Text: "soon"}, false, time.Time{}, false},
		{"31 February", Value{Kind: String, Text: "31 February 2022"}, false, time.Time{}, false},
		{"blank", Value{}, false, time.Time{}, false},
		{"negative serial", Value{Kind: Number, Num: -3}, false, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDate(tt.v, tt.y04)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("ParseDate(%+v) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestValueIsBlank(t *testing.T) {
	tests := []struct {
		v    Value
		want bool
	}{
		{Value{}, true},
		{Value{Kind: String, Text: ""}, true},
		{Value{Kind: String, Text: " \u00a0 "}, true},
		{Value{Kind: String, Text: "x"}, false},
		{Value{Kind: Number, Text: "0", Num: 0}, false},
		{Value{Kind: Bool, Text: "0"}, false},
		{Value{Kind: String, Text: "\u3000\u2003\t\n"}, true},
		{Value{Kind: String, Text: "\u00a0x"}, false},
		{Value{Kind: String, Text: "\u2003é"}, false},
		{Value{Kind: String, Text: "é"}, false},
		{Value{Kind: String, Text: "\x7f"}, false},
	}
	for _, tt := range tests {
		if got := tt.v.IsBlank(); got != tt.want {
			t.Errorf("%+v.IsBlank() = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// TestTrimmedFastPaths checks Trimmed and IsBlank against their plain
// definition (every white space, U+00A0 included, trimmed), whatever
// byte a text starts with.
func TestTrimmedFastPaths(t *testing.T) {
	texts := []string{"", " ", "a", " a ", "\u00a0", "a\u00a0b", "\u00a0a\u00a0", "\u0085", "\u1680x", "\u2000", "\u202f",
		"\u205f", "\u3000", "\u3000a", "\x7f", "\xc2", "\xc2\xa0", "é", " é ", "\t\r\n", "\v\f"}
	for c := range 256 {
		texts = append(texts, string(rune(c)), string([]byte{byte(c)}), string([]byte{byte(c), 'x'}))
	}
	for _, s := range texts {
		want := strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
		v := Value{Kind: String, Text: s}
		if got := v.Trimmed(); got != want {
			t.Errorf("Trimmed(%q) = %q, want %q", s, got, want)
		}
		if got := v.IsBlank(); got != (want == "") {
			t.Errorf("IsBlank(%q) = %v, want %v", s, got, want == "")
		}
	}
}

func TestCellRef(t *testing.T) {
	for col, want := range map[int]string{0: "A1", 25: "Z1", 26: "AA1", 701: "ZZ1", 702: "AAA1"} {
		if got := CellRef(col, 1); got != want {
			t.Errorf("CellRef(%d, 1) = %s, want %s", col, got, want)
		}
	}
}
