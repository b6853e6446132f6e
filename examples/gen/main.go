// Command gen writes the example workbooks of examples/: a membership sheet,
// an issues register and an activities sheet that reproduce the
// community's September 2022 report to the Council (80 active people from
// five federal departments or agencies, 21 provincial/territorial
// ministries and 21 municipalities; no one from Newfoundland and Labrador,
// Prince Edward Island, Nunavut or Yukon; one issue whose criticality and
// incidence are empty).
//
// Run it from the repository root: go run ./examples/gen
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

type member struct {
	org, order, pt, role, status string
}

func main() {
	dir := "examples"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := writeMembers(filepath.Join(dir, "members.xlsx")); err != nil {
		log.Fatal(err)
	}
	if err := writeIssues(filepath.Join(dir, "issues.xlsx")); err != nil {
		log.Fatal(err)
	}
	if err := writeActivities(filepath.Join(dir, "activities.xlsx")); err != nil {
		log.Fatal(err)
	}
}

var first = []string{"Alex", "Amélie", "Benoît", "Chantal", "David", "Émilie", "François", "Geneviève", "Hélène", "Isabelle",
	"Jacques", "Karen", "Louis", "Marie", "Nadia", "Olivier", "Patricia", "Raj", "Sophie", "Thomas"}
var last = []string{"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
	"Smith", "Brown", "Wilson", "Singh", "Martin", "Leblanc", "Chen", "Campbell", "MacDonald", "Nguyen"}

// people spreads n members over the organizations given, in turn.
func people(orgs [][3]string, order string, n int, roles []string) []member {
	var out []member
	for i := 0; i < n; i++ {
		o := orgs[i%len(orgs)]
		out = append(out, member{org: o[0], pt: o[1], order: order, role: roles[i%len(roles)], status: o[2]})
	}
	return out
}

func writeMembers(path string) error {
	federal := [][3]string{
		{"Employment and Social Development Canada / Service Canada", "", "Active"},
		{"Canada Revenue Agency", "", "Active"},
		{"Immigration, Refugees and Citizenship Canada", "Ontario", "Active"},
		{"Shared Services Canada", "", "Active"},
		{"Veterans Affairs Canada", "P.E.I.", "Active"},
	}
	pt := [][3]string{
		{"Ministry of Public and Business Service Delivery", "Ontario", "Active"},
		{"Ministry of Health", "ON", "Active"},
		{"Ministry of Children, Community and Social Services", "Ont.", "Active"},
		{"Ministry of Transportation", "ON", "Active"},
		{"Services Québec", "Québec", "Actif"},
		{"Ministère de la Cybersécurité et du Numérique", "QC", "Actif"},
		{"Revenu Québec", "Qc", "Actif"},
		{"Service BC", "British Columbia", "Active"},
		{"Ministry of Citizens' Services", "B.C.", "Active"},
		{"Ministry of Social Development and Poverty Reduction", "C.-B.", "Active"},
		{"Service Alberta and Red Tape Reduction", "Alberta", "Active"},
		{"Alberta Health", "Alta.", "Active"},
		{"Alberta Seniors, Community and Social Services", "AB", "Active"},
		{"Manitoba Finance", "Manitoba", "Active"},
		{"Manitoba Families", "Man.", "Active"},
		{"Ministry of SaskBuilds and Procurement", "Saskatchewan", "Active"},
		{"Ministry of Social Services", "Sask.", "Active"},
		{"Service Nova Scotia", "Nova Scotia", "Active"},
		{"Department of Cyber Security and Digital Solutions", "Nouvelle-Écosse", "Active"},
		{"Service New Brunswick", "Nouveau-Brunswick", "Active"},
		{"Department of Finance", "Northwest Territories", "Active"},
	}
	municipal := [][3]string{
		{"City of Toronto", "Ontario", "Active"}, {"City of Ottawa", "ON", "Active"}, {"City of Mississauga", "ON", "Active"},
		{"City of Hamilton", "Ont.", "Active"}, {"City of Brampton", "ON", "Active"},
		{"Ville de Montréal", "Québec", "Actif"}, {"Ville de Québec", "QC", "Actif"}, {"Ville de Gatineau", "Qc", "Actif"}, {"Ville de Laval", "QC", "Actif"},
		{"City of Vancouver", "BC", "Active"}, {"City of Surrey", "B.C.", "Active"}, {"City of Victoria", "British Columbia", "Active"},
		{"City of Calgary", "Alberta", "Active"}, {"City of Edmonton", "AB", "Active"},
		{"City of Winnipeg", "Manitoba", "Active"},
		{"City of Regina", "SK", "Active"}, {"City of Saskatoon", "Saskatchewan", "Active"},
		{"Halifax Regional Municipality", "Nova Scotia", "Active"},
		{"City of Moncton", "New Brunswick", "Active"}, {"City of Fredericton", "N.-B.", "Active"},
		{"City of Yellowknife", "NT", "Active"},
	}
	var ms []member
	ms = append(ms, people(federal, "Federal", 20, []string{"Director, Service Delivery", "Manager, Contact Centre", "Senior Analyst"})...)
	ms = append(ms, people(pt, "Provincial/territorial", 35, []string{"Director, Service Centre", "Manager", "Policy Advisor", "Executive Director"})...)
	ms = append(ms, people(municipal, "Municipal", 25, []string{"Manager, 311", "Customer Service Lead", "Director, Citizen Services"})...)
	// Former members: they are kept in the sheet but do not count.
	ms = append(ms,
		member{org: "Service NL", order: "Provincial/territorial", pt: "Newfoundland and Labrador", role: "Director", status: "Inactive"},
		member{org: "City of Charlottetown", order: "Municipal", pt: "PE", role: "Manager", status: "Inactive"},
		member{org: "Statistics Canada", order: "Federal", role: "Analyst", status: "Inactive"},
	)

	f := excelize.NewFile()
	defer f.Close()
	sheet := "Members"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	set := func(cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			log.Fatal(err)
		}
	}
	set("A1", "Service Centre Community of Practice — membership / Communauté de pratique du centre de services — membres")
	_ = f.MergeCell(sheet, "A1", "H1")
	_ = f.SetCellStyle(sheet, "A1", "A1", title)
	set("A2", "Kept by the secretariat. One row per person.")
	headers := []string{"Name", "Email", "Organization", "Order of government", "Province or territory", "Role", "Status", "Date joined"}
	for i, h := range headers {
		c, _ := excelize.CoordinatesToCellName(i+1, 4)
		set(c, h)
	}
	_ = f.SetCellStyle(sheet, "A4", "H4", head)
	joined := time.Date(2019, 1, 15, 0, 0, 0, 0, time.UTC)
	for i, m := range ms {
		row := i + 5
		fn, ln := first[i%len(first)], last[(i*7+i/len(first))%len(last)]
		name := fn + " " + ln
		email := fmt.Sprintf("%s.%s%d@example.ca", ascii(fn), ascii(ln), i+1)
		vals := []any{name, email, m.org, m.order, m.pt, m.role, m.status, joined.AddDate(0, i, 0)}
		for j, v := range vals {
			c, _ := excelize.CoordinatesToCellName(j+1, row)
			set(c, v)
		}
		c, _ := excelize.CoordinatesToCellName(8, row)
		_ = f.SetCellStyle(sheet, c, c, date)
	}
	for col, w := range map[string]float64{"A": 22, "B": 34, "C": 48, "D": 22, "E": 24, "F": 28, "G": 10, "H": 12} {
		_ = f.SetColWidth(sheet, col, col, w)
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	return save(f, path)
}

