package sync

import (
	"context"

	"copsync/validate"
)

// ReadTableLibrary reads an .xlsx source as ReadTable does, but with the
// spreadsheet library (readXLSXLibrary), whose cells are raw values. The
// tests that compare the Google Sheets reader with the .xlsx one use it:
// the Google Sheets reader gives raw values too, and the streaming reader
// typed and formatted ones (dates as dates, booleans as booleans), until
// both readers give cells as people see them.
func ReadTableLibrary(ctx context.Context, src Source, schema validate.Schema) (validate.Table, error) {
	var t validate.Table
	err := readXLSXLibrary(ctx, src, schema, Begin(func(o validate.Origin, h validate.Header) func(validate.Row) {
		if t.Origin.Sheet == "" {
			t.Origin, t.Header = o, h
		}
		return func(r validate.Row) { t.Rows = append(t.Rows, r) }
	}))
	return t, err
}

// ReadLibrary reads an .xlsx source as Read does, with the spreadsheet
// library; see ReadTableLibrary.
func ReadLibrary(ctx context.Context, src Source, schema validate.Schema, begin Begin) error {
	return readXLSXLibrary(ctx, src, schema, begin)
}
