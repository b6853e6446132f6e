package validate

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"notify.smtp.host", "notify.smtp.port", "report.language", "severity", "to"}
	tests := []struct {
		name, in, want string
	}{
		{"transposed letters", "notify.smtp.hots", "notify.smtp.host"},
		{"letter missing", "report.languge", "report.language"},
		{"letter missing, upper case", "REPORT.LANGUGE", "report.language"},
		{"short word", "sevrity", "severity"},
		{"nothing near", "x", ""},
		{"far", "colour", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closest(tt.in, keys); got != tt.want {
				t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
