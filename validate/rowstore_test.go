package validate

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sameRow reports whether a row came back as it was stored: the same
// number and values, and the same address for each cell, an empty Ref
// standing for the cell's own address (as Row.Cell reads it).
func sameRow(t *testing.T, got, want Row) {
	t.Helper()
	if got.Num != want.Num || len(got.Cells) != len(want.Cells) {
		t.Fatalf("row %d with %d cells, want row %d with %d", got.Num, len(got.Cells), want.Num, len(want.Cells))
	}
	for i, w := range want.Cells {
		g := got.Cells[i]
		if got.Cell(i).Ref != want.Cell(i).Ref {
			t.Errorf("row %d col %d: ref %q, want %q", want.Num, i, got.Cell(i).Ref, want.Cell(i).Ref)
		}
		gv, wv := g.Value, w.Value
		if gv.Kind != wv.Kind || gv.Text != wv.Text || gv.Bool != wv.Bool ||
			math.Float64bits(gv.Num) != math.Float64bits(wv.Num) || !gv.Time.Equal(wv.Time) ||
			gv.Time.Location().String() != wv.Time.Location().String() && !wv.Time.IsZero() {
			t.Errorf("row %d col %d: %+v, want %+v", want.Num, i, gv, wv)
		}
	}
}

// collect returns the rows of a store, their cells copied.
func collect(s *RowStore) []Row {
	var out []Row
	for r := range s.All() {
		out = append(out, Row{Num: r.Num, Cells: slices.Clone(r.Cells)})
	}
	return out
}

func TestRowStoreRoundTrip(t *testing.T) {
	toronto := time.FixedZone("", -5*3600)
	rows := []Row{
		{Num: 2, Cells: []Cell{
			{Ref: "A2", Value: Value{Kind: String, Text: "Marie Tremblay"}},
			{Value: Value{Kind: String, Text: "marie@example.ca"}},          // no address: its own
			{Ref: "C1", Value: Value{Kind: String, Text: "Service Canada"}}, // a merge's top-left cell
			{Ref: "D2", Value: Value{Kind: Number, Text: "45000", Num: 45000}},
			{Ref: "E2", Value: Value{Kind: Date, Text: "2023-03-15", Num: 45000, Time: time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC)}},
			{Ref: "F2", Value: Value{Kind: Bool, Text: "TRUE", Bool: true}},
			{Ref: "G2", Value: Value{Kind: ErrorValue, Text: "#N/A"}},
			{Ref: "H2"},
		}},
		{Num: 3, Cells: []Cell{
			{Value: Value{Kind: Number, Text: "-0", Num: math.Copysign(0, -1)}},
			{Value: Value{Kind: Number, Text: "0.1", Num: 0.1}},
			{Value: Value{Kind: Number, Text: "-1e300", Num: -1e300}},
			{Value: Value{Kind: Number, Text: "NaN", Num: math.NaN()}},
			{Value: Value{Kind: Date, Text: "2023-03-15 09:30", Time: time.Date(2023, 3, 15, 9, 30, 0, 5, toronto)}},
			{Value: Value{Kind: String, Text: "  \u00a0 "}},
			{Value: Value{Kind: Bool, Text: "FALSE"}},
		}},
		{Num: 4},
		{Num: 1048576, Cells: []Cell{{Ref: "XFD1048576", Value: Value{Kind: String, Text: "« Québec » — ’"}}}},
	}
	var s RowStore
	for _, r := range rows {
		s.Add(r)
	}
	got := collect(&s)
	if len(got) != len(rows) || s.Len() != len(rows) {
		t.Fatalf("%d rows back (Len %d), want %d", len(got), s.Len(), len(rows))
	}
	for i := range rows {
		sameRow(t, got[i], rows[i])
	}
	if !s.Sorted() {
		t.Error("rows added in order: not Sorted")
	}
	if s.Width() != 7 {
		t.Errorf("width %d, want 7 (column G is the last non-blank)", s.Width())
	}
	// The cells of a merge keep the top-left address; a cell's own
	// address is not stored.
	if got[0].Cells[2].Ref != "C1" || got[0].Cells[0].Ref != "" {
		t.Errorf("refs %q and %q, want C1 and empty", got[0].Cells[2].Ref, got[0].Cells[0].Ref)
	}
	// Stored texts stay as they were while more rows are added.
	text := got[0].Cells[0].Value.Text
	for i := range 1000 {
		s.Add(Row{Num: 2000 + i, Cells: []Cell{{Value: Value{Kind: String, Text: strings.Repeat("x", i)}}}})
	}
	if text != "Marie Tremblay" {
		t.Errorf("a stored text changed to %q", text)
	}
}

