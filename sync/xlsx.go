package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// sniff reads the first bytes of path and says what kind of file it is, so
// that an encrypted workbook, a legacy .xls or a CSV renamed .xlsx gets a
// precise message instead of a zip error.
func sniff(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ErrNotFound
		}
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%w: it is a folder", ErrNotXLSX)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case n == 0:
		return fmt.Errorf("%w: the file is empty", ErrNotXLSX)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE compound file: either an encrypted OOXML package or a
		// legacy BIFF workbook. The encrypted one holds an EncryptionInfo
		// stream, named in UTF-16 in the directory.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, 64<<20))
		if err != nil {
			return err
		}
		if bytes.Contains(data, utf16("EncryptionInfo")) || bytes.Contains(data, utf16("EncryptedPackage")) {
			return ErrEncrypted
		}
		return ErrLegacyXLS
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return nil
	}
	return fmt.Errorf("%w: it is not a zip package (perhaps a CSV or text file renamed .xlsx)", ErrNotXLSX)
}

func utf16(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// openXLSX opens a workbook read-only, turning library failures into the
// package's errors.
func openXLSX(path string, lim Limits) (f *excelize.File, err error) {
	if err := sniff(path); err != nil {
		return nil, err
	}
	opts := excelize.Options{UnzipSizeLimit: lim.UnzipSize, UnzipXMLSizeLimit: lim.UnzipXMLSize}
	if opts.UnzipSizeLimit <= 0 {
		opts.UnzipSizeLimit = DefaultUnzipSize
	}
	if opts.UnzipXMLSizeLimit <= 0 {
		opts.UnzipXMLSizeLimit = DefaultUnzipXMLSize
	}
	if opts.UnzipXMLSizeLimit > opts.UnzipSizeLimit {
		opts.UnzipXMLSizeLimit = opts.UnzipSizeLimit
	}
	defer guard(&err)
	f, err = excelize.OpenFile(path, opts)
	if err != nil {
		return nil, libraryError(err)
	}
	return f, nil
}

// guard turns a panic inside the spreadsheet library into ErrMalformed.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrMalformed, r)
	}
}

func libraryError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword), errors.Is(err, excelize.ErrWorkbookFileFormat) && strings.Contains(msg, "encrypt"):
		return ErrEncrypted
	case strings.Contains(msg, "unzip size exceeds") || strings.Contains(msg, "size limit"):
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %v", ErrNotXLSX, err)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// worksheets returns the workbook's worksheet names in order (chartsheets
// have no cells and are left out).
func worksheets(f *excelize.File) []string {
	var out []string
	for _, name := range f.GetSheetList() {
		if _, err := f.GetSheetDimension(name); err != nil {
			continue
		}
		out = append(out, name)
	}
	return out
}

