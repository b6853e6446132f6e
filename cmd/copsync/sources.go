package main

import (
	"context"
	"time"

	"copsync/config"
	"copsync/job"
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
func (a *app) validateSources(ctx context.Context, keep bool) (*job.Validation, error) {
	day, err := a.runDate()
	if err != nil {
		return nil, err
	}
	out, err := a.readSources(ctx, day, keep)
	if err != nil {
		return nil, err
	}
	if len(out.Errs) > 0 {
		return nil, out.Errs[0]
	}
	return out.Validation, nil
}

// reader returns the reader of the sources (the configured ones, or
// their copies in the snapshot named by --from-snapshot).
func (a *app) reader() (*job.Reader, error) {
	srcs, err := a.inputSources()
	if err != nil {
		return nil, err
	}
	return &job.Reader{
		Sources:     srcs,
		Reader:      job.SyncReader{},
		Validators:  job.RulesValidators{Rules: a.cfg.ValidateRules, Catalogue: a.cat},
		KeepMembers: a.cfg.Report.IncludeMembers,
		Logger:      a.logger,
	}, nil
}

// readSources reads and validates every source for the run date day
// (job.Reader.Read) through the run's Google Sheets client; a source that
// cannot be read does not stop the others.
func (a *app) readSources(ctx context.Context, day time.Time, keep bool) (*job.Outcome, error) {
	r, err := a.reader()
	if err != nil {
		return nil, err
	}
	return r.Read(a.withGSheets(ctx), day, keep)
}