// TestRowStoreKeepsEveryValueField fails when Value, Cell or Row gain a
// field: the store must then encode it.
func TestRowStoreKeepsEveryValueField(t *testing.T) {
	for _, c := range []struct {
		v    any
		want []string
	}{
		{Value{}, []string{"Kind", "Text", "Num", "Bool", "Time"}},
		{Cell{}, []string{"Ref", "Value"}},
		{Row{}, []string{"Num", "Cells"}},
	} {
		typ := reflect.TypeOf(c.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s has fields %v; RowStore encodes %v: teach it the new ones", typ.Name(), got, c.want)
		}
	}
	if ErrorValue >= 1<<3 {
		t.Errorf("kind %d does not fit in the three bits RowStore keeps", ErrorValue)
	}
}

func TestRowStoreLargeRowsAndOrder(t *testing.T) {
	var s RowStore
	big := strings.Repeat("é", storeBlock) // a row larger than a block
	want := []Row{
		{Num: 5, Cells: []Cell{{Value: Value{Kind: String, Text: "a"}}}},
		{Num: 6, Cells: []Cell{{Value: Value{Kind: String, Text: big}}}},
		{Num: 3, Cells: []Cell{{Value: Value{Kind: String, Text: "b"}}}},
	}
	for _, r := range want {
		s.Add(r)
	}
	got := collect(&s)
	for i := range want {
		sameRow(t, got[i], want[i])
	}
	if s.Sorted() {
		t.Error("row 3 after row 6: Sorted")
	}
	// Stopping early stops.
	n := 0
	for range s.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("%d rows after a break", n)
	}
}

func TestTableAll(t *testing.T) {
	s := &RowStore{}
	s.Add(Row{Num: 3, Cells: []Cell{{Value: Value{Kind: String, Text: "c"}}}})
	tb := Table{Rows: []Row{{Num: 2, Cells: []Cell{{Value: Value{Kind: String, Text: "b"}}}}}, Store: s}
	var got []string
	for r := range tb.All() {
		got = append(got, fmt.Sprintf("%d=%s", r.Num, r.Cell(0).Value.Text))
	}
	if want := []string{"2=b", "3=c"}; !slices.Equal(got, want) || tb.Len() != 2 {
		t.Errorf("rows %v (Len %d), want %v", got, tb.Len(), want)
	}
}

// memberRow returns a row like a membership's: eight columns of text, a
// date and a status.
func memberRow(i int) Row {
	num := i + 2
	texts := []string{fmt.Sprintf("Member %d Tremblay", i), fmt.Sprintf("member%d@example.ca", i), "Service Canada",
		"Federal", "Ontario", "Member", "Active"}
	var cells []Cell
	for c, s := range texts {
		cells = append(cells, Cell{Ref: CellRef(c, num), Value: Value{Kind: String, Text: s}})
	}
	joined := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%900)
	cells = append(cells, Cell{Ref: CellRef(7, num), Value: Value{Kind: Date, Text: joined.Format("2006-01-02"), Num: 44562 + float64(i%900), Time: joined}})
	return Row{Num: num, Cells: cells}
}

// BenchmarkRowStore stores and reads back rows like a membership's, and
// reports what a row costs in the store.
func BenchmarkRowStore(b *testing.B) {
	rows := make([]Row, 10000)
	for i := range rows {
		rows[i] = memberRow(i)
	}
	b.ReportAllocs()
	var s *RowStore
	for b.Loop() {
		s = &RowStore{}
		for _, r := range rows {
			s.Add(r)
		}
		n := 0
		for r := range s.All() {
			n += len(r.Cells)
		}
		if n != 8*len(rows) {
			b.Fatalf("%d cells back", n)
		}
	}
	b.ReportMetric(float64(s.Size())/float64(len(rows)), "bytes/row")
}

