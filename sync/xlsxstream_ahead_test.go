package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"copsync/validate"
)

// aheadSheet writes a workbook of one sheet of n rows (row r holds "r" and
// r*2), with a blank row 2 and no row n+1 so that the row numbers are not
// the row count, and returns its path.
func aheadSheet(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(sheetHead)
	for r := 1; r <= n; r++ {
		if r == 2 {
			continue
		}
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c><c r="B%d"><v>%d</v></c></row>`, r, r, r, r, r*2)
	}
	b.WriteString(sheetTail)
	path := filepath.Join(t.TempDir(), "ahead.xlsx")
	writeZip(t, path, workbookParts(part{data: b.String()}))
	return path
}

// openAhead opens the workbook's only sheet with the streaming reader.
func openAhead(t *testing.T, ctx context.Context, path string) *streamSheet {
	t.Helper()
	book, closer, err := openStreamBook(ctx, Source{Name: "test", Path: path}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	sr, err := book.Open(ctx, book.Sheets()[0])
	if err != nil {
		t.Fatal(err)
	}
	return sr.(*streamSheet)
}

// withProcs runs f with GOMAXPROCS set to n.
func withProcs(n int, f func()) {
	old := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(old)
	f()
}

// TestReadAheadGivesTheSameRows reads a sheet with its rows read ahead
// (two processors) and in one goroutine (one processor): the same rows,
// in order, and the same count of rows read.
func TestReadAheadGivesTheSameRows(t *testing.T) {
	path := aheadSheet(t, 3000)
	read := func() (rows []validate.Row, last int) {
		sr := openAhead(t, context.Background(), path)
		for {
			r, ok := sr.Next()
			if !ok {
				break
			}
			rows = append(rows, r)
		}
		if err := sr.Err(); err != nil {
			t.Fatal(err)
		}
		last = sr.lastRow()
		sr.Close()
		return rows, last
	}
	var ahead, inline []validate.Row
	var lastAhead, lastInline int
	withProcs(2, func() { ahead, lastAhead = read() })
	withProcs(1, func() { inline, lastInline = read() })
	if len(ahead) != 2999 || len(inline) != 2999 || lastAhead != 3000 || lastInline != 3000 {
		t.Fatalf("read ahead: %d rows, last %d; in one goroutine: %d rows, last %d; want 2999 rows, last 3000",
			len(ahead), lastAhead, len(inline), lastInline)
	}
	for i := range ahead {
		a, b := ahead[i], inline[i]
		if a.Num != b.Num || a.Cell(0).Value.Text != b.Cell(0).Value.Text || a.Cell(1).Value.Num != b.Cell(1).Value.Num || a.Cell(1).Ref != b.Cell(1).Ref {
			t.Fatalf("row %d: %+v read ahead, %+v in one goroutine", i, a, b)
		}
	}
}

// TestReadAheadClosedEarly stops reading a sheet after a few rows, as the
// search for a header does: the rows read are the ones Next returned, and
// no error of the rows after them is said.
func TestReadAheadClosedEarly(t *testing.T) {
	path := aheadSheet(t, 5000)
	withProcs(2, func() {
		sr := openAhead(t, context.Background(), path)
		for range 3 {
			if _, ok := sr.Next(); !ok {
				t.Fatal("the sheet ended early")
			}
		}
		if sr.ahead == nil {
			t.Fatal("the rows were not read ahead with two processors")
		}
		if got := sr.lastRow(); got != 4 {
			t.Errorf("lastRow after three rows = %d, want 4 (rows 1, 3, 4)", got)
		}
		if err := sr.Err(); err != nil {
			t.Errorf("Err while reading = %v", err)
		}
		if err := sr.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
		if got := sr.lastRow(); got != 4 {
			t.Errorf("lastRow after Close = %d, want 4", got)
		}
		if err := sr.Err(); err != nil {
			t.Errorf("Err after Close = %v", err)
		}
		if _, ok := sr.Next(); ok {
			t.Error("Next after Close returned a row")
		}
	})
}

// TestReadAheadInterrupted cancels the reading of a large sheet: Next ends
// with the context's error.
func TestReadAheadInterrupted(t *testing.T) {
	path := aheadSheet(t, 3*progressEvery)
	withProcs(2, func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		sr := openAhead(t, ctx, path)
		if _, ok := sr.Next(); !ok {
			t.Fatal("no first row")
		}
		cancel()
		n := 1
		for {
			if _, ok := sr.Next(); !ok {
				break
			}
			n++
		}
		if err := sr.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("Err = %v after %d rows, want context.Canceled", err, n)
		}
		if n >= 3*progressEvery-1 {
			t.Errorf("every row (%d) was read after the cancellation", n)
		}
		sr.Close()
	})
}

// TestBufSize checks the size of the buffers a part is read with: one byte
// more than the part, within minBuf and the limit.
func TestBufSize(t *testing.T) {
	const limit = 64 << 10
	for _, tt := range []struct {
		size uint64
		want int
	}{
		{0, minBuf},
		{100, minBuf},
		{minBuf - 1, minBuf},
		{minBuf, minBuf + 1},
		{10000, 10001},
		{limit - 1, limit},
		{limit, limit},
		{1 << 40, limit},
	} {
		if got := bufSize(tt.size, limit); got != tt.want {
			t.Errorf("bufSize(%d, %d) = %d, want %d", tt.size, limit, got, tt.want)
		}
	}
}
