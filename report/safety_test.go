package report

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// TestFormulaInjection puts text that starts like a formula in every kind
// of cell the report copies from the sources: each stays a text cell with
// the text format, and the workbook holds no formula at all.
func TestFormulaInjection(t *testing.T) {
	nasty := []string{
		injection,
		"+1-555-0100",
		"-2+3",
		"@SUM(A1:A9)",
		"\tTAB=1+1",
		"\r\nCRLF=1+1",
		`=cmd|' /C calc'!A0`,
	}
	in := exampleInput(t, "both")
	var rows [][]validate.Value
	for i, s := range nasty {
		rows = append(rows, []validate.Value{str(s), str("x" + strings.Repeat("y", i) + "@example.ca"), str(s), str("Federal"), {}, str(s), str("Active")})
	}
	members := table(validate.SourceMembers, "/srv/m.xlsx", "Members", memberTitles, rows)
	issues := table(validate.SourceIssues, "/srv/i.xlsx", "Issues", issueTitles, [][]validate.Value{
		{str(nasty[0]), str(nasty[1]), str(nasty[3]), str(nasty[2])},
	})
	activities := table(validate.SourceActivities, "/srv/a.xlsx", "Activities", activityTitles, [][]validate.Value{
		{str("2022-05-01"), str("Completed"), str(nasty[0]), str(nasty[6])},
	})
	rules := validate.DefaultRules()
	rules.Today = runDate
	in.Result = validate.Check(rules, in.Catalogue, members, issues, activities)
	in.Members, in.Issues = []validate.Table{members}, []validate.Table{issues}
	in.Community.NameEN = nasty[0]
	in.Community.CoChairs = []CoChair{{Name: nasty[3], TitleEN: nasty[2]}}

	f, raw := reopen(t, build(t, in))
	found := map[string]int{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell := ref(c, r+1)
				formula, err := f.GetCellFormula(s, cell)
				if err != nil {
					t.Fatal(err)
				}
				if formula != "" {
					t.Errorf("%s!%s holds the formula %q", s, cell, formula)
				}
				for _, n := range nasty {
					if v != n {
						continue
					}
					found[n]++
					typ, _ := f.GetCellType(s, cell)
					if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s!%s = %q has type %v, want a string", s, cell, v, typ)
					}
					id, _ := f.GetCellStyle(s, cell)
					st, err := f.GetStyle(id)
					if err != nil || st.NumFmt != 49 {
						t.Errorf("%s!%s = %q is not formatted as text (style %d)", s, cell, v, id)
					}
				}
			}
		}
	}
	for _, n := range nasty {
		if found[n] == 0 {
			t.Errorf("%q is nowhere in the workbook", n)
		}
	}
	// No worksheet part holds a formula element.
	zr := unzip(t, raw)
	for name, data := range zr {
		if strings.HasPrefix(name, "xl/worksheets/sheet") && (bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f "))) {
			t.Errorf("%s holds a formula element", name)
		}
	}
}

// TestLinksUseTheHyperlinkAPI checks that every finding about a cell or a
// row links, through the cell-hyperlink API and not a formula, to the copy
// of that cell inside the workbook, which holds the source's value; that
// the original location is named as text, by file name, never by a path;
// and that no link leads to the secretariat's disk.
func TestLinksUseTheHyperlinkAPI(t *testing.T) {
	in := exampleInput(t, "en")
	f, data := reopen(t, build(t, in))
	s := "Findings"
	n := 0
	for i, fd := range sortedFindings(in.Result.Findings) {
		cell := ref(5, i+2) // the Cell column of the English report
		ok, target, err := f.GetCellHyperLink(s, cell)
		if err != nil {
			t.Fatal(err)
		}
		if fd.Row == 0 || fd.Code == validate.CodeJurisdictionMissing {
			continue
		}
		n++
		sheet, addr, found := strings.Cut(target, "!")
		if !ok || !found {
			t.Errorf("%s (%s): no link into the workbook (%q)", cell, fd.Code, target)
			continue
		}
		sheet = strings.ReplaceAll(strings.Trim(sheet, "'"), "''", "'")
		if fd.Cell != "" && !strings.Contains(fd.Cell, ",") && addr != fd.Cell {
			t.Errorf("%s: link %q does not point at cell %s", cell, target, fd.Cell)
		}
		if _, err := f.GetCellValue(sheet, addr); err != nil {
			t.Errorf("%s: link %q points at no sheet of the workbook: %v", cell, target, err)
		}
		loc, _ := f.GetCellValue(s, ref(6, i+2))
		if !strings.HasPrefix(loc, filepath.Base(in.Result.Origins[fd.Source].Path)+" › ") || strings.Contains(loc, "/") {
			t.Errorf("%s: the original location reads %q", cell, loc)
		}
	}
	if n == 0 {
		t.Fatal("no finding has a link")
	}
	for name, part := range unzip(t, data) {
		if bytes.Contains(part, []byte("file:")) {
			t.Errorf("%s holds a file: link", name)
		}
	}
}

