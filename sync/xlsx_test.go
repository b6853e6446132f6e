package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"copsync/templates"
	"copsync/validate"
)

func catalogue(t testing.TB) *validate.Catalogue {
	t.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// readTable reads one source of a workbook into memory with the default
// schema of the source.
func readTable(t *testing.T, path, source, sheet string) (validate.Table, error) {
	t.Helper()
	schema := validate.DefaultSchemas()[source]
	return ReadTable(context.Background(), Source{Name: source, Path: path, Sheet: sheet}, schema)
}

func mustReadTable(t *testing.T, path, source, sheet string) validate.Table {
	t.Helper()
	tab, err := readTable(t, path, source, sheet)
	if err != nil {
		t.Fatalf("read %s %s: %v", path, source, err)
	}
	return tab
}

// validateFile reads and validates sources of one workbook as the CLI does.
func validateFile(t *testing.T, rules validate.Rules, path string, sources ...string) *validate.Result {
	t.Helper()
	v := validate.New(rules, catalogue(t))
	for _, s := range sources {
		if err := Read(context.Background(), Source{Name: s, Path: path}, v.Schema(s), v.Table); err != nil {
			t.Fatalf("read %s: %v", s, err)
		}
	}
	return v.Result()
}

// fields returns the header's mapping as "title=field" by column index.
func fields(h validate.Header) map[int]string {
	m := map[int]string{}
	for _, c := range h.Columns {
		m[c.Index] = c.Title + "=" + c.Field
	}
	return m
}

// nonBlank returns the numbers of the rows that are not blank.
func nonBlank(rows []validate.Row) []int {
	var out []int
	for _, r := range rows {
		if !r.IsBlank() {
			out = append(out, r.Num)
		}
	}
	return out
}

func TestHeaderVariants(t *testing.T) {
	path := filepath.Join("testdata", "entetes.xlsx")
	memberFields := map[string]string{}
	for _, f := range validate.DefaultSchemas()[validate.SourceMembers].Fields {
		for _, a := range f.Aliases {
			memberFields[validate.Key(a)] = f.Name
		}
	}
	tests := []struct {
		sheet     string
		headerRow int
		want      map[int]string // column → "title=field"
	}{
		{"Accents", 1, map[int]string{0: "Nom=name", 1: "Courriel=email", 2: "Organisation=organization", 3: "Ordre de gouvernement=order",
			4: "Province ou territoire=jurisdiction", 5: "Rôle=role", 6: "Statut=status", 7: "Date d'adhésion=joined"}},
		{"SansAccents", 1, map[int]string{0: "Role=role", 1: "Date d'adhesion=joined", 2: "Statut=status", 3: "Courriel=email", 4: "Nom=name",
			5: "Ordre de gouvernement=order", 6: "Province ou territoire=jurisdiction", 7: "Organisation=organization"}},
		{"Espaces", 1, map[int]string{0: "Nom=name", 1: "Courriel=email", 2: "Organisation=organization", 3: "Ordre  de   gouvernement=order",
			4: "Province ou territoire=jurisdiction", 6: "Statut=status"}},
		{"Casse", 1, map[int]string{0: "NOM=name", 1: "cOURRIEL=email", 2: "organisation=organization", 3: "ORDRE DE GOUVERNEMENT=order",
			4: "province OU territoire=jurisdiction", 5: "STATUT=status"}},
		{"Anglais", 3, map[int]string{0: "Name=name", 1: "E-mail=email", 2: "Organization=organization", 3: "Order of government=order",
			4: "Province or territory=jurisdiction", 5: "Role=role", 6: "Status=status", 7: "Date joined=joined"}},
		{"Ligne20", 20, map[int]string{0: "Nom=name", 1: "Courriel=email", 2: "Statut=status"}},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			tab := mustReadTable(t, path, validate.SourceMembers, tt.sheet)
			if tab.Origin.Sheet != tt.sheet || tab.Header.Row != tt.headerRow {
				t.Fatalf("sheet %q header row %d, want %q row %d", tab.Origin.Sheet, tab.Header.Row, tt.sheet, tt.headerRow)
			}
			if d := cmp.Diff(tt.want, fields(tab.Header)); d != "" {
				t.Errorf("header mapping (-want +got):\n%s", d)
			}
			// The one data row under the header holds v1, v2, … by column.
			if got := nonBlank(tab.Rows); !slices.Equal(got, []int{tt.headerRow + 1}) {
				t.Fatalf("data rows %v, want [%d]", got, tt.headerRow+1)
			}
			r := tab.Rows[len(tab.Rows)-1]
			for col := range tt.want {
				c := r.Cell(col)
				if want := fmt.Sprintf("v%d", col+1); c.Value.Text != want || c.Value.Kind != validate.String {
					t.Errorf("column %d: %v %q, want string %q", col, c.Value.Kind, c.Value.Text, want)
				}
				if want := validate.CellRef(col, r.Num); c.Ref != want {
					t.Errorf("column %d: ref %q, want %q", col, c.Ref, want)
				}
			}
		})
	}
}

