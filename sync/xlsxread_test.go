package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copsync/validate"
)

// TestMalformedSheetNotReadShort reads sheets the streaming reader finds
// malformed: each is refused with a message naming the part and what is
// wrong, and the spreadsheet library, given the same file, reads it wrong
// without a word — the evidence that readXLSX must not fall back to it.
func TestMalformedSheetNotReadShort(t *testing.T) {
	member := func(num int, name string) string {
		return inlineRow(num, name, fmt.Sprintf("m%d@example.ca", num), "Org", "Provincial", "Ontario", "Active")
	}
	tests := []struct {
		name    string
		rows    []string
		want    string // in readXLSX's message
		library int    // the records the library reads (the file holds 2)
		names   string // their names, as the library reads them
	}{
		{"rows out of order", []string{memberHeaderRow, member(3, "Ann Lee"), member(2, "Bo Chen")}, "row 2 comes after row 3", 1, "Ann Lee"},
		{"an unknown entity", []string{memberHeaderRow, member(2, "Ann&nbsp;Lee"), member(3, "Bo Chen")}, "an unknown entity &nbsp;", 0, ""},
		{"a shared string that is not there", []string{memberHeaderRow, `<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="inlineStr"><is><t>a@example.ca</t></is></c></row>`, member(3, "Bo Chen")}, `cell A2 refers to shared string "3"`, 2, "|Bo Chen"},
		{"a sheet cut short", []string{memberHeaderRow, member(2, "Ann Lee"), `<row r="3"><c r="A3" t="inlineStr"><is><t>Bo`}, "the part ends inside", 1, "Ann Lee"},
	}
	schema := validate.DefaultSchemas()["members"]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "membres.xlsx")
			xml := sheetHead + strings.Join(tt.rows, "")
			if !strings.HasSuffix(tt.name, "cut short") {
				xml += sheetTail
			}
			writeZip(t, path, workbookParts(part{data: xml}))
			_, err := ReadTable(context.Background(), Source{Name: "members", Path: path}, schema)
			se := checkSourceError(t, err, path, "Members", ErrMalformed)
			if msg := se.Error(); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "xl/worksheets/sheet1.xml") {
				t.Errorf("message %q lacks the part or %q", msg, tt.want)
			}
			tab, err := ReadTableLibrary(context.Background(), Source{Name: "members", Path: path}, schema)
			if err != nil {
				t.Fatalf("the library refuses the file too (%v): falling back to it would be harmless", err)
			}
			var names []string
			for _, r := range tab.Rows {
				names = append(names, r.Cell(0).Value.Text)
			}
			if len(tab.Rows) != tt.library || strings.Join(names, "|") != tt.names {
				t.Errorf("the library reads %d records %q, want the %d (%q) this test documents", len(tab.Rows), names, tt.library, tt.names)
			}
		})
	}
}

// TestDamagedPartNotRead reads a workbook one of whose parts the reading
// does not need (an image) is damaged: the read succeeds, as only the
// parts read are checked; a damaged worksheet fails it (TestForeignFiles).
func TestDamagedPartNotRead(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.xlsx")
	image := part{name: "xl/media/image1.png", data: strings.Repeat("not really a PNG image, but bytes to compress. ", 400)}
	writeZip(t, clean, append(workbookParts(sheetPart(memberHeaderRow, inlineRow(2, "Ann Lee", "ann@example.ca"))), image))
	data, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "image.xlsx")
	if err := os.WriteFile(path, corruptPart(t, data, image.name), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifyParts(context.Background(), path); !errors.Is(err, ErrDamaged) {
		t.Fatalf("the image part is not damaged (%v): the test proves nothing", err)
	}
	tab, err := ReadTable(context.Background(), Source{Name: "members", Path: path}, validate.DefaultSchemas()["members"])
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 1 || tab.Rows[0].Cell(0).Value.Text != "Ann Lee" {
		t.Errorf("rows %+v, want Ann Lee's", tab.Rows)
	}
}

// TestProgressOfALongSheet reads a sheet of 10,000 members through the
// streaming reader: its progress starts at zero rows once the sheet is
// read as a table, comes every progressEvery sheet rows, and ends with the
// last row's number.
func TestProgressOfALongSheet(t *testing.T) {
	rows := []string{memberHeaderRow}
	const last = 10001
	for n := 2; n <= last; n++ {
		rows = append(rows, inlineRow(n, fmt.Sprintf("Member %d", n), fmt.Sprintf("m%d@example.ca", n)))
	}
	path := filepath.Join(t.TempDir(), "long.xlsx")
	writeZip(t, path, workbookParts(sheetPart(rows...)))
	var got []Progress
	src := Source{Name: "members", Path: path, Progress: func(p Progress) { got = append(got, p) }}
	tab, err := ReadTable(context.Background(), src, validate.DefaultSchemas()["members"])
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != last-1 {
		t.Fatalf("%d rows, want %d", len(tab.Rows), last-1)
	}
	want := []Progress{
		{Source: "members", Sheet: "Members"},
		{Source: "members", Sheet: "Members", Rows: 4096},
		{Source: "members", Sheet: "Members", Rows: 8192},
		{Source: "members", Sheet: "Members", Rows: last, Done: true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("progress\n%+v\nwant\n%+v", got, want)
	}
}
