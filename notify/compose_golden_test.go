package notify

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"copsync/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestDataGolden composes the templates' data of runs that reach every
// part of a section (failures, summary, changes, coverage, figures,
// findings, attachment, footer) and compares it, field by field as JSON,
// with testdata/data-*.json. A difference is a change of what the e-mail
// says; refresh with -update only when the change is meant.
func TestDataGolden(t *testing.T) {
	seed := result(t, membersRows(), issuesRows())
	changed := changedDigest(seed)
	// Nights on the still-open findings, so that "oldest" shows.
	for i := range changed.StillOpen {
		changed.StillOpen[i].Nights = 3 + i
	}
	changed.Unchecked = []Entry{{Finding: validate.Finding{ID: "u1", Code: validate.CodeMemberFieldMissing, Source: "activities"}}}
	custom := &validate.Result{Findings: []validate.Finding{personalFinding(),
		{ID: "f2", Code: validate.CodeRuleValueInvalid, Severity: validate.Warning, Source: "activities", Row: 4,
			Params: map[string]string{"value": "x", "rule": "r", "allowed_en": "y", "allowed_fr": "y", "description_en": "", "description_fr": ""},
			Link:   "https://docs.google.com/spreadsheets/d/abc/edit#gid=0&range=A4"}}}
	tests := []struct {
		name string
		cfg  Config
		in   Input
	}{
		{"first-run", Config{Subject: "[copsync]", CommunityEN: "Service Centre CoP", CommunityFR: "CdP des centres de services"},
			Input{Result: seed, Digest: Digest{First: true}, ReportPath: "/out/report-2026-01-02.xlsx"}},
		{"changed", Config{Subject: "[copsync]", Languages: []string{"fr", "en"}},
			Input{Result: seed, Digest: changed, ReportPath: "/out/report-2026-01-02.xlsx"}},
		{"max-findings", Config{MaxFindings: 1, Languages: []string{"en"}},
			Input{Result: seed, Digest: changed}},
		{"unavailable", Config{},
			Input{Result: seed, Digest: Digest{Unavailable: "/state/state.json.damaged"}}},
		{"members-unread", Config{},
			Input{Result: &validate.Result{Summary: seed.Summary, Findings: seed.Findings[len(seed.Findings)-1:]}, Digest: Digest{PreviousDate: "2026-01-01"},
				Unread: []Failure{{Source: validate.SourceMembers, Error: "members: examples/members.xlsx: file not found"}}}},
		{"issues-unread", Config{},
			Input{Result: seed, Digest: Digest{PreviousDate: "2026-01-01"}, ReportSkipped: true,
				Unread: []Failure{{Source: validate.SourceIssues, Error: "issues: issues.xlsx: sheet \"Enjeux\": sheet not found",
					Reason: "sheet-not-found", File: "issues.xlsx", Sheet: "Enjeux"}}}},
		{"everything-failed", Config{},
			Input{Digest: Digest{PreviousDate: "2026-01-01"}, ReportError: "write report.xlsx: disk full.",
				SnapshotError: "copy members.xlsx:\nno space left", Undelivered: 2, UndeliveredDir: "/outbox/undelivered",
				PreviousDelivery: &DeliveryReport{Date: "2026-01-01", Recipients: 3, Refused: []RefusedRecipient{{Index: 1, Code: 550, Reply: "550 mailbox unavailable."}}},
				Unread:           []Failure{{Source: "members", Error: "x"}, {Source: "issues", Error: "y"}}}},
		{"personal-held", Config{IncludePersonalData: true},
			Input{Result: custom, Digest: Digest{PreviousDate: "2026-01-01"}, reportHeld: "/out/report-2026-01-02.xlsx", reportHeldSize: 31_400_000}},
		{"personal-full", Config{IncludePersonalData: true},
			Input{Result: custom, Digest: Digest{PreviousDate: "2026-01-01"}, ReportPath: "/out/r.xlsx", ReportFull: true, ReportMembers: true}},
		{"withheld", Config{},
			Input{Result: custom, Digest: Digest{PreviousDate: "2026-01-01"}, ReportPath: "/out/r.xlsx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Date = "2026-01-02"
			got, err := json.MarshalIndent(composer(t, tt.cfg).Data(tt.in), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "data-"+tt.name+".json")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("the data differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
