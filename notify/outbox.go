package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/renameio/v2"
)

// Outbox writes each e-mail as a .eml file into a folder, for a person or
// another program to send, or to look at after a dry run.
type Outbox struct {
	dir string
	log *slog.Logger
}

var _ Sender = (*Outbox)(nil)

// NewOutbox returns the outbox in dir; the folder is created at the first
// message.
func NewOutbox(dir string, log *slog.Logger) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{dir: dir, log: log}
}

// Send writes e to a new file named after its date, e.g.
// 20260102T060000Z-3f9a1c.eml, written aside and renamed so that a reader
// never sees half a message.
func (o *Outbox) Send(ctx context.Context, e *Email) (Delivery, error) {
	if err := ctx.Err(); err != nil {
		return Delivery{}, fmt.Errorf("%w: %w", ErrUndelivered, err)
	}
	var buf bytes.Buffer
	if _, err := e.WriteTo(&buf); err != nil {
		return Delivery{}, fmt.Errorf("%w: render message: %w", ErrUndelivered, err)
	}
	if err := os.MkdirAll(o.dir, 0o750); err != nil {
		return Delivery{}, fmt.Errorf("%w: create outbox: %w", ErrUndelivered, err)
	}
	date := e.Date
	if date.IsZero() {
		date = time.Now()
	}
	// The name sorts in the order the messages were written, to the
	// microsecond; the random suffix keeps two writers apart.
	var r [3]byte
	_, _ = rand.Read(r[:])
	path := filepath.Join(o.dir, date.UTC().Format("20060102T150405.000000Z")+"-"+hex.EncodeToString(r[:])+".eml")
	if err := renameio.WriteFile(path, buf.Bytes(), 0o640, renameio.WithTempDir(o.dir)); err != nil {
		return Delivery{}, fmt.Errorf("%w: write %s: %w", ErrUndelivered, path, err)
	}
	o.log.Info("e-mail written to the outbox", "path", path, "bytes", buf.Len())
	return Delivery{Via: "outbox", Where: path}, nil
}

// UndeliveredFolder is the folder of the outbox that keeps the messages a
// mail server did not take for every recipient.
const UndeliveredFolder = "undelivered"

// UndeliveredDir returns the undelivered folder of the outbox in dir.
func UndeliveredDir(outbox string) string { return filepath.Join(outbox, UndeliveredFolder) }

// Undelivered returns the messages waiting in the undelivered folder of
// the outbox, oldest first.
func Undelivered(outbox string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(UndeliveredDir(outbox), "*.eml"))
	if err != nil {
		return nil, fmt.Errorf("list undelivered messages: %w", err)
	}
	return files, nil
}
