package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// testCatalogue loads the catalogue files of package templates directly, so
// that this package keeps importing only the standard library.
func testCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	files, err := filepath.Glob("../templates/messages*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogue files: %v", err)
	}
	merged := map[string]map[string]json.RawMessage{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k, v := range m {
			merged[k] = v
		}
	}
	data, _ := json.Marshal(merged)
	cat, err := ParseCatalogue(data)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// table builds a table from a header and rows of text, with data rows
// starting right below the header.
func table(source string, headerRow int, header []string, rows ...[]string) Table {
	h := Header{Row: headerRow}
	s := DefaultSchemas()[source]
	for i, title := range header {
		h.Columns = append(h.Columns, Column{Index: i, Title: title, Field: s.match(title)})
	}
	t := Table{Origin: Origin{Source: source, Kind: "xlsx", Path: "/data/" + source + ".xlsx", Sheet: "Sheet1"}, Header: h}
	for i, r := range rows {
		row := Row{Num: headerRow + 1 + i}
		for j, v := range r {
			val := Value{Kind: String, Text: v}
			if v == "" {
				val = Value{}
			}
			row.Cells = append(row.Cells, Cell{Ref: CellRef(j, row.Num), Value: val})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

var memberHeader = []string{"Nom", "Courriel", "Organisation", "Ordre de gouvernement", "Province ou territoire", "Statut"}

// pt returns an active provincial member row for each code given.
func ptRows(codes ...string) [][]string {
	var out [][]string
	for i, c := range codes {
		out = append(out, []string{"Person " + c, "p" + string(rune('a'+i)) + "@gov.ca", "Ministry " + c, "Provincial", c, "Actif"})
	}
	return out
}

type got struct{ code, cell, key string }

func summarize(fs []Finding) []got {
	var out []got
	for _, f := range fs {
		out = append(out, got{f.Code, f.Cell, f.Key})
	}
	return out
}

func TestMemberChecks(t *testing.T) {
	cat := testCatalogue(t)
	base := append(ptRows("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "NT", "YT"),
		[]string{"Fed", "fed@gc.ca", "Service Canada", "Federal", "", "Active"},
		[]string{"Mun", "mun@city.ca", "City of Iqaluit", "Municipal", "NU", "Active"})
	// allButNU returns the base rows plus extra ones, which start on row 17.
	allButNU := func(extra ...[]string) [][]string { return slices.Concat(base, extra) }
	tests := []struct {
		name string
		rows [][]string
		want []got
	}{
		{"clean", allButNU(), []got{{CodeJurisdictionMissing, "", "NU"}}},
		{"invalid e-mail", allButNU([]string{"X", "x@@y", "Org", "Federal", "", "Active"}),
			[]got{{CodeMemberEmailInvalid, "B17", "x@@y"}, {CodeJurisdictionMissing, "", "NU"}}},
		{"duplicate e-mail in another case", allButNU([]string{"Y", "PA@GOV.CA", "Org", "Federal", "", "Active"}),
			[]got{{CodeMemberEmailDuplicate, "B17", "PA@GOV.CA"}, {CodeJurisdictionMissing, "", "NU"}}},
		{"unknown province", allButNU([]string{"Z", "z@gov.ca", "Org", "Municipal", "Nunavit", "Active"}),
			[]got{{CodeMemberJurisdictionUnknown, "E17", "Nunavit"}, {CodeJurisdictionMissing, "", "NU"}}},
		{"municipal without province", allButNU([]string{"Z", "z@gov.ca", "City", "Ville", "", "Active"}),
			[]got{{CodeMemberJurisdictionMissing, "E17", OrderMunicipal}, {CodeJurisdictionMissing, "", "NU"}}},
		{"missing organization", allButNU([]string{"Z", "z@gov.ca", "", "Federal", "", "Active"}),
			[]got{{CodeMemberFieldMissing, "C17", ""}, {CodeJurisdictionMissing, "", "NU"}}},
		{"unknown order", allButNU([]string{"Z", "z@gov.ca", "Org", "Feds", "", "Active"}),
			[]got{{CodeMemberOrderUnknown, "D17", "Feds"}, {CodeJurisdictionMissing, "", "NU"}}},
		{"inactive member does not cover", allButNU([]string{"Z", "z@gov.ca", "Org", "Provincial", "Nunavut", "Inactif"}),
			[]got{{CodeJurisdictionMissing, "", "NU"}}},
		{"federal member does not cover", allButNU([]string{"Z", "z@gov.ca", "Org", "Federal", "Nunavut", "Active"}),
			[]got{{CodeJurisdictionMissing, "", "NU"}}},
		{"blank and formatted rows ignored", allButNU([]string{"", "", "", "", "", ""}, []string{" ", "\u00a0"}),
			[]got{{CodeJurisdictionMissing, "", "NU"}}},
		{"unknown status", allButNU([]string{"Z", "z@gov.ca", "Org", "Provincial", "NU", "Peut-être"}),
			[]got{{CodeJurisdictionMissing, "", "NU"}, {CodeMemberStatusUnknown, "F17", "Peut-être"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(DefaultRules(), cat, table(SourceMembers, 2, memberHeader, tt.rows...))
			g := summarize(res.Findings)
			if !slices.Equal(g, tt.want) {
				t.Errorf("findings:\n got %v\nwant %v", g, tt.want)
			}
		})
	}
}

func TestFindingMessages(t *testing.T) {
	cat := testCatalogue(t)
	rows := append(ptRows("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "NT", "YT"),
		[]string{"Y", "PA@GOV.CA", "Org", "Federal", "", "Active"},
		[]string{"Z", "z@gov.ca", "Org", "Municipal", "Ontaro", "Active"})
	res := Check(DefaultRules(), cat, table(SourceMembers, 2, memberHeader, rows...))
	byCode := map[string]Finding{}
	for _, f := range res.Findings {
		byCode[f.Code] = f
	}
	dup := byCode[CodeMemberEmailDuplicate]
	if dup.Text(cat, "en", Disclose) != "Row 15: same e-mail address as row 3" || dup.Text(cat, "fr", Disclose) != "Ligne 15\u00a0: même adresse courriel qu’à la ligne 3" {
		t.Errorf("duplicate messages: %q / %q", dup.Text(cat, "en", Disclose), dup.Text(cat, "fr", Disclose))
	}
	if !dup.Personal || strings.Contains(dup.Text(cat, "en", Disclose), "PA@GOV.CA") {
		t.Errorf("duplicate finding must keep the address out of its message and mark it personal: %+v", dup)
	}
	unk := byCode[CodeMemberJurisdictionUnknown]
	if unk.Suggestion != "Ontario" || !strings.Contains(unk.Text(cat, "en", Disclose), "did you mean Ontario?") || !strings.Contains(unk.Text(cat, "fr", Disclose), "vouliez-vous dire Ontario\u00a0?") {
		t.Errorf("unknown province: %+v", unk)
	}
	if unk.Link != "" { // a local workbook has no link: it would point at the secretariat's disk
		t.Errorf("link = %q", unk.Link)
	}
	cov := byCode[CodeJurisdictionMissing]
	if cov.Text(cat, "en", Disclose) != "Nunavut has no active provincial/territorial representative" || cov.Text(cat, "fr", Disclose) != "Le Nunavut n’a aucun représentant provincial ou territorial actif" {
		t.Errorf("coverage messages: %q / %q", cov.Text(cat, "en", Disclose), cov.Text(cat, "fr", Disclose))
	}
	for _, f := range res.Findings {
		if strings.Contains(f.Text(cat, "en", Disclose)+f.Text(cat, "fr", Disclose), "!finding.") {
			t.Errorf("%s: message missing from the catalogue", f.Code)
		}
	}
}

var issueHeader = []string{"Enjeu", "Criticité", "Incidence", "Plan d'action", "Statut", "Échéance"}

func TestIssueChecks(t *testing.T) {
	cat := testCatalogue(t)
	r := DefaultRules()
	r.Today = time.Date(2022, 9, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		row  []string
		want []got
	}{
		{"complete", []string{"Issue", "Élevée", "moyenne", "Plan", "Ouvert", "2022-12-01"}, nil},
		{"seed issue", []string{"No representative from NL", "", "", "Ask the Council", "", ""},
			[]got{{CodeIssueIncomplete, "B3", "B3,C3"}}},
		{"all three missing", []string{"Issue", "", "", "", "", ""},
			[]got{{CodeIssueIncomplete, "B3", "B3,C3,D3"}}},
		{"no issue text", []string{"", "High", "", "", "", ""},
			[]got{{CodeIssueTextMissing, "A3", ""}}},
		{"invalid value", []string{"Issue", "Urgent", "Low", "Plan", "", ""},
			[]got{{CodeIssueValueInvalid, "B3", "Urgent"}}},
		{"overdue", []string{"Issue", "High", "Low", "Plan", "Open", "2022-01-31"},
			[]got{{CodeIssueOverdue, "F3", "2022-01-31"}}},
		{"closed past date", []string{"Issue", "High", "Low", "Plan", "Fermé", "2022-01-31"}, nil},
		{"bad date", []string{"Issue", "High", "Low", "Plan", "Open", "bientôt"},
			[]got{{CodeIssueDateInvalid, "F3", "bientôt"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(r, cat, table(SourceIssues, 2, issueHeader, tt.row))
			if g := summarize(res.Findings); !slices.Equal(g, tt.want) {
				t.Errorf("findings:\n got %v\nwant %v", g, tt.want)
			}
		})
	}
	res := Check(r, cat, table(SourceIssues, 2, issueHeader, []string{"X", "", "", "Plan", "", ""}))
	f := res.Findings[0]
	if f.Text(cat, "en", Disclose) != "Row 3: the issue lacks its criticality and incidence (B3, C3)" {
		t.Errorf("message = %q", f.Text(cat, "en", Disclose))
	}
	if res.Summary.IssuesIncomplete != 1 || res.Summary.IssuesTotal != 1 {
		t.Errorf("summary: %+v", res.Summary)
	}
}

func TestColumnMissing(t *testing.T) {
	cat := testCatalogue(t)
	res := Check(DefaultRules(), cat, table(SourceIssues, 1, []string{"Issue", "Action plan"}, []string{"X", "Plan"}))
	var codes []string
	for _, f := range res.Findings {
		codes = append(codes, f.Code+":"+f.Field)
	}
	want := []string{CodeColumnMissing + ":" + FieldCriticality, CodeColumnMissing + ":" + FieldIncidence}
	if !slices.Equal(codes, want) {
		t.Errorf("got %v, want %v (one finding per missing column, none per row)", codes, want)
	}
}

func TestStableIDs(t *testing.T) {
	cat := testCatalogue(t)
	rows := append(ptRows("NL", "PE"), []string{"Y", "PA@GOV.CA", "Org", "Federal", "", "Active"}, []string{"Z", "z@x", "Org", "Federal", "", "Active"})
	before := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, rows...))
	// Someone inserts a row at the top: every row moves down by one.
	after := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, append([][]string{{"New", "new@gov.ca", "Org", "Federal", "", "Active"}}, rows...)...))
	ids := func(r *Result) map[string]string {
		m := map[string]string{}
		for _, f := range r.Findings {
			m[f.ID] = f.Code
		}
		return m
	}
	a, b := ids(before), ids(after)
	if len(a) != len(before.Findings) {
		t.Fatalf("ids are not unique: %d ids for %d findings", len(a), len(before.Findings))
	}
	for id, code := range a {
		if b[id] != code {
			t.Errorf("finding %s (%s) changed id when a row was inserted", id, code)
		}
	}
}

func TestCustomRules(t *testing.T) {
	cat := testCatalogue(t)
	r := DefaultRules()
	r.Fields = map[string]map[string][]string{SourceMembers: {"phone": {"Téléphone"}}}
	r.Custom = []Rule{
		{Name: "role-required", Source: SourceMembers, Field: FieldRole, Required: true, Severity: Warning},
		{Name: "phone-format", Source: SourceMembers, Field: "phone", Pattern: regexp.MustCompile(`^\d{3}-\d{3}-\d{4}$`), Severity: Error},
		{Name: "status-values", Source: SourceMembers, Field: FieldStatus, Allowed: Choices{{Value: "active", EN: "Active", FR: "Actif"}, {Value: "inactive", EN: "Inactive", FR: "Inactif"}}, Severity: Info},
		{Name: "org-unique", Source: SourceMembers, Field: FieldOrganization, Unique: true, Severity: Info},
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	header := []string{"Nom", "Courriel", "Organisation", "Ordre", "Province", "Statut", "Rôle", "Téléphone"}
	tb := table(SourceMembers, 1, header,
		[]string{"A", "a@x.ca", "Org A", "Federal", "", "Active", "Lead", "613-555-0101"},
		[]string{"B", "b@x.ca", "org a", "Federal", "", "actif", "", "6135550102"},
	)
	tb.Header.Columns[7].Field = "phone" // as the reader maps it with the configured aliases
	res := Check(r, cat, tb)
	var g []string
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Code, "rule.") {
			g = append(g, f.Code+"@"+f.Cell+":"+f.Severity.String())
		}
	}
	slices.Sort(g)
	want := []string{"rule.duplicate@C3:info", "rule.pattern@H3:error", "rule.required@G3:warning"}
	if !slices.Equal(g, want) {
		t.Errorf("got %v, want %v", g, want)
	}
}

func TestSummaryCounts(t *testing.T) {
	cat := testCatalogue(t)
	rows := [][]string{
		{"A", "a@x.ca", "Service Canada", "Federal", "", "Active"},
		{"B", "b@x.ca", "SERVICE CANADA ", "Fédéral", "", "Actif"},
		{"C", "c@x.ca", "Ministry of Health", "Provincial", "ON", "Active"},
		{"D", "d@x.ca", "Ministry of Health", "Provincial", "BC", "Active"},
		{"E", "e@x.ca", "City of Ottawa", "Municipal", "ON", "Active"},
		{"F", "f@x.ca", "City of Laval", "Municipal", "QC", "Inactive"},
	}
	res := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, rows...))
	s := res.Summary
	if s.MembersActive != 5 || s.MembersTotal != 6 || s.FederalOrganizations != 1 || s.PTOrganizations != 2 || s.MunicipalOrganizations != 1 {
		t.Errorf("summary = %+v", s)
	}
	if len(s.JurisdictionsMissing) != 11 || slices.Contains(s.JurisdictionsMissing, "ON") || !slices.Contains(s.JurisdictionsMissing, "QC") {
		t.Errorf("missing = %v", s.JurisdictionsMissing)
	}
}

