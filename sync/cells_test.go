package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"copsync/sync"
	"copsync/sync/sheetstest"
	"copsync/validate"
)

// writeShownXLSX writes a membership whose cells show other than they
// store: "007" typed as text, a date in a day-first format, a percentage,
// a date typed as text.
func writeShownXLSX(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Members"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	dayFirst := "dd/mm/yyyy"
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dayFirst})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"Name", "E-mail", "Role", "Date joined", "Share", "Note"} {
		must(f.SetCellStr(sh, validate.CellRef(i, 1), h))
	}
	must(f.SetCellStr(sh, "A2", "Ada Lovelace"))
	must(f.SetCellStr(sh, "B2", "ada@example.gc.ca"))
	must(f.SetCellStr(sh, "C2", "007"))
	must(f.SetCellValue(sh, "D2", time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC)))
	must(f.SetCellStyle(sh, "D2", "D2", ds))
	must(f.SetCellFloat(sh, "E2", 0.5, -1, 64))
	must(f.SetCellStyle(sh, "E2", "E2", ps))
	must(f.SetCellStr(sh, "F2", "2022-03-15"))
	must(f.SetCellStr(sh, "A3", "Grace Hopper"))
	must(f.SetCellStr(sh, "B3", "grace@example.on.ca"))
	must(f.SetCellStr(sh, "D3", "2022-03-15")) // a date typed as text
	must(f.SaveAs(path))
}

// shownRow2 is row 2 of writeShownXLSX as people see it, typed.
var shownRow2 = []validate.Value{
	{Kind: validate.String, Text: "Ada Lovelace"},
	{Kind: validate.String, Text: "ada@example.gc.ca"},
	{Kind: validate.String, Text: "007"},
	{Kind: validate.Date, Text: "15/03/2022", Num: 44635, Time: time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC)},
	{Kind: validate.Number, Text: "50.00%", Num: 0.5},
	{Kind: validate.String, Text: "2022-03-15"},
}

// shownSources writes the membership of writeShownXLSX and serves it as
// the Google Sheet "shown" from a fake Sheets API: the same cells through
// both readers.
func shownSources(t *testing.T) (string, *sheetstest.Server) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "members.xlsx")
	writeShownXLSX(t, path)
	book, err := sheetstest.FromXLSX(path, "shown")
	if err != nil {
		t.Fatal(err)
	}
	return path, newFake(t, book)
}

func TestCellsAsPeopleSeeThem(t *testing.T) {
	path, srv := shownSources(t)
	readers := []struct {
		name string
		read func() (validate.Table, error)
	}{
		{"xlsx", func() (validate.Table, error) {
			return sync.ReadTable(context.Background(), sync.Source{Name: "members", Kind: "xlsx", Path: path}, membersSchema())
		}},
		{"gsheets", func() (validate.Table, error) {
			return readWith(t, fastClient(nil), gsource(srv, "members", "shown", ""))
		}},
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			tab, err := r.read()
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Rows) != 2 {
				t.Fatalf("%d rows, want 2", len(tab.Rows))
			}
			var got []validate.Value
			for i := range shownRow2 {
				got = append(got, tab.Rows[0].Cell(i).Value)
			}
			if diff := cmp.Diff(shownRow2, got); diff != "" {
				t.Errorf("row 2 (-want +got):\n%s", diff)
			}
			if v := tab.Rows[1].Cell(3).Value; v.Kind != validate.String || v.Text != "2022-03-15" {
				t.Errorf("D3 = %v %q, want the text 2022-03-15", v.Kind, v.Text)
			}
		})
	}
}

// TestPatternRuleOnADateField checks that a custom pattern rule on a date
// field reads the date as shown, not its serial number, through both
// readers.
func TestPatternRuleOnADateField(t *testing.T) {
	path, srv := shownSources(t)
	sources := []sync.Source{
		{Name: validate.SourceMembers, Kind: "xlsx", Path: path},
		gsource(srv, validate.SourceMembers, "shown", ""),
	}
	for _, src := range sources {
		t.Run(src.Kind, func(t *testing.T) {
			rules := validate.DefaultRules()
			rules.Today = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
			rules.Custom = []validate.Rule{{
				Name: "joined-day-first", Source: validate.SourceMembers, Field: validate.FieldJoined,
				Pattern: regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`), Severity: validate.Warning,
			}}
			v := validate.New(rules, catalogue(t))
			ctx := sync.WithGSheets(context.Background(), fastClient(nil))
			if err := sync.Read(ctx, src, v.Schema(src.Name), v.Table); err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, f := range v.Result().Findings {
				if f.Code == validate.CodeRulePattern {
					cells = append(cells, f.Cell+"="+f.Key)
				}
			}
			// D2 shows 15/03/2022 and matches; D3 is the text 2022-03-15.
			if diff := cmp.Diff([]string{"D3=2022-03-15"}, cells); diff != "" {
				t.Errorf("pattern findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestISODateCell reads a date stored as ISO 8601 text (t="d", as some
// programs write dates) through both readers: a date, shown as the library
// shows it.
func TestISODateCell(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.xlsx")
	writeShownXLSX(t, plain)
	// The same workbook with D3 rewritten as a t="d" cell.
	path := filepath.Join(dir, "members.xlsx")
	rewriteZip(t, plain, path, "xl/worksheets/sheet1.xml", func(s string) string {
		re := regexp.MustCompile(`<c r="D3"[^>]*>.*?</c>`)
		if !re.MatchString(s) {
			t.Fatal("D3 not found in the sheet")
		}
		return re.ReplaceAllString(s, `<c r="D3" t="d"><v>2022-03-15T00:00:00Z</v></c>`)
	})
	book, err := sheetstest.FromXLSX(path, "iso")
	if err != nil {
		t.Fatal(err)
	}
	srv := newFake(t, book)
	want := time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC)
	var texts []string
	for _, src := range []sync.Source{{Name: "members", Kind: "xlsx", Path: path}, gsource(srv, "members", "iso", "")} {
		tab, err := readWith(t, fastClient(nil), src)
		if err != nil {
			t.Fatal(err)
		}
		v := tab.Rows[1].Cell(3).Value
		if v.Kind != validate.Date || !v.Time.Equal(want) || v.Text == "" {
			t.Errorf("%s: D3 = %v %q %v, want the date 2022-03-15", src.Kind, v.Kind, v.Text, v.Time)
		}
		texts = append(texts, v.Text)
	}
	// The texts may differ (the streaming reader shows yyyy-mm-dd); the
	// values are the same date, checked above.
	t.Logf("D3 shows %q from .xlsx, %q from Google Sheets", texts[0], texts[1])
}

// rewriteZip copies the zip from to to, passing the part named part
// through edit.
func rewriteZip(t *testing.T, from, to, part string, edit func(string) string) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			data = []byte(edit(string(data)))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
