package main

import (
	"context"

	"copsync/config"
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
		Sheet:           ns.cfg.Sheet,
		SpreadsheetID:   ns.cfg.SpreadsheetID,
		CredentialsFile: ns.cfg.CredentialsFile,
		Endpoint:        ns.cfg.Endpoint,
		Limits:          sync.Limits{UnzipSize: a.cfg.Limits.UnzipSize, UnzipXMLSize: a.cfg.Limits.UnzipXMLSize},
	}
	if s.Kind == "" {
		s.Kind = "xlsx"
	}
	if s.Kind == "gsheets" && s.CredentialsFile == "" && s.Endpoint == "" {
		s.CredentialsFile = a.getenv("GOOGLE_APPLICATION_CREDENTIALS")
	}
	return s
}

// validation is one pass of reading and validating every source.
type validation struct {
	res *validate.Result
	// issues and members are the tables as read, kept for the report.
	issues  validate.Table
	members *validate.Table
}

// validateSources reads every configured source and validates it. With keep,
// the issues and members tables are kept for the report; otherwise rows are
// validated as they are read and not kept.
func (a *app) validateSources(ctx context.Context, keep bool) (*validation, error) {
	day, err := a.runDate()
	if err != nil {
		return nil, err
	}
	rules, err := a.cfg.ValidateRules(day)
	if err != nil {
		return nil, err
	}
	v := validate.New(rules, a.cat)
	out := &validation{}
	for _, ns := range configuredSources(a.cfg) {
		src := a.syncSource(ns)
		a.logger.Debug("read source", "source", ns.name, "kind", src.Kind)
		begin := v.Table
		if keep && (ns.name == validate.SourceIssues || ns.name == validate.SourceMembers && a.cfg.Report.IncludeMembers) {
			t := &validate.Table{}
			if ns.name == validate.SourceIssues {
				t = &out.issues
			} else {
				out.members = t
			}
			begin = func(o validate.Origin, h validate.Header) func(validate.Row) {
				t.Origin, t.Header = o, h
				add := v.Table(o, h)
				return func(r validate.Row) {
					add(r)
					if !r.IsBlank() {
						t.Rows = append(t.Rows, r)
					}
				}
			}
		}
		if err := sync.Read(ctx, src, v.Schema(ns.name), begin); err != nil {
			return nil, err
		}
	}
	out.res = v.Result()
	return out, nil
}