func TestOwnRef(t *testing.T) {
	for _, c := range []struct {
		col, row int
	}{{0, 1}, {25, 9}, {26, 10}, {27, 100}, {701, 5}, {702, 1048576}, {16383, 1048576}} {
		own := CellRef(c.col, c.row)
		if !ownRef(own, c.col, c.row) {
			t.Errorf("%s is not the address of column %d row %d", own, c.col, c.row)
		}
		for _, other := range []string{CellRef(c.col+1, c.row), CellRef(c.col, c.row+1), CellRef(c.col, c.row) + "0", "", "A"} {
			if ownRef(other, c.col, c.row) {
				t.Errorf("%q taken for %s", other, own)
			}
		}
	}
}

// TestRowStoreSharesRepeatedTexts stores a column of names (each new), one
// of statuses (five values) and one of long repeated texts: every row
// comes back, the statuses are kept once, and the names stop being looked
// up once they prove new.
func TestRowStoreSharesRepeatedTexts(t *testing.T) {
	long := strings.Repeat("Ministère de la Cybersécurité et du Numérique ", 3)
	statuses := []string{"Active", "Inactive", "Actif", "Inactif", "On leave"}
	var s RowStore
	var want []Row
	for i := range 5000 {
		num := i + 2
		r := Row{Num: num, Cells: []Cell{
			{Value: Value{Kind: String, Text: fmt.Sprintf("Member %d", i)}},
			{Value: Value{Kind: String, Text: statuses[i%len(statuses)]}},
			{Value: Value{Kind: String, Text: long}},
		}}
		s.Add(r)
		want = append(want, r)
	}
	got := collect(&s)
	for i := range want {
		sameRow(t, got[i], want[i])
	}
	if n := len(s.shared); n > sharedTrial+len(statuses) {
		t.Errorf("%d texts kept once, want at most %d: the names are still looked up", n, sharedTrial+len(statuses))
	}
	if s.found[1] != 5000-len(statuses) {
		t.Errorf("statuses found %d times, want %d", s.found[1], 5000-len(statuses))
	}
}

// TestRowStoreBlocksGrow checks that a small store takes a small block and
// that a large one doubles its blocks up to storeBlock, with every row
// read back.
func TestRowStoreBlocksGrow(t *testing.T) {
	var small RowStore
	small.Add(Row{Num: 2, Cells: []Cell{{Value: Value{Kind: String, Text: "Jane"}}}})
	if len(small.blocks) != 1 || cap(small.blocks[0]) != firstBlock {
		t.Errorf("one short row: %d blocks, the first of %d bytes; want one of %d", len(small.blocks), cap(small.blocks[0]), firstBlock)
	}
	var large RowStore
	text := strings.Repeat("x", 200)
	const rows = 20000 // some 4 MB
	for i := range rows {
		large.Add(Row{Num: i + 2, Cells: []Cell{{Value: Value{Kind: String, Text: text + strconv.Itoa(i)}}}})
	}
	for i, b := range large.blocks {
		want := min(storeBlock, firstBlock<<i)
		if cap(b) != want {
			t.Errorf("block %d holds %d bytes, want %d", i, cap(b), want)
		}
	}
	if got := cap(large.blocks[len(large.blocks)-1]); got != storeBlock {
		t.Errorf("the last block of %d rows holds %d bytes, want %d", rows, got, storeBlock)
	}
	n := 0
	for r := range large.All() {
		if want := text + strconv.Itoa(n); r.Num != n+2 || r.Cells[0].Value.Text != want {
			t.Fatalf("row %d: %d %q", n, r.Num, r.Cells[0].Value.Text)
		}
		n++
	}
	if n != rows {
		t.Errorf("%d rows read back, want %d", n, rows)
	}
}
