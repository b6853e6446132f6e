package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"copsync/validate"
)

// Source is one configured source: where to read a sheet from.
type Source struct {
	Name  string // members, issues or activities
	Kind  string // "xlsx" or "gsheets"
	Path  string // xlsx: the workbook's path
	Sheet string // the sheet (tab) title; "" finds it by its headers

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
	// UnzipXMLSize is the most bytes of one part kept in memory; larger
	// worksheets are streamed from a temporary file.
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
	ErrSheetNotFound  = errors.New("sheet not found")
	ErrHeaderNotFound = errors.New("header row not found")
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

// Begin is called once a table's sheet and header are known, and returns
// the function to call with each data row; (*validate.Validator).Table is
// one.
type Begin func(validate.Origin, validate.Header) func(validate.Row)

// Read reads a source row by row: it finds the sheet and its header row,
// calls begin with them, then gives every data row below the header to the
// function begin returned. Rows are not kept, so a sheet of any size is read
// in bounded memory.
func Read(ctx context.Context, src Source, schema validate.Schema, begin Begin) error {
	switch src.Kind {
	case "", "xlsx":
		return readXLSX(ctx, src, schema, begin)
	case "gsheets":
		return readGSheets(ctx, src, schema, begin)
	}
	return &SourceError{Source: src.Name, File: src.Path, Err: fmt.Errorf("%w %q", ErrUnsupported, src.Kind)}
}

// ReadTable reads a whole source into memory.
func ReadTable(ctx context.Context, src Source, schema validate.Schema) (validate.Table, error) {
	var t validate.Table
	err := Read(ctx, src, schema, func(o validate.Origin, h validate.Header) func(validate.Row) {
		t.Origin, t.Header = o, h
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
