package sync

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	gosync "sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// readXLSXLibrary reads a workbook source with the spreadsheet library
// (excelize), after the checks of checkFile, as copsync did before the
// streaming reader (readXLSX); the tests keep it as the oracle the
// streaming reader is compared with. The check of every part's checksum
// (verifyParts) runs beside the reading; a damaged part makes the read
// fail even if rows were given, and explains any other failure.
func readXLSXLibrary(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	lim := limitsOf(src.Limits)
	if err := checkFile(src.Path, lim); err != nil {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: src.sheetLabel(), Err: err}
	}
	vctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The pass that verifies every part also finds the worksheets'
	// merged ranges, beside the library's own opening of the workbook.
	pm := &packageMerges{done: make(chan struct{}), parts: map[string][]validate.Merge{}}
	go func() {
		pm.err = verifyAndFindMerges(vctx, src.Path, pm.parts)
		close(pm.done)
	}()

	err := readWorkbook(ctx, src, lim, schema, sink, pm)
	if ctx.Err() != nil {
		cancel()
		<-pm.done
		return err
	}
	<-pm.done
	if pm.err != nil {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: src.sheetLabel(), Err: pm.err}
	}
	return err
}

// packageMerges is the outcome of the verifying pass: the merged ranges of
// each worksheet part, once done is closed, or the failure.
type packageMerges struct {
	done  chan struct{}
	parts map[string][]validate.Merge
	err   error
}

// readWorkbook opens a checked workbook and gives it to the layout engine,
// which finds the source's sheets and header blocks.
func readWorkbook(ctx context.Context, src Source, lim Limits, schema validate.Schema, sink validate.Sink, pm *packageMerges) (err error) {
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: sheet, Err: err}
	}
	f, err := openWorkbook(src.Path, lim)
	if err != nil {
		return fail(src.sheetLabel(), err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fail(src.sheetLabel(), fmt.Errorf("%w: %s", ErrMalformed, oneLine(fmt.Sprint(r))))
		}
	}()
	sheets, err := worksheets(f)
	if err != nil {
		return fail(src.sheetLabel(), err)
	}
	var props excelize.WorkbookPropsOptions
	func() {
		defer guard(&err)
		props, _ = f.GetWorkbookProps()
	}()
	if err != nil {
		return fail(src.sheetLabel(), err)
	}
	book := &xlsxBook{f: f, file: src.Path, abs: absPath(src.Path), src: src, sheets: sheets, pm: pm}
	if props.Date1904 != nil {
		book.date1904 = *props.Date1904
	}
	err = validate.ReadSource(ctx, book, schema, src.Selection(), progressSink{sink, book})
	if err == nil {
		return nil
	}
	var se *validate.SheetError
	var nh *validate.NoHeaderError
	switch {
	case errors.As(err, &nh):
		empty := func(sheet string) (bool, error) { return sheetEmpty(ctx, f, sheet) }
		s, err := noHeader(src.Path, empty, schema, nh)
		return fail(s, err)
	case errors.As(err, &se):
		return fail(se.Sheet, se.Err)
	}
	return fail(src.sheetLabel(), err)
}

// noHeader explains that no sheet has a header row: a sheet cannot be read,
// the workbook is empty, or here is what its sheets hold at the top. It
// returns the sheet the error is about, if one.
func noHeader(name string, sheetEmpty func(sheet string) (bool, error), schema validate.Schema, nh *validate.NoHeaderError) (string, error) {
	tops := nh.Sheets
	var firstErr *validate.SheetTop
	anyText := false
	for i, t := range tops {
		if t.Err != nil && firstErr == nil {
			firstErr = &tops[i]
		}
		if len(t.Texts) > 0 {
			anyText = true
		}
	}
	if firstErr != nil && !anyText {
		return firstErr.Name, firstErr.Err
	}
	if len(tops) == 1 && anyText {
		// One sheet: say what its top rows hold, as when it is named.
		he := &validate.HeaderError{Source: schema.Source, Want: nh.Want, Found: tops[0].Texts}
		return tops[0].Name, fmt.Errorf("%w: %v", ErrHeaderNotFound, he)
	}
	if !anyText {
		empty := true
		for _, t := range tops {
			if e, err := sheetEmpty(t.Name); err != nil || !e {
				empty = false
				break
			}
		}
		if empty {
			names := make([]string, len(tops))
			for i, t := range tops {
				names[i] = t.Name
			}
			if has, err := worksheetsHoldValues(name); err == nil && has {
				return "", fmt.Errorf("%w: %s hold values that cannot be read (their cell XML is malformed)", ErrMalformed, quoteList(names))
			}
			return "", fmt.Errorf("%w: no sheet holds any value (the workbook has %s)", ErrEmpty, quoteList(names))
		}
	}
	return "", nh
}

