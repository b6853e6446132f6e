package notify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copsync/validate"
)

// secretOrg is a personal value: the value of a field marked personal.
const secretOrg = "Jane Doe personal consulting"

// personalFinding is a custom rule's finding on a members field marked
// personal, as validate makes it.
func personalFinding() validate.Finding {
	return validate.Finding{ID: "f1", Code: validate.CodeRuleValueInvalid, Severity: validate.Error,
		Source: validate.SourceMembers, Sheet: "Members", Row: 3, Cell: "C3", Field: validate.FieldOrganization,
		Key: secretOrg, Personal: true, PersonalParams: []string{"value"},
		Params: map[string]string{"value": secretOrg, "rule": "org-allowed", "allowed_en": "Health Canada",
			"allowed_fr": "Santé Canada", "description_en": "", "description_fr": ""}}
}

// TestStateNeverHoldsPersonalValues saves the state of a run whose finding
// has a personal value, reads it back and words the finding from it: the
// value is in neither.
func TestStateNeverHoldsPersonalValues(t *testing.T) {
	cat := catalogue(t)
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, next := Compare(nil, Run{Date: "2026-01-01", Findings: []validate.Finding{personalFinding()}})
	if err := store.Save(next); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(store.Dir(), StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Jane") {
		t.Fatalf("the state file holds the personal value:\n%s", data)
	}
	prev, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Compare(prev, Run{Date: "2026-01-02"})
	if len(d.Resolved) != 1 {
		t.Fatalf("resolved %d, want 1", len(d.Resolved))
	}
	f := d.Resolved[0].Finding
	for _, l := range []string{"en", "fr"} {
		if s := f.Text(cat, l, validate.Disclose); strings.Contains(s, "Jane") || !strings.Contains(s, "rule org-allowed") && !strings.Contains(s, "règle org-allowed") {
			t.Errorf("%s: the finding read back is worded %q", l, s)
		}
	}
}

// TestStateFromAnEarlierVersion reads a state of version 2, which kept each
// finding's text: a custom rule's text on the membership (which may hold a
// value) is never shown again, nor carried into the next state; another
// finding keeps its text.
func TestStateFromAnEarlierVersion(t *testing.T) {
	cat := catalogue(t)
	prev := &State{Version: 2, Date: "2026-01-01", Findings: []Record{
		{ID: "a", Code: validate.CodeRuleValueInvalid, Source: validate.SourceMembers, Row: 3, Cell: "C3",
			Message: `Row 3: "` + secretOrg + `" is not an allowed organization`, MessageFR: "Ligne 3 : « " + secretOrg + " »", FirstSeen: "2026-01-01", Runs: 1},
		{ID: "b", Code: validate.CodeIssueIncomplete, Source: validate.SourceIssues, Row: 4, Cell: "B4",
			Message: "Row 4: the issue lacks its criticality", MessageFR: "Ligne 4 : enjeu incomplet", FirstSeen: "2026-01-01", Runs: 1},
	}}
	d, _ := Compare(prev, Run{Date: "2026-01-02"})
	words := map[string]string{}
	for _, e := range d.Resolved {
		words[e.Finding.ID] = e.Finding.Text(cat, "en", validate.Disclose) + " | " + e.Finding.Text(cat, "fr", validate.Disclose)
	}
	if w := words["a"]; strings.Contains(w, "Jane") || !strings.Contains(w, "Row 3: finding rule.value-invalid") {
		t.Errorf("a custom rule's recorded text on the membership is worded %q", w)
	}
	if w := words["b"]; w != "Row 4: the issue lacks its criticality | Ligne 4 : enjeu incomplet" {
		t.Errorf("a recorded text is worded %q", w)
	}

	// The membership unread tonight: its finding is carried over in
	// tonight's form, without its text.
	_, next := Compare(prev, Run{Date: "2026-01-02", Unread: []string{validate.SourceMembers}})
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Save(next); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(store.Dir(), StateFile))
	if strings.Contains(string(data), "Jane") || !strings.Contains(string(data), `"runs": 1`) {
		t.Errorf("the carried-over record:\n%s", data)
	}
}

// TestFooterSaysWhatIsAttached checks the footer in each case: the message
// and its attachment without personal data, or the full report with or
// without its Members sheet, or no attachment.
func TestFooterSaysWhatIsAttached(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report-2026-01-02.xlsx")
	if err := os.WriteFile(report, []byte("PK"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := &validate.Result{Findings: []validate.Finding{personalFinding()}}
	tests := []struct {
		name     string
		personal bool
		in       Input
		want     []string
		not      []string
	}{
		{name: "default", in: Input{ReportPath: report},
			want: []string{"no member's name or e-mail address", "without the members’ sheet or any personal value",
				"Le rapport joint contient le sommaire", "sans la feuille des membres ni aucune valeur personnelle"},
			not: []string{"Jane"}},
		{name: "no attachment", in: Input{},
			want: []string{"no member's name or e-mail address", "No report workbook is attached."},
			not:  []string{"attached report", "Jane"}},
		{name: "personal data, full report", personal: true, in: Input{ReportPath: report, ReportFull: true, ReportMembers: true},
			want: []string{"shows members' personal data", "The attached report is the full report: the members' sheet", "Jane"}},
		{name: "personal data, no members sheet", personal: true, in: Input{ReportPath: report, ReportFull: true},
			want: []string{"it has no members' sheet (report.include_members is off)", "Jane"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := composer(t, Config{IncludePersonalData: tt.personal})
			in := tt.in
			in.Date, in.Result = "2026-01-02", res
			e, err := c.Compose(in)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(e.Text, "’", "'")
			for _, w := range tt.want {
				if !strings.Contains(text, strings.ReplaceAll(w, "’", "'")) {
					t.Errorf("the message lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) || strings.Contains(e.HTML, w) {
					t.Errorf("the message holds %q", w)
				}
			}
		})
	}
}
