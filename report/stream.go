package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// stream is a row-heavy sheet (a source's copy, the findings) written
// through the spreadsheet library's stream writer, whose memory does not
// grow with the number of rows. Its rows are gone through twice: once to
// measure the cells (the widths must be set before the first row), once to
// write them in order, each row given the height its cells need from the
// final widths.
type stream struct {
	measuring bool
	sw        *excelize.StreamWriter
	widths    []float64
	// The row being gathered: its cells by column and its least height.
	row    int
	cells  []any
	pool   []excelize.Cell
	height float64
	last   int // the last row written
	// The table recorded while measuring, added after the rows.
	table *streamTable
	// links holds the sheet's <hyperlink> elements, rels the relationships
	// of its external links: written into the package as it is saved (see
	// zipper), so that a link costs neither a scan of the others nor, when
	// it points inside the workbook, a relationship.
	links, rels bytes.Buffer
	nrels       int
}

// streamTable is a table of a streamed sheet: its name, header row, width
// and last row.
type streamTable struct {
	name              string
	head, ncols, last int
}

// streamed writes the sheet s, whose cells body writes, as a stream.
func (b *book) streamed(s string, body func()) {
	if b.err != nil {
		return
	}
	st := &stream{measuring: true}
	b.streams[s] = st
	y := b.layouts[s]
	y.streamed = true
	body()
	if b.err != nil {
		return
	}
	st.measuring = false
	st.widths = y.fit()
	sw, err := b.f.NewStreamWriter(s)
	if err != nil {
		b.err = fmt.Errorf("stream %s: %w", s, err)
		return
	}
	st.sw = sw
	for i, w := range st.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			b.err = fmt.Errorf("set column width on %s: %w", s, err)
			return
		}
	}
	if st.table != nil {
		if err := sw.SetPanes(panes(st.table.head)); err != nil {
			b.err = fmt.Errorf("freeze the header of %s: %w", s, err)
			return
		}
	}
	body() // its row loop stops when the run is cancelled (see stopped)
	if b.err != nil {
		return
	}
	if err := st.flushRow(); err != nil {
		b.err = fmt.Errorf("write %s: %w", s, err)
		return
	}
	if t := st.table; t != nil {
		if err := sw.AddTable(tableOf(t.name, t.head, t.ncols, t.last)); err != nil {
			b.err = fmt.Errorf("add table to %s: %w", s, err)
			return
		}
		b.printTitles(s, t.head)
		if b.err != nil {
			return
		}
	}
	if err := y.page(b, s, y.scale(st.widths)); err != nil {
		b.err = err
		return
	}
	if err := sw.Flush(); err != nil {
		b.err = fmt.Errorf("stream %s: %w", s, err)
	}
}

// at returns the stream of a sheet that is writing (not measuring) rows,
// having moved to row: the rows before it are written. It returns nil for
// a sheet that is not streamed.
func (b *book) at(sheet string, row int) *stream {
	st := b.streams[sheet]
	if st == nil || st.measuring || b.err != nil {
		return st
	}
	if row != st.row {
		if row < st.row || row <= st.last {
			// A stream's rows go in order; a source's rows come so.
			b.err = fmt.Errorf("write %s: row %d after row %d", sheet, row, max(st.row, st.last))
			return st
		}
		if err := st.flushRow(); err != nil {
			b.err = fmt.Errorf("write %s: %w", sheet, err)
			return st
		}
		st.row = row
	}
	return st
}

// flushRow writes the gathered row.
func (st *stream) flushRow() error {
	if st.row == 0 || st.sw == nil {
		return nil
	}
	var opts []excelize.RowOpts
	if st.height > 0 {
		opts = append(opts, excelize.RowOpts{Height: st.height})
	}
	err := st.sw.SetRow(ref(0, st.row), st.cells, opts...)
	st.last = st.row
	st.cells, st.height, st.row = st.cells[:0], 0, 0
	return err
}

// set puts a value and its style in a column of the gathered row.
func (st *stream) set(col int, v any, style int) {
	for len(st.cells) <= col {
		st.cells = append(st.cells, nil)
	}
	for len(st.pool) <= col {
		st.pool = append(st.pool, excelize.Cell{})
	}
	// The row's cells are kept from row to row: a pointer in an interface
	// costs no allocation.
	st.pool[col] = excelize.Cell{StyleID: style, Value: v}
	st.cells[col] = &st.pool[col]
}

// atLeast asks for the gathered row to be at least h points high.
func (st *stream) atLeast(h float64) { st.height = max(st.height, min(h, 409)) }

// text gives a cell of text, as the layout's apply does for a sheet
// written whole, its merge across span columns, its wrapping when it is
// wider than its column, and the height its lines need; it returns the
// look, wrapped where needed.
func (st *stream) text(col, row, span int, s string, l look) (look, error) {
	n := span
	if n <= 0 {
		n = max(len(st.widths)-col, 1)
	}
	if n > 1 {
		if err := st.sw.MergeCell(ref(col, row), ref(col+n-1, row)); err != nil {
			return l, err
		}
	}
	size := l.fontSize()
	px := spanPx(st.widths, col, n)
	if !l.wrap && widest(s, size, l.bold) > px {
		l.wrap = true
	}
	lines := 1
	if l.wrap {
		lines = wrapLines(s, size, l.bold, px)
	}
	if lines > 1 || size != bodySize {
		st.atLeast(float64(lines)*lineHeight(size) + 2)
	}
	return l, nil
}

// link records a hyperlink of a streamed sheet: to a location inside the
// workbook, which needs no relationship, or to an external target.
func (st *stream) link(cell, target string, location bool, tip string) {
	st.links.WriteString(`<hyperlink ref="`)
	st.links.WriteString(cell)
	st.links.WriteByte('"')
	if location {
		attr(&st.links, "location", target)
	}
	if tip != "" {
		attr(&st.links, "tooltip", tip)
	}
	if !location {
		st.nrels++
		id := "rIdL" + strconv.Itoa(st.nrels)
		attr(&st.links, "r:id", id)
		st.rels.WriteString(`<Relationship Id="` + id + `" Type="` + relHyperlink + `"`)
		attr(&st.rels, "Target", target)
		st.rels.WriteString(` TargetMode="External"/>`)
	}
	st.links.WriteString(`/>`)
}

// relHyperlink is the relationship type of an external hyperlink.
const relHyperlink = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

// attr writes an XML attribute, its value escaped.
func attr(w *bytes.Buffer, name, value string) {
	w.WriteString(" " + name + `="`)
	_ = xml.EscapeText(w, []byte(value))
	w.WriteByte('"')
}

// tableOf returns the table of rows head to last of the first ncols
// columns, with filter buttons and banded rows.
func tableOf(name string, head, ncols, last int) *excelize.Table {
	stripes := true
	return &excelize.Table{
		Range:          ref(0, head) + ":" + ref(ncols-1, last),
		Name:           name,
		StyleName:      "TableStyleMedium2",
		ShowRowStripes: &stripes,
	}
}

// panes returns the panes that keep the top rows of a sheet in view.
func panes(rows int) *excelize.Panes {
	top := ref(0, rows+1)
	return &excelize.Panes{
		Freeze: true, YSplit: rows, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}},
	}
}
