package job

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// SourceReader reads one source's tables into a sink (sync.ReadSource).
type SourceReader interface {
	ReadSource(ctx context.Context, src sync.Source, schema validate.Schema, sink validate.Sink) error
}

// Validator checks the tables of the sources as they are read, then gives
// what it found (*validate.Validator).
type Validator interface {
	validate.Sink
	Schema(source string) validate.Schema
	Result() *validate.Result
}

// Validators makes the validator of a run date: the checks compare dates
// with it.
type Validators interface {
	Validator(day time.Time) (Validator, error)
}

// Sources reads and validates every source of a run (*Reader).
type Sources interface {
	// Read reads and validates every source for the run date day; with
	// keep, the tables the report lists are kept. A source that cannot be
	// read is in the outcome, not the error.
	Read(ctx context.Context, day time.Time, keep bool) (*Outcome, error)
	// Count is how many sources are configured.
	Count() int
}

// ReportWriter writes the report workbook of a validation. target is where
// to write it ("" for the configured path of the run date); it returns the
// path written.
type ReportWriter interface {
	WriteReport(ctx context.Context, v *Validation, target string) (string, error)
	// WriteAttachment writes the copy of the report that the e-mail
	// attaches, without the members' sheet or any personal value, into
	// dir under name, and returns its path.
	WriteAttachment(ctx context.Context, v *Validation, dir, name string) (string, error)
}

// Notifier decides whether a run is worth an e-mail and composes it.
type Notifier interface {
	ShouldSend(in notify.Input) bool
	Compose(in notify.Input) (*notify.Email, error)
}

// StateStore keeps the last run's findings and the record of its e-mail's
// delivery between runs (a notify.Store).
type StateStore interface {
	// Lock creates the store if needed and takes the run lock; its error
	// wraps notify.ErrLocked when another run holds it. It returns the
	// lock's release.
	Lock() (release func() error, err error)
	// Load returns the last run's state (nil when there is none); its
	// error wraps notify.ErrStateCorrupt when the file is damaged.
	Load() (*notify.State, error)
	// SetAside moves a damaged state file aside and returns its new path.
	SetAside(at time.Time) (string, error)
	// Save keeps this run's state for the next.
	Save(st *notify.State) error
	// LoadDelivery returns the last e-mail's delivery record, nil when it
	// reached everyone.
	LoadDelivery() (*notify.DeliveryReport, error)
	// SaveDelivery keeps this run's delivery record (nil: delivered).
	SaveDelivery(r *notify.DeliveryReport) error
	// Path names the state file, for messages.
	Path() string
}

// Undelivered keeps the e-mails that did not reach every recipient, for
// the secretariat to send by hand (the outbox's undelivered folder).
type Undelivered interface {
	// Keep writes a copy of e and returns where.
	Keep(ctx context.Context, e *notify.Email) (string, error)
	// Waiting counts the messages kept, and names their folder.
	Waiting() (n int, dir string, err error)
}

// Snapshots copies the sources into the snapshot of the run date and
// prunes the old ones.
type Snapshots interface {
	// Take copies every source and returns the files written and the old
	// snapshots removed.
	Take(ctx context.Context, day time.Time) (written, removed []string, err error)
}

// Clock tells the time of the run.
type Clock interface {
	Now() time.Time
}

// SyncReader reads sources with sync.ReadSource.
type SyncReader struct{}

var _ SourceReader = SyncReader{}

// ReadSource reads src into sink.
func (SyncReader) ReadSource(ctx context.Context, src sync.Source, schema validate.Schema, sink validate.Sink) error {
	return sync.ReadSource(ctx, src, schema, sink)
}

// RulesValidators makes validate.Validators from the rules of each run
// date.
type RulesValidators struct {
	// Rules returns the checks' settings for a run date.
	Rules     func(day time.Time) (validate.Rules, error)
	Catalogue *validate.Catalogue
}

var _ Validators = RulesValidators{}

// Validator returns the validator of day.
func (v RulesValidators) Validator(day time.Time) (Validator, error) {
	r, err := v.Rules(day)
	if err != nil {
		return nil, err
	}
	return validate.New(r, v.Catalogue), nil
}

var _ Validator = (*validate.Validator)(nil)

// Mailer is the notifier of notify's configuration and composer.
type Mailer struct {
	Config   notify.Config
	Composer *notify.Composer
}

var _ Notifier = Mailer{}

// ShouldSend applies notify.when.
func (m Mailer) ShouldSend(in notify.Input) bool { return m.Config.ShouldSend(in) }

