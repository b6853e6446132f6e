package sync

import (
	"context"
	"errors"

	"copsync/validate"
)

// readXLSX reads a workbook source with the streaming reader
// (openStreamBook): the package is opened once, its kind and size are
// checked from its first bytes and its zip directory, and only the parts
// the reading needs (relationships, workbook, styles, shared strings and
// the sheets read) are inflated, each checked against its zip entry (size
// and checksum) as it is read to its end. A damaged part the reading does
// not need, such as an image, does not fail it.
//
// The streaming reader is stricter than the spreadsheet library in a few
// ways a file written by hand or by an odd program can meet: rows out of
// order, a shared-strings part it cannot parse, an entity XML does not
// define. Excel and LibreOffice open such files, so when the streaming
// reader fails with ErrMalformed before it has given any row or table to
// sink, the workbook is read again with the library (readXLSXLibrary, with
// its own checks of every part); if that fails too, the streaming reader's
// error, which names the part and the place, is returned. Once rows have
// been given, a retry would give them twice, so the error stands.
func readXLSX(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	lim := limitsOf(src.Limits)
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: sheet, Err: err}
	}
	err := readStream(ctx, src, lim, schema, sink)
	if err == nil || ctx.Err() != nil {
		return err
	}
	var fb *fallbackError
	if !errors.As(err, &fb) {
		return err
	}
	if lerr := readXLSXLibrary(ctx, src, schema, sink); lerr == nil || ctx.Err() != nil {
		return lerr
	}
	return fail(fb.sheet, fb.err)
}

// fallbackError is a failure of the streaming reader after which the
// library may still read the workbook: ErrMalformed, nothing given yet.
type fallbackError struct {
	sheet string
	err   error
}

func (e *fallbackError) Error() string { return e.err.Error() }

// readStream reads the workbook with the streaming reader. It returns a
// *SourceError, or a *fallbackError when the library should try.
func readStream(ctx context.Context, src Source, lim Limits, schema validate.Schema, sink validate.Sink) error {
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: sheet, Err: err}
	}
	book, closer, err := openStreamBook(ctx, src, lim)
	if err != nil {
		if errors.Is(err, ErrMalformed) && ctx.Err() == nil {
			return &fallbackError{sheet: src.sheetLabel(), err: err}
		}
		return fail(src.sheetLabel(), err)
	}
	defer closer.Close()
	pb := &progressBook{Book: book, src: src}
	ps := &progressSink2{Sink: sink, book: pb}
	err = validate.ReadSource(ctx, pb, schema, src.Selection(), ps)
	if err == nil && pb.damaged != nil {
		// The layout engine passes over a sheet it cannot open when
		// another holds the table; a damaged part still fails the read,
		// as a table may be what it lost.
		return fail(pb.damagedSheet, pb.damaged)
	}
	if err == nil {
		return nil
	}
	sheet := src.sheetLabel()
	var se *validate.SheetError
	var nh *validate.NoHeaderError
	switch {
	case errors.As(err, &nh):
		// A sheet whose part is damaged says so before anything else,
		// as the checksum pass of the library's reading did.
		for _, t := range nh.Sheets {
			if errors.Is(t.Err, ErrDamaged) {
				return fail(t.Name, t.Err)
			}
		}
		empty := func(sheet string) (bool, error) { return streamSheetEmpty(ctx, book, sheet) }
		sheet, err = noHeader(src.Path, empty, schema, nh)
	case errors.As(err, &se):
		sheet, err = se.Sheet, se.Err
	}
	if !ps.delivered && ctx.Err() == nil && errors.Is(err, ErrMalformed) {
		return &fallbackError{sheet: sheet, err: err}
	}
	return fail(sheet, err)
}

// streamSheetEmpty reports whether a sheet holds no value at all; it stops
// at the first row holding one.
func streamSheetEmpty(ctx context.Context, book validate.Book, sheet string) (bool, error) {
	sr, err := book.Open(ctx, sheet)
	if err != nil {
		return false, err
	}
	defer sr.Close()
	if _, ok := sr.Next(); ok {
		return false, nil
	}
	return sr.Err() == nil, sr.Err()
}

