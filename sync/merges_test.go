package sync

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
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

// TestFindMerges reads the merged ranges of worksheet XML, with a namespace
// prefix, absolute references, single quotes and elements cut across the
// reading buffer.
func TestFindMerges(t *testing.T) {
	filler := strings.Repeat(`<row r="1"><c r="A1"><v>1</v></c></row>`, 7000) // past one 256 KiB buffer
	for _, tt := range []struct {
		name, xml string
		want      []validate.Merge
	}{
		{"plain", `<worksheet><sheetData/><mergeCells count="2"><mergeCell ref="A1:F1"/><mergeCell ref="C4:C5"/></mergeCells></worksheet>`,
			[]validate.Merge{{Top: 1, Left: 0, Bottom: 1, Right: 5}, {Top: 4, Left: 2, Bottom: 5, Right: 2}}},
		{"prefixed, absolute, single quotes", `<x:worksheet><x:mergeCells><x:mergeCell ref='$D$8:$D$13'/></x:mergeCells></x:worksheet>`,
			[]validate.Merge{{Top: 8, Left: 3, Bottom: 13, Right: 3}}},
		{"after a large sheet", `<worksheet><sheetData>` + filler + `</sheetData><mergeCells><mergeCell ref="B2:C3"/></mergeCells></worksheet>`,
			[]validate.Merge{{Top: 2, Left: 1, Bottom: 3, Right: 2}}},
		{"none", `<worksheet><sheetData>` + filler + `</sheetData></worksheet>`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findMerges(strings.NewReader(tt.xml))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("merges %v, want %v", got, tt.want)
			}
		})
	}
	// Every cut of an element across two buffers.
	for shift := 0; shift < 600; shift += 37 {
		x := strings.Repeat(" ", 256<<10-300+shift) + `<mergeCell ref="A1:B2"/>`
		got, err := findMerges(strings.NewReader(x))
		if err != nil || len(got) != 1 {
			t.Errorf("shift %d: %v, %v", shift, got, err)
		}
	}
}