func TestEveryCodeHasMessages(t *testing.T) {
	cat := testCatalogue(t)
	for code := range Codes {
		if !cat.Has("finding." + code) {
			t.Errorf("no message for finding code %s", code)
		}
	}
	for _, s := range DefaultSchemas() {
		for _, f := range s.Fields {
			if !cat.Has("field." + f.Name) {
				t.Errorf("no name for field %s", f.Name)
			}
		}
	}
	for _, sev := range []Severity{Info, Warning, Error} {
		if !cat.Has("severity." + sev.String()) {
			t.Errorf("no name for severity %s", sev)
		}
	}
}

func TestCatalogueRejectsMissingTranslation(t *testing.T) {
	if _, err := ParseCatalogue([]byte(`{"a": {"en": "x", "fr": "y"}, "b": {"en": "only english"}}`)); err == nil || !strings.Contains(err.Error(), "b (fr)") {
		t.Errorf("err = %v, want one naming b (fr)", err)
	}
}

// TestIDsFollowTheRecord: findings on distinct rows that share a bad value
// have distinct ids, which stay while the problem stays on the same record,
// whatever rows are inserted or fixed around it.
func TestIDsFollowTheRecord(t *testing.T) {
	cat := testCatalogue(t)
	base := ptRows("NL", "PE")
	rows := slices.Concat(base, [][]string{
		{"Ann", "n/a", "Org", "Federal", "", "Active"},
		{"Bob", "n/a", "Org", "Federal", "", "Active"},
		{"", "n/a", "Org A", "Federal", "", "Active"},
		{"", "n/a", "Org A", "Federal", "", "Active"}, // the same row twice
		{"Cy", "dup@gc.ca", "Org", "Federal", "", "Active"},
		{"Di", "dup@gc.ca", "Org", "Federal", "", "Paused"},
		{"Ed", "dup@gc.ca", "Org", "Federal", "", "Paused"},
	})
	invalid := func(res *Result) map[int]string {
		m := map[int]string{}
		for _, f := range res.Findings {
			if f.Code == CodeMemberEmailInvalid || f.Code == CodeMemberStatusUnknown {
				m[f.Row*100+len(f.Code)] = f.ID
			}
		}
		return m
	}
	first := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, rows...))
	ids := map[string]bool{}
	for _, f := range first.Findings {
		if ids[f.ID] {
			t.Errorf("two findings share the id %s (%s, row %d)", f.ID, f.Code, f.Row)
		}
		ids[f.ID] = true
	}
	if n := len(invalid(first)); n != 6 {
		t.Fatalf("%d invalid e-mail and status findings, want 6", n)
	}

	// Ann's address is fixed: her finding goes, Bob's and the others keep
	// their ids.
	fixed := slices.Clone(rows)
	fixed[len(base)] = []string{"Ann", "ann@gc.ca", "Org", "Federal", "", "Active"}
	second := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, fixed...))
	byID := map[string]bool{}
	for _, f := range second.Findings {
		byID[f.ID] = true
	}
	gone := 0
	for _, f := range first.Findings {
		if !byID[f.ID] {
			gone++
			if f.Code != CodeMemberEmailInvalid || f.Row != len(base)+2 {
				t.Errorf("finding %s (%s, row %d) changed id though its problem stayed", f.ID, f.Code, f.Row)
			}
		}
	}
	if gone != 1 || len(second.Findings) != len(first.Findings)-1 {
		t.Errorf("%d findings went, %d left of %d; want exactly Ann's to go", gone, len(second.Findings), len(first.Findings))
	}

	// A second "n/a" below the first is one new finding, not none.
	more := slices.Insert(slices.Clone(rows), len(base)+1, []string{"Zoe", "n/a", "Org", "Federal", "", "Active"})
	third := Check(DefaultRules(), cat, table(SourceMembers, 1, memberHeader, more...))
	added := 0
	for _, f := range third.Findings {
		if !ids[f.ID] {
			added++
		}
	}
	if added != 1 || len(third.Findings) != len(first.Findings)+1 {
		t.Errorf("%d findings with new ids among %d (was %d); want 1", added, len(third.Findings), len(first.Findings))
	}
}

