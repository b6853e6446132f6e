package validate

import (
	"testing"
	"time"
)

func TestProseDate(t *testing.T) {
	cat, err := ParseCatalogue([]byte(`{
		"date.prose": {"en": "{day} {month} {year}", "fr": "{day} {month} {year}"},
		"date.months": {"en": "January February March April May June July August September October November December",
			"fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"},
		"date.first": {"en": "1", "fr": "1er"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang string
		date       time.Time
		want       string
	}{
		{"English", "en", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), "3 December 2026"},
		{"French", "fr", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), "3 décembre 2026"},
		{"French first of the month", "fr", time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC), "1er février 2022"},
		{"English first of the month", "en", time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC), "1 August 2022"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProseDate(cat, tt.lang, tt.date); got != tt.want {
				t.Errorf("ProseDate = %q, want %q", got, tt.want)
			}
		})
	}
}
