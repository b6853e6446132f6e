package report

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// ReportPerm is the permission of a report file: it may hold personal data.
const ReportPerm os.FileMode = 0o640

// Write builds the report and writes it to path: to a temporary file in the
// same folder, renamed over path once complete, so that a failure leaves the
// previous report as it was. It creates the folder when needed.
func Write(ctx context.Context, path string, in Input) error {
	b, err := buildBook(ctx, in)
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	defer b.f.Close()
	err = writeFile(ctx, path, ReportPerm, func(w io.Writer) error {
		// The package goes to the file as it is made, not through the
		// library's buffer of the whole file (see zipWriter).
		b.out = &ctxWriter{ctx: ctx, w: w}
		n, err := b.f.WriteTo(io.Discard)
		if err == nil && n != 0 {
			err = fmt.Errorf("the library wrote %d bytes of the package around its zip writer", n)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// writeFile writes a file atomically: fill writes its content to a
// temporary file in path's folder, which replaces path only when fill and
// every write succeeded and ctx is not done. Its errors do not name path:
// the caller names it.
func writeFile(ctx context.Context, path string, perm os.FileMode, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	t, err := renameio.NewPendingFile(path, renameio.WithTempDir(dir), renameio.WithStaticPermissions(perm))
	if err != nil {
		return fmt.Errorf("create a temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = t.Cleanup()
		}
	}()
	if err := fill(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.CloseAtomicallyReplace(); err != nil {
		return fmt.Errorf("replace: %w", err)
	}
	return nil
}

// ctxWriter fails its writes once ctx is done, which stops excelize's
// WriteTo of a large workbook at the next buffer.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
