package report

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// The sheets of a membership kept one per order of government, and of an
// issues register kept one per year.
const (
	sheetFederal   = "Fédéral"
	sheetPT        = "Provincial-territorial"
	sheetMunicipal = "Municipal"
	sheet2026      = "Enjeux 2026"
	sheet2027      = "Enjeux 2027"
)

// multiSheetInput returns the example input with a membership read from
// three sheets (a title in row 1, the header in row 2) and an issues
// register read from two (the header in row 1), so that the same addresses
// are on every sheet of a source: the findings of one sheet (an e-mail
// address at B4 of Fédéral, a province at E3 and a missing organization at
// C5 of Provincial-territorial, a status at G6 of Municipal; an incomplete
// issue in row 2 of 2026 and row 3 of 2027) are at cells that the other
// sheets hold without a finding. The rows of Provincial-territorial are
// kept in a validate.RowStore, as the job keeps them, and its rows 8–10
// are set aside as notes.
func multiSheetInput(t testing.TB, lang string) Input {
	t.Helper()
	in := exampleInput(t, lang)
	joined := validate.Value{Kind: validate.Number, Text: "44562", Num: 44562}
	member := func(name, email, org, order, pt, status string) []validate.Value {
		return []validate.Value{str(name), str(email), str(org), str(order), str(pt), str("Director"), str(status), joined}
	}
	path := "/srv/secretariat/members.xlsx"
	federal := table(validate.SourceMembers, path, sheetFederal, memberTitles, [][]validate.Value{
		member("Luc Bergeron", "luc.bergeron@servicecanada.gc.ca", "Service Canada", "Federal", "", "Active"),
		member("Sophie Côté", "sophie.cote@@tbs-sct", "Treasury Board Secretariat", "Federal", "", "Active"),
		member("Omar Haddad", "omar.haddad@cra-arc.gc.ca", "Canada Revenue Agency", "Federal", "", "Active"),
	})
	pt := table(validate.SourceMembers, path, sheetPT, memberTitles, [][]validate.Value{
		member("Tom Fraser", "tom.fraser@gov.ab.ca", "Service Alberta", "Provincial", "Albreta", "Active"),
		member("Kevin Walsh", "kevin.walsh@gov.nl.ca", "Service NL", "Provincial", "NL", "Active"),
		member("Anne Gallant", "anne.gallant@gov.pe.ca", "", "Provincial", "PE", "Active"),
		member("Mary Kaye", "mary.kaye@gov.nt.ca", "Services TNO", "Territorial", "NT", "Active"),
	})
	municipal := table(validate.SourceMembers, path, sheetMunicipal, memberTitles, [][]validate.Value{
		member("Amélie Roy", "amelie.roy@montreal.ca", "Ville de Montréal", "Municipal", "QC", "Active"),
		member("Lea Brown", "lea.brown@toronto.ca", "City of Toronto", "Municipal", "ON", "Active"),
		member("Max Klein", "max.klein@winnipeg.ca", "City of Winnipeg", "Municipal", "MB", "Active"),
		member("Ida Léger", "ida.leger@moncton.ca", "City of Moncton", "Municipal", "NB", "Perhaps"),
	})
	for _, tb := range []*validate.Table{&federal, &pt, &municipal} {
		titled(tb)
	}
	issues := func(sheet string, rows [][]validate.Value) validate.Table {
		return table(validate.SourceIssues, "/srv/secretariat/issues.xlsx", sheet, issueTitles, rows)
	}
	y2026 := issues(sheet2026, [][]validate.Value{
		{str("Nobody from Nunavut"), {}, {}, str("Ask the Council"), str("Co-chairs"), str("Open")},
		{str("Finding speakers"), str("Medium"), str("Low"), str("Ask members"), str("Secretariat"), str("Open")},
	})
	y2027 := issues(sheet2027, [][]validate.Value{
		{str("Renew the terms of reference"), str("High"), str("Medium"), str("Draft them"), str("Co-chairs"), str("Open")},
		{str("Low attendance from municipalities"), {}, str("Low"), {}, str("Secretariat"), str("Open")},
	})
	rules := validate.DefaultRules()
	rules.Today = runDate
	in.Result = validate.Check(rules, in.Catalogue, federal, pt, municipal, y2026, y2027, in.Activities[0])
	for i, s := range in.Result.Sheets {
		if s.Sheet == sheetPT {
			in.Result.Sheets[i].SetAside = []validate.SetAside{{First: 8, Last: 10, Reason: validate.ReasonNotes}}
		}
	}
	stored := &validate.RowStore{}
	for _, r := range pt.Rows {
		stored.Add(r)
	}
	pt.Rows, pt.Store = nil, stored
	in.Members = []validate.Table{federal, pt, municipal}
	in.Issues = []validate.Table{y2026, y2027}
	return in
}

