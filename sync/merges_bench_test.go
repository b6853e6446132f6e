package sync

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchWorkbook returns the 200,000-row workbook bench/run.sh generates, or
// skips.
func benchWorkbook(b *testing.B) string {
	p := filepath.Join("..", "bench", "data", "members-200000.xlsx")
	if _, err := os.Stat(p); err != nil {
		b.Skip("no bench/data/members-200000.xlsx: run bench/run.sh (or go run ./bench/cmd gen -rows 200000 -o bench/data/members-200000.xlsx) first")
	}
	return p
}

// BenchmarkMergesExcelize measures excelize's GetMergeCells on a large
// sheet: it unmarshals the whole worksheet.
func BenchmarkMergesExcelize(b *testing.B) {
	path := benchWorkbook(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.GetMergeCells(f.GetSheetName(0)); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkMergesStream measures the streaming pass over the worksheet part
// that the XLSX reader uses instead.
func BenchmarkMergesStream(b *testing.B) {
	path := benchWorkbook(b)
	b.ReportAllocs()
	for b.Loop() {
		parts, err := worksheetParts(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, part := range parts {
			if _, err := scanMerges(path, part); err != nil {
				b.Fatal(err)
			}
		}
	}
}
