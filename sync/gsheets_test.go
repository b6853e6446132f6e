package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"google.golang.org/api/sheets/v4"

	"copsync/sync"
	"copsync/sync/sheetstest"
	"copsync/templates"
	"copsync/validate"
)

// membersSchema is the membership fields with the built-in aliases.
func membersSchema() validate.Schema { return validate.DefaultSchemas()[validate.SourceMembers] }

// newFake starts a fake Sheets API that stops with the test.
func newFake(t *testing.T, books ...*sheets.Spreadsheet) *sheetstest.Server {
	t.Helper()
	srv := sheetstest.New(t)
	t.Cleanup(srv.Close)
	srv.Add(books...)
	return srv
}

// gsource is a Google Sheets source read from the fake without credentials.
func gsource(srv *sheetstest.Server, name, id, sheet string) sync.Source {
	return sync.Source{Name: name, Kind: "gsheets", SpreadsheetID: id, Sheet: sheet, Endpoint: srv.Endpoint()}
}

// fastClient returns a client whose retries do not wait.
func fastClient(logger *slog.Logger, sources ...sync.Source) *sync.GSheets {
	g := sync.NewGSheets(logger, sources)
	g.Backoff = time.Millisecond
	return g
}

func readWith(t *testing.T, g *sync.GSheets, src sync.Source) (validate.Table, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return sync.ReadTable(sync.WithGSheets(ctx, g), src, membersSchema())
}

var (
	joined  = time.Date(2022, 10, 15, 0, 0, 0, 0, time.UTC)
	joined2 = time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
)

// membersTab is a membership tab as people keep it: a merged title, a blank
// row, the header on row 3, ragged rows, a date, a boolean, a formula error
// and a number typed as text.
func membersTab() *sheets.Sheet {
	tab := sheetstest.Tab(812345, "Members",
		[]any{"Service Centre CoP — membership", nil, nil, nil},
		nil,
		[]any{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Status", "Date joined", "Volunteer"},
		[]any{"Ada Lovelace", "ada@example.gc.ca", "Service Canada", "Federal", nil, "Active", joined, true},
		[]any{"Grace Hopper", "grace@example.on.ca"},
		nil,
		[]any{"Alan Turing", "alan@example", "Ville de Québec", "Municipal", "QC", "Actif", joined2, false},
		[]any{"Edsger Dijkstra", nil, "Manitoba Health", "Provincial", "MB", sheetstest.Err("#N/A"), "2022-10-15", nil},
		[]any{nil, nil, nil, nil, nil, nil, nil, nil, "0042"},
	)
	return sheetstest.Merge(tab, "A1:D1")
}

func TestGSheetsReadsTheTableModel(t *testing.T) {
	srv := newFake(t, sheetstest.Book("sheet-1", "CoP", membersTab()))
	src := gsource(srv, "members", "sheet-1", "")
	tab, err := readWith(t, fastClient(nil, src), src)
	if err != nil {
		t.Fatal(err)
	}
	wantOrigin := validate.Origin{
		Source: "members", Kind: "gsheets", Path: "https://docs.google.com/spreadsheets/d/sheet-1/edit",
		Sheet: "Members", SpreadsheetID: "sheet-1", SheetID: 812345,
	}
	if diff := cmp.Diff(wantOrigin, tab.Origin); diff != "" {
		t.Errorf("origin (-want +got):\n%s", diff)
	}
	if got := tab.Origin.Link("B7"); got != "https://docs.google.com/spreadsheets/d/sheet-1/edit#gid=812345&range=B7" {
		t.Errorf("link = %s", got)
	}
	if tab.Header.Row != 3 || tab.Header.Col(validate.FieldJoined) != 6 || tab.Header.Col(validate.FieldEmail) != 1 {
		t.Errorf("header = %+v", tab.Header)
	}
	var nums []int
	for _, r := range tab.Rows {
		nums = append(nums, r.Num)
	}
	if diff := cmp.Diff([]int{4, 5, 7, 8, 9}, nums); diff != "" {
		t.Fatalf("row numbers (-want +got):\n%s", diff)
	}
	str := func(s string) validate.Value { return validate.Value{Kind: validate.String, Text: s} }
	cases := []struct {
		row, col int
		ref      string
		want     validate.Value
	}{
		{0, 0, "A4", str("Ada Lovelace")},
		{0, 4, "E4", validate.Value{}}, // an empty cell between values
		// 2022-10-15, Google's serial in a date format, shown as formatted
		{0, 6, "G4", validate.Value{Kind: validate.Date, Text: "2022-10-15", Num: 44849, Time: time.Date(2022, 10, 15, 0, 0, 0, 0, time.UTC)}},
		{0, 7, "H4", validate.Value{Kind: validate.Bool, Text: "TRUE", Bool: true}},
		{1, 1, "B5", str("grace@example.on.ca")},
		{1, 6, "G5", validate.Value{}}, // past the end of a short row
		{2, 7, "H7", validate.Value{Kind: validate.Bool, Text: "FALSE"}},
		{3, 5, "F8", str("#N/A")},       // a formula error
		{3, 6, "G8", str("2022-10-15")}, // a date typed as text
		{4, 8, "I9", str("0042")},       // text that reads as a number stays text
	}
	for _, c := range cases {
		cell := tab.Rows[c.row].Cell(c.col)
		if cell.Ref != c.ref {
			t.Errorf("row %d col %d: ref %s, want %s", c.row, c.col, cell.Ref, c.ref)
		}
		if diff := cmp.Diff(c.want, cell.Value); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.ref, diff)
		}
	}
	// A short row has its cells up to its last value, every one addressed.
	if r := tab.Rows[1]; len(r.Cells) != 2 || r.Cells[0].Ref != "A5" || r.Cells[1].Ref != "B5" {
		t.Errorf("short row cells = %+v", r.Cells)
	}
	if r := tab.Rows[0]; len(r.Cells) != 8 || r.Cells[4].Ref != "E4" || !r.Cells[4].Value.IsBlank() {
		t.Errorf("row with a gap: cells = %+v", r.Cells)
	}
	d, ok := validate.ParseDate(tab.Rows[0].Cell(6).Value, tab.Origin.Date1904)
	if !ok || !d.Equal(joined) {
		t.Errorf("serial date reads as %v, %v; want %v", d, ok, joined)
	}
}