// titled moves a table one row down, below a title in row 1.
func titled(t *validate.Table) {
	t.Header.Row++
	for i := range t.Rows {
		r := &t.Rows[i]
		r.Num++
		for c := range r.Cells {
			r.Cells[c].Ref = validate.CellRef(c, r.Num)
		}
	}
}

// registerNames are the register sheets of multiSheetInput in English, by
// source sheet.
var registerNames = map[string]string{
	sheet2026:      "Issues – Enjeux 2026",
	sheet2027:      "Issues – Enjeux 2027",
	sheetFederal:   "Members – Fédéral",
	sheetPT:        "Members – Provincial-territori…",
	sheetMunicipal: "Members – Municipal",
}

// styleOf returns the style of a cell.
func styleOf(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// fillOf returns the fill colour of a cell, "" when it has none.
func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	st := styleOf(t, f, sheet, cell)
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return st.Fill.Color[0]
}

// findingCells returns the cells each finding of a source sheet names, by
// sheet, and the rows that hold findings.
func findingCells(fs []validate.Finding) (cells map[string]map[string]bool, rows map[string]map[int]bool) {
	cells, rows = map[string]map[string]bool{}, map[string]map[int]bool{}
	for _, f := range fs {
		if f.Row <= 0 {
			continue
		}
		if cells[f.Sheet] == nil {
			cells[f.Sheet], rows[f.Sheet] = map[string]bool{}, map[int]bool{}
		}
		rows[f.Sheet][f.Row] = true
		refs := []string{f.Cell}
		if f.Code == validate.CodeIssueIncomplete {
			refs = strings.Split(f.Key, ",")
		}
		for _, c := range refs {
			if c = strings.TrimSpace(c); c != "" {
				cells[f.Sheet][c] = true
			}
		}
	}
	return cells, rows
}

