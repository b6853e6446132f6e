package sync

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkExcelizeBook reads a generated workbook through the excelize
// reader's sheet (xlsxBook): the library's rows as shown, beside the
// stream of each cell's type, style and raw value (cellScan).
func BenchmarkExcelizeBook(b *testing.B) {
	for _, n := range []int{20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			path := benchBook(b, n)
			b.ReportAllocs()
			for b.Loop() {
				f, err := openWorkbook(path, Limits{UnzipSize: DefaultUnzipSize, UnzipXMLSize: DefaultUnzipXMLSize})
				if err != nil {
					b.Fatal(err)
				}
				sheets, err := worksheets(f)
				if err != nil {
					b.Fatal(err)
				}
				book := &xlsxBook{f: f, file: path, src: Source{Name: "bench", Path: path}, sheets: sheets}
				sr, err := book.Open(context.Background(), sheets[0])
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				for {
					if _, ok := sr.Next(); !ok {
						break
					}
					rows++
				}
				if err := sr.Err(); err != nil || rows != n+1 {
					b.Fatalf("%d rows, %v", rows, err)
				}
				sr.Close()
				f.Close()
			}
		})
	}
}