// TestReadMembresTitre reads the issue-2 membership sheet as excelize and
// openpyxl wrote it: the same table from both.
func TestReadMembresTitre(t *testing.T) {
	wantFields := map[int]string{0: "Nom=name", 1: "Courriel=email", 2: "Organisation=organization", 3: "Ordre de gouvernement=order",
		4: "Province ou territoire=jurisdiction", 5: "Rôle=role", 6: "Statut=status", 7: "Date d'adhésion=joined"}
	var tables []validate.Table
	for _, name := range []string{"membres_titre.xlsx", "openpyxl_membres.xlsx"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			tab := mustReadTable(t, path, validate.SourceMembers, "")
			if tab.Origin.Sheet != "Membres" || tab.Header.Row != 4 || tab.Origin.Date1904 {
				t.Fatalf("origin %+v, header row %d; want sheet Membres, row 4, 1900 dates", tab.Origin, tab.Header.Row)
			}
			if abs, _ := filepath.Abs(path); tab.Origin.Path != abs || tab.Origin.Kind != "xlsx" || tab.Origin.Source != "members" {
				t.Errorf("origin %+v, want the absolute path %s", tab.Origin, abs)
			}
			if d := cmp.Diff(wantFields, fields(tab.Header)); d != "" {
				t.Errorf("header mapping (-want +got):\n%s", d)
			}
			wantRows := make([]int, len(membres))
			for i := range membres {
				wantRows[i] = 5 + i
			}
			if got := nonBlank(tab.Rows); !slices.Equal(got, wantRows) {
				t.Fatalf("non-blank rows %v, want %v", got, wantRows)
			}
			for _, r := range tab.Rows {
				if r.Num <= 4 {
					t.Errorf("row %d above or at the header was given", r.Num)
				}
				if r.IsBlank() {
					continue
				}
				want := membres[r.Num-5]
				for col, v := range want {
					c := r.Cell(col)
					if c.Ref != validate.CellRef(col, r.Num) {
						t.Errorf("%s: ref %q", validate.CellRef(col, r.Num), c.Ref)
					}
					switch v := v.(type) {
					case nil:
						if !c.Value.IsBlank() {
							t.Errorf("%s = %q, want blank", c.Ref, c.Value.Text)
						}
					case string:
						if c.Value.Kind != validate.String || c.Value.Text != v {
							t.Errorf("%s = %v %q, want %q", c.Ref, c.Value.Kind, c.Value.Text, v)
						}
					case time.Time:
						d, ok := validate.ParseDate(c.Value, tab.Origin.Date1904)
						// A date-formatted cell is read as a date, as
						// people see it, its serial number kept.
						if c.Value.Kind != validate.Date || !ok || !d.Equal(v) || c.Value.Text != v.Format(time.DateOnly) {
							t.Errorf("%s = %v %q (%v), want the date %v", c.Ref, c.Value.Kind, c.Value.Text, d, v)
						}
					}
				}
			}
			tables = append(tables, tab)
		})
	}
	if len(tables) == 2 {
		strip := func(tab validate.Table) []validate.Row {
			var out []validate.Row
			for _, r := range tab.Rows {
				if !r.IsBlank() {
					out = append(out, r)
				}
			}
			return out
		}
		if d := cmp.Diff(strip(tables[0]), strip(tables[1])); d != "" {
			t.Errorf("excelize and openpyxl workbooks read differently (-excelize +openpyxl):\n%s", d)
		}
	}
}

