package sync

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// part is one part of a hand-made zip package: its bytes, or a function
// that writes them (for parts too large to hold).
type part struct {
	name  string
	data  string
	write func(w io.Writer) error
}

// writeZip writes the parts as a zip package at path.
func writeZip(t testing.TB, path string, parts []part) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if p.write != nil {
			err = p.write(w)
		} else {
			_, err = io.WriteString(w, p.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// workbookParts returns the parts of a one-sheet workbook (sheet "Members")
// around the given worksheet part.
func workbookParts(sheet part) []part {
	sheet.name = "xl/worksheets/sheet1.xml"
	return []part{
		{name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{name: "_rels/.rels", data: `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", data: `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/></Relationships>`},
		{name: "xl/styles.xml", data: `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="` + nsMain + `"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fillId="2" applyFill="1"/></cellXfs></styleSheet>`},
		sheet,
	}
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="` + nsMain + `"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// inlineRow writes a row of inline strings.
func inlineRow(num int, values ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, num)
	for i, v := range values {
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, validate.CellRef(i, num), v)
	}
	b.WriteString("</row>")
	return b.String()
}

var memberHeaderRow = inlineRow(1, "Name", "Email", "Organization", "Order of government", "Province or territory", "Status")

func sheetPart(rows ...string) part {
	return part{data: sheetHead + strings.Join(rows, "") + sheetTail}
}

// excelOwnerBytes returns the content of the lock file Excel writes beside
// a workbook that user has open.
func excelOwnerBytes(user string) []byte {
	b := []byte{byte(len(user))}
	b = append(b, user...)
	b = append(b, bytes.Repeat([]byte(" "), 54-len(user))...)
	b = append(b, byte(len(user)), 0)
	for _, r := range user {
		b = append(b, byte(r), 0)
	}
	for len(b) < 165 {
		b = append(b, ' ', 0)
	}
	return b[:165]
}

func copyFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// corruptPart flips bytes in the middle of a part's compressed data.
func corruptPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			out := bytes.Clone(data)
			mid := off + int64(f.CompressedSize64)/2
			for i := mid; i < mid+4; i++ {
				out[i] ^= 0x5a
			}
			return out
		}
	}
	t.Fatalf("no part %s", name)
	return nil
}

// TestForeignFiles reads files that are not readable workbooks, made here
// (the corpus test reads real ones): each gives a precise one-line error.
func TestForeignFiles(t *testing.T) {
	encrypted := func(t *testing.T, path string) {
		f := excelize.NewFile()
		if err := f.SetCellValue("Sheet1", "A1", "Name"); err != nil {
			t.Fatal(err)
		}
		if err := f.SaveAs(path, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
	}
	file := func(data []byte) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	pkg := func(parts ...part) func(*testing.T, string) {
		return func(t *testing.T, path string) { writeZip(t, path, parts) }
	}
	billionLaughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst xmlns="` + nsMain + `"><si><t>&lol2;</t></si></sst>`
	withPart := func(extra part) []part { return append(workbookParts(sheetPart(memberHeaderRow)), extra) }
	withoutPart := func(name string) []part {
		var out []part
		for _, p := range workbookParts(sheetPart(memberHeaderRow)) {
			if p.name != name {
				out = append(out, p)
			}
		}
		return out
	}
	xlsbRels := part{name: "_rels/.rels", data: `<Relationships xmlns="` + nsPkg + `"><Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.bin"/></Relationships>`}
	cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	fixture := copyFixture(t, "membres_titre.xlsx")

	tests := []struct {
		name     string
		file     string
		make     func(*testing.T, string)
		want     error
		contains string
	}{
		{"encrypted workbook", "chiffre.xlsx", encrypted, ErrEncrypted, "password"},
		{"legacy xls", "ancien.xlsx", file(cfb), ErrLegacyXLS, "Excel 97-2003"},
		{"CSV renamed .xlsx", "membres.xlsx", file([]byte("Nom;Courriel\nMarie Tremblay;marie@example.ca\n")), ErrNotXLSX, "CSV"},
		{"latin-1 CSV renamed .xlsx", "membres.xlsx", file([]byte("Nom;Province\nMarie;Qu\xe9bec\n")), ErrNotXLSX, "CSV"},
		{"binary file renamed .xlsx", "image.xlsx", file([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), ErrNotXLSX, "not a zip package"},
		{"web page renamed .xlsx", "export.xlsx", file([]byte("<!DOCTYPE html><html><body><table></table></body></html>")), ErrNotXLSX, "web page"},
		{"empty file", "vide.xlsx", file(nil), ErrNotXLSX, "0 bytes"},
		{"Excel lock file", "~$membres.xlsx", file(excelOwnerBytes("Marie Tremblay")), ErrLockFile, `read "membres.xlsx"`},
		{"Excel lock file renamed", "copie.xlsx", file(excelOwnerBytes("Marie Tremblay")), ErrLockFile, "lock file"},
		{"LibreOffice lock file", ".~lock.membres.xlsx#", file([]byte(",Marie Tremblay,poste,29.11.2024 10:00,file:///home/marie/.config/libreoffice/4;")), ErrLockFile, "LibreOffice"},
		{"truncated zip", "coupe.xlsx", file(fixture[:len(fixture)*3/5]), ErrDamaged, "copy or download"},
		{"zip cut to a few bytes", "coupe.xlsx", file(fixture[:30]), ErrDamaged, "cut short"},
		{"corrupt part", "abime.xlsx", file(corruptPart(t, fixture, "xl/worksheets/sheet1.xml")), ErrDamaged, "xl/worksheets/sheet1.xml"},
		{"xlsb", "binaire.xlsb", pkg(xlsbRels, part{name: "xl/workbook.bin", data: "\x83\x01\x00"}), ErrXLSB, "save it as Excel Workbook (.xlsx)"},
		{"Word document", "lettre.xlsx", pkg(part{name: "word/document.xml", data: "<w:document/>"}), ErrNotXLSX, "Word"},
		{"OpenDocument", "classeur.xlsx", pkg(part{name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet"}, part{name: "content.xml", data: "<office:document-content/>"}), ErrNotXLSX, "OpenDocument"},
		{"plain zip", "archive.xlsx", pkg(part{name: "notes.txt", data: "hello"}), ErrNotXLSX, "_rels/.rels"},
		{"empty zip", "vide.xlsx", pkg(), ErrNotXLSX, "empty zip"},
		{"DOCTYPE entity bomb", "bombe.xlsx", pkg(withPart(part{name: "xl/sharedStrings.xml", data: billionLaughs})...), ErrMalformed, "DOCTYPE"},
		{"damaged package relationships", "rels.xlsx", pkg(append(withoutPart("_rels/.rels"), part{name: "_rels/.rels", data: "<?xml version=\"1.0\"?>\nCORRUPTED"})...), ErrMalformed, "_rels/.rels"},
		{"missing workbook relationships", "rels.xlsx", pkg(withoutPart("xl/_rels/workbook.xml.rels")...), ErrMalformed, "workbook.xml.rels"},
		{"missing workbook part", "sans.xlsx", pkg(withoutPart("xl/workbook.xml")...), ErrMalformed, "xl/workbook.xml"},
		{"missing worksheet part", "sans.xlsx", pkg(withoutPart("xl/worksheets/sheet1.xml")...), ErrMalformed, `lists sheets "Members" but holds none`},
		{"bad cell reference", "a0.xlsx", pkg(workbookParts(sheetPart(`<row r="1"><c r="A0" t="inlineStr"><is><t>Name</t></is></c></row>`))...), ErrMalformed, "row 1"},
		{"empty sheet", "vide.xlsx", pkg(workbookParts(sheetPart())...), ErrEmpty, `no sheet holds any value (the workbook has sheets "Members")`},
		{"only formatted cells", "vide.xlsx", pkg(workbookParts(sheetPart(`<row r="1" s="1" customFormat="1"><c r="A1" s="1"/></row>`))...), ErrEmpty, "no sheet holds any value"},
		// A style that is not a number: neither reader can read the
		// cell. (An empty s="" is read as the default style, as
		// LibreOffice does, since the streaming reader.)
		{"unreadable cells", "illisible.xlsx", pkg(workbookParts(sheetPart(`<row r="1"><c r="A1" s="x" t="inlineStr"><is><t>Name</t></is></c></row>`))...), ErrMalformed, "cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			tt.make(t, path)
			for _, source := range []string{validate.SourceMembers, validate.SourceIssues} {
				_, err := readTable(t, path, source, "")
				se := checkSourceError(t, err, path, "", tt.want)
				if !strings.Contains(se.Error(), tt.contains) {
					t.Errorf("%s: message %q lacks %q", source, se.Error(), tt.contains)
				}
			}
			_, err := readTable(t, path, validate.SourceMembers, "")
			t.Log(err)
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "membres.xlsx")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := readTable(t, dir, validate.SourceMembers, "")
		checkSourceError(t, err, dir, "", ErrNotXLSX)
	})
	t.Run("empty workbook written by excelize", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "vide.xlsx")
		if err := excelize.NewFile().SaveAs(path); err != nil {
			t.Fatal(err)
		}
		_, err := readTable(t, path, validate.SourceMembers, "Sheet1")
		se := checkSourceError(t, err, path, "Sheet1", ErrHeaderNotFound)
		if !strings.Contains(se.Error(), "the sheet is empty") {
			t.Errorf("message %q", se.Error())
		}
	})
}

// strictNamespaces are the Transitional namespaces and their Strict Open
// XML equivalents.
var strictNamespaces = strings.NewReplacer(
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main",
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships",
	"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties", "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
	"http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main",
)

// TestStrictOpenXML reads a workbook saved in Strict Open XML (the
// fixture with every namespace turned to its Strict form): the same table
// as the Transitional original.
func TestStrictOpenXML(t *testing.T) {
	for _, name := range []string{"membres_titre.xlsx", "macros.xlsm"} {
		t.Run(name, func(t *testing.T) {
			data := copyFixture(t, name)
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			var parts []part
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
				s := strictNamespaces.Replace(string(b))
				if f.Name == "xl/workbook.xml" {
					if !strings.Contains(s, "purl.oclc.org/ooxml/spreadsheetml/main") {
						t.Fatal("the workbook part was not turned to Strict")
					}
					s = strings.Replace(s, "<workbook ", `<workbook conformance="strict" `, 1)
				}
				parts = append(parts, part{name: f.Name, data: s})
			}
			strict := filepath.Join(t.TempDir(), name)
			writeZip(t, strict, parts)
			want := mustReadTable(t, filepath.Join("testdata", name), validate.SourceMembers, "")
			got := mustReadTable(t, strict, validate.SourceMembers, "")
			if len(nonBlank(got.Rows)) == 0 {
				t.Fatal("no rows read from the Strict workbook")
			}
			if d := cmp.Diff(want.Rows, got.Rows); d != "" || !cmp.Equal(want.Header, got.Header) {
				t.Errorf("Strict workbook read differently (-transitional +strict):\n%s", d)
			}
		})
	}
}

func TestGuardTurnsPanicsIntoErrors(t *testing.T) {
	err := func() (err error) {
		defer guard(&err)
		var cells []string
		_ = cells[len(cells)] // a runtime error, as a library bug would raise
		return nil
	}()
	if !errors.Is(err, ErrMalformed) || !strings.HasPrefix(err.Error(), "the workbook is malformed: ") {
		t.Errorf("error %v", err)
	}
	err = func() (err error) {
		defer guard(&err)
		panic("line one\nline two\tand more")
	}()
	if err == nil || err.Error() != "the workbook is malformed: line one line two and more" {
		t.Errorf("error %q, want one line", err)
	}
}

// repeatedDeflate returns a raw deflate stream of head, then chunk
// repeated n times, then tail, and the stream's inflated size and CRC-32,
// without compressing more than one chunk: each segment is compressed on
// its own and ended with a sync flush, so segments concatenate.
func repeatedDeflate(t *testing.T, head, chunk, tail []byte, n int) (stream []byte, size uint64, crc uint32) {
	t.Helper()
	seg := func(data []byte, final bool) []byte {
		var b bytes.Buffer
		w, err := flate.NewWriter(&b, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if final {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	body := seg(chunk, false)
	stream = append(stream, seg(head, false)...)
	for range n {
		stream = append(stream, body...)
	}
	stream = append(stream, seg(tail, true)...)
	crc = crc32.ChecksumIEEE(head)
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	return stream, uint64(len(head)) + uint64(n)*uint64(len(chunk)) + uint64(len(tail)), crc
}

// writeBomb writes a workbook whose sheet inflates to size bytes (as its
// zip directory says when honest is true; 1 KiB otherwise).
func writeBomb(t *testing.T, path string, n int, honest bool) (compressed int) {
	t.Helper()
	head := []byte(sheetHead + memberHeaderRow)
	chunk := bytes.Repeat([]byte(`<row r="2"/>`), (1<<20)/12)
	stream, size, crc := repeatedDeflate(t, head, chunk, []byte(sheetTail), n)
	parts := workbookParts(part{})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, p := range parts[:len(parts)-1] {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.data); err != nil {
			t.Fatal(err)
		}
	}
	fh := &zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: size}
	if !honest {
		fh.UncompressedSize64 = 1 << 10
	}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return len(stream)
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestZipBomb refuses a workbook whose sheet inflates to gigabytes, from
// its zip directory, before inflating anything; and one whose directory
// lies about the size, as soon as the lie shows.
func TestZipBomb(t *testing.T) {
	dir := t.TempDir()
	honest := filepath.Join(dir, "bombe.xlsx")
	compressed := writeBomb(t, honest, 3<<10, true) // 3 GiB of rows
	liar := filepath.Join(dir, "menteuse.xlsx")
	writeBomb(t, liar, 1<<10, false) // 1 GiB said to be 1 KiB
	t.Logf("a 3 GiB sheet compressed to %d bytes", compressed)

	var err error
	alloc := allocated(func() { _, err = readTable(t, honest, validate.SourceMembers, "") })
	se := checkSourceError(t, err, honest, "", ErrTooLarge)
	if !strings.Contains(se.Error(), "3.0 GiB") || !strings.Contains(se.Error(), "1.0 GiB") {
		t.Errorf("message %q does not give the size and the limit", se.Error())
	}
	if alloc > 32<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", alloc)
	}

	alloc = allocated(func() { _, err = readTable(t, liar, validate.SourceMembers, "") })
	checkSourceError(t, err, liar, "", ErrDamaged)
	if alloc > 32<<20 {
		t.Errorf("refusing the lying bomb allocated %d bytes", alloc)
	}

	// The configured limit is the one applied and named.
	_, err = ReadTable(context.Background(), Source{Name: "members", Path: honest, Limits: Limits{UnzipSize: 2 << 30}}, validate.DefaultSchemas()["members"])
	se = checkSourceError(t, err, honest, "", ErrTooLarge)
	if !strings.Contains(se.Error(), "2.0 GiB allowed") {
		t.Errorf("message %q does not name the configured limit", se.Error())
	}
}

func TestConfiguredLimits(t *testing.T) {
	path := filepath.Join("testdata", "membres_titre.xlsx")
	schema := validate.DefaultSchemas()["members"]
	_, err := ReadTable(context.Background(), Source{Name: "members", Path: path, Limits: Limits{UnzipSize: 4 << 10}}, schema)
	se := checkSourceError(t, err, path, "", ErrTooLarge)
	if !strings.Contains(se.Error(), "4.0 KiB allowed") {
		t.Errorf("message %q does not give the limit", se.Error())
	}
	// Parts larger than UnzipXMLSize are streamed from a temporary file:
	// the same table either way, shared strings included.
	for _, name := range []string{"membres_titre.xlsx", "macros.xlsm"} {
		path := filepath.Join("testdata", name)
		want := mustReadTable(t, path, "members", "")
		got, err := ReadTable(context.Background(), Source{Name: "members", Path: path, Limits: Limits{UnzipXMLSize: 64}}, schema)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s read differently with a small in-memory limit (-default +small):\n%s", name, d)
		}
	}
}

// TestMillionFormattedEmptyRows reads a sheet with a million formatted
// empty rows between its header and its one member: none is flagged, and
// the member's row keeps its number.
func TestMillionFormattedEmptyRows(t *testing.T) {
	// A million rows take seconds to parse; under -short, and under the
	// race detector (which multiplies that time), a tenth of them.
	n := 1_000_000
	if testing.Short() || raceDetector {
		n = 100_000
	}
	last := n + 2
	sheet := part{write: func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		bw.WriteString(sheetHead + memberHeaderRow)
		for r := 2; r < last; r++ {
			fmt.Fprintf(bw, `<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>`, r, r)
		}
		bw.WriteString(inlineRow(last, "Ann Lee", "ann.lee@gov.mb.ca", "Manitoba Digital", "Provincial", "MB", "Active"))
		bw.WriteString(sheetTail)
		return bw.Flush()
	}}
	path := filepath.Join(t.TempDir(), "vides.xlsx")
	writeZip(t, path, workbookParts(sheet))

	v := validate.New(validate.DefaultRules(), catalogue(t))
	var rows, lastNum int
	begin := func(o validate.Origin, h validate.Header) func(validate.Row) {
		add := v.Table(o, h)
		return func(r validate.Row) {
			rows++
			lastNum = r.Num
			add(r)
		}
	}
	if err := Read(context.Background(), Source{Name: "members", Path: path}, v.Schema("members"), begin); err != nil {
		t.Fatal(err)
	}
	res := v.Result()
	if rows != 1 || lastNum != last {
		t.Errorf("%d rows given, the last numbered %d; want 1 numbered %d", rows, lastNum, last)
	}
	if res.Summary.MembersTotal != 1 {
		t.Errorf("%d members, want 1", res.Summary.MembersTotal)
	}
	for _, f := range res.Findings {
		if f.Row != 0 {
			t.Errorf("row finding %s at row %d", f.Code, f.Row)
		}
	}
}

// TestLongCell reports a cell longer than a spreadsheet cell can be, and
// reads one of exactly the maximum length whole.
func TestLongCell(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long.xlsx")
	writeZip(t, long, workbookParts(sheetPart(memberHeaderRow, inlineRow(2, "Ann Lee", strings.Repeat("é", 40000)))))
	var last Progress
	src := Source{Name: "members", Path: long, Progress: func(p Progress) { last = p }}
	_, err := ReadTable(context.Background(), src, validate.DefaultSchemas()["members"])
	se := checkSourceError(t, err, long, "Members", ErrCellTooLong)
	if !strings.Contains(se.Error(), "cell B2 holds 40000 characters, the most is 32767") {
		t.Errorf("message %q", se.Error())
	}
	if !last.Done || last.Rows != 2 {
		t.Errorf("last progress %+v: the failed read should end at row 2", last)
	}

	full := filepath.Join(dir, "full.xlsx")
	writeZip(t, full, workbookParts(sheetPart(memberHeaderRow, inlineRow(2, "Ann Lee", strings.Repeat("é", MaxCellChars)))))
	tab := mustReadTable(t, full, validate.SourceMembers, "")
	if got := utf8.RuneCountInString(tab.Rows[0].Cell(1).Value.Text); got != MaxCellChars {
		t.Errorf("a %d-character cell read as %d characters", MaxCellChars, got)
	}
}
