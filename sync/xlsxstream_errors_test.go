package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"copsync/validate"
)

// streamReadErr reads every sheet of path with the streaming reader and
// returns its error, checking that it is one line.
func streamReadErr(t *testing.T, ctx context.Context, path string, lim Limits) error {
	t.Helper()
	_, _, _, err := readStreamBook(ctx, path, lim)
	if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("message %q spans lines", err.Error())
	}
	return err
}

// TestStreamReaderRefuses gives the streaming reader damaged, oversized
// and malformed workbooks: each is a one-line error wrapping the package's
// error for it, naming the part or the cell.
func TestStreamReaderRefuses(t *testing.T) {
	dir := t.TempDir()
	damaged := filepath.Join(dir, "abimee.xlsx")
	if err := os.WriteFile(damaged, corruptPart(t, copyFixture(t, "membres_titre.xlsx"), "xl/worksheets/sheet1.xml"), 0o600); err != nil {
		t.Fatal(err)
	}
	bomb := filepath.Join(dir, "bombe.xlsx")
	writeBomb(t, bomb, 3<<10, true)
	liar := filepath.Join(dir, "menteuse.xlsx")
	writeBomb(t, liar, 64, false) // 64 MiB said to be 1 KiB
	long := filepath.Join(dir, "long.xlsx")
	writeZip(t, long, workbookParts(sheetPart(memberHeaderRow, inlineRow(2, "Ann Lee", strings.Repeat("é", 40000)))))
	sheet := func(name, xml string) string {
		p := filepath.Join(dir, name)
		writeZip(t, p, workbookParts(part{data: xml}))
		return p
	}
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{"a corrupt sheet part", damaged, ErrDamaged, `part "xl/worksheets/sheet1.xml" is corrupt`},
		{"a 3 GiB sheet", bomb, ErrTooLarge, "3.0 GiB, more than the 1.0 GiB allowed"},
		{"a directory that lies about the size", liar, ErrDamaged, `part "xl/worksheets/sheet1.xml"`},
		{"a cell too long", long, ErrCellTooLong, "cell B2 holds 40000 characters, the most is 32767"},
		{"a tag cut short", sheet("coupee.xlsx", sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row><row r="2"><c r="A2"`), ErrMalformed, `part "xl/worksheets/sheet1.xml"`},
		{"an unknown entity", sheet("entite.xlsx", sheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`+sheetTail), ErrMalformed, "unknown entity &nbsp;"},
		{"a DOCTYPE", sheet("doctype.xlsx", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>`+sheetHead[len(`<?xml version="1.0" encoding="UTF-8"?>`):]+sheetTail), ErrMalformed, "DOCTYPE"},
		{"a cell address that is none", sheet("adresse.xlsx", sheetHead+`<row r="1"><c r="A0"><v>1</v></c></row>`+sheetTail), ErrMalformed, `cell "A0" in row 1 is not a cell address`},
		{"rows out of order", sheet("ordre.xlsx", sheetHead+`<row r="5"><c r="A5"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>`+sheetTail), ErrMalformed, "row 2 comes after row 5"},
		{"a shared string that is not there", sheet("partagee.xlsx", sheetHead+`<row r="1"><c r="A1" t="s"><v>3</v></c></row>`+sheetTail), ErrMalformed, `cell A1 refers to shared string "3", but the workbook has 0`},
		{"a merged range that is none", sheet("fusion.xlsx", sheetHead+`<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:ZZZZ9"/></mergeCells></worksheet>`), ErrMalformed, `merged range "A1:ZZZZ9"`},
		{"a merged cell's tag cut short", sheet("fusion-coupee.xlsx", sheetHead+`<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"`), ErrMalformed, "a <mergeCell> tag is not closed before the end of the part"},
		{"a merged cell's tag of a megabyte", sheet("grande-fusion.xlsx", sheetHead+`<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B2" x="`+strings.Repeat("x", 1<<20)+`"/></mergeCells></worksheet>`), ErrMalformed, "a <mergeCell> tag is not closed"},
		{"a cell not closed", sheet("cellule.xlsx", sheetHead+`<row r="1"><c r="A1"><v>1</v></row>`+sheetTail), ErrMalformed, "unexpected </row> in cell A1"},
		{"a boolean that is none", sheet("booleen.xlsx", sheetHead+`<row r="1"><c r="A1" t="b"><v>peut-être</v></c></row>`+sheetTail), ErrMalformed, "not a boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := streamReadErr(t, context.Background(), tt.path, Limits{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("message %q lacks %q", err.Error(), tt.text)
			}
		})
	}
}

// TestStreamReaderStopsWithContext ends the reading of a sheet with the
// context's error.
func TestStreamReaderStopsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.xlsx")
	writeSSTWorkbook(t, path, 3*progressEvery)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	book, closer, err := openStreamBook(ctx, Source{Path: path}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	sr, err := book.Open(ctx, "Members")
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	rows := 0
	for {
		_, ok := sr.Next()
		if !ok {
			break
		}
		if rows++; rows == 10 {
			cancel()
		}
	}
	if !errors.Is(sr.Err(), context.Canceled) {
		t.Errorf("error %v after %d rows, want the context's", sr.Err(), rows)
	}
	if rows >= 3*progressEvery {
		t.Errorf("read all %d rows after the cancellation", rows)
	}
}

