package validate

import "testing"

func TestDropSourceRecounts(t *testing.T) {
	r := &Result{Findings: []Finding{
		{ID: "1", Source: SourceMembers, Severity: Error},
		{ID: "2", Source: SourceMembers, Severity: Warning},
		{ID: "3", Source: SourceIssues, Severity: Warning},
		{ID: "4", Source: SourceIssues, Severity: Info},
	}}
	r.count()
	if s := r.Summary; s.Errors != 1 || s.Warnings != 2 || s.Infos != 1 {
		t.Fatalf("count: %+v", s)
	}
	r.DropSource(SourceMembers)
	if s := r.Summary; s.Errors != 0 || s.Warnings != 1 || s.Infos != 1 || len(r.Findings) != 2 {
		t.Errorf("after dropping the members: errors %d warnings %d infos %d findings %d, want 0 1 1 2", s.Errors, s.Warnings, s.Infos, len(r.Findings))
	}
}

func TestTextHelpers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"one line", OneLine("  a\n\tb  c \r\n"), "a b c"},
		{"one line, cut", OneLineMax("abc\ndéf", 5), "abc d…"},
		{"one line, short enough", OneLineMax("abc", 3), "abc"},
		{"capital", Capitalize("île-du-Prince-Édouard"), "Île-du-Prince-Édouard"},
		{"capital of nothing", Capitalize(""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
