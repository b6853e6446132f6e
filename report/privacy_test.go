package report

import (
	"slices"
	"strings"
	"testing"

	"copsync/validate"
)

// TestWithoutPersonalData builds the e-mail's copy of the example report:
// no Members sheet, no member's name or address anywhere (findings worded
// without them, their values left out), a field of the issues register
// marked personal blanked in its copy; the full report holds them all.
func TestWithoutPersonalData(t *testing.T) {
	in := exampleInput(t, "both")
	in.PersonalFields = map[string][]string{
		validate.SourceMembers: {validate.FieldName, validate.FieldEmail},
		validate.SourceIssues:  {validate.FieldOwner},
	}
	// Two more members: one with an address that is not valid, one with
	// the first member's address; a custom rule on their names.
	rows := memberRows()
	rows = append(rows,
		[]validate.Value{str("Zéphirine Quaggleworth"), str("zq@@example"), str("Health Canada"), str("Federal"), {}, str("Analyst"), str("Active")},
		[]validate.Value{str("Quintus Quaggle"), rows[0][1], str("Health Canada"), str("Federal"), {}, str("Analyst"), str("Active")})
	members := table(validate.SourceMembers, "/srv/secretariat/members.xlsx", "Members", memberTitles, rows)
	rules := validate.DefaultRules()
	rules.Today = runDate
	rules.PersonalFields = in.PersonalFields
	rules.Custom = []validate.Rule{{Name: "name-form", Source: validate.SourceMembers, Field: validate.FieldName,
		Allowed: validate.Choices{{Value: "Nobody"}}, Severity: validate.Warning}}
	in.Members = []validate.Table{members}
	in.Result = validate.Check(rules, in.Catalogue, members, in.Issues[0], in.Activities[0])
	var personal []string
	for _, r := range members.Rows {
		for _, f := range []string{validate.FieldName, validate.FieldEmail} {
			if s := r.Cell(members.Header.Col(f)).Value.Trimmed(); s != "" {
				personal = append(personal, s)
			}
		}
	}
	owners := map[string]bool{}
	for _, r := range in.Issues[0].Rows {
		owners[r.Cell(in.Issues[0].Header.Col(validate.FieldOwner)).Value.Trimmed()] = true
	}
	personalFindings := 0
	for _, f := range in.Result.Findings {
		if f.Personal {
			personalFindings++
		}
	}
	if len(personal) < 80 || personalFindings == 0 || !owners["Secretariat"] {
		t.Fatalf("the fixture has %d names and addresses, %d personal findings, owners %v", len(personal), personalFindings, owners)
	}

	full, _ := reopen(t, build(t, in))
	fullDump, err := dump(full)
	if err != nil {
		t.Fatal(err)
	}
	in.WithoutPersonalData = true
	issuesBefore := in.Issues[0].Rows[1].Cells[4].Value.Trimmed()
	att, _ := reopen(t, build(t, in))
	attDump, err := dump(att)
	if err != nil {
		t.Fatal(err)
	}
	if in.Issues[0].Rows[1].Cells[4].Value.Trimmed() != issuesBefore {
		t.Error("building the copy blanked the caller's table")
	}

	if !strings.Contains(attDump, "This copy, sent by e-mail, leaves out the membership list") || strings.Contains(fullDump, "This copy, sent by e-mail") {
		t.Error("the copy's summary does not say what it leaves out, or the full report says it")
	}
	if slices.Contains(att.GetSheetList(), "Members - Membres") || !slices.Contains(full.GetSheetList(), "Members - Membres") {
		t.Errorf("sheets: copy %v, full %v", att.GetSheetList(), full.GetSheetList())
	}
	for _, s := range personal {
		if strings.Contains(attDump, s) {
			t.Errorf("the copy holds %q", s)
		}
		if !unsafeLead(s) && !strings.Contains(fullDump, s) { // a formula-like text is written escaped
			t.Errorf("the full report lacks %q", s)
		}
	}
	issues := att.GetSheetList()[2]
	for _, r := range in.Issues[0].Rows {
		cell := validate.CellRef(in.Issues[0].Header.Col(validate.FieldOwner), r.Num)
		if v, _ := att.GetCellValue(issues, cell); v != "" {
			t.Errorf("%s!%s holds the owner %q, a field marked personal", issues, cell, v)
		}
		if v, _ := full.GetCellValue(issues, cell); v == "" {
			t.Errorf("the full report's %s!%s lost its owner", issues, cell)
		}
	}
}