func TestGSheetsMergedValueFillsItsRows(t *testing.T) {
	// A merged title over the header row, and a merged data cell: the
	// title is not data, and the value merged down belongs to every row of
	// the merge, addressed at its top-left cell.
	tab := sheetstest.Tab(0, "Members",
		[]any{"Members of the community", nil, nil},
		[]any{"Name", "E-mail", "Organization"},
		[]any{"Ada", "ada@example.ca", "Service Canada"},
		[]any{"Alan", "alan@example.ca", nil},
	)
	sheetstest.Merge(tab, "A1:C1", "C3:C4")
	srv := newFake(t, sheetstest.Book("m", "m", tab))
	src := gsource(srv, "members", "m", "Members")
	got, err := readWith(t, fastClient(nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if got.Header.Row != 2 {
		t.Errorf("header row = %d, want 2 (the merged title skipped)", got.Header.Row)
	}
	if c := got.Rows[1].Cell(2); c.Value.Trimmed() != "Service Canada" || c.Ref != "C3" {
		t.Errorf("C4, inside a merge, = %+v, want Service Canada at C3", c)
	}
}

// writeMembersXLSX writes the content of membersTab as an .xlsx workbook,
// as a person would save it from a spreadsheet program.
func writeMembersXLSX(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Members"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	date := "yyyy-mm-dd"
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &date})
	if err != nil {
		t.Fatal(err)
	}
	set := func(ref string, v any) {
		t.Helper()
		if err := f.SetCellValue(sh, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Service Centre CoP — membership")
	if err := f.MergeCell(sh, "A1", "D1"); err != nil {
		t.Fatal(err)
	}
	for i, h := range []string{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Status", "Date joined", "Volunteer"} {
		set(validate.CellRef(i, 3), h)
	}
	rows := [][]any{
		{"Ada Lovelace", "ada@example.gc.ca", "Service Canada", "Federal", nil, "Active", joined, true},
		{"Grace Hopper", "grace@example.on.ca"},
		nil,
		{"Alan Turing", "alan@example", "Ville de Québec", "Municipal", "QC", "Actif", joined2, false},
		{"Edsger Dijkstra", nil, "Manitoba Health", "Provincial", "MB", nil, "2022-10-15"},
		{nil, nil, nil, nil, nil, nil, nil, nil, "0042"},
	}
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			ref := validate.CellRef(j, 4+i)
			set(ref, v)
			if _, isDate := v.(time.Time); isDate {
				if err := f.SetCellStyle(sh, ref, ref, ds); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// A formula whose cached result is an error, as Excel saves it.
	if err := f.SetCellFormula(sh, "F8", "NA()"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	setCachedError(t, path, sh, "F8", "#N/A")
}

// setCachedError rewrites a formula cell of the first worksheet so that its
// cached value is an error (t="e"), as Excel saves =NA(); excelize cannot
// write one itself.
func setCachedError(t *testing.T, path, sheet, ref, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	cell := regexp.MustCompile(`<c r="` + ref + `"[^>]*?(?:/>|>.*?</c>)`)
	found := false
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			b = cell.ReplaceAllFunc(b, func([]byte) []byte {
				found = true
				return []byte(`<c r="` + ref + `" t="e"><f>NA()</f><v>` + text + `</v></c>`)
			})
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("cell %s!%s not found in the workbook", sheet, ref)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestGSheetsReadsTheSameTableAsXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "members.xlsx")
	writeMembersXLSX(t, path)
	// The library's reading of the workbook: raw values, as the Google
	// Sheets reader gives them (see sync.ReadTableLibrary).
	want, err := sync.ReadTableLibrary(context.Background(), sync.Source{Name: "members", Kind: "xlsx", Path: path}, membersSchema())
	if err != nil {
		t.Fatal(err)
	}
	book, err := sheetstest.FromXLSX(path, "from-xlsx")
	if err != nil {
		t.Fatal(err)
	}
	// Google's import of the workbook: a date is a date-formatted number,
	// =NA() an error value, TRUE a boolean.
	rows := book.Sheets[0].Data[0].RowData
	g4, h4, f8 := rows[3].Values[6], rows[3].Values[7], rows[7].Values[5]
	if v := g4.EffectiveValue; v == nil || v.NumberValue == nil || *v.NumberValue != 44849 || g4.FormattedValue != "2022-10-15" ||
		g4.EffectiveFormat == nil || g4.EffectiveFormat.NumberFormat.Type != "DATE" {
		t.Errorf("G4 imported as %+v", g4)
	}
	if v := h4.EffectiveValue; v == nil || v.BoolValue == nil || !*v.BoolValue {
		t.Errorf("H4 imported as %+v", h4)
	}
	if v := f8.EffectiveValue; v == nil || v.ErrorValue == nil || v.ErrorValue.Type != "N_A" || f8.FormattedValue != "#N/A" {
		t.Errorf("F8 imported as %+v", f8)
	}
	if m := book.Sheets[0].Merges; len(m) != 1 || m[0].EndColumnIndex != 4 || m[0].EndRowIndex != 1 {
		t.Errorf("merges imported as %+v", m)
	}
	srv := newFake(t, book)
	got, err := readWith(t, fastClient(nil), gsource(srv, "members", "from-xlsx", ""))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Header, got.Header); diff != "" {
		t.Errorf("header (-xlsx +gsheets):\n%s", diff)
	}
	if diff := cmp.Diff(want.Rows, got.Rows); diff != "" {
		t.Errorf("rows (-xlsx +gsheets):\n%s", diff)
	}
	if got.Origin.Sheet != want.Origin.Sheet || got.Origin.Kind != "gsheets" || got.Origin.SpreadsheetID != "from-xlsx" {
		t.Errorf("origin = %+v", got.Origin)
	}
}

// catalogue loads the message catalogue.
func catalogue(t *testing.T) *validate.Catalogue {
	t.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// validateSources validates sources read through ctx.
func validateSources(t *testing.T, ctx context.Context, sources ...sync.Source) *validate.Result {
	t.Helper()
	rules := validate.DefaultRules()
	rules.Today = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	v := validate.New(rules, catalogue(t))
	for _, src := range sources {
		read := sync.Read
		if src.Kind == "xlsx" {
			// Raw values, as the Google Sheets reader gives them (see
			// sync.ReadTableLibrary).
			read = sync.ReadLibrary
		}
		if err := read(ctx, src, v.Schema(src.Name), v.Table); err != nil {
			t.Fatal(err)
		}
	}
	return v.Result()
}

// withoutLinks returns the findings with their links removed, and checks
// that every link of a Google Sheets finding points at its cell.
func withoutLinks(t *testing.T, fs []validate.Finding, gsheets bool) []validate.Finding {
	t.Helper()
	out := make([]validate.Finding, len(fs))
	for i, f := range fs {
		if gsheets && f.Link != "" {
			if !strings.HasPrefix(f.Link, "https://docs.google.com/spreadsheets/d/") || !strings.Contains(f.Link, "#gid=") ||
				f.Cell != "" && !strings.HasSuffix(f.Link, "&range="+f.Cell) {
				t.Errorf("finding %s at %s: link %s", f.Code, f.Cell, f.Link)
			}
		}
		f.Link = ""
		out[i] = f
	}
	return out
}

func TestGSheetsGivesTheSameFindingsAsXLSX(t *testing.T) {
	// The bundled examples when the checkout has them, and the workbook
	// above in any case.
	dir := t.TempDir()
	gen := filepath.Join(dir, "members.xlsx")
	writeMembersXLSX(t, gen)
	sets := map[string][]sync.Source{
		"generated": {{Name: "members", Kind: "xlsx", Path: gen}},
	}
	examples := filepath.Join("..", "examples")
	if _, err := os.Stat(filepath.Join(examples, "members.xlsx")); err == nil {
		var set []sync.Source
		for _, name := range []string{"members", "issues", "activities"} {
			set = append(set, sync.Source{Name: name, Kind: "xlsx", Path: filepath.Join(examples, name+".xlsx")})
		}
		sets["examples"] = set
	} else {
		t.Log("examples/ not in this checkout: comparing the generated workbook only")
	}
	for name, xlsxSources := range sets {
		t.Run(name, func(t *testing.T) {
			want := validateSources(t, context.Background(), xlsxSources...)
			srv := sheetstest.New(t)
			defer srv.Close()
			var gs []sync.Source
			for _, s := range xlsxSources {
				book, err := sheetstest.FromXLSX(s.Path, "id-"+s.Name)
				if err != nil {
					t.Fatal(err)
				}
				srv.Add(book)
				gs = append(gs, gsource(srv, s.Name, "id-"+s.Name, ""))
			}
			ctx := sync.WithGSheets(context.Background(), fastClient(nil, gs...))
			got := validateSources(t, ctx, gs...)
			if len(want.Findings) == 0 {
				t.Fatal("the XLSX run found nothing: the comparison would prove little")
			}
			if diff := cmp.Diff(withoutLinks(t, want.Findings, false), withoutLinks(t, got.Findings, true)); diff != "" {
				t.Errorf("findings (-xlsx +gsheets):\n%s", diff)
			}
			if diff := cmp.Diff(want.Summary, got.Summary); diff != "" {
				t.Errorf("summary (-xlsx +gsheets):\n%s", diff)
			}
			if diff := cmp.Diff(want.Issues, got.Issues); diff != "" {
				t.Errorf("issues (-xlsx +gsheets):\n%s", diff)
			}
			if diff := cmp.Diff(want.Activities, got.Activities); diff != "" {
				t.Errorf("activities (-xlsx +gsheets):\n%s", diff)
			}
			if n := srv.Count(); n != len(gs) {
				t.Errorf("%d requests for %d spreadsheets", n, len(gs))
			}
		})
	}
}

func TestGSheetsReadsEachSpreadsheetOnce(t *testing.T) {
	activities := sheetstest.Tab(7, "Activities",
		[]any{"Date", "Type", "Theme"},
		[]any{joined, "Completed", "Chatbots"},
	)
	other := sheetstest.Tab(9, "Notes", []any{"nothing to read here"})
	shared := sheetstest.Book("shared", "CoP", membersTab(), activities, other)
	issues := sheetstest.Book("issues", "Issues", sheetstest.Tab(0, "Enjeux",
		[]any{"Enjeu", "Criticité", "Incidence", "Plan d'action"},
		[]any{"No member from NL, PE, NU, YT", nil, nil, "Ask the Council"},
	))
	srv := newFake(t, shared, issues)
	sources := []sync.Source{
		gsource(srv, "members", "shared", "Members"),
		gsource(srv, "activities", "https://docs.google.com/spreadsheets/d/shared/edit#gid=7", "Activities"),
		gsource(srv, "issues", "issues", ""),
	}
	g := fastClient(nil, sources...)
	ctx := sync.WithGSheets(context.Background(), g)
	res := validateSources(t, ctx, sources...)
	if res.Summary.MembersTotal == 0 || len(res.Activities) != 1 || res.Summary.IssuesTotal != 1 {
		t.Fatalf("nothing read: %+v", res.Summary)
	}
	// Reading again in the same run, and taking the snapshot, costs nothing.
	if _, err := sync.ReadTable(ctx, sources[0], membersSchema()); err != nil {
		t.Fatal(err)
	}
	if _, err := sync.Snapshot(ctx, sources, t.TempDir(), joined); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || g.Requests() != 2 {
		t.Fatalf("%d requests (client counted %d), want 2: one per spreadsheet", len(reqs), g.Requests())
	}
	for _, r := range reqs {
		if r.Query.Get("includeGridData") != "true" {
			t.Errorf("request %s without grid data", r.SpreadsheetID)
		}
		f := r.Query.Get("fields")
		for _, want := range []string{"sheetId", "title", "effectiveValue", "formattedValue", "numberFormat", "merges"} {
			if !strings.Contains(f, want) {
				t.Errorf("fields %q lacks %s", f, want)
			}
		}
		switch r.SpreadsheetID {
		case "shared":
			if diff := cmp.Diff([]string{"'Activities'", "'Members'"}, r.Query["ranges"]); diff != "" {
				t.Errorf("ranges of the shared spreadsheet (-want +got):\n%s", diff)
			}
		case "issues":
			if len(r.Query["ranges"]) != 0 {
				t.Errorf("issues: ranges %v, want every tab (the sheet is found by its header)", r.Query["ranges"])
			}
		default:
			t.Errorf("request for %q", r.SpreadsheetID)
		}
	}
}

func TestGSheetsFindsTheTab(t *testing.T) {
	book := func() *sheets.Spreadsheet {
		return sheetstest.Book("b", "CoP",
			sheetstest.Tab(1, "Read me", []any{"This workbook lists the members."}),
			sheetstest.Tab(2, "Members ", []any{"Name", "E-mail"}, []any{"Ada", "ada@example.ca"}),
		)
	}
	tests := []struct {
		name, sheet  string
		wantSheet    string
		wantErr      error
		wantMsg      string
		wantRequests int
	}{
		{name: "by header", sheet: "", wantSheet: "Members ", wantRequests: 1},
		{name: "exact title", sheet: "Members ", wantSheet: "Members ", wantRequests: 1},
		{name: "other case and spacing", sheet: "members", wantSheet: "Members ", wantRequests: 3},
		{name: "missing", sheet: "Membres", wantErr: sync.ErrSheetNotFound,
			wantMsg:      `members: https://docs.google.com/spreadsheets/d/b/edit, sheet "Membres": sheet not found (the spreadsheet has sheets "Read me", "Members ")`,
			wantRequests: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t, book())
			tab, err := readWith(t, fastClient(nil), gsource(srv, "members", "b", tc.sheet))
			if n := srv.Count(); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if err.Error() != tc.wantMsg {
					t.Errorf("message:\n got %s\nwant %s", err, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tab.Origin.Sheet != tc.wantSheet || tab.Origin.SheetID != 2 || len(tab.Rows) != 1 {
				t.Errorf("read %q (gid %d), %d rows", tab.Origin.Sheet, tab.Origin.SheetID, len(tab.Rows))
			}
		})
	}
}

func TestGSheetsNoHeader(t *testing.T) {
	srv := newFake(t, sheetstest.Book("b", "CoP", sheetstest.Tab(0, "Sheet1", []any{"x", "y"})))
	_, err := readWith(t, fastClient(nil), gsource(srv, "members", "b", ""))
	if !errors.Is(err, sync.ErrHeaderNotFound) || !strings.Contains(err.Error(), `"Sheet1"`) {
		t.Errorf("err = %v", err)
	}
}

func TestGSheetsErrors(t *testing.T) {
	tests := []struct {
		name     string
		id       string
		faults   []sheetstest.Fault
		always   *sheetstest.Fault
		attempts int // the client's MaxAttempts, 0 for the default
		wantErr  error
		wantIn   []string // parts of the message
		wantReqs int
	}{
		{name: "not found", id: "nope", wantErr: sync.ErrSpreadsheetNotFound, wantIn: []string{"spreadsheet_id"}, wantReqs: 1},
		{name: "forbidden, no credentials", always: &sheetstest.Fault{Status: 403}, wantErr: sync.ErrPermissionDenied,
			wantIn: []string{"credentials_file", "client_email"}, wantReqs: 1},
		{name: "api disabled", always: &sheetstest.Fault{Status: 403, Reason: "SERVICE_DISABLED",
			Message: "Google Sheets API has not been used in project 1 before or it is disabled."},
			wantErr: sync.ErrPermissionDenied, wantIn: []string{"not enabled"}, wantReqs: 1},
		{name: "unauthenticated", always: &sheetstest.Fault{Status: 401}, wantErr: sync.ErrCredentials, wantIn: []string{"401"}, wantReqs: 1},
		{name: "bad request", always: &sheetstest.Fault{Status: 400, Message: "Invalid requests"}, wantErr: sync.ErrBadRequest, wantIn: []string{"Invalid requests"}, wantReqs: 1},
		{name: "quota exhausted", always: &sheetstest.Fault{Status: 429}, wantErr: sync.ErrQuotaExhausted,
			wantIn: []string{"HTTP 429 after 5 attempts", "60 reads a minute"}, wantReqs: 5},
		{name: "quota, 3 attempts", always: &sheetstest.Fault{Status: 429}, attempts: 3, wantErr: sync.ErrQuotaExhausted,
			wantIn: []string{"after 3 attempts"}, wantReqs: 3},
		{name: "500", always: &sheetstest.Fault{Status: 500}, wantErr: sync.ErrUnavailable, wantIn: []string{"HTTP 500 Internal Server Error after 5 attempts"}, wantReqs: 5},
		{name: "502 html", always: &sheetstest.Fault{Status: 502}, wantErr: sync.ErrUnavailable, wantIn: []string{"HTTP 502 Bad Gateway after 5 attempts"}, wantReqs: 5},
		{name: "503", always: &sheetstest.Fault{Status: 503}, wantErr: sync.ErrUnavailable, wantIn: []string{"HTTP 503"}, wantReqs: 5},
		{name: "504", always: &sheetstest.Fault{Status: 504}, wantErr: sync.ErrUnavailable, wantIn: []string{"HTTP 504"}, wantReqs: 5},
		{name: "dropped connections", always: &sheetstest.Fault{Drop: true}, wantErr: sync.ErrUnavailable,
			wantIn: []string{"connection closed before the reply after 5 attempts"}, wantReqs: 5},
		{name: "transient then fine", faults: []sheetstest.Fault{{Status: 429}, {Status: 503}, {Drop: true}, {Status: 502}}, wantReqs: 5},
		{name: "403 is not retried after a 500", faults: []sheetstest.Fault{{Status: 500}, {Status: 403}}, wantErr: sync.ErrPermissionDenied, wantReqs: 2},
		{name: "404 is not retried after a 429", faults: []sheetstest.Fault{{Status: 429}, {Status: 404}}, wantErr: sync.ErrSpreadsheetNotFound, wantReqs: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
			srv.Inject(tc.faults...)
			if tc.always != nil {
				srv.InjectAlways(*tc.always)
			}
			id := tc.id
			if id == "" {
				id = "b"
			}
			g := fastClient(nil)
			g.MaxAttempts = tc.attempts
			tab, err := readWith(t, g, gsource(srv, "members", id, ""))
			if n := srv.Count(); n != tc.wantReqs {
				t.Errorf("%d requests, want %d", n, tc.wantReqs)
			}
			if tc.wantErr == nil {
				if err != nil || len(tab.Rows) == 0 {
					t.Fatalf("err = %v, %d rows", err, len(tab.Rows))
				}
				return
			}
			checkSourceError(t, err, tc.wantErr, "members: https://docs.google.com/spreadsheets/d/"+id+"/edit: ", tc.wantIn...)
		})
	}
}

// checkSourceError checks that err is a one-line *SourceError wrapping want,
// starting with prefix and holding every part.
func checkSourceError(t *testing.T, err, want error, prefix string, parts ...string) {
	t.Helper()
	var se *sync.SourceError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a *sync.SourceError", err, err)
	}
	if !errors.Is(err, want) {
		t.Errorf("err = %v, want %v", err, want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message on several lines: %q", msg)
	}
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("message %q does not start with %q", msg, prefix)
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q lacks %q", msg, p)
		}
	}
	if strings.Contains(msg, "<html") || strings.Contains(msg, "<!DOCTYPE") {
		t.Errorf("message holds the reply's body: %q", msg)
	}
}