// Compose renders the e-mail of in.
func (m Mailer) Compose(in notify.Input) (*notify.Email, error) { return m.Composer.Compose(in) }

// FileState is the state directory, a notify.Store. A zero Dir is refused
// when the run locks it.
type FileState struct {
	Dir   string
	store *notify.Store
}

var _ StateStore = (*FileState)(nil)

// Lock creates the directory and takes the run lock.
func (s *FileState) Lock() (func() error, error) {
	st, err := notify.OpenStore(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("state.dir: %w", err)
	}
	l, err := st.Lock()
	if err != nil {
		return nil, err
	}
	s.store = st
	return l.Unlock, nil
}

// Load reads the last run's state, without creating anything when the
// store was not locked (a dry run).
func (s *FileState) Load() (*notify.State, error) {
	if s.store == nil {
		return notify.LoadState(s.Dir)
	}
	return s.store.Load()
}

// SetAside moves the damaged state aside.
func (s *FileState) SetAside(at time.Time) (string, error) {
	if s.store == nil {
		return "", fmt.Errorf("set the state aside: %s is not locked", s.Dir)
	}
	return s.store.SetAside(at)
}

// Save writes the state atomically.
func (s *FileState) Save(st *notify.State) error {
	if s.store == nil {
		return fmt.Errorf("save the state: %s is not locked", s.Dir)
	}
	return s.store.Save(st)
}

// LoadDelivery reads the last delivery record.
func (s *FileState) LoadDelivery() (*notify.DeliveryReport, error) {
	if s.store == nil {
		return notify.LoadDeliveryReport(s.Dir)
	}
	return s.store.LoadDelivery()
}

// SaveDelivery writes the delivery record atomically.
func (s *FileState) SaveDelivery(r *notify.DeliveryReport) error {
	if s.store == nil {
		return fmt.Errorf("save the delivery report: %s is not locked", s.Dir)
	}
	return s.store.SaveDelivery(r)
}

// Path names the state file.
func (s *FileState) Path() string { return filepath.Join(s.Dir, notify.StateFile) }

// OutboxUndelivered is the undelivered folder of the outbox.
type OutboxUndelivered struct {
	Outbox string
	Logger *slog.Logger
}

var _ Undelivered = OutboxUndelivered{}

// Keep writes e into the undelivered folder.
func (o OutboxUndelivered) Keep(ctx context.Context, e *notify.Email) (string, error) {
	d, err := notify.NewOutbox(notify.UndeliveredDir(o.Outbox), o.Logger).Send(ctx, e)
	return d.Where, err
}

// Waiting counts the messages in the undelivered folder.
func (o OutboxUndelivered) Waiting() (int, string, error) {
	files, err := notify.Undelivered(o.Outbox)
	return len(files), notify.UndeliveredDir(o.Outbox), err
}

// SyncSnapshots takes snapshots with sync.Snapshot and prunes them with
// sync.Prune.
type SyncSnapshots struct {
	Dir     string
	Keep    int
	Sources []sync.Source
	Clock   Clock
	Logger  *slog.Logger
}

var _ Snapshots = SyncSnapshots{}

// Take copies every source into the snapshot folder of day, then, when
// every source was copied, removes the snapshots older than Keep days;
// while a snapshot is incomplete the old ones are kept, as they may be the
// last good copies. A source that could not be copied is a
// *sync.SourceError. Reading through ctx's Google Sheets client
// (sync.WithGSheets), a run that snapshots then validates reads each
// spreadsheet once.
func (s SyncSnapshots) Take(ctx context.Context, day time.Time) (written, removed []string, err error) {
	written, err = sync.Snapshot(ctx, s.Sources, s.Dir, day)
	s.Logger.Debug("sources snapshotted", "dir", s.Dir, "date", day.Format(sync.SnapshotDateLayout), "files", len(written))
	if err != nil {
		return written, nil, err
	}
	// Pruned by count and by age from the newest snapshot and from the
	// wall clock, whichever keeps more: never by the run date alone.
	removed, err = sync.Prune(s.Dir, s.Keep, s.Clock.Now().In(day.Location()))
	if len(removed) > 0 {
		s.Logger.Debug("old snapshots removed", "dir", s.Dir, "removed", len(removed))
	}
	return written, removed, err
}

// SystemClock is the computer's clock.
type SystemClock struct{}

var _ Clock = SystemClock{}

// Now returns the time.
func (SystemClock) Now() time.Time { return time.Now() }

// ClockFunc is a function as a Clock.
type ClockFunc func() time.Time

var _ Clock = ClockFunc(nil)

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }
