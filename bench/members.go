package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The ways the generated sheet writes each province or territory, as the
// secretariat's sheets do: codes, English and French names, abbreviations,
// in any case.
var spellings = [][]string{
	{"NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "T.-N.-L.", "Nfld."},
	{"PE", "Prince Edward Island", "Île-du-Prince-Édouard", "PEI", "Î.-P.-É."},
	{"NS", "Nova Scotia", "Nouvelle-Écosse", "N.-É.", "ns"},
	{"NB", "New Brunswick", "Nouveau-Brunswick", "N.-B.", "nb"},
	{"QC", "Quebec", "Québec", "qc", "Qc"},
	{"ON", "Ontario", "ontario", "Ont.", "ON "},
	{"MB", "Manitoba", "Man.", "mb"},
	{"SK", "Saskatchewan", "Sask.", "sk"},
	{"AB", "Alberta", "Alta.", "ab"},
	{"BC", "British Columbia", "Colombie-Britannique", "C.-B.", "B.C."},
	{"YT", "Yukon", "Y.T.", "yt"},
	{"NT", "Northwest Territories", "Territoires du Nord-Ouest", "T.N.-O.", "N.W.T."},
	{"NU", "Nunavut", "Nvt.", "nu"},
}

var (
	firstNames = []string{"Marie", "Jean", "Priya", "Kevin", "Sarah", "Luc", "Amélie", "Tom", "Fatima", "Noah", "Chloé", "Wei", "Aiyana", "Olivier", "Grace", "Mathieu"}
	lastNames  = []string{"Tremblay", "Gagnon", "Singh", "Walsh", "Miller", "Bergeron", "Roy", "Fraser", "Haddad", "Martin", "Côté", "Chen", "Whitehorse", "Lévesque", "MacDonald", "Nguyen"}
	orders     = [][]string{{"Federal", "Fédéral", "federal"}, {"Provincial", "Provincial/territorial", "Territorial", "PT"}, {"Municipal", "Municipalité", "municipal"}}
	statuses   = []string{"Active", "Actif", "Active", "Actif", "Active", "Actif", "Active", "Actif", "Inactive", "Inactif"}
	roles      = []string{"Member", "Membre", "Director", "Directrice", "Analyst", "Analyste", "Manager", "Gestionnaire"}
)

// MembersHeader is the header of the generated sheet.
var MembersHeader = []any{"Nom", "Courriel", "Organisation", "Ordre de gouvernement", "Province ou territoire", "Rôle", "Statut", "Date d'adhésion"}

// WriteMembers writes a membership workbook of rows members to path with
// excelize's StreamWriter: a title block, the header on row 4, then one
// row per member, with provinces written many ways, about one e-mail in a
// thousand repeated in another case, one province in a thousand misspelt,
// one member in ten inactive, dates as dates and as text. The same seed
// gives the same workbook.
func WriteMembers(path string, rows int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x636f7073796e63))
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Membres"); err != nil {
		return err
	}
	format := "yyyy-mm-dd"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Membres")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"Communauté de pratique du centre de services — liste des membres"}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", "H1"); err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{fmt.Sprintf("%d membres", rows)}); err != nil {
		return err
	}
	if err := sw.SetRow("A4", MembersHeader); err != nil {
		return err
	}
	err = memberRows(rows, rng, func(num int, row []any) error {
		if t, ok := row[7].(time.Time); ok {
			row[7] = excelize.Cell{StyleID: date, Value: t}
		}
		return sw.SetRow(fmt.Sprintf("A%d", num), row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// memberRows calls emit with each member's row, numbered from row 5 on:
// texts, nil for a blank cell, and the join date as a time.Time (to be
// written as a date) or as text. emit may change the row it is given.
func memberRows(rows int, rng *rand.Rand, emit func(num int, row []any) error) error {
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	row := make([]any, len(MembersHeader))
	prev := ""
	for i := range rows {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		email := fmt.Sprintf("%s.%s.%d@example.gc.ca", strings.ToLower(first), strings.ToLower(last), i)
		if prev != "" && rng.IntN(1000) == 0 {
			email = strings.ToUpper(prev) // the same person entered again, in another case
		}
		prev = email
		j := spellings[rng.IntN(len(spellings))]
		province := j[rng.IntN(len(j))]
		if rng.IntN(1000) == 0 {
			province = province[:len(province)-1] + "x" // a typo
		}
		o := rng.IntN(3)
		order := orders[o][rng.IntN(len(orders[o]))]
		var where any = province
		org := fmt.Sprintf("Organisation %d", rng.IntN(400))
		if o == 0 {
			where = nil // federal members may leave it blank
			org = fmt.Sprintf("Department %d", rng.IntN(40))
		}
		joined := start.AddDate(0, 0, rng.IntN(3000))
		var when any = joined
		if rng.IntN(4) == 0 {
			when = joined.Format("2006-01-02")
		}
		row[0], row[1], row[2], row[3] = first+" "+last, email, org, order
		row[4], row[5], row[6], row[7] = where, roles[rng.IntN(len(roles))], statuses[rng.IntN(len(statuses))], when
		if err := emit(i+5, row); err != nil {
			return err
		}
	}
	return nil
}