func TestGSheetsSlowReplies(t *testing.T) {
	t.Run("a reply slower than the attempt timeout is retried", func(t *testing.T) {
		srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
		srv.Inject(sheetstest.Fault{Delay: time.Minute})
		g := fastClient(nil)
		g.AttemptTimeout = 200 * time.Millisecond
		tab, err := readWith(t, g, gsource(srv, "members", "b", ""))
		if err != nil || len(tab.Rows) == 0 {
			t.Fatalf("err = %v", err)
		}
		if n := srv.Count(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("every attempt too slow", func(t *testing.T) {
		srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
		srv.InjectAlways(sheetstest.Fault{Delay: time.Minute})
		g := fastClient(nil)
		g.AttemptTimeout = 100 * time.Millisecond
		g.MaxAttempts = 2
		_, err := readWith(t, g, gsource(srv, "members", "b", ""))
		checkSourceError(t, err, sync.ErrUnavailable, "members: ", "no reply within 100ms after 2 attempts")
	})
	t.Run("the run's deadline stops the wait", func(t *testing.T) {
		srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
		srv.InjectAlways(sheetstest.Fault{Delay: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := sync.ReadTable(sync.WithGSheets(ctx, fastClient(nil)), gsource(srv, "members", "b", ""), membersSchema())
		checkSourceError(t, err, context.DeadlineExceeded, "members: ", "time ran out")
		if n := srv.Count(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("no retry when the pause would pass the deadline", func(t *testing.T) {
		srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
		srv.InjectAlways(sheetstest.Fault{Status: 503})
		g := sync.NewGSheets(nil, nil)
		g.Backoff = time.Hour
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := sync.ReadTable(sync.WithGSheets(ctx, g), gsource(srv, "members", "b", ""), membersSchema())
		checkSourceError(t, err, sync.ErrUnavailable, "members: ", "HTTP 503")
		if n := srv.Count(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

func TestGSheetsServiceAccount(t *testing.T) {
	const email = "copsync-reader@cop-project.iam.gserviceaccount.com"
	srv := newFake(t)
	dir := t.TempDir()
	key, err := srv.NewServiceAccount(dir, email)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddPrivate(sheetstest.Book("shared", "CoP", membersTab()), email)
	srv.AddPrivate(sheetstest.Book("private", "CoP", membersTab()))
	withKey := func(id string) sync.Source {
		s := gsource(srv, "members", id, "")
		s.CredentialsFile = key
		return s
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	tab, err := readWith(t, fastClient(logger), withKey("shared"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) == 0 {
		t.Fatal("no rows")
	}
	toks := srv.TokenRequests()
	if len(toks) != 1 || toks[0].Issuer != email || toks[0].Scope != sheets.SpreadsheetsReadonlyScope {
		t.Errorf("token requests = %+v, want one for %s with the read-only scope", toks, email)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Caller != email {
		t.Errorf("requests = %+v", r)
	}

	_, err = readWith(t, fastClient(logger), withKey("private"))
	checkSourceError(t, err, sync.ErrPermissionDenied, "members: ", "share the spreadsheet with the service account "+email)

	srv.RevokeServiceAccount(email)
	_, err = readWith(t, fastClient(logger), withKey("shared"))
	checkSourceError(t, err, sync.ErrCredentials, "members: ", "Google refused the service-account key", "HTTP 400")

	keyData, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"PRIVATE KEY", string(keyData[len(keyData)/2 : len(keyData)/2+40])} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds key material %q", secret)
		}
	}
	for _, cell := range []string{"Ada Lovelace", "ada@example.gc.ca", "Service Canada"} {
		if strings.Contains(logs.String(), cell) {
			t.Errorf("the log holds cell content %q", cell)
		}
	}
}

func TestGSheetsInvalidKeyFile(t *testing.T) {
	dir := t.TempDir()
	srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
	good, err := srv.NewServiceAccount(dir, "reader@p.iam.gserviceaccount.com")
	if err != nil {
		t.Fatal(err)
	}
	goodData, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIB" // looks like a key: must never be printed
	tests := []struct {
		name, file, want string
	}{
		{"missing", filepath.Join(dir, "nope.json"), "the key file does not exist"},
		{"not json", write("notjson.json", "-----BEGIN PRIVATE KEY-----\n"+secret+"\n"), "the file is not JSON"},
		{"user credentials", write("user.json", `{"type":"authorized_user","client_id":"x","client_secret":"`+secret+`","refresh_token":"r"}`), `"authorized_user" credential, not a service-account key`},
		{"no email", write("noemail.json", `{"type":"service_account","private_key":"`+secret+`"}`), "no client_email"},
		{"bad key", write("badkey.json", `{"type":"service_account","client_email":"a@b.c","private_key":"-----BEGIN PRIVATE KEY-----\n`+secret+`\n-----END PRIVATE KEY-----\n"}`), "private_key cannot be read"},
		{"truncated", write("truncated.json", string(goodData[:len(goodData)/2])), "the file is not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := gsource(srv, "members", "b", "")
			src.CredentialsFile = tc.file
			before := srv.Count()
			_, err := readWith(t, fastClient(nil), src)
			checkSourceError(t, err, sync.ErrCredentials, "members: ", tc.file, tc.want)
			if err != nil && (strings.Contains(err.Error(), secret[:20]) || strings.Contains(err.Error(), "BEGIN PRIVATE KEY")) {
				t.Errorf("the message quotes the key: %s", err)
			}
			if srv.Count() != before {
				t.Errorf("a request was sent with an invalid key")
			}
		})
	}
}

func TestGSheetsNeedsCredentials(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "")
	src := sync.Source{Name: "members", Kind: "gsheets", SpreadsheetID: "abc"}
	_, err := sync.ReadTable(context.Background(), src, membersSchema())
	checkSourceError(t, err, sync.ErrNoCredentials, "members: https://docs.google.com/spreadsheets/d/abc/edit: ", "GOOGLE_APPLICATION_CREDENTIALS")
}

func TestGSheetsUsesGoogleApplicationCredentials(t *testing.T) {
	// Without an endpoint, the key comes from GOOGLE_APPLICATION_CREDENTIALS;
	// an invalid one is reported before anything is sent.
	bad := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(bad, []byte(`{"type":"external_account"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", bad)
	src := sync.Source{Name: "members", Kind: "gsheets", SpreadsheetID: "abc"}
	_, err := sync.ReadTable(context.Background(), src, membersSchema())
	checkSourceError(t, err, sync.ErrCredentials, "members: ", bad, `"external_account" credential`)
}

func TestSpreadsheetID(t *testing.T) {
	const id = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
	tests := []struct {
		in, want string
		ok       bool
	}{
		{id, id, true},
		{"  " + id + "\n", id, true},
		{"https://docs.google.com/spreadsheets/d/" + id + "/edit#gid=0", id, true},
		{"https://docs.google.com/spreadsheets/d/" + id + "/edit?usp=sharing", id, true},
		{"https://docs.google.com/spreadsheets/u/1/d/" + id + "/edit", id, true},
		{"docs.google.com/spreadsheets/d/" + id, id, true},
		{"https://docs.google.com/document/d/" + id + "/edit", "", false},
		{"https://example.com/", "", false},
		{"my sheet", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, err := sync.SpreadsheetID(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("SpreadsheetID(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, sync.ErrSpreadsheetID) {
			t.Errorf("SpreadsheetID(%q): err %v is not ErrSpreadsheetID", tc.in, err)
		}
	}
	_, err := sync.ReadTable(context.Background(), sync.Source{Name: "issues", Kind: "gsheets", SpreadsheetID: "https://example.com/x", Endpoint: "http://127.0.0.1:1/"}, membersSchema())
	checkSourceError(t, err, sync.ErrSpreadsheetID, "issues: https://example.com/x: ")
	_, err = sync.ReadTable(context.Background(), sync.Source{Name: "issues", Kind: "gsheets", SpreadsheetID: "abc", Endpoint: "localhost:8080"}, membersSchema())
	checkSourceError(t, err, sync.ErrEndpoint, "issues: https://docs.google.com/spreadsheets/d/abc/edit: ", `"localhost:8080" is not an http(s) URL`)
}

func TestGSheetsRetryLogsNoContent(t *testing.T) {
	srv := newFake(t, sheetstest.Book("b", "CoP", membersTab()))
	srv.Inject(sheetstest.Fault{Status: 503}, sheetstest.Fault{Status: http.StatusTooManyRequests})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if _, err := readWith(t, fastClient(logger), gsource(srv, "members", "b", "")); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if n := strings.Count(out, "retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, "HTTP 503") || !strings.Contains(out, "HTTP 429") {
		t.Errorf("the log does not say why:\n%s", out)
	}
	if strings.Contains(out, "Ada") || strings.Contains(out, "Quota exceeded") {
		t.Errorf("the log holds content:\n%s", out)
	}
}

// BenchmarkGSheetsRead reads a 5,000-member tab through the fake: one
// request, the JSON decoded, every row typed. The fake's own encoding is
// timed too (about two thirds of the total on a profile).
func BenchmarkGSheetsRead(b *testing.B) {
	rows := [][]any{{"Name", "E-mail", "Organization", "Order of government", "Province or territory", "Status", "Date joined"}}
	for i := range 5000 {
		rows = append(rows, []any{fmt.Sprintf("Member %d", i), fmt.Sprintf("m%d@example.gc.ca", i), "Service Canada", "Federal", "ON", "Active", joined})
	}
	srv := sheetstest.New(b)
	defer srv.Close()
	srv.Add(sheetstest.Book("big", "Big", sheetstest.Tab(0, "Members", rows...)))
	src := gsource(srv, "members", "big", "Members")
	b.ReportAllocs()
	for b.Loop() {
		ctx := sync.WithGSheets(context.Background(), sync.NewGSheets(nil, nil))
		n := 0
		err := sync.Read(ctx, src, membersSchema(), func(validate.Origin, validate.Header) func(validate.Row) {
			return func(validate.Row) { n++ }
		})
		if err != nil || n != 5000 {
			b.Fatalf("read %d rows: %v", n, err)
		}
	}
}