func writeIssues(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Enjeux"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"Enjeux/défis — Issues/challenges"},
		{},
		{"Enjeu", "Criticité", "Incidence", "Plan d'action", "Responsable", "Statut", "Échéance"},
		{"Le groupe ne compte actuellement aucun représentant de Terre-Neuve-et-Labrador, de l'Île-du-Prince-Édouard, du Nunavut et du Yukon.",
			"", "",
			"Demander aux membres du CPSSP de ces provinces et territoires d'envisager d'identifier un représentant pour faire partie du groupe.\nConsulter le mandat de la communauté de pratique du centre de services.",
			"Coprésidents", "Ouvert", ""},
	}
	for i, r := range rows {
		c, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, c, &r); err != nil {
			return err
		}
	}
	_ = f.MergeCell(sheet, "A1", "G1")
	for col, w := range map[string]float64{"A": 60, "B": 12, "C": 12, "D": 60, "E": 16, "F": 10, "G": 12} {
		_ = f.SetColWidth(sheet, col, col, w)
	}
	return save(f, path)
}

func writeActivities(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Activities"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{"Date", "Type", "Theme", "Description"},
		{d(2022, 3, 16), "Completed", "Chatbots", "Round table on chatbots; well received, members asked to keep the round-table format."},
		{d(2022, 6, 15), "Completed", "Live chat", "Round table on live chat; well received."},
		{d(2022, 8, 31), "Completed", "Speakers", "The co-chairs and the secretariat keep identifying potential speakers on topics of interest to members."},
		{d(2022, 10, 19), "Planned", "Service-centre technology", "Meeting: technology or features recently implemented by members' service centres."},
		{d(2023, 1, 18), "Planned", "Vulnerable communities", "Meeting: views on communities that are vulnerable in terms of service."},
		{d(2023, 1, 31), "Planned", "Membership", "Broaden membership to all orders of government."},
	}
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range rows {
		c, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, c, &r); err != nil {
			return err
		}
		if i > 0 {
			_ = f.SetCellStyle(sheet, c, c, date)
		}
	}
	for col, w := range map[string]float64{"A": 12, "B": 12, "C": 28, "D": 90} {
		_ = f.SetColWidth(sheet, col, col, w)
	}
	return save(f, path)
}

func ascii(s string) string {
	r := map[rune]string{'é': "e", 'è': "e", 'ê': "e", 'ç': "c", 'ô': "o", 'î': "i", 'â': "a", 'É': "E"}
	out := ""
	for _, c := range s {
		if x, ok := r[c]; ok {
			out += x
		} else if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			out += string(c)
		}
	}
	return out
}

func save(f *excelize.File, path string) error {
	f.SetDocProps(&excelize.DocProperties{Creator: "Secretariat", Created: "2022-09-15T00:00:00Z", Modified: "2022-09-15T00:00:00Z"})
	return f.SaveAs(path)
}