func readXLSX(ctx context.Context, src Source, schema validate.Schema, begin Begin) (err error) {
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: src.Path, Sheet: sheet, Err: err}
	}
	f, err := openXLSX(src.Path, src.Limits)
	if err != nil {
		return fail(src.Sheet, err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fail(src.Sheet, fmt.Errorf("%w: %v", ErrMalformed, r))
		}
	}()

	sheets := worksheets(f)
	if len(sheets) == 0 {
		return fail(src.Sheet, fmt.Errorf("%w: the workbook has no worksheets", ErrMalformed))
	}
	sheet := src.Sheet
	var header validate.Header
	if sheet != "" {
		found := ""
		for _, s := range sheets {
			if s == sheet || strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(sheet)) {
				found = s
			}
		}
		if found == "" {
			return fail(sheet, fmt.Errorf("%w (the workbook has %s)", ErrSheetNotFound, quoteList(sheets)))
		}
		sheet = found
		top, err := topRows(ctx, f, sheet)
		if err != nil {
			return fail(sheet, err)
		}
		if header, err = validate.DetectHeader(top, schema); err != nil {
			return fail(sheet, fmt.Errorf("%w: %v", ErrHeaderNotFound, err))
		}
	} else {
		best := -1
		var firstErr, onlyErr error
		for _, s := range sheets {
			top, err := topRows(ctx, f, s)
			if err != nil {
				if firstErr == nil {
					firstErr = fail(s, err)
				}
				continue
			}
			h, err := validate.DetectHeader(top, schema)
			if err != nil {
				if len(sheets) == 1 {
					onlyErr = fail(s, fmt.Errorf("%w: %v", ErrHeaderNotFound, err))
				}
				continue
			}
			score := 0
			for _, c := range h.Columns {
				if c.Field != "" {
					score++
				}
			}
			if score > best {
				best, sheet, header = score, s, h
			}
		}
		if best < 0 {
			if firstErr != nil {
				return firstErr
			}
			if onlyErr != nil {
				return onlyErr
			}
			_, derr := validate.DetectHeader(nil, schema)
			msg := "no sheet has a header row"
			var he *validate.HeaderError
			if errors.As(derr, &he) {
				msg = fmt.Sprintf("no sheet has a %s header row (expected a column such as %s; the workbook has %s)",
					schema.Source, strings.Join(quoteStrings(he.Want), " or "), quoteList(sheets))
			}
			return fail("", fmt.Errorf("%w: %s", ErrHeaderNotFound, msg))
		}
	}

	props, _ := f.GetWorkbookProps()
	origin := validate.Origin{Source: src.Name, Kind: "xlsx", Path: absPath(src.Path), Sheet: sheet}
	if props.Date1904 != nil {
		origin.Date1904 = *props.Date1904
	}
	add := begin(origin, header)
	return scan(ctx, f, sheet, header.Row, add, func(e error) error { return fail(sheet, e) })
}

// MaxCellChars is the most characters a spreadsheet cell can hold; a longer
// value means the file was not written by a spreadsheet program, and is
// reported rather than cut.
const MaxCellChars = 32767

// scan gives every row below headerRow to add.
func scan(ctx context.Context, f *excelize.File, sheet string, headerRow int, add func(validate.Row), fail func(error) error) (err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fail(libraryError(err))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fail(libraryError(err))
		}
		// Next steps through every row number, absent rows included
		// (Columns then returns nothing), so n is the sheet row number.
		num := n
		if num <= headerRow || len(cols) == 0 {
			continue
		}
		r := validate.Row{Num: num, Cells: make([]validate.Cell, len(cols))}
		for i, s := range cols {
			if len(s) > MaxCellChars && len([]rune(s)) > MaxCellChars {
				return fail(fmt.Errorf("%w: cell %s holds %d characters, more than the %d a spreadsheet cell can hold",
					ErrMalformed, validate.CellRef(i, num), len([]rune(s)), MaxCellChars))
			}
			r.Cells[i] = validate.Cell{Ref: validate.CellRef(i, num), Value: typed(s)}
		}
		add(r)
	}
	if err := rows.Error(); err != nil {
		return fail(libraryError(err))
	}
	return nil
}

// typed turns a raw cell value into a typed value: numbers (serial dates
// among them) become numbers; everything else stays text.
func typed(s string) validate.Value {
	if s == "" {
		return validate.Value{}
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '-' || c == '.' {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return validate.Value{Kind: validate.Number, Text: s, Num: n}
		}
	}
	return validate.Value{Kind: validate.String, Text: s}
}

// topRows returns the texts of the first validate.HeaderRows rows of sheet.
func topRows(ctx context.Context, f *excelize.File, sheet string) (top [][]string, err error) {
	defer guard(&err)
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, libraryError(err)
	}
	defer rows.Close()
	for len(top) < validate.HeaderRows && rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, libraryError(err)
		}
		top = append(top, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, libraryError(err)
	}
	return top, ctx.Err()
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no sheets"
	}
	return "sheets " + strings.Join(quoteStrings(names), ", ")
}

func quoteStrings(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}
