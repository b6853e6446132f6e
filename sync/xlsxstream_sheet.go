package sync

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"copsync/validate"
)

// The largest sheet a spreadsheet program writes.
const (
	maxSheetRows = 1 << 20
	maxSheetCols = 1 << 14
)

// streamMerges reads a worksheet part once, as it inflates, for its merged
// ranges (<mergeCell ref="A1:H1"/> in the <mergeCells> element after the
// rows). It does not tokenize the part: it looks for the element's name
// with bytes.Index and reads only the tags where it is found. Reading the
// part to its end also verifies its checksum.
func streamMerges(ctx context.Context, f *zip.File) (merges []validate.Merge, err error) {
	rc, err := f.Open()
	if err != nil {
		return nil, damagedPart(f, err)
	}
	defer rc.Close()
	const (
		mergesBufSize = 256 << 10
		name          = "mergeCell"
		overlap       = 256 // a tag's start cut by the buffer's end
	)
	buf := make([]byte, bufSize(f.UncompressedSize64, mergesBufSize))
	keep := 0
	var offset int64
	skip := "" // the end of the comment or CDATA section being skipped
	for chunk := 0; ; chunk++ {
		if chunk&15 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		n, rerr := io.ReadFull(rc, buf[keep:])
		data := buf[:keep+n]
		last := rerr != nil
		pos, cut := 0, -1
	scan:
		for {
			if skip != "" {
				// Inside a comment or a CDATA section.
				i := bytes.Index(data[pos:], []byte(skip))
				if i < 0 {
					pos = max(pos, len(data)-len(skip)+1)
					break
				}
				pos += i + len(skip)
				skip = ""
			}
			i := bytes.Index(data[pos:], []byte(name))
			if j := bytes.Index(data[pos:], []byte("<!")); j >= 0 && (i < 0 || j < i) {
				j += pos
				switch {
				case len(data)-j < 9 && !last:
					cut = j
					break scan
				case bytes.HasPrefix(data[j:], []byte("<!--")):
					skip, pos = "-->", j+4
					continue
				case bytes.HasPrefix(data[j:], []byte("<![CDATA[")):
					skip, pos = "]]>", j+9
					continue
				default:
					pos = j + 2
					continue
				}
			}
			if i < 0 {
				break
			}
			i += pos
			pos = i + len(name)
			st := i - 1
			if st >= 0 && data[st] == ':' {
				for st > 0 && data[st] != '<' && i-st < overlap && !isSpace(data[st]) && data[st] != '>' {
					st--
				}
			}
			if st < 0 || data[st] != '<' {
				continue // text, or an attribute's value
			}
			if pos >= len(data) {
				cut = st
				break
			}
			if !isNameEnd(data[pos]) {
				continue // <mergeCells>
			}
			end := tagEnd(data[pos:])
			if end < 0 {
				switch {
				case last:
					return nil, malformedPart(f.Name, fmt.Errorf("a <mergeCell> tag is not closed before the end of the part (at byte %d)", offset+int64(st)))
				case len(data)-st > len(buf)/2:
					return nil, malformedPart(f.Name, fmt.Errorf("a <mergeCell> tag is not closed within %d KiB (at byte %d)", len(buf)/2>>10, offset+int64(st)))
				}
				cut = st
				break
			}
			ref, ok := attrIn(data[pos:pos+end], "ref")
			if !ok {
				return nil, malformedPart(f.Name, fmt.Errorf("a <mergeCell> has no ref (at byte %d)", offset+int64(st)))
			}
			m, ok := parseRange(ref)
			if !ok {
				return nil, malformedPart(f.Name, fmt.Errorf("merged range %q is not a range of cells", ref))
			}
			merges = append(merges, m)
			pos += end + 1
		}
		if last {
			if rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
				return nil, damagedPart(f, rerr)
			}
			// io.ReadFull reports a short last read as
			// io.ErrUnexpectedEOF; the zip reader's own errors (size,
			// checksum) come as themselves.
			break
		}
		if cut < 0 {
			cut = max(pos, len(data)-overlap)
		}
		keep = copy(buf, data[cut:])
		offset += int64(cut)
	}
	return merges, nil
}