// TestStreamReaderValues checks what the reader gives for the generated
// hand-written sheet: kinds, texts and typed values as a person reading
// the sheet in Excel would list them.
func TestStreamReaderValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hand.xlsx")
	parts := workbookParts(part{data: handSheet})
	parts[4].data = handStyles
	writeZip(t, path, parts)
	_, sheets, _, err := readStreamBook(context.Background(), path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	d := sheets["Members"]
	got := map[string]validate.Value{}
	for _, r := range d.rows {
		for _, c := range r.Cells {
			got[c.Ref] = c.Value
		}
	}
	tests := []struct {
		ref  string
		kind validate.Kind
		text string
	}{
		{"A1", validate.String, "Nom"},
		{"B1", validate.String, "Courriel "}, // rich text runs, the phonetic run left out
		{"C1", validate.String, "<Date> & heure"},
		{"A2", validate.String, `A & B <c> éé "q"`}, // a row and cells without addresses
		{"B2", validate.Number, "3.5"},
		{"C2", validate.Date, "2022-10-15"},
		{"D2", validate.Number, "45.67%"},
		{"A4", validate.String, "Nomx"}, // a formula's cached string
		{"B4", validate.Number, "2"},
		{"C4", validate.ErrorValue, "#DIV/0!"},
		{"D4", validate.Bool, "TRUE"},
		{"E4", validate.Bool, "FALSE"},
		{"A5", validate.String, "\r ligne\ndeux _x0041_"},
		{"B5", validate.Number, "7"}, // a number formatted as text shows as General
		{"C5", validate.Date, "2022-10-15"},
		{"D5", validate.ErrorValue, "#N/A"},
		{"E8", validate.String, "seul"},
		{"A9", validate.Number, "0"},
		{"B9", validate.Number, "1.5"},
		{"C9", validate.Number, "1000"},
		{"D9", validate.Number, "0.000001"},
	}
	for _, tt := range tests {
		v := got[tt.ref]
		if v.Kind != tt.kind || v.Text != tt.text {
			t.Errorf("%s = %s %q, want %s %q", tt.ref, v.Kind, v.Text, tt.kind, tt.text)
		}
	}
	if _, ok := got["F4"]; ok && got["F4"].Kind != validate.Blank {
		t.Errorf("F4, a formula without a cached value, = %+v", got["F4"])
	}
	for _, r := range d.rows {
		if r.Num == 6 || r.Num == 7 {
			t.Errorf("row %d holds no value but was returned: %+v", r.Num, r)
		}
	}
	if got, want := mergeSet(d.merges), "A8:D8 E8:F9"; got != want {
		t.Errorf("merges %s, want %s (the one in a comment is not one)", got, want)
	}
}

// TestNumberTexts checks the text of numbers in the formats the reader
// renders.
func TestNumberTexts(t *testing.T) {
	tests := []struct {
		name string
		n    float64
		code string
		want string
	}{
		{"general integer", 42, "General", "42"},
		{"general float noise", 0.1 + 0.2, "General", "0.3"},
		{"general large", 1e20, "General", "1E+20"},
		{"general small", 1.5e-12, "General", "1.5E-12"},
		{"general 15 digits", 123456789012345, "General", "123456789012345"},
		{"percent", 0.125, "0%", "13%"},
		{"percent decimals", 0.1234, "0.00%", "12.34%"},
		{"fixed", 2.5, "0.00", "2.50"},
		{"grouped", 1234567.891, "#,##0.00", "1,234,567.89"},
		{"grouped negative", -1234.5, "#,##0", "-1,235"},
		{"currency as General", 12.5, `[$$-409]#,##0.00`, "12.5"},
		{"text format as General", 7, "@", "7"},
		{"zero-padded", 7, "000", "007"},
		{"zero-padded postal number", 1234, "00000", "01234"},
		{"zero-padded negative with decimals", -7.5, "000.0", "-007.5"},
		{"zero-padded, wide enough", 12345, "000", "12345"},
		{"a leading zero before decimals", 0.5, "0.00", "0.50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parseNumFmt(tt.code)
			var got []byte
			switch f.Kind {
			case fmtPercent:
				got = append(fixedText(nil, tt.n*100, int(f.Decimals), int(f.Lead), false), '%')
			case fmtFixed:
				got = fixedText(nil, tt.n, int(f.Decimals), int(f.Lead), f.Group)
			default:
				got = generalText(nil, tt.n)
			}
			if string(got) != tt.want {
				t.Errorf("%v in %q = %q, want %q", tt.n, tt.code, got, tt.want)
			}
		})
	}
	for _, code := range []string{"yyyy-mm-dd", "d mmmm yyyy", "[$-40C]d mmmm yyyy;@", "hh:mm", "[h]:mm:ss", "m/d/yy h:mm AM/PM"} {
		if f := parseNumFmt(code); f.Kind != fmtDate {
			t.Errorf("%q is not read as a date format", code)
		}
	}
	for _, raw := range []string{"0", "42", "-3.5", "0.001"} {
		if !canonicalNumber([]byte(raw)) {
			t.Errorf("%q is not canonical", raw)
		}
	}
	for _, raw := range []string{"-0", "007", "1.50", "1E3", "0.0000000001", "1234567890123456"} {
		if canonicalNumber([]byte(raw)) {
			t.Errorf("%q is canonical", raw)
		}
	}
}

// TestUnescapeOOXML replaces Excel's escapes as Excel reads them.
func TestUnescapeOOXML(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"_x000D_ fin":            "\r fin",
		"_x005F_x0041_":          "_x0041_",
		"a_x_x0042_":             "a_xB",
		"_xZZZZ_":                "_xZZZZ_",
		"_x00e9_t_x00E9_":        "été",
		"fin_x":                  "fin_x",
		"_xD800_ demi-caractère": " demi-caractère",
	} {
		got := string(unescapeOOXML(nil, []byte(in)))
		if got != want || !utf8.ValidString(got) {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