func TestPlaceholders(t *testing.T) {
	cat := testCatalogue(t)
	r := DefaultRules()
	members := table(SourceMembers, 1, memberHeader,
		[]string{"Ann", "ann@gov.ca", "À déterminer", "Provincial", "QC", "Actif"},
		[]string{"Bob", "bob@gov.ca", "Ministry", "Provincial", "?", "Actif"},
	)
	issues := table(SourceIssues, 1, []string{"Enjeu", "Criticité", "Incidence", "Plan d'action"},
		[]string{"Speakers", "TBD", "Élevée", "—"},
		[]string{"Chat", "Bof", "Faible", "Table ronde"},
	)
	activities := table(SourceActivities, 1, []string{"Date", "Réalisée/prévue", "Thème"},
		[]string{"2027-10-15", "À venir", "Chatbots"},
	)
	res := Check(r, cat, members, issues, activities)
	var codes []string
	msgs := map[string]Finding{}
	for _, f := range res.Findings {
		if f.Cell != "" {
			codes = append(codes, f.Code+" "+f.Cell)
			msgs[f.Cell] = f
		}
	}
	want := []string{
		"member.field-missing C2", "member.jurisdiction-missing E3",
		"issue.incomplete B2", "issue.value-invalid B3",
	}
	if strings.Join(sortedCopy(codes), "\n") != strings.Join(sortedCopy(want), "\n") {
		t.Errorf("findings %q, want %q", codes, want)
	}
	if f := msgs["C2"]; f.Text(cat, "en", Disclose) != `Row 2: the organization is not given yet (it says "À déterminer")` ||
		f.Text(cat, "fr", Disclose) != "Ligne 2\u00a0: le champ organisation n’est pas encore rempli (il indique «\u00a0À déterminer\u00a0»)" {
		t.Errorf("C2: %q / %q", f.Text(cat, "en", Disclose), f.Text(cat, "fr", Disclose))
	}
	if f := msgs["B2"]; !strings.Contains(f.Text(cat, "en", Disclose), `criticality is "TBD"; action plan is "—"`) {
		t.Errorf("B2: %q", f.Text(cat, "en", Disclose))
	}
	if len(res.Activities) != 1 || !res.Activities[0].Planned {
		t.Errorf("activity typed À venir: %+v, want planned (a value of the field, not a placeholder)", res.Activities)
	}

	r.Placeholders = nil
	res = Check(r, cat, issues)
	n := 0
	for _, f := range res.Findings {
		if f.Code == CodeIssueValueInvalid {
			n++
		}
	}
	if n != 2 {
		t.Errorf("without placeholders, %d value errors, want 2 (TBD and Bof)", n)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestFieldPlaceholders(t *testing.T) {
	r := DefaultRules()
	r.FieldPlaceholders = map[string]map[string][]string{SourceIssues: {FieldCriticality: {"N/A", "s.o."}}}
	issues := table(SourceIssues, 1, []string{"Enjeu", "Criticité", "Incidence", "Plan d'action"},
		[]string{"Speakers", "N/A", "Élevée", "Sonder"},
		[]string{"Chat", "Faible", "N/A", "Table ronde"},
	)
	res := Check(r, testCatalogue(t), issues)
	var codes []string
	for _, f := range res.Findings {
		codes = append(codes, f.Code+" "+f.Cell)
	}
	// N/A is "not yet" for the criticality only; in the incidence it is
	// still not a valid level.
	want := []string{"issue.value-invalid C3", "issue.incomplete B2"}
	if strings.Join(codes, "|") != strings.Join(want, "|") {
		t.Errorf("findings %q, want %q", codes, want)
	}
}

// TestCheckReadsStoredRows checks that Check validates a table's rows
// wherever the table keeps them: in Rows, or encoded in a RowStore.
func TestCheckReadsStoredRows(t *testing.T) {
	cat := testCatalogue(t)
	rows := append(ptRows("NL", "PE", "NS"),
		[]string{"Y", "pa@gov.ca", "Org", "Federal", "", "Active"},
		[]string{"Z", "pa@gov.ca", "Org", "Municipal", "Ontaro", "Active"})
	plain := table(SourceMembers, 2, memberHeader, rows...)
	stored := plain
	stored.Rows, stored.Store = nil, &RowStore{}
	for _, r := range plain.Rows {
		stored.Store.Add(r)
	}
	want := Check(DefaultRules(), cat, plain)
	got := Check(DefaultRules(), cat, stored)
	if len(want.Findings) == 0 || got.Summary.MembersTotal != want.Summary.MembersTotal || len(got.Findings) != len(want.Findings) {
		t.Fatalf("stored rows: %d members, %d findings; plain rows: %d members, %d findings",
			got.Summary.MembersTotal, len(got.Findings), want.Summary.MembersTotal, len(want.Findings))
	}
	for i := range want.Findings {
		if got.Findings[i].ID != want.Findings[i].ID || got.Findings[i].Cell != want.Findings[i].Cell {
			t.Errorf("finding %d: %s at %s, want %s at %s", i, got.Findings[i].Code, got.Findings[i].Cell, want.Findings[i].Code, want.Findings[i].Cell)
		}
	}
}