// finding is the part of a finding a test compares.
type finding struct {
	Code, Cell, Key, Suggestion string
	Row                         int
}

func project(fs []validate.Finding) []finding {
	out := make([]finding, len(fs))
	for i, f := range fs {
		out[i] = finding{Code: f.Code, Cell: f.Cell, Key: f.Key, Suggestion: f.Suggestion, Row: f.Row}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Key < b.Key
	})
	return out
}

// TestIssue2Scenario is the issue's "done when": a membership sheet with
// French headers under a title block, provinces written "Québec", "qc",
// "C.-B." and "Terre-Neuve-et-Labrador", an inactive member, a duplicate
// e-mail in another case and a typo in a province gives exactly what a
// careful secretary would list: the duplicate naming both rows, the typo
// with its suggestion, and the provinces and territories without an active
// provincial/territorial member (Ontario's only member is inactive;
// Alberta's is written with a typo).
func TestIssue2Scenario(t *testing.T) {
	want := []finding{
		{Code: validate.CodeJurisdictionMissing, Key: "AB"},
		{Code: validate.CodeJurisdictionMissing, Key: "MB"},
		{Code: validate.CodeJurisdictionMissing, Key: "NB"},
		{Code: validate.CodeJurisdictionMissing, Key: "NS"},
		{Code: validate.CodeJurisdictionMissing, Key: "NT"},
		{Code: validate.CodeJurisdictionMissing, Key: "NU"},
		{Code: validate.CodeJurisdictionMissing, Key: "ON"},
		{Code: validate.CodeJurisdictionMissing, Key: "PE"},
		{Code: validate.CodeJurisdictionMissing, Key: "SK"},
		{Code: validate.CodeJurisdictionMissing, Key: "YT"},
		{Code: validate.CodeMemberEmailDuplicate, Row: 10, Cell: "B10", Key: "Marie.Tremblay@MCN.gouv.qc.ca"},
		{Code: validate.CodeMemberJurisdictionUnknown, Row: 13, Cell: "E13", Key: "Albreta", Suggestion: "Alberta"},
	}
	for _, name := range []string{"membres_titre.xlsx", "openpyxl_membres.xlsx"} {
		t.Run(name, func(t *testing.T) {
			res := validateFile(t, validate.DefaultRules(), filepath.Join("testdata", name), validate.SourceMembers)
			if d := cmp.Diff(want, project(res.Findings)); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
			for _, f := range res.Findings {
				if f.Code == validate.CodeMemberEmailDuplicate && (!strings.Contains(f.Text(catalogue(t), "en", validate.Disclose), "10") || !strings.Contains(f.Text(catalogue(t), "en", validate.Disclose), "5")) {
					t.Errorf("duplicate e-mail message %q does not name rows 10 and 5", f.Text(catalogue(t), "en", validate.Disclose))
				}
				if f.Code == validate.CodeMemberJurisdictionUnknown && !strings.Contains(f.Text(catalogue(t), "fr", validate.Disclose), "Alberta") {
					t.Errorf("French message %q lacks the suggestion", f.Text(catalogue(t), "fr", validate.Disclose))
				}
			}
			s := res.Summary
			if s.MembersTotal != 9 || s.MembersActive != 8 || s.FederalOrganizations != 1 || s.MunicipalOrganizations != 1 || s.PTOrganizations != 5 {
				t.Errorf("summary total %d active %d federal %d pt %d municipal %d; want 9 8 1 5 1",
					s.MembersTotal, s.MembersActive, s.FederalOrganizations, s.PTOrganizations, s.MunicipalOrganizations)
			}
		})
	}
}

