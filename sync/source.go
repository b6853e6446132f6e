package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"copsync/validate"
)

// Source is one configured source: where to read a sheet from.
type Source struct {
	Name string // members, issues or activities
	Kind string // "xlsx" or "gsheets"
	Path string // xlsx: the workbook's path
	// Sheet is the sheet (tab) title. Sheets adds more titles or glob
	// patterns (Fédéral, Membres*); with neither, every sheet whose header
	// row names the source's fields is read. ExcludeSheets names sheets
	// (or patterns) never to read.
	Sheet         string
	Sheets        []string
	ExcludeSheets []string

	// Google Sheets only.
	SpreadsheetID   string
	CredentialsFile string
	Endpoint        string

	// Limits guard against workbooks that inflate beyond reason; zero
	// values take the defaults.
	Limits Limits

	// Progress, when set, is called as rows are read: once when a sheet's
	// rows start, every few thousand rows, and once when its reading ends
	// (Done). (*ProgressPrinter).Report is one.
	Progress func(Progress)
}

// Limits bound what reading a workbook may cost.
type Limits struct {
	// UnzipSize is the most bytes a workbook may inflate to in all.
	UnzipSize int64
	// UnzipXMLSize is obsolete for reading: the streaming reader keeps no
	// part in memory and spills nothing to a temporary file, so it does
	// not apply (the key limits.unzip_xml_size is still accepted, so that
	// existing configuration files load). It only bounds the spreadsheet
	// library's reading (readXLSXLibrary), which the tests compare with.
	UnzipXMLSize int64
}

// The default limits.
const (
	DefaultUnzipSize    = 1 << 30  // 1 GiB
	DefaultUnzipXMLSize = 16 << 20 // 16 MiB
)

// The errors a source can fail with, for errors.Is.
var (
	ErrNotFound       = errors.New("file not found")
	ErrSheetNotFound  = validate.ErrSheetNotFound
	ErrHeaderNotFound = validate.ErrHeaderNotFound
	ErrEncrypted      = errors.New("the workbook is password-protected (encrypted)")
	ErrLegacyXLS      = errors.New("the file is a legacy Excel 97-2003 .xls workbook, not .xlsx")
	ErrNotXLSX        = errors.New("the file is not an .xlsx workbook")
	ErrMalformed      = errors.New("the workbook is malformed")
	ErrTooLarge       = errors.New("the workbook exceeds the size limit")
	ErrUnsupported    = errors.New("unsupported source kind")
)

// SourceError is the failure to read a source: a one-line message naming
// the source, the file and the sheet.
type SourceError struct {
	Source string
	File   string
	Sheet  string
	Err    error
}

// Error returns "members: examples/members.xlsx, sheet "Members": what is
// wrong".
func (e *SourceError) Error() string {
	s := e.Source + ": " + e.File
	if e.Sheet != "" {
		s += fmt.Sprintf(", sheet %q", e.Sheet)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *SourceError) Unwrap() error { return e.Err }

// Selection returns the sheets the source names, for the layout engine.
func (s Source) Selection() validate.Selection {
	var sel validate.Selection
	if s.Sheet != "" {
		sel.Sheets = append(sel.Sheets, s.Sheet)
	}
	sel.Sheets = append(sel.Sheets, s.Sheets...)
	sel.Exclude = s.ExcludeSheets
	return sel
}

// sheetLabel names the configured sheets in an error that is about none of
// them in particular.
func (s Source) sheetLabel() string {
	return strings.Join(s.Selection().Sheets, ", ")
}

// Begin is called once a table's sheet and header are known, and returns
// the function to call with each data row; (*validate.Validator).Table is
// one.
type Begin func(validate.Origin, validate.Header) func(validate.Row)

// Table calls b.
func (b Begin) Table(o validate.Origin, h validate.Header) func(validate.Row) { return b(o, h) }

// SetAside ignores the rows set aside: Read's callers only want records.
func (b Begin) SetAside(validate.Origin, validate.SetAside) {}

// ReadSource reads a source into sink through the layout engine
// (validate.ReadSource): the sheets it names (or every sheet whose header
// row names its fields), each sheet's header block, values merged down over
// rows, and the rows set aside under each table (notes, totals). Rows are
// not kept, so a sheet of any size is read in bounded memory.
func ReadSource(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	switch src.Kind {
	case "", "xlsx":
		return readXLSX(ctx, src, schema, sink)
	case "gsheets":
		return readGSheets(ctx, src, schema, sink)
	}
	return &SourceError{Source: src.Name, File: src.Path, Err: fmt.Errorf("%w %q", ErrUnsupported, src.Kind)}
}

// Read reads a source as ReadSource does, giving begin each table and its
// records; the rows set aside are not reported.
func Read(ctx context.Context, src Source, schema validate.Schema, begin Begin) error {
	return ReadSource(ctx, src, schema, begin)
}

// ReadTable reads a whole source into memory: its first table's origin and
// header, and the records of every table.
func ReadTable(ctx context.Context, src Source, schema validate.Schema) (validate.Table, error) {
	var t validate.Table
	err := Read(ctx, src, schema, func(o validate.Origin, h validate.Header) func(validate.Row) {
		if t.Origin.Sheet == "" {
			t.Origin, t.Header = o, h
		}
		return func(r validate.Row) { t.Rows = append(t.Rows, r) }
	})
	return t, err
}

// absPath returns path made absolute, for links; it returns path unchanged
// when that fails.
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
