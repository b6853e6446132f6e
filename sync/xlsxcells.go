package sync

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// The library's row iterator gives each cell's text as the spreadsheet
// shows it (its number format applied) but not its type nor its raw value.
// cellScan streams the worksheet part beside it for those: each cell's
// type (t), style (s) and raw value (v), row by row, so that a text "007"
// stays text, and a number formatted as a date is a date.

// rawCell is what the worksheet part says of one cell.
type rawCell struct {
	col int // 1-based
	t   string
	s   int
	v   string
}

// cellScan reads the rows of a worksheet part in order.
type cellScan struct {
	zr    *zip.ReadCloser
	rc    io.ReadCloser
	dec   *xml.Decoder
	last  int  // the number of the last <row> met
	ahead bool // a <row> numbered last was met and its cells not read
	done  bool
	cells []rawCell
}

// openCellScan opens the worksheet part of the workbook file name.
func openCellScan(name, part string) (*cellScan, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	for _, zf := range zr.File {
		if zf.Name != part {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			zr.Close()
			return nil, damagedPart(zf, err)
		}
		return &cellScan{zr: zr, rc: rc, dec: xml.NewDecoder(rc)}, nil
	}
	zr.Close()
	return nil, fmt.Errorf("%w: worksheet part %q is missing", ErrMalformed, part)
}

// Close closes the part.
func (s *cellScan) Close() error {
	if s == nil {
		return nil
	}
	s.rc.Close()
	return s.zr.Close()
}

// row returns the cells of row n, in column order (nil for a row the part
// does not hold). Rows are asked for in increasing order.
func (s *cellScan) row(n int) ([]rawCell, error) {
	for !s.done {
		if s.ahead {
			if s.last > n {
				return nil, nil
			}
			s.ahead = false
			if s.last == n {
				return s.readCells()
			}
			if err := s.dec.Skip(); err != nil {
				return nil, s.fail(err)
			}
			continue
		}
		tok, err := s.dec.Token()
		if errors.Is(err, io.EOF) {
			s.done = true
			break
		}
		if err != nil {
			return nil, s.fail(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "row" {
			continue
		}
		s.last++
		if r := attr(se, "r"); r != "" {
			if num, err := strconv.Atoi(r); err == nil {
				s.last = num
			}
		}
		s.ahead = true
	}
	return nil, nil
}

// readCells reads the <c> elements of the <row> just met.
func (s *cellScan) readCells() ([]rawCell, error) {
	s.cells = s.cells[:0]
	col := 0
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return nil, s.fail(err)
		}
		switch el := tok.(type) {
		case xml.EndElement:
			if el.Name.Local == "row" {
				return s.cells, nil
			}
		case xml.StartElement:
			if el.Name.Local != "c" {
				if err := s.dec.Skip(); err != nil {
					return nil, s.fail(err)
				}
				continue
			}
			col++
			c := rawCell{col: col, t: attr(el, "t")}
			if r := attr(el, "r"); r != "" {
				if x, _, err := excelize.CellNameToCoordinates(r); err == nil {
					c.col, col = x, x
				}
			}
			if st := attr(el, "s"); st != "" {
				c.s, _ = strconv.Atoi(st)
			}
			if err := s.readValue(&c); err != nil {
				return nil, err
			}
			s.cells = append(s.cells, c)
		}
	}
}

// readValue reads the <v> of the <c> just met, up to its end.
func (s *cellScan) readValue(c *rawCell) error {
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return s.fail(err)
		}
		switch el := tok.(type) {
		case xml.EndElement:
			if el.Name.Local == "c" {
				return nil
			}
		case xml.StartElement:
			if el.Name.Local == "v" {
				if err := s.dec.DecodeElement(&c.v, &el); err != nil {
					return s.fail(err)
				}
				continue
			}
			if err := s.dec.Skip(); err != nil {
				return s.fail(err)
			}
		}
	}
}

func (s *cellScan) fail(err error) error {
	s.done = true
	return fmt.Errorf("%w: %v", ErrMalformed, oneLine(err.Error()))
}

// attr returns the value of the attribute local of el.
func attr(el xml.StartElement, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// cellValue types a cell from the text the library shows for it and what
// the worksheet part says of it: text stays text as shown ("007"), a
// number keeps its value and shows as formatted ("50%"), a number in a
// date format is a date (its text the date as shown), a boolean is a
// boolean, an error (#N/A) is text.
func (b *xlsxBook) cellValue(shown string, c *rawCell) validate.Value {
	if c == nil {
		if shown == "" {
			return validate.Value{}
		}
		return validate.Value{Kind: validate.String, Text: shown}
	}
	switch c.t {
	case "s", "str", "inlineStr":
		if shown == "" {
			return validate.Value{}
		}
		return validate.Value{Kind: validate.String, Text: shown}
	case "b":
		return validate.Value{Kind: validate.Bool, Text: shown, Bool: strings.TrimSpace(c.v) == "1" || strings.EqualFold(strings.TrimSpace(c.v), "true")}
	case "e":
		// An error is its text (#N/A), as a Google Sheets error and its
		// snapshot are.
		return validate.Value{Kind: validate.String, Text: shown}
	case "d":
		if t, ok := validate.ParseDate(validate.Value{Kind: validate.String, Text: c.v}, false); ok {
			return validate.Value{Kind: validate.Date, Text: shown, Time: t}
		}
		return validate.Value{Kind: validate.String, Text: shown}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(c.v), 64)
	if err != nil {
		if shown == "" {
			return validate.Value{}
		}
		return validate.Value{Kind: validate.String, Text: shown}
	}
	if shown == "" {
		shown = strconv.FormatFloat(n, 'f', -1, 64) // a format that hides the value (;;;)
	}
	if b.dateStyle(c.s) {
		if t, ok := validate.SerialDate(n, b.date1904); ok {
			return validate.Value{Kind: validate.Date, Text: shown, Num: n, Time: t}
		}
	}
	return validate.Value{Kind: validate.Number, Text: shown, Num: n}
}

// dateStyle reports whether the cell style numbered id shows numbers as
// dates or times, as the streaming reader reads its number format
// (parseNumFmt, builtinNumFmt): one classifier for both readers.
func (b *xlsxBook) dateStyle(id int) bool {
	if id <= 0 {
		return false
	}
	if d, ok := b.dates[id]; ok {
		return d
	}
	d := false
	if st, err := b.f.GetStyle(id); err == nil && st != nil {
		nf := builtinNumFmt(st.NumFmt)
		if st.CustomNumFmt != nil {
			nf = parseNumFmt(*st.CustomNumFmt)
		}
		d = nf.Kind == fmtDate
	}
	if b.dates == nil {
		b.dates = map[int]bool{}
	}
	b.dates[id] = d
	return d
}