func TestIssuesSheetFoundByHeaders(t *testing.T) {
	tests := []struct {
		file, source, sheet string
		headerRow           int
		rows                []int
	}{
		{"membres_titre.xlsx", validate.SourceIssues, "Enjeux", 3, []int{4, 5}},
		{"openpyxl_membres.xlsx", validate.SourceIssues, "Enjeux", 3, []int{4, 5}},
		{"deux_sources.xlsx", validate.SourceIssues, "Feuil1", 3, []int{4}},
		{"deux_sources.xlsx", validate.SourceMembers, "Feuil2", 3, []int{4}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.source, func(t *testing.T) {
			tab := mustReadTable(t, filepath.Join("testdata", tt.file), tt.source, "")
			if tab.Origin.Sheet != tt.sheet || tab.Header.Row != tt.headerRow {
				t.Fatalf("found sheet %q header row %d, want %q row %d", tab.Origin.Sheet, tab.Header.Row, tt.sheet, tt.headerRow)
			}
			if got := nonBlank(tab.Rows); !slices.Equal(got, tt.rows) {
				t.Errorf("rows %v, want %v", got, tt.rows)
			}
		})
	}
	// The seed's issue: criticality and incidence left empty.
	res := validateFile(t, validate.DefaultRules(), filepath.Join("testdata", "openpyxl_membres.xlsx"), validate.SourceIssues)
	want := []finding{{Code: validate.CodeIssueIncomplete, Row: 4, Cell: "B4", Key: "B4,C4"}}
	if d := cmp.Diff(want, project(res.Findings)); d != "" {
		t.Errorf("issue findings (-want +got):\n%s", d)
	}
}

// TestBlankRowsNeverFlagged reads rows that are absent, formatted but
// empty, made of empty strings or spaces, only a height, or a formula
// whose cached value is empty: none is data and none is flagged.
func TestBlankRowsNeverFlagged(t *testing.T) {
	path := filepath.Join("testdata", "lignes_vides.xlsx")
	tab := mustReadTable(t, path, validate.SourceMembers, "")
	if got := nonBlank(tab.Rows); !slices.Equal(got, []int{2, 5, 9}) {
		t.Fatalf("non-blank rows %v, want [2 5 9]", got)
	}
	res := validateFile(t, validate.DefaultRules(), path, validate.SourceMembers)
	if res.Summary.MembersTotal != 3 || res.Summary.MembersActive != 3 {
		t.Errorf("members %d (active %d), want 3 and 3", res.Summary.MembersTotal, res.Summary.MembersActive)
	}
	for _, f := range res.Findings {
		if f.Row != 0 {
			t.Errorf("row finding %s at row %d (%s)", f.Code, f.Row, f.Text(catalogue(t), "en", validate.Disclose))
		}
	}
	if !slices.Equal(res.Summary.OrdersMissing, []string{validate.OrderFederal, validate.OrderMunicipal}) {
		t.Errorf("orders missing %v", res.Summary.OrdersMissing)
	}
}

