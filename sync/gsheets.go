package sync

import (
	"context"
	"fmt"

	"copsync/validate"
)

func readGSheets(ctx context.Context, src Source, schema validate.Schema, begin Begin) error {
	return &SourceError{Source: src.Name, File: src.SpreadsheetID, Err: fmt.Errorf("%w %q", ErrUnsupported, src.Kind)}
}
