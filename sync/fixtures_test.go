package sync

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The fixture workbooks under testdata/ written by excelize come from the
// generators below; `go test ./sync -run TestFixtures -update` rewrites
// them. The ones written by openpyxl come from testdata/make_openpyxl.py.
var update = flag.Bool("update", false, "rewrite the fixture workbooks in testdata/")

// fixtures are the generators of the excelize-written fixture workbooks, by
// file name.
var fixtures = map[string]func(path string) error{
	"membres_titre.xlsx": writeMembresTitre,
	"entetes.xlsx":       writeEntetes,
	"lignes_vides.xlsx":  writeLignesVides,
	"dates_1900.xlsx":    func(p string) error { return writeDates(p, false) },
	"dates_1904.xlsx":    func(p string) error { return writeDates(p, true) },
	"formules.xlsx":      writeFormules,
	"deux_sources.xlsx":  writeDeuxSources,
	"macros.xlsm":        writeMacros,
}

// membresHeader and membres are the issue-2 scenario, the same as in
// testdata/make_openpyxl.py: provinces written "Québec", "qc", "C.-B." and
// "Terre-Neuve-et-Labrador", an inactive member (the only one from
// Ontario), an e-mail repeated in another case (row 10 repeats row 5) and
// a typo in a province (row 13). The header is on row 4, under a title
// block of two merged rows and a blank row.
var membresHeader = []any{"Nom", "Courriel", "Organisation", "Ordre de gouvernement",
	"Province ou territoire", "Rôle", "Statut", "Date d'adhésion"}

var membres = [][]any{
	{"Marie Tremblay", "marie.tremblay@mcn.gouv.qc.ca", "Ministère de la Cybersécurité et du Numérique", "Provincial", "Québec", "Coprésidente", "Actif", day(2021, 3, 15)},
	{"Jean Gagnon", "jean.gagnon@servicesquebec.gouv.qc.ca", "Services Québec", "Provincial/territorial", "qc", "Membre", "Actif", day(2021, 9, 1)},
	{"Priya Singh", "priya.singh@gov.bc.ca", "Service BC", "Provincial", "C.-B.", "Membre", "Actif", "2022-01-10"},
	{"Kevin Walsh", "kevin.walsh@gov.nl.ca", "Service NL", "Provincial", "Terre-Neuve-et-Labrador", "Membre", "Actif", day(2022, 5, 2)},
	{"Sarah Miller", "sarah.miller@ontario.ca", "ServiceOntario", "Provincial", "Ontario", "Membre", "Inactif", day(2020, 2, 20)},
	{"Marie Tremblay", "Marie.Tremblay@MCN.gouv.qc.ca", "Ministère de la Cybersécurité et du Numérique", "Provincial", "Québec", "Coprésidente", "Actif", day(2023, 1, 9)},
	{"Luc Bergeron", "luc.bergeron@servicecanada.gc.ca", "Service Canada", "Fédéral", nil, "Coprésident", "Actif", day(2021, 3, 15)},
	{"Amélie Roy", "amelie.roy@montreal.ca", "Ville de Montréal", "Municipal", "Québec", "Membre", "Actif", "15 mars 2022"},
	{"Tom Fraser", "tom.fraser@gov.ab.ca", "Service Alberta", "Provincial", "Albreta", "Membre", "Actif", day(2022, 11, 30)},
}

var enjeuxHeader = []any{"Enjeu", "Criticité", "Incidence", "Plan d'action", "Responsable", "Statut", "Échéance"}

