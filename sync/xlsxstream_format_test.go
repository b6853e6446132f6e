package sync

import (
	"testing"
	"time"
)

func TestDateLayout(t *testing.T) {
	day := time.Date(2022, 3, 5, 14, 7, 9, 0, time.UTC)
	tests := []struct{ code, want string }{
		{"dd/mm/yyyy", "05/03/2022"},
		{"d/m/yy", "5/3/22"},
		{"yyyy-mm-dd", "2022-03-05"},
		{"d-mmm-yy", "5-Mar-22"},
		{"mmmm d, yyyy", "March 5, 2022"},
		{"dd/mm/yyyy hh:mm", "05/03/2022 14:07"},
		{"hh:mm:ss", "14:07:09"},
		{"mm:ss", "07:09"},
		{"[$-409]mmmm d, yyyy", ""},
		{"h:mm AM/PM", ""},
		{`yyyy"年"m"月"`, ""},
		{"[h]:mm", ""},
	}
	for _, tt := range tests {
		l := dateLayout(tt.code)
		got := ""
		if l != "" {
			got = day.Format(l)
		}
		if got != tt.want {
			t.Errorf("%q: layout %q shows %q, want %q", tt.code, l, got, tt.want)
		}
	}
}