func TestOneRegisterPerSheetRead(t *testing.T) {
	in := multiSheetInput(t, "en")
	f, _ := reopen(t, build(t, in))

	want := []string{"Summary", "Coverage",
		registerNames[sheet2026], registerNames[sheet2027], "Activities", "Findings",
		registerNames[sheetFederal], registerNames[sheetPT], registerNames[sheetMunicipal]}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	tables := in.Members
	tables = append(tables, in.Issues...)
	cells, rows := findingCells(in.Result.Findings)
	for _, tb := range tables {
		s := registerNames[tb.Origin.Sheet]
		// Above a header below row 1, a caption names the file and the
		// sheet.
		caption, err := f.GetCellValue(s, "A1")
		named := strings.Contains(caption, filepath.Base(tb.Origin.Path)) && strings.Contains(caption, "“"+tb.Origin.Sheet+"”")
		if err != nil || named != (tb.Header.Row > 1) {
			t.Errorf("%s: A1 %q (%v), header in row %d", s, caption, err, tb.Header.Row)
		}
		if len(cells[tb.Origin.Sheet]) == 0 {
			t.Fatalf("no finding on sheet %s: the input does not test what it should", tb.Origin.Sheet)
		}
		// Each row at its source row number; a cell filled exactly when a
		// finding of this sheet names it; the row's findings column filled
		// exactly when a finding of this sheet is about the row.
		n := 0
		for r := range tb.All() {
			n++
			name, _ := f.GetCellValue(s, ref(0, r.Num))
			if name != r.Cell(0).Value.Text {
				t.Errorf("%s!%s = %q, want %q", s, ref(0, r.Num), name, r.Cell(0).Value.Text)
			}
			for c := range len(memberTitles) {
				if c >= len(tb.Header.Columns) {
					break
				}
				cell := ref(c, r.Num)
				if filled, marked := fillOf(t, f, s, cell) != "", cells[tb.Origin.Sheet][cell]; filled != marked {
					t.Errorf("%s!%s: filled %v, but a finding of %s names it: %v", s, cell, filled, tb.Origin.Sheet, marked)
				}
			}
			msgs, _ := f.GetCellValue(s, ref(len(tb.Header.Columns)+2, r.Num))
			if (msgs != "") != rows[tb.Origin.Sheet][r.Num] {
				t.Errorf("%s row %d: findings %q, want some: %v", s, r.Num, msgs, rows[tb.Origin.Sheet][r.Num])
			}
		}
		if n == 0 {
			t.Errorf("%s: no rows", s)
		}
	}
	// The missing organization of C5 is marked on its own sheet only.
	if v, _ := f.GetCellValue(registerNames[sheetPT], "C5"); v != "(empty)" {
		t.Errorf("Provincial-territorial C5 = %q, want the missing mark", v)
	}
	if v, _ := f.GetCellValue(registerNames[sheetFederal], "C5"); v != "Canada Revenue Agency" {
		t.Errorf("Fédéral C5 = %q", v)
	}

	// Every finding with a row links to its own sheet's register, at its
	// cell (or its row's first cell).
	links := 0
	for i, fd := range sortedFindings(in.Result.Findings) {
		if fd.Row <= 0 {
			continue
		}
		cell := fd.Cell
		if cell == "" || strings.Contains(cell, ",") {
			cell = ref(0, fd.Row)
		}
		want := quoteSheet(registerNames[fd.Sheet]) + "!" + cell
		ok, target, err := f.GetCellHyperLink("Findings", ref(5, i+2))
		if err != nil || !ok || target != want {
			t.Errorf("finding %s of %s %s links to %q (%v), want %q", fd.Code, fd.Sheet, fd.Cell, target, err, want)
		}
		links++
	}
	if links < 6 {
		t.Errorf("%d findings linked, want one for each finding of a row", links)
	}

	// The rows set aside under Provincial-territorial are noted under its
	// register, and under no other.
	for _, tb := range tables {
		s := registerNames[tb.Origin.Sheet]
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		noted := false
		for _, r := range rows {
			if len(r) > 0 && strings.Contains(r[0], "rows 8–10") {
				noted = true
			}
		}
		if noted != (tb.Origin.Sheet == sheetPT) {
			t.Errorf("%s notes rows 8–10 set aside: %v", s, noted)
		}
	}
}