var enjeux = [][]any{
	{"Le groupe n'a aucun représentant de T.-N.-L., de l'Î.-P.-É., du Nunavut et du Yukon", nil, nil,
		"Demander aux membres du Conseil de ces provinces et territoires de nommer un représentant",
		"Coprésidents", "Ouvert", day(2023, 1, 31)},
	{"Trouver des conférenciers", "Moyenne", "Faible", "Solliciter les membres", "Secrétariat", "Ouvert", "15 octobre 2022"},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// dateStyle adds a yyyy-mm-dd number format to f.
func dateStyle(f *excelize.File) (int, error) {
	format := "yyyy-mm-dd"
	return f.NewStyle(&excelize.Style{CustomNumFmt: &format})
}

// styled gives the time.Time values of row the date style.
func styled(row []any, date int) []any {
	out := make([]any, len(row))
	for i, v := range row {
		if t, ok := v.(time.Time); ok {
			out[i] = excelize.Cell{StyleID: date, Value: t}
			continue
		}
		out[i] = v
	}
	return out
}

// writeTitled writes a sheet: title lines merged across the header's
// width, a blank row, the header and the rows.
// tail, when given, writes more rows from row next on.
func writeTitled(f *excelize.File, sheet string, titles []string, header []any, rows [][]any, tail ...func(sw *excelize.StreamWriter, next int) error) error {
	date, err := dateStyle(f)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	r := 1
	for _, t := range titles {
		if err := sw.SetRow(fmt.Sprintf("A%d", r), []any{excelize.Cell{StyleID: bold, Value: t}}); err != nil {
			return err
		}
		if err := sw.MergeCell(fmt.Sprintf("A%d", r), fmt.Sprintf("%s%d", last, r)); err != nil {
			return err
		}
		r++
	}
	if len(titles) > 0 {
		r++ // a blank row under the titles
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", r), header); err != nil {
		return err
	}
	for _, row := range rows {
		r++
		if err := sw.SetRow(fmt.Sprintf("A%d", r), styled(row, date)); err != nil {
			return err
		}
	}
	for _, t := range tail {
		if err := t(sw, r+1); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func newFixtureBook(sheets ...string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheets[0]); err != nil {
		return nil, err
	}
	for _, s := range sheets[1:] {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func save(f *excelize.File, path string) error {
	if err := f.SaveAs(path); err != nil {
		return err
	}
	return f.Close()
}

// writeMembresTitre writes the issue-2 scenario: a French membership sheet
// under a title block, then blank and formatted-but-empty rows, and a
// French issues register on a second sheet.
func writeMembresTitre(path string) error {
	f, err := newFixtureBook("Membres", "Enjeux")
	if err != nil {
		return err
	}
	fill, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	if err != nil {
		return err
	}
	// After the data, row 14 is blank; row 15 is formatted but empty; row
	// 16 only has a height.
	empty := func(sw *excelize.StreamWriter, next int) error {
		cells := make([]any, len(membresHeader))
		for i := range cells {
			cells[i] = excelize.Cell{StyleID: fill}
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", next+1), cells, excelize.RowOpts{StyleID: fill}); err != nil {
			return err
		}
		return sw.SetRow(fmt.Sprintf("A%d", next+2), nil, excelize.RowOpts{Height: 30})
	}
	if err := writeTitled(f, "Membres", []string{"Communauté de pratique du centre de services",
		"Liste des membres (mise à jour : mars 2024)"}, membresHeader, membres, empty); err != nil {
		return err
	}
	if err := writeTitled(f, "Enjeux", []string{"Enjeux et défis"}, enjeuxHeader, enjeux); err != nil {
		return err
	}
	return save(f, path)
}

// headerSheets are the sheets of entetes.xlsx: one membership header
// written a different way on each, with one data row under it.
var headerSheets = []struct {
	sheet  string
	titles []string
	blank  int // blank rows between the titles and the header
	header []any
}{
	{"Accents", nil, 0, []any{"Nom", "Courriel", "Organisation", "Ordre de gouvernement", "Province ou territoire", "Rôle", "Statut", "Date d'adhésion"}},
	{"SansAccents", nil, 0, []any{"Role", "Date d'adhesion", "Statut", "Courriel", "Nom", "Ordre de gouvernement", "Province ou territoire", "Organisation"}},
	{"Espaces", nil, 0, []any{"  Nom  ", "Courriel\u00a0", "\u00a0 Organisation", "Ordre  de   gouvernement", "Province ou\u00a0territoire", nil, " Statut "}},
	{"Casse", nil, 0, []any{"NOM", "cOURRIEL", "organisation", "ORDRE DE GOUVERNEMENT", "province OU territoire", "STATUT"}},
	{"Anglais", []string{"Membership"}, 0, []any{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Role", "Status", "Date joined"}},
	{"Ligne20", []string{"Title", "Subtitle"}, 16, []any{"Nom", "Courriel", "Statut"}},
	{"Ligne21", []string{"Title", "Subtitle"}, 17, []any{"Nom", "Courriel", "Statut"}},
}

func writeEntetes(path string) error {
	names := make([]string, len(headerSheets))
	for i, s := range headerSheets {
		names[i] = s.sheet
	}
	f, err := newFixtureBook(names...)
	if err != nil {
		return err
	}
	for _, s := range headerSheets {
		sw, err := f.NewStreamWriter(s.sheet)
		if err != nil {
			return err
		}
		r := 1
		for _, t := range s.titles {
			if err := sw.SetRow(fmt.Sprintf("A%d", r), []any{t}); err != nil {
				return err
			}
			r++
		}
		if len(s.titles) > 0 {
			r++
		}
		r += s.blank
		if err := sw.SetRow(fmt.Sprintf("A%d", r), s.header); err != nil {
			return err
		}
		data := make([]any, len(s.header))
		for i := range data {
			data[i] = fmt.Sprintf("v%d", i+1)
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", r+1), data); err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return save(f, path)
}

// writeLignesVides writes a membership sheet whose data rows (2, 5 and 9)
// are separated by rows that hold nothing a person would call a value.
func writeLignesVides(path string) error {
	f, err := newFixtureBook("Members")
	if err != nil {
		return err
	}
	fill, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Members")
	if err != nil {
		return err
	}
	fmtEmpty := []any{excelize.Cell{StyleID: fill}, excelize.Cell{StyleID: fill}, excelize.Cell{StyleID: fill},
		excelize.Cell{StyleID: fill}, excelize.Cell{StyleID: fill}, excelize.Cell{StyleID: fill}}
	rows := []struct {
		num   int
		cells []any
		opts  []excelize.RowOpts
	}{
		{1, []any{"Name", "Email", "Organization", "Order of government", "Province or territory", "Status"}, nil},
		{2, []any{"Ann Lee", "ann.lee@gov.mb.ca", "Manitoba Digital", "Provincial", "MB", "Active"}, nil},
		// Rows 3 and 4 are absent.
		{5, []any{"Bob Roy", "bob.roy@gov.sk.ca", "SaskBuilds", "Provincial", "Sask.", "Active"}, nil},
		{6, fmtEmpty, []excelize.RowOpts{{StyleID: fill}}},
		{7, []any{"", " ", "\u00a0", "", "\u00a0 ", ""}, nil},
		{8, nil, []excelize.RowOpts{{Height: 40}}},
		{9, []any{"Cy Diaz", "cy.diaz@gov.ns.ca", "Nova Scotia Digital", "Provincial", "N.-É.", "Active"}, nil},
		{10, []any{excelize.Cell{Formula: `""`, Value: ""}, excelize.Cell{StyleID: fill}}, []excelize.RowOpts{{Hidden: true}}},
	}
	for _, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", r.num), r.cells, r.opts...); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return save(f, path)
}

// dateRows are the rows of the dates fixtures: a target date written as a
// date, as a serial number without a date format, and as text in several
// forms, with the date each stands for (zero for "not a date").
var dateRows = []struct {
	issue string
	value any // time.Time: written as a serial in the workbook's system
	plain bool
	want  time.Time
}{
	{"As a date", day(2022, 10, 15), false, day(2022, 10, 15)},
	{"As a plain serial", day(2023, 1, 31), true, day(2023, 1, 31)},
	{"Before the phantom leap day", day(1900, 2, 28), false, day(1900, 2, 28)},
	{"After the phantom leap day", day(1900, 3, 1), false, day(1900, 3, 1)},
	{"As ISO text", "2024-02-29", false, day(2024, 2, 29)},
	{"As French text", "15 octobre 2022", false, day(2022, 10, 15)},
	{"As French text with 1er", "le 1er février 2023", false, day(2023, 2, 1)},
	{"As English text", "October 15, 2022", false, day(2022, 10, 15)},
	{"As ambiguous text", "10/11/2022", false, time.Time{}},
	{"As words", "bientôt", false, time.Time{}},
}

// serial returns the serial day number of t in the 1900 or 1904 system.
func serial(t time.Time, date1904 bool) float64 {
	if date1904 {
		return t.Sub(day(1904, 1, 1)).Hours() / 24
	}
	s := t.Sub(day(1899, 12, 31)).Hours() / 24
	if s >= 60 {
		s++ // the 1900 system counts a 29 February 1900
	}
	return s
}

func writeDates(path string, date1904 bool) error {
	f, err := newFixtureBook("Issues")
	if err != nil {
		return err
	}
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			return err
		}
	}
	date, err := dateStyle(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Issues")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"Issue", "Criticality", "Incidence", "Action plan", "Status", "Target date"}); err != nil {
		return err
	}
	for i, d := range dateRows {
		target := d.value
		if t, ok := d.value.(time.Time); ok {
			if date1904 && t.Year() < 1904 {
				continue // before the 1904 system's first day
			}
			target = excelize.Cell{StyleID: date, Value: serial(t, date1904)}
			if d.plain {
				target = serial(t, date1904)
			}
		}
		row := []any{d.issue, "High", "Low", "A plan", "Open", target}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return save(f, path)
}

// writeFormules writes a membership sheet whose name, e-mail, status and
// date come from formulas, read by their cached values; one formula has no
// cached value (as LibreOffice sometimes writes) and one caches an error.
func writeFormules(path string) error {
	f, err := newFixtureBook("Members")
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Members")
	if err != nil {
		return err
	}
	rows := [][]any{
		{"First", "Last", "Name", "Email", "Organization", "Order of government", "Province or territory", "Status", "Date joined", "Count"},
		{"Ann", "Lee", excelize.Cell{Formula: `A2&" "&B2`, Value: "Ann Lee"}, excelize.Cell{Formula: `LOWER(A2&"."&B2&"@gov.mb.ca")`, Value: "ann.lee@gov.mb.ca"},
			"Manitoba Digital", "Provincial", "MB", excelize.Cell{Formula: `IF(TRUE,"Active","Inactive")`, Value: "Active"},
			excelize.Cell{Formula: "DATE(2022,10,15)", Value: 44849}, excelize.Cell{Formula: "1+1", Value: 2}},
		{"Bob", "Roy", excelize.Cell{Formula: `A3&" "&B3`, Value: "Bob Roy"}, excelize.Cell{Formula: `LOWER(A3&"."&B3&"@gov.sk.ca")`},
			"SaskBuilds", "Provincial", "SK", "Active", excelize.Cell{Formula: `1/0`, Value: "#DIV/0!"}},
	}
	for i, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return save(f, path)
}

// writeDeuxSources writes the issues register and the membership on two
// sheets with neutral names, after a sheet of notes, so that each is found
// by its headers.
func writeDeuxSources(path string) error {
	f, err := newFixtureBook("Notes", "Feuil1", "Feuil2")
	if err != nil {
		return err
	}
	if err := writeTitled(f, "Notes", nil, []any{"Notes de la réunion", "Name: see Feuil2"}, [][]any{{"Rien à signaler"}}); err != nil {
		return err
	}
	if err := writeTitled(f, "Feuil1", []string{"Issues"}, []any{"Issue", "Criticality", "Incidence", "Action plan", "Owner", "Status", "Target date"},
		[][]any{{"No representative from NU", "High", "High", "Ask the Council", "Co-chairs", "Open", day(2023, 1, 31)}}); err != nil {
		return err
	}
	if err := writeTitled(f, "Feuil2", []string{"Members"}, []any{"Name", "Email", "Organization", "Order of government", "Province or territory", "Status"},
		[][]any{{"Ann Lee", "ann.lee@gov.mb.ca", "Manitoba Digital", "Provincial", "MB", "Active"}}); err != nil {
		return err
	}
	return save(f, path)
}

// writeMacros writes a macro-enabled workbook (.xlsm): a membership sheet,
// no macros. Unlike the stream-written fixtures, its texts are in a shared
// string table.
func writeMacros(path string) error {
	f, err := newFixtureBook("Members")
	if err != nil {
		return err
	}
	for i, row := range [][]any{
		{"Name", "Email", "Organization", "Order of government", "Province or territory", "Status"},
		{"Ann Lee", "ann.lee@gov.mb.ca", "Manitoba Digital", "Provincial", "MB", "Active"},
	} {
		if err := f.SetSheetRow("Members", fmt.Sprintf("A%d", i+1), &row); err != nil {
			return err
		}
	}
	return save(f, path)
}

// dumpWorkbook returns a deterministic text dump of a workbook: its date
// system, then every sheet's merged ranges and non-empty cells with their
// raw values ("Sheet!A1 = value").
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var b strings.Builder
	props, err := f.GetWorkbookProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "date1904 = %v\n", props.Date1904 != nil && *props.Date1904)
	for _, sheet := range f.GetSheetList() {
		merged, err := f.GetMergeCells(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var ms []string
		for _, m := range merged {
			ms = append(ms, fmt.Sprintf("merge %s!%s:%s\n", sheet, m.GetStartAxis(), m.GetEndAxis()))
		}
		sort.Strings(ms)
		b.WriteString(strings.Join(ms, ""))
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					fmt.Fprintf(&b, "%s!%s = %q\n", sheet, cell, v)
				}
			}
		}
	}
	return b.String()
}

// TestFixtures regenerates the excelize-written fixtures and checks that
// the committed ones hold the same cells (with -update, it rewrites them).
func TestFixtures(t *testing.T) {
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			fresh := filepath.Join(t.TempDir(), name)
			if err := fixtures[name](fresh); err != nil {
				t.Fatalf("generate: %v", err)
			}
			committed := filepath.Join("testdata", name)
			if *update {
				data, err := os.ReadFile(fresh)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(committed, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := dumpWorkbook(t, committed), dumpWorkbook(t, fresh); got != want {
				t.Errorf("testdata/%s is out of date (run go test ./sync -run TestFixtures -update):\ncommitted:\n%s\ngenerated:\n%s", name, got, want)
			}
		})
	}
}
