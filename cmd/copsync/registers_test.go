package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeIssuesByYear writes an issues register kept one sheet per year,
// each with a note under its table, and returns its path.
func writeIssuesByYear(t *testing.T, dir string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	head := []any{"Enjeu", "Criticité", "Incidence", "Plan d'action", "Responsable", "Échéance"}
	sheets := map[string][][]any{
		"Enjeux 2026": {
			head,
			{"Aucun représentant du Nunavut", nil, nil, "Demander au Conseil", "Coprésidents", "2027-01-31"},
			{"Trouver des conférenciers", "Moyenne", "Faible", "Sonder les membres", "Secrétariat", "2027-03-31"},
			{},
			{"Source : registre tenu par le secrétariat"},
		},
		"Enjeux 2027": {
			head,
			{"Révision du mandat", "Élevée", "Moyenne", "Réviser le mandat", "Coprésidents", "2027-06-30"},
			{"Faible participation des municipalités", "Élevée", "À déterminer", "Appeler les membres", "Secrétariat", "2027-09-30"},
			{"Clavardage", "Moyenne", "Faible", "Table ronde", "Coprésidents", "2027-10-15"},
			{},
			{"Note : revu chaque trimestre"},
		},
	}
	for i, name := range []string{"Enjeux 2026", "Enjeux 2027"} {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			if err := f.SetSheetRow(name, "A"+strconv.Itoa(r+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(dir, "enjeux.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReportRegistersOfEverySheet reads a membership kept one sheet per
// order of government (the layout fixture, as excelize and as openpyxl
// write it) and an issues register kept one sheet per year, through the
// real reader, and writes the report: one register per sheet read, in the
// order read; every finding's link goes to the register of its own sheet,
// at a cell that holds what the source holds there; and the notes under
// each sheet are said under its own register.
func TestReportRegistersOfEverySheet(t *testing.T) {
	for _, writer := range []string{"excelize", "openpyxl"} {
		t.Run(writer, func(t *testing.T) {
			root := repoRoot(t)
			members := filepath.Join(root, "sync", "testdata", "layouts", "orders_"+writer+".xlsx")
			reportRegisters(t, root, members)
		})
	}
}

// reportRegisters is TestReportRegistersOfEverySheet for one membership
// workbook.
func reportRegisters(t *testing.T, root, members string) {
	t.Helper()
	dir := t.TempDir()
	issues := writeIssuesByYear(t, dir)
	env := map[string]string{
		"COPSYNC_SOURCES_MEMBERS_PATH": members,
		"COPSYNC_SOURCES_ISSUES_PATH":  issues,
		"COPSYNC_REPORT_LANGUAGE":      "en",
		"COPSYNC_LOG_LEVEL":            "error",
	}
	out := filepath.Join(dir, "r.xlsx")
	code, _, stderr := runIn(t, root, env, "report", "--date", "2026-11-29", "--out", out)
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	registers := map[string]string{
		"Fédéral":                "Members – Fédéral",
		"Provincial-territorial": "Members – Provincial-territori…",
		"Municipal":              "Members – Municipal",
		"Enjeux 2026":            "Issues – Enjeux 2026",
		"Enjeux 2027":            "Issues – Enjeux 2027",
	}
	want := []string{"Summary", "Coverage", "Issues – Enjeux 2026", "Issues – Enjeux 2027", "Activities", "Findings",
		"Members – Fédéral", "Members – Provincial-territori…", "Members – Municipal"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}

	sources := map[string]*excelize.File{}
	for _, p := range []string{members, issues} {
		s, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, name := range s.GetSheetList() {
			sources[name] = s
		}
	}
	rows, err := f.GetRows("Findings")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, title := range rows[0] {
		col[title] = i
	}
	a1 := regexp.MustCompile(`^[A-Z]+[0-9]+$`)
	linked := map[string]int{}
	for r, row := range rows[1:] {
		if len(row) <= col["Cell"] || !a1.MatchString(row[col["Cell"]]) {
			continue
		}
		sheet, cell := row[col["Sheet"]], row[col["Cell"]]
		reg, ok := registers[sheet]
		if !ok {
			t.Errorf("finding on sheet %q, which was not read", sheet)
			continue
		}
		at := "F" + strconv.Itoa(r+2)
		if ok, target, err := f.GetCellHyperLink("Findings", at); err != nil || !ok || target != "'"+reg+"'!"+cell {
			t.Errorf("Findings!%s (%s %s) links to %q (%v), want '%s'!%s", at, sheet, cell, target, err, reg, cell)
			continue
		}
		linked[sheet]++
		// The register holds there what the source holds (or marks it
		// missing).
		src, _ := sources[sheet].GetCellValue(sheet, cell)
		got, _ := f.GetCellValue(reg, cell)
		if got != src && !(src == "" && got == "(empty)") && !(got == "(empty)" && strings.Contains(src, "terminer")) {
			t.Errorf("%s!%s = %q, but %s!%s in the source is %q", reg, cell, got, sheet, cell, src)
		}
	}
	for _, sheet := range []string{"Municipal", "Enjeux 2026", "Enjeux 2027"} {
		if linked[sheet] == 0 {
			t.Errorf("no finding linked to the register of %s: the fixture no longer tests it (linked %v)", sheet, linked)
		}
	}

	// The note under each issues sheet is said under its own register.
	for sheet, note := range map[string]string{"Enjeux 2026": "row 5", "Enjeux 2027": "row 6"} {
		for other, reg := range registers {
			if !strings.HasPrefix(other, "Enjeux") {
				continue
			}
			rows, err := f.GetRows(reg)
			if err != nil {
				t.Fatal(err)
			}
			said := false
			for _, r := range rows {
				if len(r) > 0 && strings.HasPrefix(r[0], note+":") {
					said = true
				}
			}
			if said != (other == sheet) {
				t.Errorf("%s says %q of %s: %v", reg, note, sheet, said)
			}
		}
	}
}