// tagEnd returns the index of the '>' that ends the tag whose attributes
// start b, skipping quoted values, or -1.
func tagEnd(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '>':
			return i
		case '"', '\'':
			j := bytes.IndexByte(b[i+1:], b[i])
			if j < 0 {
				return -1
			}
			i += j + 1
		}
	}
	return -1
}

// attrIn returns the raw value of attribute name among a tag's attributes.
func attrIn(b []byte, name string) (string, bool) {
	for i := 0; i < len(b); {
		for i < len(b) && (isSpace(b[i]) || b[i] == '/') {
			i++
		}
		ns := i
		for i < len(b) && b[i] != '=' && !isSpace(b[i]) {
			i++
		}
		an := localName(b[ns:i])
		for i < len(b) && (isSpace(b[i]) || b[i] == '=') {
			i++
		}
		if i >= len(b) || b[i] != '"' && b[i] != '\'' {
			return "", false
		}
		j := bytes.IndexByte(b[i+1:], b[i])
		if j < 0 {
			return "", false
		}
		if string(an) == name {
			return string(b[i+1 : i+1+j]), true
		}
		i += j + 2
	}
	return "", false
}

// parseRange reads a range "A1:H2" (or one cell "A1") as a merge.
func parseRange(ref string) (validate.Merge, bool) {
	a, b, found := cut(ref, ':')
	c1, r1, ok := parseCellRef([]byte(a))
	if !ok {
		return validate.Merge{}, false
	}
	c2, r2 := c1, r1
	if found {
		if c2, r2, ok = parseCellRef([]byte(b)); !ok {
			return validate.Merge{}, false
		}
	}
	return validate.Merge{Top: min(r1, r2), Left: min(c1, c2), Bottom: max(r1, r2), Right: max(c1, c2)}, true
}