func TestDates(t *testing.T) {
	for _, tt := range []struct {
		file     string
		date1904 bool
	}{{"dates_1900.xlsx", false}, {"dates_1904.xlsx", true}} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			tab := mustReadTable(t, path, validate.SourceIssues, "")
			if tab.Origin.Date1904 != tt.date1904 {
				t.Fatalf("Date1904 %v, want %v", tab.Origin.Date1904, tt.date1904)
			}
			col := tab.Header.Col(validate.FieldTargetDate)
			got := map[string]validate.Cell{}
			for _, r := range tab.Rows {
				got[r.Cell(tab.Header.Col(validate.FieldIssue)).Value.Text] = r.Cell(col)
			}
			var invalid []string
			for _, d := range dateRows {
				c, ok := got[d.issue]
				if !ok {
					if tm, isTime := d.value.(time.Time); tt.date1904 && isTime && tm.Year() < 1904 {
						continue
					}
					t.Errorf("%s: row missing", d.issue)
					continue
				}
				// A serial with a date format is read as a date, one
				// without as a number, a text as a string.
				wantKind := validate.String
				if _, isTime := d.value.(time.Time); isTime && d.plain {
					wantKind = validate.Number
				} else if isTime {
					wantKind = validate.Date
				}
				if c.Value.Kind != wantKind {
					t.Errorf("%s: kind %v, want %v", d.issue, c.Value.Kind, wantKind)
				}
				parsed, ok := validate.ParseDate(c.Value, tab.Origin.Date1904)
				if d.want.IsZero() {
					if ok {
						t.Errorf("%s: %q read as the date %v", d.issue, c.Value.Text, parsed)
					}
					invalid = append(invalid, c.Ref)
					continue
				}
				if !ok || !parsed.Equal(d.want) {
					t.Errorf("%s: %q read as %v (%v), want %v", d.issue, c.Value.Text, parsed, ok, d.want)
				}
			}
			res := validateFile(t, validate.DefaultRules(), path, validate.SourceIssues)
			var flagged []string
			for _, f := range res.Findings {
				if f.Code == validate.CodeIssueDateInvalid {
					flagged = append(flagged, f.Cell)
				}
			}
			sort.Strings(flagged)
			sort.Strings(invalid)
			if !slices.Equal(flagged, invalid) {
				t.Errorf("date-invalid findings at %v, want %v", flagged, invalid)
			}
		})
	}
	t.Run("openpyxl_1904.xlsx", func(t *testing.T) {
		tab := mustReadTable(t, filepath.Join("testdata", "openpyxl_1904.xlsx"), validate.SourceIssues, "")
		if !tab.Origin.Date1904 {
			t.Fatal("the 1904 date system was not seen")
		}
		want := map[int]time.Time{2: day(2022, 10, 15), 3: day(2023, 1, 31), 4: day(2023, 2, 1), 5: day(2024, 2, 29)}
		col := tab.Header.Col(validate.FieldTargetDate)
		for _, r := range tab.Rows {
			d, ok := validate.ParseDate(r.Cell(col).Value, true)
			if !ok || !d.Equal(want[r.Num]) {
				t.Errorf("row %d: %q read as %v, want %v", r.Num, r.Cell(col).Value.Text, d, want[r.Num])
			}
			delete(want, r.Num)
		}
		if len(want) > 0 {
			t.Errorf("rows not read: %v", want)
		}
	})
}

// TestFormulasReadByCachedValue reads formulas by the values the writer
// cached; a formula without a cached value is blank.
func TestFormulasReadByCachedValue(t *testing.T) {
	path := filepath.Join("testdata", "formules.xlsx")
	tab := mustReadTable(t, path, validate.SourceMembers, "")
	cells := map[string]validate.Value{}
	for _, r := range tab.Rows {
		for i := range 10 {
			c := r.Cell(i)
			cells[c.Ref] = c.Value
		}
	}
	tests := []struct {
		ref  string
		kind validate.Kind
		text string
	}{
		{"C2", validate.String, "Ann Lee"},
		{"D2", validate.String, "ann.lee@gov.mb.ca"},
		{"H2", validate.String, "Active"},
		{"I2", validate.Number, "44849"},
		{"J2", validate.Number, "2"},
		{"C3", validate.String, "Bob Roy"},
		{"D3", validate.Blank, ""},
		{"I3", validate.String, "#DIV/0!"},
	}
	for _, tt := range tests {
		if v := cells[tt.ref]; v.Kind != tt.kind || v.Text != tt.text {
			t.Errorf("%s = %v %q, want %v %q", tt.ref, v.Kind, v.Text, tt.kind, tt.text)
		}
	}
	res := validateFile(t, validate.DefaultRules(), path, validate.SourceMembers)
	var rowFindings []finding
	for _, f := range project(res.Findings) {
		if f.Row > 0 {
			rowFindings = append(rowFindings, f)
		}
	}
	want := []finding{{Code: validate.CodeMemberFieldMissing, Row: 3, Cell: "D3"}}
	if d := cmp.Diff(want, rowFindings); d != "" {
		t.Errorf("row findings (-want +got):\n%s", d)
	}
}