// sheetEmpty reports whether a sheet holds no value at all; it stops at the
// first value.
func sheetEmpty(ctx context.Context, f *excelize.File, sheet string) (empty bool, err error) {
	defer guard(&err)
	rows, err := f.Rows(sheet)
	if err != nil {
		return false, libraryError(err)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if n%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false, libraryError(err)
		}
		for _, c := range cols {
			if c != "" {
				return false, nil
			}
		}
	}
	return rows.Error() == nil, nil
}

// xlsxBook is a workbook opened with the spreadsheet library, as the layout
// engine reads it.
type xlsxBook struct {
	f        *excelize.File
	file     string // the path as configured
	abs      string // the absolute path, for links
	src      Source
	sheets   []string
	date1904 bool

	pm       *packageMerges
	once     gosync.Once
	parts    map[string]string // sheet name → worksheet part
	partsErr error
	dates    map[int]bool // cell style → shows numbers as dates
	open     map[string]*xlsxSheet
}

// progressSink starts the progress of a sheet once the layout engine takes
// it as a table: sheets only looked at for their header are not reported.
type progressSink struct {
	validate.Sink
	book *xlsxBook
}

// Table starts the progress of o's sheet, then the table.
func (p progressSink) Table(o validate.Origin, h validate.Header) func(validate.Row) {
	if s := p.book.open[o.Sheet]; s != nil && !s.reporting {
		s.reporting = true
		if s.src.Progress != nil {
			s.src.Progress(Progress{Source: s.src.Name, Sheet: s.sheet})
		}
	}
	return p.Sink.Table(o, h)
}

var _ validate.Book = (*xlsxBook)(nil)

// Sheets returns the workbook's worksheets.
func (b *xlsxBook) Sheets() []string { return b.sheets }

// Origin returns where sheet was read from.
func (b *xlsxBook) Origin(sheet string) validate.Origin {
	return validate.Origin{Source: b.src.Name, Kind: "xlsx", Path: b.abs, Sheet: sheet, Date1904: b.date1904}
}

// Open opens a sheet: its merged ranges, found by a streaming pass over the
// worksheet's part, then its rows through the library's row iterator.
func (b *xlsxBook) Open(ctx context.Context, sheet string) (s validate.SheetRows, err error) {
	defer guard(&err)
	merges, err := b.sheetMerges(sheet)
	if err != nil {
		return nil, err
	}
	part, err := b.part(sheet)
	if err != nil {
		return nil, err
	}
	var cells *cellScan
	if part != "" {
		if cells, err = openCellScan(b.file, part); err != nil {
			return nil, err
		}
	}
	rows, err := b.f.Rows(sheet)
	if err != nil {
		cells.Close()
		return nil, libraryError(err)
	}
	xs := &xlsxSheet{ctx: ctx, rows: rows, cells: cells, book: b, merges: merges, sheet: sheet, src: b.src}
	if b.open == nil {
		b.open = map[string]*xlsxSheet{}
	}
	b.open[sheet] = xs
	return xs, nil
}

// sheetMerges returns the merged ranges of a sheet, found by the pass that
// verifies the package.
func (b *xlsxBook) sheetMerges(sheet string) ([]validate.Merge, error) {
	part, err := b.part(sheet)
	if err != nil || part == "" {
		return nil, err
	}
	if b.pm == nil {
		return scanMerges(b.file, part)
	}
	<-b.pm.done
	if b.pm.err != nil {
		return nil, b.pm.err
	}
	return b.pm.parts[part], nil
}

