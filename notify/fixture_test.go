package notify

import (
	"strings"
	"testing"

	"copsync/templates"
	"copsync/validate"
)

// catalogue returns the real message catalogue.
func catalogue(t testing.TB) *validate.Catalogue {
	t.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// table builds a validated table from rows of text, the first being the
// header row (sheet row 1).
func table(t testing.TB, source, sheet string, rows [][]string) validate.Table {
	t.Helper()
	schema := validate.DefaultSchemas()[source]
	h, err := validate.DetectHeader(rows[:1], schema)
	if err != nil {
		t.Fatalf("%s header: %v", source, err)
	}
	tb := validate.Table{
		Origin: validate.Origin{Source: source, Kind: "xlsx", Path: "/data/" + source + ".xlsx", Sheet: sheet},
		Header: h,
	}
	for i, r := range rows[1:] {
		row := validate.Row{Num: i + 2}
		for c, s := range r {
			v := validate.Value{Kind: validate.String, Text: s}
			if s == "" {
				v = validate.Value{}
			}
			row.Cells = append(row.Cells, validate.Cell{Ref: validate.CellRef(c, i+2), Value: v})
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

// The personal data in the fixture, which must not reach an e-mail by
// default.
const (
	badEmail   = "jeanne.tremblay@@gouv.qc.ca"
	memberName = "Jeanne Tremblay"
)

// membersRows is a membership where NL, PE, NU and YT have no provincial/
// territorial member (as in the seed report), plus one invalid address.
func membersRows() [][]string {
	return [][]string{
		{"Name", "E-mail", "Organization", "Order of government", "Province/Territory", "Status"},
		{"Alex Martin", "alex.martin@canada.ca", "Service Canada", "Federal", "ON", "Active"},
		{memberName, badEmail, "Services Québec", "Provincial", "Québec", "Actif"},
		{"Sam Lee", "sam.lee@ontario.ca", "ServiceOntario", "Provincial", "Ontario", "Active"},
		{"Chris Roy", "chris.roy@gnb.ca", "Service New Brunswick", "Provincial", "N.B.", "Active"},
		{"Pat Kelly", "pat.kelly@novascotia.ca", "Service Nova Scotia", "Provincial", "NS", "Active"},
		{"Dana Fox", "dana.fox@gov.mb.ca", "Manitoba Service", "Provincial", "Man.", "Active"},
		{"Lee Wong", "lee.wong@gov.sk.ca", "Saskatchewan Service", "Provincial", "Sask.", "Active"},
		{"Robin Hart", "robin.hart@gov.ab.ca", "Service Alberta", "Provincial", "Alta.", "Active"},
		{"Max Bell", "max.bell@gov.bc.ca", "Service BC", "Provincial", "B.C.", "Active"},
		{"Jo Snow", "jo.snow@gov.nt.ca", "NWT Services", "Territorial", "N.W.T.", "Active"},
		{"Ana Cruz", "ana.cruz@ottawa.ca", "City of Ottawa", "Municipal", "ON", "Active"},
	}
}

// issuesRows is the seed report's issue, with its criticality and
// incidence left empty.
func issuesRows() [][]string {
	return [][]string{
		{"Issue", "Criticality", "Incidence", "Action plan"},
		{"The group has no representative from NL, PE, NU and YT", "", "", "Ask the Council members of those provinces and territories"},
	}
}

// result validates the fixture.
func result(t testing.TB, members, issues [][]string) *validate.Result {
	t.Helper()
	return validate.Check(validate.DefaultRules(), catalogue(t),
		table(t, validate.SourceMembers, "Members", members),
		table(t, validate.SourceIssues, "Issues", issues))
}

// codes returns the codes of findings, for messages.
func codes(fs []validate.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Code+"@"+f.Cell)
	}
	return strings.Join(s, ", ")
}