// progressBook is a book whose sheets report their progress to the
// source's Progress: once a sheet is read as a table (sheets only looked
// at for their header are not reported), every progressEvery sheet rows,
// and at the end of its reading.
type progressBook struct {
	validate.Book
	src  Source
	open map[string]*progressRows

	// damaged is the first ErrDamaged a sheet was opened or read with.
	damaged      error
	damagedSheet string
}

// noteDamage records err when it is the first damaged part met.
func (b *progressBook) noteDamage(sheet string, err error) {
	if b.damaged == nil && errors.Is(err, ErrDamaged) {
		b.damaged, b.damagedSheet = err, sheet
	}
}

// Open opens sheet, counting its rows.
func (b *progressBook) Open(ctx context.Context, sheet string) (validate.SheetRows, error) {
	sr, err := b.Book.Open(ctx, sheet)
	if err != nil {
		b.noteDamage(sheet, err)
		return nil, err
	}
	pr := &progressRows{SheetRows: sr, book: b, src: b.src, sheet: sheet, next: progressEvery}
	if b.open == nil {
		b.open = map[string]*progressRows{}
	}
	b.open[sheet] = pr
	return pr, nil
}

// progressRows counts a sheet's rows for its progress reports.
type progressRows struct {
	validate.SheetRows
	book      *progressBook
	src       Source
	sheet     string
	rows      int  // the sheet row number reached
	next      int  // the row number of the next report
	reporting bool // the sheet is read as a table
	done      bool
}

// rowCounter is a sheet reader that knows the number of the last row it
// read, empty rows and a row it failed on included.
type rowCounter interface{ lastRow() int }

func (r *progressRows) report(done bool) {
	if r.reporting && r.src.Progress != nil {
		r.src.Progress(Progress{Source: r.src.Name, Sheet: r.sheet, Rows: r.rows, Done: done})
	}
}

// start begins the sheet's progress, once it is read as a table, at zero
// rows (the rows the layout engine looked at first are counted from the
// next report on).
func (r *progressRows) start() {
	if !r.reporting {
		r.reporting = true
		if r.src.Progress != nil {
			r.src.Progress(Progress{Source: r.src.Name, Sheet: r.sheet})
		}
	}
}

// Next returns the next row, reporting progress every progressEvery rows.
func (r *progressRows) Next() (validate.Row, bool) {
	row, ok := r.SheetRows.Next()
	if ok {
		r.rows = row.Num
		if row.Num >= r.next {
			r.next = (row.Num/progressEvery + 1) * progressEvery
			r.report(false)
		}
	}
	return row, ok
}

// Close ends the sheet's progress: the rows read, a failed read included.
func (r *progressRows) Close() error {
	if !r.done {
		r.done = true
		if c, ok := r.SheetRows.(rowCounter); ok {
			r.rows = max(r.rows, c.lastRow())
		}
		if err := r.SheetRows.Err(); err != nil {
			r.reporting = true // a failed read ends its progress line
			r.book.noteDamage(r.sheet, err)
		}
		r.report(true)
	}
	return r.SheetRows.Close()
}

// progressSink2 starts the progress of a sheet once the layout engine takes
// it as a table, and records whether anything was given to the sink.
type progressSink2 struct {
	validate.Sink
	book      *progressBook
	delivered bool
}

// Table starts the progress of o's sheet, then the table.
func (p *progressSink2) Table(o validate.Origin, h validate.Header) func(validate.Row) {
	p.delivered = true
	if r := p.book.open[o.Sheet]; r != nil {
		r.start()
	}
	return p.Sink.Table(o, h)
}

// SetAside passes rows set aside on.
func (p *progressSink2) SetAside(o validate.Origin, s validate.SetAside) {
	p.delivered = true
	p.Sink.SetAside(o, s)
}
