package report

import (
	"errors"
	"slices"
	"testing"
)

func TestLanguages(t *testing.T) {
	tests := []struct {
		setting string
		want    []string
	}{
		{"", []string{"en", "fr"}},
		{"both", []string{"en", "fr"}},
		{"en", []string{"en"}},
		{"fr", []string{"fr"}},
		{"fr-en", []string{"fr", "en"}},
	}
	for _, tt := range tests {
		t.Run(tt.setting, func(t *testing.T) {
			got, err := Languages(tt.setting)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Languages(%q) = %v, %v; want %v", tt.setting, got, err, tt.want)
			}
		})
	}
	if _, err := Languages("de"); !errors.Is(err, ErrLanguage) {
		t.Errorf("Languages(de) = %v, want ErrLanguage", err)
	}
}
