package sync

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copsync/validate"
)

// fuzzLimits keep each fuzzed workbook small, so that the fuzzer spends
// its time on parsing rather than on inflating.
var fuzzLimits = Limits{UnzipSize: 64 << 20, UnzipXMLSize: 1 << 20}

// checkRead reads the workbook at path as the membership and as the issues
// source with a validator, and checks what any input must give: a result
// whose rows are numbered below the header in increasing order with their
// cells' addresses, or a one-line *SourceError.
func checkRead(t *testing.T, cat *validate.Catalogue, path string) {
	for _, source := range []string{validate.SourceMembers, validate.SourceIssues} {
		v := validate.New(validate.DefaultRules(), cat)
		headerRow, last := 0, 0
		begin := func(o validate.Origin, h validate.Header) func(validate.Row) {
			if h.Row < 1 || h.Row > validate.HeaderRows+1 {
				t.Errorf("%s: header row %d", source, h.Row)
			}
			headerRow, last = h.Row, h.Row
			add := v.Table(o, h)
			return func(r validate.Row) {
				if r.Num <= last {
					t.Errorf("%s: row %d after row %d", source, r.Num, last)
				}
				last = r.Num
				for i, c := range r.Cells {
					if c.Ref != validate.CellRef(i, r.Num) {
						t.Errorf("%s: cell %d of row %d has the address %q", source, i, r.Num, c.Ref)
					}
				}
				add(r)
			}
		}
		err := Read(context.Background(), Source{Name: source, Path: path, Limits: fuzzLimits}, v.Schema(source), begin)
		if err != nil {
			var se *SourceError
			if !errors.As(err, &se) {
				t.Fatalf("%s: error %v (%T) is not a *SourceError", source, err, err)
			}
			if msg := se.Error(); strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, path) {
				t.Fatalf("%s: message %q spans lines or does not name the file", source, msg)
			}
			continue
		}
		if headerRow == 0 {
			t.Fatalf("%s: read without a header", source)
		}
		res := v.Result()
		for _, f := range res.Findings {
			if f.Message == "" || f.MessageFR == "" {
				t.Errorf("%s: finding %s without its messages", source, f.Code)
			}
		}
	}
}

// seedFiles returns the fixture workbooks, and when fuzzing the corpus's
// too, when present, as seeds (the larger corpus files are left out, to
// keep each execution quick). A plain test run leaves the corpus to
// TestCorpus.
func seedFiles(f *testing.F) [][]byte {
	patterns := []string{"testdata/*.xlsx", "testdata/*.xlsm"}
	if fz := flag.Lookup("test.fuzz"); fz != nil && fz.Value.String() != "" {
		patterns = append(patterns, filepath.Join(corpusDir, "*.xls*"))
	}
	var paths []string
	for _, pattern := range patterns {
		m, _ := filepath.Glob(pattern)
		paths = append(paths, m...)
	}
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 64<<10 {
			continue
		}
		out = append(out, data)
	}
	return out
}

// FuzzReadXLSX reads arbitrary bytes as a workbook.
func FuzzReadXLSX(f *testing.F) {
	for _, data := range seedFiles(f) {
		f.Add(data)
	}
	cat := catalogue(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkRead(t, cat, path)
	})
}

// sheetParts returns the worksheet XML and shared strings XML of a
// fixture's first sheet.
func sheetParts(data []byte) (sheet, sst []byte) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil
	}
	read := func(name string) []byte {
		for _, f := range zr.File {
			if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
				rc, err := f.Open()
				if err != nil {
					return nil
				}
				defer rc.Close()
				b, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
				return b
			}
		}
		return nil
	}
	return read("xl/worksheets/sheet1.xml"), read("xl/sharedStrings.xml")
}

// FuzzReadSheetXML reads a well-formed package around arbitrary worksheet
// and shared-strings XML, which reaches the row reader far more often than
// arbitrary zip bytes do.
func FuzzReadSheetXML(f *testing.F) {
	for _, data := range seedFiles(f) {
		if sheet, sst := sheetParts(data); sheet != nil {
			f.Add(sheet, sst)
		}
	}
	f.Add([]byte(sheetHead+memberHeaderRow+inlineRow(2, "Ann", "ann@gov.mb.ca", "MB Digital", "PT", "MB", "Active")+sheetTail), []byte(nil))
	f.Add([]byte(sheetHead+`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row>`+sheetTail),
		[]byte(`<sst xmlns="`+nsMain+`"><si><t>Name</t></si><si><t>Email</t></si><si><r><t>Ann</t></r><r><t> Lee</t></r></si></sst>`))
	cat := catalogue(f)
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		parts := workbookParts(part{data: string(sheet)})
		if sst != nil {
			parts = append(parts, part{name: "xl/sharedStrings.xml", data: string(sst)})
			parts[3].data = strings.Replace(parts[3].data, "</Relationships>",
				`<Relationship Id="rId3" Type="`+nsRel+`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, 1)
		}
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		writeZip(t, path, parts)
		checkRead(t, cat, path)
	})
}
