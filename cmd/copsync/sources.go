package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"copsync/config"
	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// namedSource is a configured source and its name.
type namedSource struct {
	name string
	cfg  config.Source
}

// configuredSources returns the sources in the order they are read; the
// activities sheet only when it is configured.
func configuredSources(c *config.Config) []namedSource {
	out := []namedSource{
		{validate.SourceMembers, c.Sources.Members},
		{validate.SourceIssues, c.Sources.Issues},
	}
	if c.Sources.Activities.Configured() {
		out = append(out, namedSource{validate.SourceActivities, c.Sources.Activities})
	}
	return out
}

// syncSource turns a configured source into the reader's form.
func (a *app) syncSource(ns namedSource) sync.Source {
	s := sync.Source{
		Name:            ns.name,
		Kind:            ns.cfg.Kind,
		Path:            ns.cfg.Path,
		Sheets:          ns.cfg.Sheet,
		ExcludeSheets:   ns.cfg.ExcludeSheets,
		SpreadsheetID:   ns.cfg.SpreadsheetID,
		CredentialsFile: ns.cfg.CredentialsFile,
		Endpoint:        ns.cfg.Endpoint,
		Limits:          sync.Limits{UnzipSize: a.cfg.Limits.UnzipSize, UnzipXMLSize: a.cfg.Limits.UnzipXMLSize},
	}
	if s.Kind == "" {
		s.Kind = "xlsx"
	}
	if a.progress != nil {
		s.Progress = a.progress.Report
	}
	if s.Kind == "gsheets" && s.CredentialsFile == "" && s.Endpoint == "" {
		s.CredentialsFile = a.getenv("GOOGLE_APPLICATION_CREDENTIALS")
	}
	return s
}

// validation is one pass of reading and validating every source.
type validation struct {
	res *validate.Result
	// issues, members and activities are the tables as read, kept for
	// the report.
	issues     validate.Table
	members    *validate.Table
	activities *validate.Table
}

// outcome is what reading and validating every source gave, the sources
// that could not be read included.
type outcome struct {
	val    *validation
	unread []notify.Failure
	errs   []error // the *sync.SourceError of each unread source
}

// inputSources returns the sources to read: the configured ones, or their
// copies in the snapshot named by --from-snapshot.
func (a *app) inputSources() ([]sync.Source, error) {
	if a.fromSnapshot != "" {
		return a.snapshotSources(a.fromSnapshot)
	}
	return a.sources(), nil
}

// validateSources reads every source and validates it; the first source
// that cannot be read is the error. With keep, the issues and members
// tables are kept for the report; otherwise rows are validated as they are
// read and not kept.
func (a *app) validateSources(ctx context.Context, keep bool) (*validation, error) {
	day, err := a.runDate()
	if err != nil {
		return nil, err
	}
	out, err := a.readSources(ctx, day, keep)
	if err != nil {
		return nil, err
	}
	if len(out.errs) > 0 {
		return nil, out.errs[0]
	}
	return out.val, nil
}

// readSources reads and validates every source for the run date day; a
// source that cannot be read does not stop the others. The findings of an
// unread source are dropped: what was read of it may be partial.
func (a *app) readSources(ctx context.Context, day time.Time, keep bool) (*outcome, error) {
	rules, err := a.cfg.ValidateRules(day)
	if err != nil {
		return nil, err
	}
	srcs, err := a.inputSources()
	if err != nil {
		return nil, err
	}
	v := validate.New(rules, a.cat)
	ctx = a.withGSheets(ctx)
	out := &outcome{val: &validation{}}
	for _, src := range srcs {
		name := src.Name
		var sink validate.Sink = v
		if keep && (name == validate.SourceIssues || name == validate.SourceActivities || name == validate.SourceMembers && a.cfg.Report.IncludeMembers) {
			t := &validate.Table{}
			switch name {
			case validate.SourceIssues:
				t = &out.val.issues
			case validate.SourceActivities:
				out.val.activities = t
			default:
				out.val.members = t
			}
			sink = keepSink{v, t}
		}
		err := sync.ReadSource(ctx, src, v.Schema(name), sink)
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
			a.logger.Debug("source unreadable", "source", name, "err", err.Error())
			out.unread = append(out.unread, failure(name, src, err))
			out.errs = append(out.errs, err)
			switch name {
			case validate.SourceMembers:
				out.val.members = nil
			case validate.SourceActivities:
				out.val.activities = nil
			}
			continue
		}
		a.logger.Debug("source read", "source", name, "kind", src.Kind)
	}
	res := v.Result()
	if len(out.unread) > 0 {
		res.Findings = slices.DeleteFunc(res.Findings, func(f validate.Finding) bool {
			return slices.ContainsFunc(out.unread, func(u notify.Failure) bool { return u.Source == f.Source })
		})
	}
	out.val.res = res
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

// keepSink validates the tables of a source and keeps the records of its
// first table, for the report. The report's register lays a sheet out at
// its own row numbers and cell addresses, so the records of a second sheet
// cannot share it; they are validated (and their findings reported) but not
// listed in the register.
type keepSink struct {
	*validate.Validator
	t *validate.Table
}

// Table starts the validation of a table and, for the first, keeps its
// records.
func (k keepSink) Table(o validate.Origin, h validate.Header) func(validate.Row) {
	add := k.Validator.Table(o, h)
	if k.t.Origin.Sheet != "" {
		return add
	}
	k.t.Origin, k.t.Header = o, h
	return func(r validate.Row) {
		add(r)
		if !r.IsBlank() {
			k.t.Rows = append(k.t.Rows, r)
		}
	}
}