func TestMacroEnabledWorkbook(t *testing.T) {
	tab := mustReadTable(t, filepath.Join("testdata", "macros.xlsm"), validate.SourceMembers, "")
	if got := nonBlank(tab.Rows); !slices.Equal(got, []int{2}) || tab.Rows[0].Cell(0).Value.Text != "Ann Lee" {
		t.Errorf("rows %v, first name %q", got, tab.Rows[0].Cell(0).Value.Text)
	}
}

// checkSourceError checks that err is a one-line *SourceError naming the
// file (and the sheet, when one is given) and wrapping want.
func checkSourceError(t *testing.T, err error, file, sheet string, want error) *SourceError {
	t.Helper()
	var se *SourceError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SourceError", err, err)
	}
	msg := se.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("message spans lines: %q", msg)
	}
	if !strings.Contains(msg, file) {
		t.Errorf("message %q does not name the file %s", msg, file)
	}
	if sheet != "" && !strings.Contains(msg, fmt.Sprintf("sheet %q", sheet)) {
		t.Errorf("message %q does not name the sheet %q", msg, sheet)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q is not %v", msg, want)
	}
	return se
}

func TestMissingFileSheetHeader(t *testing.T) {
	tests := []struct {
		name, file, source, sheet string
		want                      error
		contains                  []string
	}{
		{"missing file", filepath.Join("testdata", "absent.xlsx"), "members", "Membres", ErrNotFound, nil},
		{"missing sheet", filepath.Join("testdata", "membres_titre.xlsx"), "members", "Members", ErrSheetNotFound,
			[]string{`"Membres", "Enjeux"`}},
		{"sheet named in another case", filepath.Join("testdata", "membres_titre.xlsx"), "members", "MEMBRES", nil, nil},
		{"header below row 20", filepath.Join("testdata", "entetes.xlsx"), "members", "Ligne21", ErrHeaderNotFound,
			[]string{`"Title"`, `"Subtitle"`, "20"}},
		{"header of the other source", filepath.Join("testdata", "macros.xlsm"), "issues", "Members", ErrHeaderNotFound,
			[]string{`"Issue"`, `"Name"`, `"Email"`}},
		{"the only sheet has no header", filepath.Join("testdata", "macros.xlsm"), "issues", "", ErrHeaderNotFound,
			[]string{`sheet "Members"`, `"Name", "Email"`, `"Issue"`}},
		{"no sheet has the header", filepath.Join("testdata", "membres_titre.xlsx"), "activities", "", ErrHeaderNotFound,
			[]string{`sheet "Membres": "Communauté de pratique du centre de services"`, `sheet "Enjeux": "Enjeux et défis", "Enjeu"`, `"Date"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readTable(t, tt.file, tt.source, tt.sheet)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			se := checkSourceError(t, err, tt.file, tt.sheet, tt.want)
			for _, c := range tt.contains {
				if !strings.Contains(se.Error(), c) {
					t.Errorf("message %q lacks %s", se.Error(), c)
				}
			}
			t.Log(se.Error())
		})
	}
}

func TestProgressCallback(t *testing.T) {
	var got []Progress
	src := Source{Name: "members", Path: filepath.Join("testdata", "membres_titre.xlsx"), Progress: func(p Progress) { got = append(got, p) }}
	if err := Read(context.Background(), src, validate.DefaultSchemas()["members"], func(validate.Origin, validate.Header) func(validate.Row) {
		return func(validate.Row) {}
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 || got[0].Rows != 0 || got[0].Done || !got[len(got)-1].Done || got[len(got)-1].Rows != 16 {
		t.Fatalf("progress %+v: want a start at 0 rows and an end at row 16", got)
	}
	for _, p := range got {
		if p.Source != "members" || p.Sheet != "Membres" {
			t.Errorf("progress %+v names the wrong source or sheet", p)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Read(ctx, Source{Name: "members", Path: filepath.Join("testdata", "membres_titre.xlsx")},
		validate.DefaultSchemas()["members"], func(validate.Origin, validate.Header) func(validate.Row) { return func(validate.Row) {} })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
