package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"copsync/sync"
	"copsync/templates"
	"copsync/validate"
)

// benchRows is the size of the workbook the go test benchmarks read: large
// enough for the row loop to dominate, small enough to generate in a
// second.
const benchRows = 20000

var (
	workbookDir  string
	workbookOnce gosync.Once
	workbookPath string
	workbookErr  error
)

// TestMain gives the benchmarks a directory that lasts as long as the test
// binary (b.TempDir is removed after each benchmark), and removes it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "copsync-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workbookDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// workbook returns the path of a generated benchmark workbook, written once
// per test binary.
func workbook(b *testing.B) string {
	b.Helper()
	workbookOnce.Do(func() {
		workbookPath = filepath.Join(workbookDir, "members.xlsx")
		workbookErr = WriteMembers(workbookPath, benchRows, 1)
	})
	if workbookErr != nil {
		b.Fatal(workbookErr)
	}
	return workbookPath
}

func catalogue(b *testing.B) *validate.Catalogue {
	b.Helper()
	cat, err := templates.Catalogue()
	if err != nil {
		b.Fatal(err)
	}
	return cat
}

// BenchmarkBareScan is the baseline: excelize's row iterator alone over
// the workbook, as bench/cmd scan does.
func BenchmarkBareScan(b *testing.B) {
	path := workbook(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: sync.DefaultUnzipSize, UnzipXMLSizeLimit: sync.DefaultUnzipXMLSize})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Membres")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			n += len(cols)
		}
		rows.Close()
		f.Close()
		if n == 0 {
			b.Fatal("no cells")
		}
	}
	b.ReportMetric(benchRows, "rows/op")
}

// BenchmarkRead is copsync's reader over the same workbook, rows given to
// a function that drops them: the reader's own cost over the bare scan.
func BenchmarkRead(b *testing.B) {
	path := workbook(b)
	schema := validate.DefaultSchemas()[validate.SourceMembers]
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := sync.Read(context.Background(), sync.Source{Name: "members", Path: path}, schema,
			func(validate.Origin, validate.Header) func(validate.Row) { return func(validate.Row) { n++ } })
		if err != nil {
			b.Fatal(err)
		}
		if n != benchRows {
			b.Fatalf("%d rows, want %d", n, benchRows)
		}
	}
	b.ReportMetric(benchRows, "rows/op")
}

// BenchmarkReadValidate is what copsync validate does with the membership.
func BenchmarkReadValidate(b *testing.B) {
	path := workbook(b)
	cat := catalogue(b)
	b.ReportAllocs()
	for b.Loop() {
		v := validate.New(validate.DefaultRules(), cat)
		if err := sync.Read(context.Background(), sync.Source{Name: "members", Path: path}, v.Schema("members"), v.Table); err != nil {
			b.Fatal(err)
		}
		if res := v.Result(); res.Summary.MembersTotal != benchRows {
			b.Fatalf("%d members", res.Summary.MembersTotal)
		}
	}
	b.ReportMetric(benchRows, "rows/op")
}

// BenchmarkValidatorRow is the validator's check of one member row, on rows
// read once from the workbook.
func BenchmarkValidatorRow(b *testing.B) {
	path := workbook(b)
	cat := catalogue(b)
	tab, err := sync.ReadTable(context.Background(), sync.Source{Name: "members", Path: path}, validate.DefaultSchemas()["members"])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var add func(validate.Row)
	i := len(tab.Rows)
	for b.Loop() {
		if i == len(tab.Rows) {
			// A fresh validator for each pass, so that the e-mails of one
			// pass are not duplicates in the next.
			add = validate.New(validate.DefaultRules(), cat).Table(tab.Origin, tab.Header)
			i = 0
		}
		add(tab.Rows[i])
		i++
	}
}

var spellingList = func() []string {
	var out []string
	for _, s := range spellings {
		out = append(out, s...)
	}
	return append(out, "Albreta", "Terre Neuve", "", "  Québec\u00a0")
}()

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = validate.Key(spellingList[i%len(spellingList)])
		i++
	}
}

func BenchmarkLookupJurisdiction(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = validate.LookupJurisdiction(spellingList[i%len(spellingList)])
		i++
	}
}

// TestWriteMembers checks the generated workbook: its header is found on
// row 4, every member is read, and the validator finds the few planted
// problems (repeated e-mails, misspelt provinces) without flagging the
// provinces written in their many correct ways.
func TestWriteMembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "members.xlsx")
	if err := WriteMembers(path, 5000, 7); err != nil {
		t.Fatal(err)
	}
	cat, err := templates.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(validate.DefaultRules(), cat)
	var header validate.Header
	begin := func(o validate.Origin, h validate.Header) func(validate.Row) {
		header = h
		return v.Table(o, h)
	}
	if err := sync.Read(context.Background(), sync.Source{Name: "members", Path: path}, v.Schema("members"), begin); err != nil {
		t.Fatal(err)
	}
	res := v.Result()
	if header.Row != 4 || res.Summary.MembersTotal != 5000 {
		t.Fatalf("header row %d, %d members; want 4 and 5000", header.Row, res.Summary.MembersTotal)
	}
	counts := map[string]int{}
	for _, f := range res.Findings {
		counts[f.Code]++
	}
	dup, unknown := counts[validate.CodeMemberEmailDuplicate], counts[validate.CodeMemberJurisdictionUnknown]
	if dup == 0 || dup > 20 || unknown == 0 || unknown > 20 {
		t.Errorf("%d duplicate e-mails and %d unknown provinces in 5000 rows; want a few of each", dup, unknown)
	}
	delete(counts, validate.CodeMemberEmailDuplicate)
	delete(counts, validate.CodeMemberJurisdictionUnknown)
	if len(counts) != 0 {
		t.Errorf("unexpected findings %v", counts)
	}
}
