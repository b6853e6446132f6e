package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/renameio/v2"

	"copsync/validate"
)

// The files kept in the state directory.
const (
	StateFile = "last-run.json"
	LockFile  = "copsync.lock"
)

// stateVersion is the format of the state file. Version 1 named a member
// row's findings by the row's e-mail address even when it was not valid, so
// that rows sharing a bad value shared an id; version 2 names them by the
// record (see validate's finding ids). Compare migrates version 1.
const stateVersion = 2

// DeliveryFile is where a run records who did not receive its e-mail, for
// the next run's e-mail to say so.
const DeliveryFile = "last-delivery.json"

// CorruptPrefix starts the name a damaged state file is set aside under:
// corrupt-20261203T060000Z-last-run.json.
const CorruptPrefix = "corrupt-"

// ErrLocked is returned by Store.Lock when another run holds the lock.
var ErrLocked = errors.New("another copsync run is under way")

// ErrStateCorrupt is returned by Store.Load when the state file cannot be
// read as a state; the run then goes on as if it were the first.
var ErrStateCorrupt = errors.New("the state file is not valid")

// State is what a run leaves for the next one to compare with.
type State struct {
	Version int       `json:"version"`
	RunAt   time.Time `json:"run_at"`
	// Date is the run date, yyyy-mm-dd in the schedule's time zone.
	Date     string           `json:"date"`
	Summary  validate.Summary `json:"summary"`
	Findings []Record         `json:"findings"`
}

// Record is one finding as the state keeps it: where it is, what it is, and
// since when it has been open. It keeps the finding's value only when that
// is not personal data.
type Record struct {
	ID        string            `json:"id"`
	Code      string            `json:"code"`
	Severity  validate.Severity `json:"severity"`
	Source    string            `json:"source"`
	Sheet     string            `json:"sheet,omitempty"`
	Row       int               `json:"row,omitempty"`
	Cell      string            `json:"cell,omitempty"`
	Key       string            `json:"key,omitempty"`
	Message   string            `json:"message"`
	MessageFR string            `json:"message_fr"`
	// FirstSeen is the date of the first run that found it, yyyy-mm-dd.
	FirstSeen string `json:"first_seen"`
	// Runs counts the runs that found it.
	Runs int `json:"runs"`
}

// Finding returns the record as a finding, for rendering one that is gone.
func (r Record) Finding() validate.Finding {
	return validate.Finding{ID: r.ID, Code: r.Code, Severity: r.Severity, Source: r.Source, Sheet: r.Sheet,
		Row: r.Row, Cell: r.Cell, Key: r.Key, Message: r.Message, MessageFR: r.MessageFR}
}

// Store is the state directory.
type Store struct {
	dir string
}

// OpenStore returns the store in dir, creating the directory if needed.
func OpenStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("state.dir is empty")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create state directory: %w", err)
	}
	return &Store{dir: dir}, nil
}

// LoadState returns the last run's state in dir without creating anything
// or taking the lock, for commands that only look (nil when there is none).
func LoadState(dir string) (*State, error) {
	return (&Store{dir: dir}).Load()
}

// Dir returns the state directory.
func (s *Store) Dir() string { return s.dir }

// Lock is a held run lock.
type Lock struct {
	f *flock.Flock
}

// Lock takes the run lock without waiting: it returns an error wrapping
// ErrLocked at once when another run (in this or another process) holds it.
func (s *Store) Lock() (*Lock, error) {
	path := filepath.Join(s.dir, LockFile)
	f := flock.New(path)
	ok, err := f.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("%w (it holds %s); this run stops without doing anything", ErrLocked, path)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if err := l.f.Unlock(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.f.Path(), err)
	}
	return nil
}

// Load returns the last run's state, or nil when there is none yet. A state
// file that cannot be read as a state gives an error wrapping
// ErrStateCorrupt.
func (s *Store) Load() (*State, error) {
	path := filepath.Join(s.dir, StateFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrStateCorrupt, err)
	}
	if st.Version < 1 || st.Version > stateVersion {
		return nil, fmt.Errorf("%s: %w: version %d, want 1 to %d", path, ErrStateCorrupt, st.Version, stateVersion)
	}
	if _, err := time.Parse(time.DateOnly, st.Date); err != nil {
		return nil, fmt.Errorf("%s: %w: run date %q", path, ErrStateCorrupt, st.Date)
	}
	return &st, nil
}

// SetAside renames a damaged state file to corrupt-<when>-last-run.json in
// the same folder, where a person can look at it, and returns the new
// path. The next run then starts a new history; the old one is kept.
func (s *Store) SetAside(when time.Time) (string, error) {
	path := filepath.Join(s.dir, StateFile)
	aside := filepath.Join(s.dir, CorruptPrefix+when.UTC().Format("20060102T150405Z")+"-"+StateFile)
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("set the damaged state aside: %w", err)
	}
	return aside, nil
}

// DeliveryReport says who did not receive a run's e-mail. It names the
// recipients by their place in notify.to, never by their address.
type DeliveryReport struct {
	// Date is the run date of the e-mail, yyyy-mm-dd.
	Date string `json:"date"`
	// Recipients counts the e-mail's recipients.
	Recipients int `json:"recipients"`
	// Refused are those who did not receive it.
	Refused []RefusedRecipient `json:"refused"`
	// Kept is the copy of the message kept in the outbox's undelivered/
	// folder.
	Kept string `json:"kept,omitempty"`
}

// RefusedRecipient is one recipient who did not receive an e-mail.
type RefusedRecipient struct {
	// Index is the recipient's place in notify.to, from 0.
	Index int `json:"index"`
	// Code and Reply are the server's answer (Code 0 for a failure that
	// was not a reply).
	Code  int    `json:"code,omitempty"`
	Reply string `json:"reply"`
}

// SaveDelivery records who did not receive this run's e-mail; with none,
// it removes the record of an earlier run.
func (s *Store) SaveDelivery(r *DeliveryReport) error {
	path := filepath.Join(s.dir, DeliveryFile)
	if r == nil || len(r.Refused) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", path, err)
		}
		return nil
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode delivery report: %w", err)
	}
	if err := renameio.WriteFile(path, append(data, '\n'), 0o640, renameio.WithTempDir(s.dir)); err != nil {
		return fmt.Errorf("write delivery report: %w", err)
	}
	return nil
}

// LoadDelivery returns the record of the last e-mail that did not reach
// everyone, or nil.
func (s *Store) LoadDelivery() (*DeliveryReport, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, DeliveryFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read delivery report: %w", err)
	}
	var r DeliveryReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", DeliveryFile, err)
	}
	return &r, nil
}

// LoadDeliveryReport returns the delivery record in dir without creating
// anything, for a dry run.
func LoadDeliveryReport(dir string) (*DeliveryReport, error) {
	return (&Store{dir: dir}).LoadDelivery()
}

// Save replaces the state atomically: the file is written aside and renamed,
// so that a run that stops half-way leaves the previous state whole.
func (s *Store) Save(st *State) error {
	st.Version = stateVersion
	if st.Findings == nil {
		st.Findings = []Record{}
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	path := filepath.Join(s.dir, StateFile)
	if err := renameio.WriteFile(path, append(data, '\n'), 0o640, renameio.WithTempDir(s.dir)); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}
