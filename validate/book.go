package validate

import "context"

// This file is the seam between the readers (package sync: .xlsx workbooks,
// Google Sheets) and the layout model: a reader delivers a book's sheet
// names, each sheet's merged ranges and its rows of typed cells; everything
// about layout (which sheets hold the source, the header block, values
// merged down over rows, notes and totals under the table) is decided once,
// by ReadSource, for every reader.

// Merge is a range of merged cells: rows are 1-based sheet rows, columns
// 0-based sheet columns, both inclusive. The value of a merge is the value of
// its top-left cell.
type Merge struct {
	Top, Left, Bottom, Right int
}

// Ref returns the A1 address of the merge's top-left cell, where a person
// would correct its value.
func (m Merge) Ref() string { return CellRef(m.Left, m.Top) }

// Contains reports whether the cell of 0-based column col in 1-based row
// row lies in the merge.
func (m Merge) Contains(col, row int) bool {
	return row >= m.Top && row <= m.Bottom && col >= m.Left && col <= m.Right
}

// SheetRows is one sheet of a book, open for reading its rows in order.
type SheetRows interface {
	// Merges returns the sheet's merged ranges, in any order. It is
	// complete before the first call to Next.
	Merges() []Merge
	// Next returns the next row the sheet holds, in ascending row order,
	// with each cell's typed value and the text the spreadsheet shows.
	// Rows the sheet does not hold may be skipped; blank rows may be
	// returned. ok is false at the end of the sheet or on an error (see
	// Err).
	Next() (r Row, ok bool)
	// Err returns the error that ended Next early, or nil.
	Err() error
	// Close releases the sheet; it may be called before the end.
	Close() error
}

// Book is a workbook or a spreadsheet as a reader delivers it.
type Book interface {
	// Sheets returns the titles of the book's worksheets (not chart
	// sheets), in the book's order.
	Sheets() []string
	// Origin returns where sheet was read from, for findings and links;
	// Origin.Sheet is sheet.
	Origin(sheet string) Origin
	// Open opens sheet for reading. A reader checks ctx while reading
	// and ends Next with ctx's error when it is done.
	Open(ctx context.Context, sheet string) (SheetRows, error)
}