// unzip returns the parts of a workbook.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

func sortedFindings(fs []validate.Finding) []validate.Finding {
	out := append([]validate.Finding(nil), fs...)
	validate.SortFindings(out)
	return out
}

// failAfter is a writer that fails once n bytes are written.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("disk full")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// TestInterruptedWriteKeepsThePreviousReport fails a write in several ways
// and checks that the previous report is left byte for byte, with no
// temporary file beside it.
func TestInterruptedWriteKeepsThePreviousReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out", "report.xlsx")
	if err := Write(context.Background(), path, exampleInput(t, "en")); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != ReportPerm {
		t.Errorf("report permissions = %v, want %v", st.Mode().Perm(), ReportPerm)
	}

	next := exampleInput(t, "fr") // a different workbook
	f := build(t, next)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		write func() error
	}{
		{"writer fails half-way", func() error {
			return writeFile(context.Background(), path, ReportPerm, func(w io.Writer) error {
				_, err := f.WriteTo(&failAfter{w: w, n: 4096})
				return err
			})
		}},
		{"context cancelled", func() error { return Write(cancelled, path, next) }},
		{"bad input", func() error {
			bad := next
			bad.Lang = "xx"
			return Write(context.Background(), path, bad)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.write(); err == nil {
				t.Fatal("write succeeded")
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Fatal("the previous report changed")
			}
			entries, err := os.ReadDir(filepath.Dir(path))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Fatalf("folder holds %v, want only report.xlsx", names)
			}
		})
	}

	// A write that succeeds replaces the report.
	if err := Write(context.Background(), path, next); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if bytes.Equal(before, after) {
		t.Fatal("a successful write left the old report")
	}
}

func TestWriteToAFolderFails(t *testing.T) {
	dir := t.TempDir()
	err := Write(context.Background(), dir, exampleInput(t, "en"))
	if err == nil {
		t.Fatal("writing over a folder succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the path", err)
	}
}

// TestGoogleSheetLinks checks a finding of a Google Sheet: its cell links
// to the copy inside the workbook, and its original location links to the
// cell in the Google Sheet, which works for everyone the sheet is shared
// with.
func TestGoogleSheetLinks(t *testing.T) {
	in := exampleInput(t, "en")
	issues := table(validate.SourceIssues, "", "Enjeux", issueTitles, issueRows())
	issues.Origin.Kind, issues.Origin.SpreadsheetID, issues.Origin.SheetID = "gsheets", "1AbCdEf", 7
	rules := validate.DefaultRules()
	rules.Today = runDate
	in.Issues = []validate.Table{issues}
	in.Result = validate.Check(rules, in.Catalogue, in.Members[0], issues)
	f, _ := reopen(t, build(t, in))
	n := 0
	for i, fd := range sortedFindings(in.Result.Findings) {
		if fd.Source != validate.SourceIssues || fd.Cell == "" {
			continue
		}
		n++
		want := "https://docs.google.com/spreadsheets/d/1AbCdEf/edit#gid=7&range=" + fd.Cell
		if fd.Link != want {
			t.Errorf("finding %s links to %q, want %q", fd.Code, fd.Link, want)
		}
		ok, target, err := f.GetCellHyperLink("Findings", ref(6, i+2))
		if err != nil || !ok || target != want {
			t.Errorf("%s: the original location links to %q (%v), want %q", ref(6, i+2), target, err, want)
		}
		if ok, target, _ := f.GetCellHyperLink("Findings", ref(5, i+2)); !ok || target != "'Issues'!"+fd.Cell {
			t.Errorf("%s: the cell links to %q, want the copy 'Issues'!%s", ref(5, i+2), target, fd.Cell)
		}
	}
	if n == 0 {
		t.Fatal("no finding of the Google Sheet")
	}
}
