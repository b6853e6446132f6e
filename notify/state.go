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

// stateVersion is the format of the state file.
const stateVersion = 1

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
	if st.Version != stateVersion {
		return nil, fmt.Errorf("%s: %w: version %d, want %d", path, ErrStateCorrupt, st.Version, stateVersion)
	}
	return &st, nil
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
	if err := renameio.WriteFile(path, append(data, '\n'), 0o640); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}
