package validate

import (
	"slices"
	"testing"
)

func TestParseLangs(t *testing.T) {
	tests := []struct {
		in   string
		want []string // nil: refused
	}{
		{"", []string{"en", "fr"}},
		{"both", []string{"en", "fr"}},
		{"en-fr", []string{"en", "fr"}},
		{" FR-EN ", []string{"fr", "en"}},
		{"en", []string{"en"}},
		{"Fr", []string{"fr"}},
		{"de", nil},
		{"en,fr", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLangs(tt.in)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("ParseLangs(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || !slices.Equal(LangCodes(got), tt.want) {
				t.Errorf("ParseLangs(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": LangEN, " FR": LangFR} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "both", "english"} {
		if got, err := ParseLang(bad); err == nil {
			t.Errorf("ParseLang(%q) = %q, want an error", bad, got)
		}
	}
}