// part returns the worksheet part of sheet ("" when the package does not
// name one).
func (b *xlsxBook) part(sheet string) (string, error) {
	b.once.Do(func() { b.parts, b.partsErr = worksheetParts(b.file) })
	if b.partsErr != nil {
		return "", b.partsErr
	}
	return b.parts[sheet], nil
}

// xlsxSheet is one sheet open for reading.
type xlsxSheet struct {
	ctx  context.Context
	rows *excelize.Rows
	// cells gives each cell's type, style and raw value beside the
	// text rows gives as shown.
	cells  *cellScan
	book   *xlsxBook
	merges []validate.Merge
	sheet  string
	src    Source
	n      int
	refs   rowRefs
	err    error
	done   bool
	// reporting is set once the sheet is read as a table.
	reporting bool
}

// Merges returns the sheet's merged ranges.
func (s *xlsxSheet) Merges() []validate.Merge { return s.merges }

// Err returns the error that ended Next.
func (s *xlsxSheet) Err() error { return s.err }

func (s *xlsxSheet) report(done bool) {
	if s.reporting && s.src.Progress != nil {
		s.src.Progress(Progress{Source: s.src.Name, Sheet: s.sheet, Rows: s.n, Done: done})
	}
}

// Close closes the row iterator and ends the progress of the sheet.
func (s *xlsxSheet) Close() error {
	if !s.done {
		s.done = true
		if s.err != nil {
			s.reporting = true // a failed read ends its progress line
		}
		s.report(true)
	}
	s.cells.Close()
	return s.rows.Close()
}

// Next returns the next row that holds a cell.
func (s *xlsxSheet) Next() (r validate.Row, ok bool) {
	if s.err != nil {
		return r, false
	}
	defer guard(&s.err)
	for s.rows.Next() {
		s.n++
		n := s.n
		if n%progressEvery == 0 {
			if err := s.ctx.Err(); err != nil {
				s.err = err
				return r, false
			}
			s.report(false)
		}
		cols, err := s.rows.Columns()
		if err != nil {
			s.err = libraryError(err, "row "+strconv.Itoa(n))
			return r, false
		}
		// Next steps through every row number, absent rows included
		// (Columns then returns nothing), so n is the sheet row number.
		if len(cols) == 0 {
			continue
		}
		var raw []rawCell
		if s.cells != nil {
			if raw, err = s.cells.row(n); err != nil {
				s.err = err
				return r, false
			}
		}
		r = validate.Row{Num: n, Cells: make([]validate.Cell, len(cols))}
		s.refs.row(n, len(cols))
		for i, c := range cols {
			if len(c) > MaxCellChars {
				if k := utf8.RuneCountInString(c); k > MaxCellChars {
					s.err = fmt.Errorf("%w: cell %s holds %d characters, the most is %d",
						ErrCellTooLong, validate.CellRef(i, n), k, MaxCellChars)
					return validate.Row{}, false
				}
			}
			var rc *rawCell
			for len(raw) > 0 && raw[0].col < i+1 {
				raw = raw[1:]
			}
			if len(raw) > 0 && raw[0].col == i+1 {
				rc = &raw[0]
			}
			r.Cells[i] = validate.Cell{Ref: s.refs.ref(i), Value: s.book.cellValue(c, rc)}
		}
		return r, true
	}
	if err := s.rows.Error(); err != nil {
		s.err = libraryError(err)
	}
	return r, false
}

// scan gives every row of sheet below headerRow to add, and reports
// progress: the rows as the library gives them, without layout.
func scan(ctx context.Context, f *excelize.File, sheet string, headerRow int, add func(validate.Row), report func(rows int, done bool)) (err error) {
	defer guard(&err)
	rows, err := f.Rows(sheet)
	if err != nil {
		return libraryError(err)
	}
	s := &xlsxSheet{ctx: ctx, rows: rows, sheet: sheet, done: true}
	report(0, false)
	defer func() { report(s.n, true) }()
	defer rows.Close()
	for {
		r, ok := s.Next()
		if !ok {
			break
		}
		if r.Num > headerRow {
			add(r)
		}
	}
	return s.err
}