// TestRegisterSheetNames checks the names of the registers of several
// sheets in every language: valid sheet names, unlike each other.
func TestRegisterSheetNames(t *testing.T) {
	for _, lang := range []string{"en", "fr", "both", "fr-en"} {
		t.Run(lang, func(t *testing.T) {
			f, _ := reopen(t, build(t, multiSheetInput(t, lang)))
			names := f.GetSheetList()
			if len(names) != 9 {
				t.Fatalf("sheets %q, want 9", names)
			}
			seen := map[string]bool{}
			for _, n := range names {
				if l := len(utf16.Encode([]rune(n))); l > maxSheetName || strings.ContainsAny(n, `[]:*?/\`) || strings.HasPrefix(n, "'") || strings.HasSuffix(n, "'") {
					t.Errorf("sheet name %q (%d units) is not a valid name", n, l)
				}
				if seen[strings.ToLower(n)] {
					t.Errorf("sheet name %q twice", n)
				}
				seen[strings.ToLower(n)] = true
			}
			prefix := map[string]string{"en": "Members – ", "fr": "Membres – ", "both": "Members - Membres – ", "fr-en": "Membres - Members – "}[lang]
			if got := names[6]; got != prefix+sheetFederal {
				t.Errorf("first register of the membership %q, want %q", got, prefix+sheetFederal)
			}
		})
	}
}

func TestUniqueSheetName(t *testing.T) {
	used := map[string]bool{"members": true}
	for _, c := range []struct{ in, want string }{
		{"Members", "Members (2)"},
		{"MEMBERS", "MEMBERS (3)"},
		{"Members – 2024/2025: [draft]?", "Members – 2024-2025- -draft--"},
		{"Members – 2024/2025: [draft]?", "Members – 2024-2025- -draf… (2)"},
		{"Members – Provincial-territorial", "Members – Provincial-territori…"},
		{"Members – Provincial-territorialité", "Members – Provincial-terri… (2)"},
		{"Members – Nord 😀😀😀😀😀😀😀😀😀", "Members – Nord 😀😀😀😀😀😀😀…"},
		{"Members – Liste 'B'", "Members – Liste ’B’"},
		{"'Members – Québec'", "’Members – Québec’"},
		{"Members – Québec ' ' ' ' ' ' ' ' ' '", "Members – Québec ’ ’ ’ ’ ’ ’ ’…"},
	} {
		got := uniqueSheetName(c.in, used)
		if got != c.want {
			t.Errorf("uniqueSheetName(%q) = %q, want %q", c.in, got, c.want)
		}
		// A spreadsheet program takes the name: excelize refuses what
		// Excel refuses (a straight apostrophe first or last among them).
		f := excelize.NewFile()
		if _, err := f.NewSheet(got); err != nil {
			t.Errorf("sheet name %q: %v", got, err)
		}
		f.Close()
		if l := len(utf16.Encode([]rune(got))); l > maxSheetName {
			t.Errorf("%q is %d units long", got, l)
		}
	}
	if n := len(used); n != 11 {
		t.Errorf("%d names used, want 11: %v", n, slices.Sorted(maps.Keys(used)))
	}
}

// TestRegistersWithoutPersonalData builds the e-mail's copy of a report of
// several sheets: no register of the membership, every issues register
// with its owners left out, and no finding linked to a membership that
// the copy does not hold.
func TestRegistersWithoutPersonalData(t *testing.T) {
	in := multiSheetInput(t, "en")
	in.WithoutPersonalData = true
	in.PersonalFields = map[string][]string{validate.SourceIssues: {validate.FieldOwner}}
	f, _ := reopen(t, build(t, in))
	want := []string{"Summary", "Coverage", registerNames[sheet2026], registerNames[sheet2027], "Activities", "Findings"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for _, tb := range in.Issues {
		s := registerNames[tb.Origin.Sheet]
		col := tb.Header.Col(validate.FieldOwner)
		for _, r := range tb.Rows {
			if v, _ := f.GetCellValue(s, ref(col, r.Num)); v != "" {
				t.Errorf("%s!%s holds the owner %q", s, ref(col, r.Num), v)
			}
			if v, _ := f.GetCellValue(s, ref(0, r.Num)); v != r.Cell(0).Value.Text {
				t.Errorf("%s!%s = %q, want the issue", s, ref(0, r.Num), v)
			}
		}
		if tb.Rows[0].Cell(col).Value.Text == "" {
			t.Errorf("the input's owner is gone from %s: the copy must leave the caller's tables whole", tb.Origin.Sheet)
		}
	}
	for i, fd := range sortedFindings(in.Result.Findings) {
		ok, target, _ := f.GetCellHyperLink("Findings", ref(5, i+2))
		switch {
		case fd.Source == validate.SourceMembers && fd.Row > 0 && ok:
			t.Errorf("finding %s of the membership links to %q, which the copy does not hold", fd.Code, target)
		case fd.Source == validate.SourceIssues && fd.Row > 0 && (!ok || !strings.HasPrefix(target, quoteSheet(registerNames[fd.Sheet])+"!")):
			t.Errorf("finding %s of %s links to %q", fd.Code, fd.Sheet, target)
		}
	}
}

// TestSecondReaderRegisters reopens a report of several sheets with
// openpyxl: the registers in order, each finding's link to its own
// sheet's register at its cell, and in each register the filled cells
// exactly those its sheet's findings name.
func TestSecondReaderRegisters(t *testing.T) {
	script := secondReader(t)
	script = filepath.Join(filepath.Dir(script), "check_registers.py")
	for _, lang := range []string{"en", "both"} {
		t.Run(lang, func(t *testing.T) {
			in := multiSheetInput(t, lang)
			dir := t.TempDir()
			path := filepath.Join(dir, "report.xlsx")
			if err := Write(context.Background(), path, in); err != nil {
				t.Fatal(err)
			}
			b := newBook(in, mustLangs(t, lang))
			registers := map[string]string{}
			var order []string
			for _, source := range []string{validate.SourceIssues, validate.SourceMembers} {
				for _, reg := range b.registers[source] {
					registers[reg.t.Origin.Sheet] = reg.name
					order = append(order, reg.name)
				}
			}
			if lang == "en" {
				for sheet, name := range registerNames {
					if registers[sheet] != name {
						t.Errorf("register of %s named %q, want %q", sheet, registers[sheet], name)
					}
				}
			}
			cells, _ := findingCells(in.Result.Findings)
			marked := map[string][]string{}
			for sheet, cs := range cells {
				marked[sheet] = slices.Sorted(maps.Keys(cs))
			}
			expect := map[string]any{"registers": registers, "order": order, "marked": marked,
				"columns": len(memberTitles)}
			code, out := check(t, script, path, writeExpect(t, dir, expect))
			if code != 0 || !strings.Contains(out, " 0 failed") {
				t.Fatalf("exit %d:\n%s", code, out)
			}

			// The checker fails when a finding is said to be on another
			// sheet.
			marked[sheetFederal], marked[sheetMunicipal] = marked[sheetMunicipal], marked[sheetFederal]
			code, out = check(t, script, path, writeExpect(t, dir, expect))
			if code != 1 || !strings.Contains(out, "FAIL") {
				t.Fatalf("a wrong expectation passed (exit %d):\n%s", code, out)
			}
		})
	}
}

// mustLangs returns the languages of a report language setting.
func mustLangs(t *testing.T, lang string) []string {
	t.Helper()
	l, err := Languages(lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestRegistersRowStoreMatchesRows builds the same report from tables
// whose rows are in Rows and in a RowStore: the same workbook.
func TestRegistersRowStoreMatchesRows(t *testing.T) {
	in := exampleInput(t, "both")
	_, want := reopen(t, build(t, in))
	for _, tables := range []*[]validate.Table{&in.Members, &in.Issues, &in.Activities} {
		for i := range *tables {
			tb := &(*tables)[i]
			s := &validate.RowStore{}
			for _, r := range tb.Rows {
				s.Add(r)
			}
			tb.Rows, tb.Store = nil, s
		}
	}
	_, got := reopen(t, build(t, in))
	if !slices.Equal(got, want) {
		t.Error("a report from stored rows differs from the one from the rows")
	}
}

func TestParseRef(t *testing.T) {
	for _, c := range []struct {
		ref string
		at  cellAt
		ok  bool
	}{
		{"A1", cellAt{0, 1}, true},
		{"C5", cellAt{2, 5}, true},
		{"Z10", cellAt{25, 10}, true},
		{"AA1", cellAt{26, 1}, true},
		{"XFD1048576", cellAt{16383, 1048576}, true},
		{"c5", cellAt{}, false},
		{"C05", cellAt{}, false},
		{"C0", cellAt{}, false},
		{"C", cellAt{}, false},
		{"5", cellAt{}, false},
		{"C5,D5", cellAt{}, false},
		{"ABCD1", cellAt{}, false},
		{"", cellAt{}, false},
	} {
		at, ok := parseRef(c.ref)
		if at != c.at || ok != c.ok {
			t.Errorf("parseRef(%q) = %v, %v; want %v, %v", c.ref, at, ok, c.at, c.ok)
		}
		if ok && ref(at.col, at.row) != c.ref {
			t.Errorf("parseRef(%q) gives back %s", c.ref, ref(at.col, at.row))
		}
	}
}
