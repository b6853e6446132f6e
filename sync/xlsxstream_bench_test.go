package sync

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// writeSSTWorkbook writes a membership workbook of n members in 8 columns
// whose texts are shared strings (as Excel writes them), the join date a
// number with a date format, as the benchmarks read it.
func writeSSTWorkbook(t testing.TB, path string, n int) {
	t.Helper()
	index := map[string]int{}
	var strs []string
	si := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(strs)
			index[s] = i
			strs = append(strs, s)
		}
		return i
	}
	provinces := []string{"NL", "Terre-Neuve-et-Labrador", "PE", "Île-du-Prince-Édouard", "NS", "Nouvelle-Écosse", "NB", "QC", "Québec", "ON", "Ontario", "MB", "SK", "AB", "BC", "Colombie-Britannique", "YT", "NT", "NU"}
	orders := []string{"Fédéral", "Provincial", "Municipal", "Provincial/territorial"}
	roles := []string{"Membre", "Member", "Directrice", "Analyste"}
	statuses := []string{"Actif", "Active", "Inactif"}
	header := []string{"Nom", "Courriel", "Organisation", "Ordre de gouvernement", "Province ou territoire", "Rôle", "Statut", "Date d'adhésion"}
	sheet := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet xmlns="` + nsMain + `"><dimension ref="A1:H` + strconv.Itoa(n+1) + `"/><sheetData>`)
		row := func(num int, texts []string, date int) {
			fmt.Fprintf(bw, `<row r="%d" spans="1:8">`, num)
			for i, s := range texts {
				fmt.Fprintf(bw, `<c r="%s%d" t="s"><v>%d</v></c>`, string(rune('A'+i)), num, si(s))
			}
			if date > 0 {
				fmt.Fprintf(bw, `<c r="H%d" s="1"><v>%d</v></c>`, num, date)
			}
			bw.WriteString(`</row>`)
		}
		row(1, header, 0)
		texts := make([]string, 7)
		for i := range n {
			texts[0] = fmt.Sprintf("Prénom%d Nom%d", i%997, i%1013)
			texts[1] = fmt.Sprintf("membre.%d@exemple.gc.ca", i)
			texts[2] = fmt.Sprintf("Organisation %d", i%400)
			texts[3] = orders[i%len(orders)]
			texts[4] = provinces[i%len(provinces)]
			texts[5] = roles[i%len(roles)]
			texts[6] = statuses[i%len(statuses)]
			row(i+2, texts, 42005+i%3000)
		}
		bw.WriteString(`</sheetData><mergeCells count="1"><mergeCell ref="J1:K2"/></mergeCells></worksheet>`)
		return bw.Flush()
	}
	// The sheet is written first, to collect the strings.
	var sheetPart strings.Builder
	if err := sheet(&sheetPart); err != nil {
		t.Fatal(err)
	}
	sst := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, len(strs), len(strs))
		for _, s := range strs {
			bw.WriteString("<si><t>")
			bw.WriteString(s)
			bw.WriteString("</t></si>")
		}
		bw.WriteString("</sst>")
		return bw.Flush()
	}
	parts := workbookParts(part{data: sheetPart.String()})
	parts[3].data = strings.Replace(parts[3].data, "</Relationships>",
		`<Relationship Id="rId3" Type="`+nsRel+`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, 1)
	parts[4].data = `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="` + nsMain + `"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`
	parts = append(parts, part{name: "xl/sharedStrings.xml", write: sst})
	writeZip(t, path, parts)
}

// benchBook writes an n-member workbook into the benchmark's temporary
// folder and returns its path.
func benchBook(b *testing.B, n int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), fmt.Sprintf("members-%d.xlsx", n))
	writeSSTWorkbook(b, p, n)
	return p
}

// streamScan reads every row of the first sheet with the streaming reader
// and returns the rows and cells read.
func streamScan(ctx context.Context, path string) (rows, cells int, err error) {
	book, closer, err := openStreamBook(ctx, Source{Name: "bench", Path: path}, Limits{})
	if err != nil {
		return 0, 0, err
	}
	defer closer.Close()
	sr, err := book.Open(ctx, book.Sheets()[0])
	if err != nil {
		return 0, 0, err
	}
	defer sr.Close()
	for {
		r, ok := sr.Next()
		if !ok {
			break
		}
		rows++
		cells += len(r.Cells)
	}
	return rows, cells, sr.Err()
}

// BenchmarkStreamRead reads a generated shared-strings workbook with the
// streaming reader: every row, every cell's typed value and text.
func BenchmarkStreamRead(b *testing.B) {
	for _, n := range []int{20000, 200000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			path := benchBook(b, n)
			b.ReportAllocs()
			peak := peakHeap(b, func() {
				for b.Loop() {
					rows, _, err := streamScan(context.Background(), path)
					if err != nil || rows != n+1 {
						b.Fatalf("%d rows, %v", rows, err)
					}
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkExcelizeRows reads the same workbook with excelize's row
// iterator, as readXLSX does today.
func BenchmarkExcelizeRows(b *testing.B) {
	for _, n := range []int{20000, 200000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			path := benchBook(b, n)
			b.ReportAllocs()
			peak := peakHeap(b, func() {
				for b.Loop() {
					f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: DefaultUnzipSize, UnzipXMLSizeLimit: DefaultUnzipXMLSize})
					if err != nil {
						b.Fatal(err)
					}
					rows, err := f.Rows("Members")
					if err != nil {
						b.Fatal(err)
					}
					count := 0
					for rows.Next() {
						if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
							b.Fatal(err)
						}
						count++
					}
					rows.Close()
					f.Close()
					if count != n+1 {
						b.Fatalf("%d rows", count)
					}
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// peakHeap runs fn while sampling the bytes of live and not yet swept heap
// objects (runtime/metrics, which does not stop the world as
// runtime.ReadMemStats does), and returns its largest sample.
func peakHeap(b *testing.B, fn func()) uint64 {
	b.Helper()
	runtime.GC()
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				peak = max(peak, sample[0].Value.Uint64())
			}
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	return <-result
}

// TestStreamBenchFile is the streaming reader's entry for bench/run.sh,
// until readXLSX reads through it: with COPSYNC_STREAM_FILE set to a
// workbook, it reads the membership source with the streaming reader
// through the layout engine (validate.ReadSource) into the validator, as
// copsync validate does. It is skipped otherwise. COPSYNC_XLSX_READER=scan only reads the rows.
func TestStreamBenchFile(t *testing.T) {
	path := os.Getenv("COPSYNC_STREAM_FILE")
	if path == "" {
		t.Skip("COPSYNC_STREAM_FILE names no workbook (bench/run.sh sets it)")
	}
	ctx := context.Background()
	start := time.Now()
	if os.Getenv("COPSYNC_XLSX_READER") == "scan" {
		rows, cells, err := streamScan(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("stream-scan rows=%d cells=%d time=%s\n", rows, cells, time.Since(start).Round(time.Millisecond))
		return
	}
	cat := catalogue(t)
	v := validate.New(validate.DefaultRules(), cat)
	src := Source{Name: validate.SourceMembers, Path: path}
	book, closer, err := openStreamBook(ctx, src, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	if err := validate.ReadSource(ctx, book, v.Schema(validate.SourceMembers), src.Selection(), v); err != nil {
		t.Fatal(err)
	}
	res := v.Result()
	fmt.Printf("stream-validate rows=%d findings=%d time=%s\n", res.Summary.MembersTotal, len(res.Findings), time.Since(start).Round(time.Millisecond))
}