// worksheetParts maps each sheet name of a workbook to its worksheet part,
// from xl/workbook.xml and its relationships.
func worksheetParts(name string) (map[string]string, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer zr.Close()
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))] = f
	}
	rels := parts["_rels/.rels"]
	if rels == nil {
		return nil, fmt.Errorf("%w: no _rels/.rels", ErrMalformed)
	}
	wb, err := officeDocument(rels)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	wb = strings.TrimPrefix(path.Clean("/"+wb), "/")
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id, transitional or strict
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(parts[strings.ToLower(wb)], &book); err != nil {
		return nil, err
	}
	var wrels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(parts[strings.ToLower(path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"))], &wrels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range wrels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(path.Clean(t), "/")
		} else {
			t = path.Join(path.Dir(wb), t)
		}
		targets[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range book.Sheets {
		if t, ok := targets[s.ID]; ok {
			if f := parts[strings.ToLower(t)]; f != nil {
				out[s.Name] = f.Name
			}
		}
	}
	return out, nil
}

// decodePart decodes a small XML part (at most 16 MiB).
func decodePart(f *zip.File, v any) error {
	if f == nil {
		return fmt.Errorf("%w: a workbook part is missing", ErrMalformed)
	}
	rc, err := f.Open()
	if err != nil {
		return damagedPart(f, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v); err != nil {
		return fmt.Errorf("%w: part %q: %v", ErrMalformed, f.Name, oneLine(err.Error()))
	}
	return nil
}

// scanMerges finds the <mergeCell ref="A1:B2"/> elements of a worksheet
// part by streaming its bytes (the element follows the sheet's data), so
// that a large sheet is never held in memory to learn its merges.
func scanMerges(name, part string) ([]validate.Merge, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer zr.Close()
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == part {
			f = zf
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, damagedPart(f, err)
	}
	defer rc.Close()
	m, err := findMerges(rc)
	if err != nil {
		return nil, damagedPart(f, err)
	}
	return m, nil
}

// findMerges reads XML from r and returns the ranges of its mergeCell
// elements.
func findMerges(r io.Reader) ([]validate.Merge, error) {
	mark := []byte("mergeCell ")
	buf := make([]byte, 256<<10)
	var out []validate.Merge
	keep := 0
	for {
		n, rerr := io.ReadFull(r, buf[keep:])
		chunk := buf[:keep+n]
		end := len(chunk)
		if rerr == nil {
			// Leave the chunk's tail for the next round, in case an
			// element is cut in two.
			end -= 512
		}
		i := 0
		for {
			j := bytes.Index(chunk[i:], mark)
			if j < 0 || i+j >= end {
				break
			}
			i += j + len(mark)
			gt := bytes.IndexByte(chunk[i:], '>')
			if gt < 0 {
				break
			}
			if m, ok := mergeRef(chunk[i : i+gt]); ok {
				out = append(out, m)
			}
			i += gt
		}
		if rerr != nil {
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				return out, nil
			}
			return nil, rerr
		}
		if i < end {
			i = end
		}
		keep = copy(buf, chunk[i:])
	}
}

// mergeRef parses the ref attribute of a mergeCell element's attributes.
func mergeRef(attrs []byte) (validate.Merge, bool) {
	k := bytes.Index(attrs, []byte("ref="))
	if k < 0 || k+5 > len(attrs) {
		return validate.Merge{}, false
	}
	q := attrs[k+4]
	rest := attrs[k+5:]
	e := bytes.IndexByte(rest, q)
	if e < 0 {
		return validate.Merge{}, false
	}
	a, b, ok := strings.Cut(string(rest[:e]), ":")
	if !ok {
		b = a
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(strings.ReplaceAll(a, "$", ""))
	c2, r2, err2 := excelize.CellNameToCoordinates(strings.ReplaceAll(b, "$", ""))
	if err1 != nil || err2 != nil {
		return validate.Merge{}, false
	}
	return validate.Merge{Top: min(r1, r2), Left: min(c1, c2) - 1, Bottom: max(r1, r2), Right: max(c1, c2) - 1}, true
}
