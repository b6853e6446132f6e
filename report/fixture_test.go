package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"copsync/templates"
	"copsync/validate"
)

// runDate is the run date of the test reports: the date of the seed report.
var runDate = time.Date(2022, 9, 29, 0, 0, 0, 0, time.UTC)

func catalogue(t testing.TB) *validate.Catalogue {
	t.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// str returns a text value.
func str(s string) validate.Value {
	if s == "" {
		return validate.Value{}
	}
	return validate.Value{Kind: validate.String, Text: s}
}

// table builds a table whose header is in row 1 and whose rows follow.
func table(source, path, sheet string, titles []string, rows [][]validate.Value) validate.Table {
	schema := validate.DefaultSchemas()[source]
	h, err := validate.DetectHeader([][]string{titles}, schema)
	if err != nil {
		panic(err)
	}
	t := validate.Table{Origin: validate.Origin{Source: source, Kind: "xlsx", Path: path, Sheet: sheet}, Header: h}
	for i, vals := range rows {
		r := validate.Row{Num: i + 2}
		for c, v := range vals {
			r.Cells = append(r.Cells, validate.Cell{Ref: validate.CellRef(c, r.Num), Value: v})
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}

var firstNames = []string{"Alex", "Marie", "Jean", "Sarah", "Wei", "Priya", "Luc", "Emma", "Omar", "Chloé", "David", "Nathalie", "Samuel", "Fatima", "Kevin", "Isabelle"}
var lastNames = []string{"Tremblay", "Martin", "Roy", "Smith", "Gagnon", "Singh", "Lee", "Bouchard", "Brown", "Côté", "Wilson", "Pelletier", "Nguyen", "Morin", "Taylor", "Lavoie", "Campbell"}

// memberRows returns a membership like the seed report's: 80 active members
// from 5 federal departments, 21 provincial/territorial ministries and 21
// municipalities, nobody from NL, PE, NU or YT, plus inactive members and a
// few rows with problems.
func memberRows() [][]validate.Value {
	var rows [][]validate.Value
	n := 0
	add := func(org, order, pt, status string) {
		first, last := firstNames[n%len(firstNames)], lastNames[(n/len(firstNames)+n)%len(lastNames)]
		name := first + " " + last
		email := strings.ToLower(strings.NewReplacer("é", "e", "ô", "o").Replace(first+"."+last)) + fmt.Sprintf("%d@example.ca", n)
		joined := validate.Value{Kind: validate.Number, Text: "44562", Num: 44562 + float64(n*7)} // from 2022-01-01
		rows = append(rows, []validate.Value{str(name), str(email), str(org), str(order), str(pt), str("Director"), str(status), joined})
		n++
	}
	federal := []string{"Employment and Social Development Canada", "Canada Revenue Agency", "Immigration, Refugees and Citizenship Canada", "Public Services and Procurement Canada", "Statistics Canada"}
	for i := range 20 {
		add(federal[i%5], "Federal", "", "Active")
	}
	// 21 ministries in 9 provinces and territories, written as people write them.
	ministries := []struct{ pt, org string }{
		{"N.S.", "Service Nova Scotia"}, {"Nova Scotia", "Department of Health and Wellness"},
		{"NB", "Service New Brunswick"}, {"Nouveau-Brunswick", "Ministère de la Santé"},
		{"Qc", "Services Québec"}, {"Québec", "Ministère de la Cybersécurité et du Numérique"}, {"QC", "Revenu Québec"},
		{"Ont.", "ServiceOntario"}, {"Ontario", "Ministry of Health"}, {"ON", "Ministry of Transportation"},
		{"Man.", "Manitoba Health"}, {"MB", "Service Manitoba"},
		{"Sask.", "Ministry of SaskBuilds and Procurement"}, {"SK", "Ministry of Social Services"},
		{"Alta.", "Service Alberta"}, {"AB", "Alberta Health"}, {"Alberta", "Alberta Seniors, Community and Social Services"},
		{"B.C.", "Service BC"}, {"BC", "Ministry of Citizens' Services"}, {"Colombie-Britannique", "Ministry of Health"},
		{"N.W.T.", "Department of Finance"},
	}
	for i := range 35 {
		m := ministries[i%len(ministries)]
		add(m.org, "Provincial/territorial", m.pt, "Actif")
	}
	municipalities := []struct{ pt, org string }{
		{"ON", "City of Toronto"}, {"ON", "City of Ottawa"}, {"ON", "City of Mississauga"}, {"ON", "City of Hamilton"},
		{"QC", "Ville de Montréal"}, {"QC", "Ville de Québec"}, {"QC", "Ville de Gatineau"},
		{"BC", "City of Vancouver"}, {"BC", "City of Surrey"}, {"BC", "City of Victoria"},
		{"AB", "City of Calgary"}, {"AB", "City of Edmonton"},
		{"MB", "City of Winnipeg"}, {"SK", "City of Regina"}, {"SK", "City of Saskatoon"},
		{"NS", "Halifax Regional Municipality"}, {"NB", "City of Moncton"}, {"NB", "City of Fredericton"},
		{"NT", "City of Yellowknife"}, {"ON", "City of London"}, {"QC", "Ville de Laval"},
	}
	for i := range 25 {
		m := municipalities[i%len(municipalities)]
		add(m.org, "Municipal", m.pt, "Active")
	}
	add("City of Brampton", "Municipal", "ON", "Inactive")
	add("Parks Canada", "Federal", "", "Former")
	// Rows with problems: an unknown province, a missing e-mail, an unknown
	// order of government; they are not counted as active members of a
	// recognized order.
	add("City of Kingston", "Municipal", "Ontairo", "Retired")
	rows[len(rows)-1][1] = str("")
	add("Nunavut Arctic College", "Territoral govt", "NU", "Active")
	// A name that a spreadsheet program would take for a formula.
	add("Canada Post", "Federal", "", "Inactive")
	rows[len(rows)-1][0] = str(injection)
	return rows
}

// injection is a member's name that must stay text in the report.
const injection = `=HYPERLINK("http://x","y")`

var memberTitles = []string{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Role", "Status", "Date joined"}

var issueTitles = []string{"Enjeu", "Criticité", "Incidence", "Plan d'action", "Responsable", "Statut", "Échéance"}

// issueRows returns the seed report's issue, whose criticality and
// incidence are empty, and others.
func issueRows() [][]validate.Value {
	return [][]validate.Value{
		{str("The group has no representative from NL, PE, NU and YT"), {}, {}, str("Ask the Council members from those provinces and territories to consider naming a representative; review the terms of reference."), str("Co-chairs"), str("Open")},
		{str("Finding speakers for the round tables"), str("Medium"), str("Élevée"), str("Ask members to present their service-centre technology."), str("Secretariat"), str("In progress"), validate.Value{Kind: validate.Number, Text: "44926", Num: 44926}},
		{str("Low attendance from municipalities"), str("Urgent"), str("Low"), str("Call the municipal members before each meeting."), str("Secretariat"), str("Open"), str("2022-06-30")},
	}
}

var activityTitles = []string{"Date", "Type", "Theme", "Description"}

func activityRows() [][]validate.Value {
	return [][]validate.Value{
		{str("2021-11-16"), str("Completed"), str("Onboarding"), str("Welcome session for new members.")},
		{str("2022-04-12"), str("Completed"), str("Chatbots"), str("Round table on chatbots; well received.")},
		{str("2022-06-14"), str("Réalisée"), str("Live chat"), str("Round table on live chat; members want more round tables.")},
		{str("2022-10-18"), str("Planned"), str("Service-centre technology"), str("Technology and features that members recently put in place.")},
		{str("2023-01-17"), str("Prévue"), str("Vulnerable communities"), str("Views on communities that are vulnerable in terms of service.")},
	}
}

// exampleInput returns a report input like the seed report's, validated
// with the default rules.
func exampleInput(t testing.TB, lang string) Input {
	t.Helper()
	cat := catalogue(t)
	members := table(validate.SourceMembers, "/srv/secretariat/members.xlsx", "Members", memberTitles, memberRows())
	issues := table(validate.SourceIssues, "/srv/secretariat/issues.xlsx", "Enjeux", issueTitles, issueRows())
	activities := table(validate.SourceActivities, "/srv/secretariat/activities.xlsx", "Activities", activityTitles, activityRows())
	rules := validate.DefaultRules()
	rules.Today = runDate
	res := validate.Check(rules, cat, members, issues, activities)
	return Input{
		Result:     res,
		Issues:     []validate.Table{issues},
		Members:    []validate.Table{members},
		Activities: []validate.Table{activities},
		Catalogue:  cat,
		Lang:       lang,
		RunDate:    runDate,
		Community: Community{
			NameEN:    "Service Centre Community of Practice",
			NameFR:    "Communauté de pratique du centre de services",
			CouncilEN: "Public Sector Service Delivery Council (PSSDC)",
			CouncilFR: "Conseil de la prestation des services du secteur public (CPSSP)",
			CoChairs: []CoChair{
				{Name: "Jeannette Eason", TitleEN: "Co-chair, Government of British Columbia", TitleFR: "coprésidente, gouvernement de la Colombie-Britannique"},
				{Name: "Trevor Milne", TitleEN: "Co-chair, ESDC/Service Canada", TitleFR: "coprésident, EDSC/Service Canada"},
			},
		},
	}
}

// TestExampleInputIsLikeTheSeed guards the fixture itself: the counts the
// other tests look for in the workbook.
func TestExampleInputIsLikeTheSeed(t *testing.T) {
	in := exampleInput(t, "en")
	s := in.Result.Summary
	got := []int{s.MembersActive, s.FederalOrganizations, s.PTOrganizations, s.MunicipalOrganizations}
	if want := []int{80, 5, 21, 21}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("active, federal, PT, municipal = %v, want %v", got, want)
	}
	if got := strings.Join(s.JurisdictionsMissing, ","); got != "NL,PE,NU,YT" {
		t.Fatalf("missing = %s", got)
	}
}
