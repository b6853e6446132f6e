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
// not need, such as an image, does not fail it; a damaged worksheet the
// layout engine opened does, even when another sheet held the table.
//
// The streaming reader is stricter than the spreadsheet library: rows out
// of order, a cell referring to a shared string that is not there, an
// entity XML does not define, a sheet cut short are errors naming the part
// and the place. The library is not tried after such an error, because on
// each of these it reads wrong without a word (TestMalformedSheetNotReadShort):
// it drops the row holding the entity or the missing shared string, puts
// the cells of a row out of order into the row before, and reads a sheet
// cut short to where it ends. A validator that loses members silently would
// report coverage gaps that are not there. On the third-party corpus the
// streaming reader refuses no file that the library reads
// (TestStreamReaderAgreesWithExcelize).
func readXLSX(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	lim := limitsOf(src.Limits)
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: sheet, Err: err}
	}
	book, closer, err := openStreamBook(ctx, src, lim)
	if err != nil {
		return fail(src.sheetLabel(), err)
	}
	defer closer.Close()
	pb := &progressBook{Book: book, src: src}
	err = validate.ReadSource(ctx, pb, schema, src.Selection(), streamProgressSink{Sink: sink, book: pb})
	if err == nil && pb.damaged != nil {
		// The layout engine passes over a sheet it cannot open when
		// another holds the table; a damaged part still fails the read,
		// as a table may be what it lost.
		return fail(pb.damagedSheet, pb.damaged)
	}
	if err == nil {
		return nil
	}
	var se *validate.SheetError
	var nh *validate.NoHeaderError
	switch {
	case errors.As(err, &nh):
		// A sheet whose part is damaged says so before anything else.
		for _, t := range nh.Sheets {
			if errors.Is(t.Err, ErrDamaged) {
				return fail(t.Name, t.Err)
			}
		}
		empty := func(sheet string) (bool, error) { return streamSheetEmpty(ctx, book, sheet) }
		return fail(noHeader(src.Path, empty, schema, nh))
	case errors.As(err, &se):
		return fail(se.Sheet, se.Err)
	}
	return fail(src.sheetLabel(), err)
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

// streamProgressSink starts the progress of a sheet once the layout engine takes
// it as a table: sheets only looked at for their header are not reported.
type streamProgressSink struct {
	validate.Sink
	book *progressBook
}

// Table starts the progress of o's sheet, then the table.
func (p streamProgressSink) Table(o validate.Origin, h validate.Header) func(validate.Row) {
	if r := p.book.open[o.Sheet]; r != nil {
		r.start()
	}
	return p.Sink.Table(o, h)
}
