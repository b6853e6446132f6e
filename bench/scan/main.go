// Command scan is the baseline bench/run.sh times: a bare excelize row scan
// of a workbook's first sheet, in a program that links nothing else, so
// that its memory is excelize's own.
//
//	go run ./bench/scan bench/data/members-200000.xlsx
//
// Its limits default to copsync's (limits.unzip_size and
// limits.unzip_xml_size).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	unzip := flag.Int64("unzip-size", 1<<30, "the most bytes the workbook may inflate to")
	unzipXML := flag.Int64("unzip-xml-size", 16<<20, "the most bytes of one part kept in memory")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scan [-unzip-size N] [-unzip-xml-size N] WORKBOOK")
		os.Exit(2)
	}
	start := time.Now()
	rows, cells, err := scan(flag.Arg(0), *unzip, *unzipXML)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
	fmt.Printf("scan rows=%d cells=%d time=%s\n", rows, cells, time.Since(start).Round(time.Millisecond))
}

// scan reads every row of the first sheet with excelize's row iterator and
// counts the rows and cells.
func scan(path string, unzip, unzipXML int64) (n, cells int, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: unzip, UnzipXMLSizeLimit: unzipXML})
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		n++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return n, cells, err
		}
		cells += len(cols)
	}
	if cells == 0 {
		return n, cells, fmt.Errorf("no cells read")
	}
	return n, cells, rows.Error()
}