func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// parseCellRef reads an A1 address ("$A$1" too): the 0-based column and
// the 1-based row.
func parseCellRef(b []byte) (col, row int, ok bool) {
	i := 0
	if i < len(b) && b[i] == '$' {
		i++
	}
	start := i
	for i < len(b) && i-start < 4 {
		c := b[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
		i++
	}
	if i == start || col > maxSheetCols {
		return 0, 0, false
	}
	if i < len(b) && b[i] == '$' {
		i++
	}
	if i == len(b) || len(b)-i > 7 {
		return 0, 0, false
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
	}
	if row < 1 || row > maxSheetRows {
		return 0, 0, false
	}
	return col - 1, row, true
}

// parseColRef reads the column of an A1 address, ignoring its row, as a
// spreadsheet program places a cell; ok is false when the address is not
// one.
func parseColRef(b []byte) (col int, ok bool) {
	col, _, ok = parseCellRef(b)
	return col, ok
}

// The cell types of a <c t=…> attribute.
const (
	ctNumber = iota
	ctShared
	ctInline
	ctFormula // str: a formula's string result
	ctBool
	ctError
	ctDate // d: an ISO 8601 date
)

// cellTypes maps a t attribute to its cell type; an unknown one is a
// number, as spreadsheet programs read it.
func cellType(t []byte) int {
	switch string(t) {
	case "s":
		return ctShared
	case "inlineStr":
		return ctInline
	case "str":
		return ctFormula
	case "b":
		return ctBool
	case "e":
		return ctError
	case "d":
		return ctDate
	}
	return ctNumber
}

// scratchCell is a cell being read: its value, with its text either a
// string (a shared string, a constant) or a range of the row's buffer.
type scratchCell struct {
	set        bool
	kind       validate.Kind
	str        string
	inBuf      bool
	start, end int
	num        float64
	b          bool
	t          time.Time
}

// streamSheet reads one sheet's rows as its part inflates.
type streamSheet struct {
	ctx    context.Context
	book   *streamBook
	part   *zip.File
	rc     io.ReadCloser
	src    io.Reader // rc, or an inflater reading it ahead
	unpipe func()    // stops the inflater
	s      *xmlScanner
	merges []validate.Merge
	sst    *sharedStrings

	started, inData, done bool
	err                   error
	begun                 bool       // Next was called
	ahead                 *rowsAhead // the rows read ahead, while they are
	rows                  int        // <row> elements read
	rowNum                int        // the last row's number

	cells []scratchCell   // by column
	width int             // 1 + the last column set in the row
	buf   []byte          // the row's texts and addresses
	vraw  []byte          // the current cell's <v>
	cols  []string        // column letters, by column
	arena []validate.Cell // the cells of the rows to come
	nums  []byte          // the row number's digits
}

var _ validate.SheetRows = (*streamSheet)(nil)

func newStreamSheet(ctx context.Context, b *streamBook, part *zip.File, rc io.ReadCloser, merges []validate.Merge) *streamSheet {
	src, unpipe := newPipe(rc, part.UncompressedSize64)
	return &streamSheet{ctx: ctx, book: b, part: part, rc: rc, src: src, unpipe: unpipe, merges: merges, s: newXMLScanner(src, bufSize(part.UncompressedSize64, scanBufSize))}
}

// Merges returns the sheet's merged ranges.
func (r *streamSheet) Merges() []validate.Merge { return r.merges }

// Err returns the error that ended Next early, or nil. While rows are
// read ahead, Next has not ended (r.err is the goroutine's until then).
func (r *streamSheet) Err() error {
	if r.ahead != nil {
		return nil
	}
	return r.err
}

// lastRow returns the number of the last row read, an empty one or the
// one the reading failed in included.
func (r *streamSheet) lastRow() int {
	if r.ahead != nil {
		return r.ahead.last
	}
	return r.rowNum
}

// Close releases the sheet. Closed before its end, a sheet read ahead
// counts the rows Next returned, and no error of the rows after them.
func (r *streamSheet) Close() error {
	if r.ahead != nil {
		r.ahead.close()
		r.rowNum, r.err = r.ahead.last, nil
		r.ahead = nil
	}
	return r.release()
}

// release ends the reading and closes the part.
func (r *streamSheet) release() error {
	r.done = true
	if r.rc != nil {
		r.unpipe()
		err := r.rc.Close()
		r.rc = nil
		return err
	}
	return nil
}

// Next returns the next row holding a value. Rows whose cells are all
// without a value (formatted but empty) are skipped. With more than one
// processor, the rows are read ahead in a goroutine of their own.
func (r *streamSheet) Next() (validate.Row, bool) {
	if !r.begun {
		r.begun = true
		if !r.done {
			r.ahead = readAhead(r)
		}
	}
	if r.ahead == nil {
		return r.next()
	}
	row, ok := r.ahead.next()
	if !ok {
		// The goroutine has ended the reading (r.err is its error).
		r.ahead.close()
		r.ahead = nil
	}
	return row, ok
}

// next reads the next row holding a value.
func (r *streamSheet) next() (row validate.Row, ok bool) {
	if r.done {
		return validate.Row{}, false
	}
	defer func() {
		if p := recover(); p != nil {
			r.stop(fmt.Errorf("%w: part %q: %s", ErrMalformed, r.part.Name, oneLine(fmt.Sprint(p))))
			row, ok = validate.Row{}, false
		}
	}()
	if !r.started {
		r.started = true
		sst, err := r.book.sharedStrings(r.ctx)
		if err != nil {
			r.stop(err)
			return validate.Row{}, false
		}
		r.sst = sst
	}
	for {
		row, ok, err := r.nextRow()
		if err != nil {
			r.stop(err)
			return validate.Row{}, false
		}
		if !ok {
			r.stop(nil)
			return validate.Row{}, false
		}
		if len(row.Cells) > 0 {
			return row, true
		}
	}
}

// stop ends the reading with err, or at the end with the part read to its
// end, so that its checksum is verified.
func (r *streamSheet) stop(err error) {
	if err == nil && r.rc != nil {
		if derr := drain(r.src, r.s.buf); derr != nil {
			err = damagedPart(r.part, derr)
		}
	}
	r.err = err
	r.release()
}

// fail is the error of malformed sheet XML.
func (r *streamSheet) fail(format string, args ...any) error {
	return malformedPart(r.part.Name, fmt.Errorf(format, args...))
}

// nextRow reads up to the end of the next <row>. ok is false at the end of
// the rows.
func (r *streamSheet) nextRow() (validate.Row, bool, error) {
	s := r.s
	for {
		tok := s.next()
		switch tok {
		case tokEOF:
			if s.err != nil {
				return validate.Row{}, false, scanError(r.part, s)
			}
			return validate.Row{}, false, nil
		case tokEnd:
			if string(s.name) == "sheetData" {
				return validate.Row{}, false, nil
			}
			continue
		}
		switch string(s.name) {
		case "sheetData":
			r.inData = !s.selfClose
			if s.selfClose {
				return validate.Row{}, false, nil
			}
		case "row":
			if !r.inData {
				continue
			}
			return r.readRow()
		default:
			if r.inData {
				if err := r.skip(); err != nil {
					return validate.Row{}, false, err
				}
			}
		}
	}
}

// skip reads past the element whose start tag is the scanner's token.
func (r *streamSheet) skip() error {
	s := r.s
	if s.selfClose {
		return nil
	}
	for depth := 1; depth > 0; {
		switch s.next() {
		case tokEOF:
			if s.err != nil {
				return scanError(r.part, s)
			}
			return r.fail("the part ends inside <%s>", s.name)
		case tokStart:
			if !s.selfClose {
				depth++
			}
		case tokEnd:
			depth--
		}
	}
	return nil
}

// readRow reads the row whose start tag is the scanner's token.
func (r *streamSheet) readRow() (validate.Row, bool, error) {
	s := r.s
	r.rows++
	if r.rows%progressEvery == 0 {
		if err := r.ctx.Err(); err != nil {
			return validate.Row{}, false, err
		}
	}
	num := r.rowNum + 1
	if v, ok := s.attr("r"); ok {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 || n > maxSheetRows {
			return validate.Row{}, false, r.fail("row number %q is not one", v)
		}
		num = n
	}
	if num <= r.rowNum {
		return validate.Row{}, false, r.fail("row %d comes after row %d", num, r.rowNum)
	}
	if num > maxSheetRows {
		return validate.Row{}, false, r.fail("more than %d rows", maxSheetRows)
	}
	r.rowNum = num
	for i := range r.width {
		r.cells[i] = scratchCell{}
	}
	r.width = 0
	r.buf = r.buf[:0]
	if s.selfClose {
		return validate.Row{Num: num}, true, nil
	}
	col := -1
	for {
		tok := s.next()
		if tok == tokEOF {
			if s.err != nil {
				return validate.Row{}, false, scanError(r.part, s)
			}
			return validate.Row{}, false, r.fail("the part ends inside row %d", num)
		}
		if tok == tokEnd {
			if string(s.name) == "row" {
				return r.emit(num)
			}
			return validate.Row{}, false, r.fail("unexpected </%s> in row %d", s.name, num)
		}
		if string(s.name) != "c" {
			if err := r.skip(); err != nil { // a row's extensions
				return validate.Row{}, false, err
			}
			continue
		}
		if v, ok := s.attr("r"); ok {
			c, ok := parseColRef(v)
			if !ok {
				return validate.Row{}, false, r.fail("cell %q in row %d is not a cell address", v, num)
			}
			col = c
		} else {
			col++
			if col >= maxSheetCols {
				return validate.Row{}, false, r.fail("row %d has more than %d cells", num, maxSheetCols)
			}
		}
		if err := r.readCell(num, col); err != nil {
			return validate.Row{}, false, err
		}
	}
}

// readCell reads the cell whose start tag is the scanner's token into
// column col of the row.
func (r *streamSheet) readCell(num, col int) error {
	s := r.s
	typ := ctNumber
	if t, ok := s.attr("t"); ok {
		typ = cellType(t)
	}
	style := 0
	if v, ok := s.attr("s"); ok && len(v) > 0 {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 0 {
			return r.fail("cell %s cannot be read: its style %q is not a number", validate.CellRef(col, num), v)
		}
		style = n
	}
	hasV, hasIS := false, false
	r.vraw = r.vraw[:0]
	isStart := len(r.buf)
	if s.selfClose {
		// <c r="B2" s="1"/>: a formatted cell without a value
	} else if v, ok := s.simpleValue(); ok {
		hasV = true
		r.vraw = append(r.vraw, v...)
	} else {
		depth := 1
		inIS, inRPh := false, 0
		for depth > 0 {
			tok := s.next()
			if tok == tokEOF {
				if s.err != nil {
					return scanError(r.part, s)
				}
				return r.fail("the part ends inside cell %s", validate.CellRef(col, num))
			}
			if tok == tokStart {
				if s.selfClose {
					continue
				}
				depth++
				switch string(s.name) {
				case "v":
					if depth == 2 {
						s.capture, hasV = true, true
						s.text = s.text[:0]
					}
				case "is":
					if depth == 2 {
						inIS, hasIS = true, true
					}
				case "rPh":
					if inIS {
						inRPh++
					}
				case "t":
					if inIS && inRPh == 0 {
						s.capture = true
						s.text = s.text[:0]
					}
				}
				continue
			}
			depth--
			if depth == 0 && string(s.name) != "c" {
				return r.fail("unexpected </%s> in cell %s", s.name, validate.CellRef(col, num))
			}
			switch string(s.name) {
			case "v":
				if s.capture && depth == 1 {
					s.capture = false
					r.vraw = append(r.vraw, s.text...)
				}
			case "t":
				if s.capture {
					s.capture = false
					r.buf = append(r.buf, s.text...)
				}
			case "rPh":
				if inRPh > 0 {
					inRPh--
				}
			case "is":
				inIS = false
			}
		}
	}
	c := scratchCell{set: true}
	var nf numFmt
	if style < len(r.book.styles) {
		nf = r.book.styles[style]
	}
	switch {
	case typ == ctInline && hasIS:
		// The runs' texts are at r.buf[isStart:]: replace Excel's
		// escapes in place.
		if bytes.Contains(r.buf[isStart:], []byte("_x")) {
			r.vraw = unescapeOOXML(r.vraw[:0], r.buf[isStart:])
			r.buf = append(r.buf[:isStart], r.vraw...)
		}
		c.kind, c.inBuf, c.start, c.end = validate.String, true, isStart, len(r.buf)
	case !hasV || len(r.vraw) == 0:
		r.buf = r.buf[:isStart]
		if !hasV && !hasIS {
			return nil // a formatted cell without a value
		}
		c.kind = validate.Blank
	case typ == ctShared:
		r.buf = r.buf[:isStart]
		i, err := strconv.Atoi(string(bytes.TrimSpace(r.vraw)))
		if err != nil || i < 0 || i >= r.sst.len() {
			return r.fail("cell %s refers to shared string %q, but the workbook has %d", validate.CellRef(col, num), r.vraw, r.sst.len())
		}
		c.str = r.sst.get(i)
		if c.str == "" {
			c.kind = validate.Blank
		} else {
			c.kind = validate.String
		}
	case typ == ctInline, typ == ctFormula:
		r.buf = append(r.buf[:isStart], r.vraw...)
		c.kind, c.inBuf, c.start, c.end = validate.String, true, isStart, len(r.buf)
	case typ == ctError:
		r.buf = append(r.buf[:isStart], r.vraw...)
		c.kind, c.inBuf, c.start, c.end = validate.ErrorValue, true, isStart, len(r.buf)
	case typ == ctBool:
		r.buf = r.buf[:isStart]
		switch string(bytes.TrimSpace(r.vraw)) {
		case "1", "true", "TRUE":
			c.kind, c.b, c.str = validate.Bool, true, "TRUE"
		case "0", "false", "FALSE":
			c.kind, c.b, c.str = validate.Bool, false, "FALSE"
		default:
			return r.fail("cell %s holds %q, not a boolean", validate.CellRef(col, num), r.vraw)
		}
	case typ == ctDate:
		r.buf = r.buf[:isStart]
		t, ok := parseISODate(string(bytes.TrimSpace(r.vraw)))
		if !ok {
			return r.fail("cell %s holds %q, not a date", validate.CellRef(col, num), r.vraw)
		}
		if nf.Kind != fmtDate {
			nf = numFmt{Kind: fmtDate, Date: true, Clock: t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0, Seconds: t.Second() != 0}
		}
		c.kind, c.t = validate.Date, t
		r.buf = dateText(r.buf, t, nf)
		c.inBuf, c.start, c.end = true, isStart, len(r.buf)
	default:
		r.buf = r.buf[:isStart]
		r.number(&c, nf)
	}
	if c.inBuf && c.end-c.start > MaxCellChars || len(c.str) > MaxCellChars {
		text := c.str
		if c.inBuf {
			text = string(r.buf[c.start:c.end])
		}
		if n := utf8.RuneCountInString(text); n > MaxCellChars {
			return fmt.Errorf("%w: cell %s holds %d characters, the most is %d",
				ErrCellTooLong, validate.CellRef(col, num), n, MaxCellChars)
		}
	}
	for col >= len(r.cells) {
		r.cells = append(r.cells, scratchCell{})
	}
	r.cells[col] = c
	if c.kind != validate.Blank && col >= r.width {
		r.width = col + 1
	}
	return nil
}

// number sets c from the cell's stored number (r.vraw) and its format.
func (r *streamSheet) number(c *scratchCell, nf numFmt) {
	raw := bytes.TrimSpace(r.vraw)
	n, err := strconv.ParseFloat(string(raw), 64)
	start := len(r.buf)
	if err != nil {
		// Not a number: the text as written, as spreadsheet programs
		// show it.
		r.buf = append(r.buf, r.vraw...)
		c.kind, c.inBuf, c.start, c.end = validate.String, true, start, len(r.buf)
		return
	}
	c.kind, c.num = validate.Number, n
	switch nf.Kind {
	case fmtDate:
		date1904 := r.book.origin.Date1904
		if t, ok := validate.SerialDate(n, date1904); ok {
			c.kind, c.t = validate.Date, t
			r.buf = dateText(r.buf, t, nf)
		} else if n >= 0 && n < 1 && nf.Clock {
			c.kind, c.t = validate.Date, timeOfDay(n, date1904)
			r.buf = dateText(r.buf, c.t, timeOfDayFmt(nf))
		} else {
			r.buf = generalText(r.buf, n)
		}
	case fmtPercent:
		r.buf = fixedText(r.buf, n*100, int(nf.Decimals), int(nf.Lead), false)
		r.buf = append(r.buf, '%')
	case fmtFixed:
		r.buf = fixedText(r.buf, n, int(nf.Decimals), int(nf.Lead), nf.Group)
	default:
		if canonicalNumber(raw) {
			r.buf = append(r.buf, raw...)
		} else {
			r.buf = generalText(r.buf, n)
		}
	}
	c.inBuf, c.start, c.end = true, start, len(r.buf)
}

// cellArena is how many cells emit allocates at once.
const cellArena = 2048

// emit builds the row: one slice of cells and one string holding their
// addresses and the texts that are not shared strings.
func (r *streamSheet) emit(num int) (validate.Row, bool, error) {
	if r.width == 0 {
		return validate.Row{Num: num}, true, nil
	}
	texts := len(r.buf)
	r.nums = strconv.AppendInt(r.nums[:0], int64(num), 10)
	for len(r.cols) < r.width {
		r.cols = append(r.cols, validate.ColumnName(len(r.cols)))
	}
	for i := range r.width {
		r.buf = append(r.buf, r.cols[i]...)
		r.buf = append(r.buf, r.nums...)
	}
	all := string(r.buf)
	// The rows' cells are cut from arenas of cellArena cells, one
	// allocation for hundreds of rows; a row's slice is capped at its
	// width, so that appending to one never writes into the next.
	if cap(r.arena)-len(r.arena) < r.width {
		r.arena = make([]validate.Cell, 0, max(cellArena, r.width))
	}
	n := len(r.arena)
	r.arena = r.arena[:n+r.width]
	cells := r.arena[n : n+r.width : n+r.width]
	at := texts
	for i := range cells {
		end := at + len(r.cols[i]) + len(r.nums)
		cells[i].Ref = all[at:end]
		at = end
		c := &r.cells[i]
		if !c.set {
			continue
		}
		v := &cells[i].Value
		v.Kind, v.Num, v.Bool, v.Time = c.kind, c.num, c.b, c.t
		if c.inBuf {
			v.Text = all[c.start:c.end]
		} else {
			v.Text = c.str
		}
	}
	return validate.Row{Num: num, Cells: cells}, true, nil
}

// parseISODate reads the value of a t="d" cell.
func parseISODate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02", "15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
