package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// Validation is one pass of reading and validating every source.
type Validation struct {
	Result *validate.Result
	// Issues, Members and Activities are the sheets of each source as
	// read, one table per sheet in the order read, kept for the report
	// (Members only when the report lists them). Their rows are kept
	// compactly, in a validate.RowStore each.
	Issues, Members, Activities []validate.Table
}

// Outcome is what reading and validating every source gave, the sources
// that could not be read included.
type Outcome struct {
	*Validation
	// Unread are the sources that could not be read, for the e-mail.
	Unread []notify.Failure
	// Errs are the *sync.SourceError of each unread source.
	Errs []error
}

// Reader reads and validates every source; a source that cannot be read
// does not stop the others.
type Reader struct {
	// Sources are the sources to read, in order.
	Sources    []sync.Source
	Reader     SourceReader
	Validators Validators
	// KeepMembers keeps the membership's tables for the report
	// (report.include_members).
	KeepMembers bool
	Logger      *slog.Logger
}

var _ Sources = (*Reader)(nil)

// Count is how many sources are read.
func (r *Reader) Count() int { return len(r.Sources) }

// Read reads and validates every source for the run date day. The findings
// of an unread source are dropped (what was read of it may be partial) and
// the summary's counts of findings follow, and its tables are not kept.
// With keep, every table of the issues, the activities and (with
// KeepMembers) the members is kept for the report; otherwise rows are
// validated as they are read and not kept.
//
// A source not read when ctx's deadline passes is unread, with the
// sources after it; an interrupted ctx is the error.
func (r *Reader) Read(ctx context.Context, day time.Time, keep bool) (*Outcome, error) {
	v, err := r.Validators.Validator(day)
	if err != nil {
		return nil, err
	}
	log := logger(r.Logger)
	out := &Outcome{Validation: &Validation{}}
	for _, src := range r.Sources {
		name := src.Name
		var sink validate.Sink = v
		kept := out.kept(name)
		keeping := keep && kept != nil && (name != validate.SourceMembers || r.KeepMembers)
		if keeping {
			sink = keepSink{v, kept}
		}
		err := r.Reader.ReadSource(ctx, src, v.Schema(name), sink)
		if cerr := ctx.Err(); cerr != nil {
			if !errors.Is(cerr, context.DeadlineExceeded) {
				return nil, cerr // interrupted
			}
			if err == nil {
				err = cerr
			}
			// Out of time: this source, and those after it, are unread.
			err = fmt.Errorf("not read within the time run.deadline leaves for reading: %w", err)
		}
		if err != nil {
			var se *sync.SourceError
			if !errors.As(err, &se) {
				err = &sync.SourceError{Source: name, File: src.Path, Err: err}
			}
			log.Debug("source unreadable", "source", name, "err", err.Error())
			out.Unread = append(out.Unread, failure(name, src, err))
			out.Errs = append(out.Errs, err)
			if keeping {
				*kept = nil // what was read of it may be partial
			}
			continue
		}
		if keeping {
			rows, size := 0, 0
			for _, t := range *kept {
				rows, size = rows+t.Store.Len(), size+t.Store.Size()
			}
			log.Debug("source read", "source", name, "kind", src.Kind, "tables_kept", len(*kept), "rows_kept", rows, "bytes_kept", size)
			continue
		}
		log.Debug("source read", "source", name, "kind", src.Kind)
	}
	res := v.Result()
	for _, u := range out.Unread {
		res.DropSource(u.Source)
	}
	out.Result = res
	return out, nil
}

// failureReasons name the causes of an unreadable source that the e-mail
// says in each of its languages (notify.reason.* in the catalogue).
var failureReasons = []struct {
	err    error
	reason string
}{
	{sync.ErrNotFound, "not-found"},
	{sync.ErrSheetNotFound, "sheet-not-found"},
	{sync.ErrHeaderNotFound, "header-not-found"},
	{sync.ErrEncrypted, "encrypted"},
	{sync.ErrLegacyXLS, "legacy-xls"},
	{sync.ErrNotXLSX, "not-xlsx"},
	{sync.ErrXLSB, "not-xlsx"},
	{sync.ErrMalformed, "malformed"},
	{sync.ErrDamaged, "malformed"},
	{sync.ErrTooLarge, "too-large"},
	{sync.ErrLockFile, "lock-file"},
	{sync.ErrEmpty, "empty"},
	{sync.ErrSpreadsheetNotFound, "spreadsheet-not-found"},
	{sync.ErrPermissionDenied, "permission-denied"},
	{sync.ErrNoCredentials, "credentials"},
	{sync.ErrCredentials, "credentials"},
	{sync.ErrUnavailable, "unavailable"},
	{sync.ErrQuotaExhausted, "unavailable"},
}

// failure describes a source that could not be read for the e-mail: the
// error, and its cause, file and sheet for the wording in each language.
func failure(name string, src sync.Source, err error) notify.Failure {
	f := notify.Failure{Source: name, Error: err.Error(), File: filepath.Base(src.Path), Sheet: strings.Join(src.Selection().Sheets, ", ")}
	var se *sync.SourceError
	if errors.As(err, &se) {
		if se.File != "" {
			f.File = filepath.Base(se.File)
		}
		if se.Sheet != "" {
			f.Sheet = se.Sheet
		}
	}
	for _, r := range failureReasons {
		if errors.Is(err, r.err) {
			f.Reason = r.reason
			break
		}
	}
	return f
}

// kept returns where the tables of a source are kept for the report, nil
// for a source the report does not list.
func (v *Validation) kept(source string) *[]validate.Table {
	switch source {
	case validate.SourceIssues:
		return &v.Issues
	case validate.SourceMembers:
		return &v.Members
	case validate.SourceActivities:
		return &v.Activities
	}
	return nil
}

// keepSink validates the tables of a source and keeps every one, for the
// report: its origin, header and records (blank rows aside), the records
// encoded compactly as they come.
type keepSink struct {
	Validator
	tables *[]validate.Table
}

// Table starts the validation of a table and keeps its records.
func (k keepSink) Table(o validate.Origin, h validate.Header) func(validate.Row) {
	add := k.Validator.Table(o, h)
	store := &validate.RowStore{}
	*k.tables = append(*k.tables, validate.Table{Origin: o, Header: h, Store: store})
	return func(r validate.Row) {
		add(r)
		if !r.IsBlank() {
			store.Add(r)
		}
	}
}

// logger returns l, or a logger that discards.
func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// UnreadNames names the sources of o that could not be read.
func (o *Outcome) UnreadNames() []string {
	var names []string
	for _, u := range o.Unread {
		names = append(names, u.Source)
	}
	return names
}
