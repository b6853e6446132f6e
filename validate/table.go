package validate

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a cell's value.
type Kind int

// The kinds of cell value.
const (
	Blank Kind = iota
	String
	Number
	Bool
	Date
	ErrorValue
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Blank:
		return "blank"
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "bool"
	case Date:
		return "date"
	case ErrorValue:
		return "error"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a typed cell value. Text always holds the value as a person sees
// it (the formatted value); Num, Bool and Time hold the typed value for the
// kinds that have one.
type Value struct {
	Kind Kind
	Text string
	Num  float64
	Bool bool
	Time time.Time
}

// IsBlank reports whether the value counts as blank: no value, or text made
// only of white space (including non-breaking spaces).
func (v Value) IsBlank() bool {
	switch v.Kind {
	case Blank:
		return true
	case String:
		if v.Text != "" && v.Text[0] > ' ' && v.Text[0] < 0x80 {
			return false // starts with a printable ASCII character
		}
		return v.Trimmed() == ""
	}
	return false
}

// Trimmed returns the value's text with surrounding white space and
// non-breaking spaces removed.
func (v Value) Trimmed() string { return trimText(v.Text) }

// trimText returns s with surrounding white space removed and its
// non-breaking spaces made spaces, as a person reads a cell.
func trimText(s string) string {
	if strings.IndexByte(s, 0xc2) < 0 { // no U+00A0 (C2 A0 in UTF-8)
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
}

// Cell is one cell of a row: its A1 address and its value.
type Cell struct {
	Ref   string
	Value Value
}

// Row is one data row of a table. Cells is indexed by the sheet's column
// index (0 for column A); columns past the last non-blank cell may be absent.
type Row struct {
	Num   int
	Cells []Cell
}

// Cell returns the cell of column col (0-based), or a blank cell with its
// address when the row holds nothing there.
func (r Row) Cell(col int) Cell {
	if col >= 0 && col < len(r.Cells) {
		c := r.Cells[col]
		if c.Ref == "" {
			c.Ref = CellRef(col, r.Num)
		}
		return c
	}
	return Cell{Ref: CellRef(col, r.Num)}
}

// IsBlank reports whether every cell of the row is blank. Blank rows, and
// rows that are formatted but empty, are ignored by every check.
func (r Row) IsBlank() bool {
	for _, c := range r.Cells {
		if !c.Value.IsBlank() {
			return false
		}
	}
	return true
}

// Column is one column of a table's header row.
type Column struct {
	Index int    // 0-based sheet column
	Title string // the header text as written
	Field string // the field it maps to, or "" when it maps to none
}

// Header is a table's header block and how its columns map to fields.
// First is the block's first row (a row of titles in the other language,
// or of group titles merged across columns), Row its last; the data start
// below Row. First is 0 or equal to Row for a header of one row.
type Header struct {
	First   int
	Row     int
	Columns []Column
}

// Rows returns the first and last rows of the header block.
func (h Header) Rows() (first, last int) {
	if h.First <= 0 || h.First > h.Row {
		return h.Row, h.Row
	}
	return h.First, h.Row
}

// Col returns the 0-based sheet column of field, or -1 when the header has
// no column for it.
func (h Header) Col(field string) int {
	for _, c := range h.Columns {
		if c.Field == field {
			return c.Index
		}
	}
	return -1
}

// Title returns the header text of field as written in the sheet, or "" when
// the header has no column for it.
func (h Header) Title(field string) string {
	for _, c := range h.Columns {
		if c.Field == field {
			return c.Title
		}
	}
	return ""
}

// Origin says where a table was read from, so that a finding can name and
// link to its cell.
type Origin struct {
	Source        string // the configured source: members, issues, activities
	Kind          string // xlsx or gsheets
	Path          string // file path (xlsx) or spreadsheet URL (gsheets)
	Sheet         string // sheet (tab) title
	SpreadsheetID string // gsheets only
	SheetID       int64  // gsheets only: the tab's gid
	// Date1904 reports whether the workbook counts serial dates from 1904.
	Date1904 bool
}

// Link returns a link to cell ref of the origin's sheet that works for the
// people who receive it: the spreadsheet URL with gid and range for a
// Google Sheet. A local workbook has none ("") — a file:// link would point
// at the secretariat's disk — and is named as text instead.
func (o Origin) Link(ref string) string {
	if o.Kind != "gsheets" || o.SpreadsheetID == "" {
		return ""
	}
	l := fmt.Sprintf("https://docs.google.com/spreadsheets/d/%s/edit#gid=%d", o.SpreadsheetID, o.SheetID)
	if ref != "" {
		l += "&range=" + ref
	}
	return l
}

// Table is a sheet read in full: its origin, header and data rows.
type Table struct {
	Origin Origin
	Header Header
	Rows   []Row
	// Store holds data rows compactly, after those of Rows, for a table
	// kept after it is read; nil when Rows holds them all.
	Store *RowStore
}

// All returns the data rows: those of Rows, then those of Store (whose
// Cells are reused from row to row, see RowStore.All).
func (t Table) All() iter.Seq[Row] {
	return func(yield func(Row) bool) {
		for _, r := range t.Rows {
			if !yield(r) {
				return
			}
		}
		if t.Store != nil {
			for r := range t.Store.All() {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// Len returns the number of data rows.
func (t Table) Len() int {
	if t.Store != nil {
		return len(t.Rows) + t.Store.Len()
	}
	return len(t.Rows)
}

// ColumnName returns the letters of 0-based column col (0 → A, 26 → AA).
func ColumnName(col int) string {
	col++
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// CellRef returns the A1 address of 0-based column col in 1-based row.
func CellRef(col, row int) string {
	return ColumnName(col) + strconv.Itoa(row)
}
