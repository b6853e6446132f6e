package main

import (
	"errors"
	"strings"
	stdsync "sync"
	"time"

	"copsync/config"
	"copsync/notify"
	"copsync/report"
	"copsync/schedule"
	"copsync/sync"
	"copsync/templates"
	"copsync/validate"
)

// parts are the components the commands build from the configuration,
// built once by checkConfig.
type parts struct {
	// rules are the checks' settings; Today is left for the run date.
	rules    validate.Rules
	schedule *schedule.Schedule
	notify   notify.Config
	composer *notify.Composer
}

// checkConfig is the one validation of the configuration that every
// command goes through before any work, check-config included: on top of
// what readConfig found (config.Validate), it builds each component the
// commands build — the rules, the schedule, the e-mail settings, its
// templates and composer (rendering them once with sample findings), the
// SMTP sender, the report's languages, the Google Sheets ids — and records
// in p every problem, naming its key. cat is the message catalogue; nil
// loads the embedded one.
func checkConfig(cfg *config.Config, cat *validate.Catalogue, p *problems) *parts {
	var out parts
	if r, err := cfg.ValidateRules(time.Time{}); err == nil {
		out.rules = r
	} // else config.Validate reported it

	if _, err := report.Languages(cfg.Report.Language); err != nil {
		p.add("report.language", "must be en, fr, both, en-fr or fr-en, not %q", cfg.Report.Language)
	}
	for _, ns := range configuredSources(cfg) {
		if ns.cfg.Kind != "gsheets" {
			continue
		}
		if _, err := sync.SpreadsheetID(ns.cfg.SpreadsheetID); err != nil {
			p.add("sources."+ns.name+".spreadsheet_id", "%v", err)
		}
	}

	sched, err := schedule.Parse(cfg.Schedule.Cron, cfg.Schedule.Timezone)
	for _, e := range unjoin(err) {
		var se *schedule.Error
		if errors.As(e, &se) {
			p.add("schedule."+se.Field, "%v", se)
		} else {
			p.add("schedule", "%v", e)
		}
	}
	out.schedule = sched

	// The templates are checked even when a notify.* key is wrong, so
	// that every problem shows at once.
	ncfg, nerr := notifySettings(cfg)
	out.notify = ncfg
	if nerr != nil {
		addErr(p, nerr)
	} else if ncfg.SMTP.Host != "" {
		if _, err := notify.NewSMTPSender(ncfg.SMTP, nil); err != nil {
			p.addLine(err.Error())
		}
	}
	if cat == nil {
		if cat, err = loadCatalogue(); err != nil {
			p.addLine(err.Error())
			return &out
		}
	}
	composer, err := notify.NewComposer(ncfg, cat, nil)
	if err != nil {
		addErr(p, err)
		return &out
	}
	// The samples render at the same time: the templates are safe to
	// execute concurrently, and the first error in the samples' order is
	// the one reported.
	samples := sampleInputs()
	errs := make([]error, len(samples))
	var wg stdsync.WaitGroup
	for i, in := range samples {
		wg.Go(func() { _, _, _, errs[i] = composer.Render(composer.Data(in)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			p.addLine(templateKey(err.Error(), ncfg.Templates))
			break
		}
	}
	if nerr == nil {
		out.composer = composer
	}
	return &out
}

// notifySettings turns the notify.* keys into the notifier's
// configuration and checks it (notify.ParseLanguages, then
// notify.Config.Validate): every problem names its key.
func notifySettings(c *config.Config) (notify.Config, error) {
	n := c.Notify
	var probs []string
	langs, err := notify.ParseLanguages(n.Language)
	if err != nil {
		probs = append(probs, err.Error())
	}
	nc := notify.Config{
		From:                n.From,
		To:                  n.To,
		Subject:             n.Subject,
		When:                n.When,
		Languages:           langs,
		IncludePersonalData: n.IncludePersonalData,
		Templates:           n.Templates,
		Outbox:              n.Outbox,
		MaxAttachment:       n.MaxAttachment,
		CommunityEN:         c.Community.NameEN,
		CommunityFR:         c.Community.NameFR,
		SMTP: notify.SMTPConfig{
			Host:     n.SMTP.Host,
			Port:     n.SMTP.Port,
			Username: n.SMTP.Username,
			Password: n.SMTP.Password.Reveal(),
			TLS:      n.SMTP.TLS,
		},
	}
	if err := nc.Validate(); err != nil {
		var ce *notify.ConfigError
		if errors.As(err, &ce) {
			probs = append(probs, ce.Problems...)
		} else {
			probs = append(probs, err.Error())
		}
	}
	if len(probs) > 0 {
		return nc, &config.Error{Problems: probs}
	}
	return nc, nil
}

// addErr records the problems of err: each line of a *config.Error, each
// error err joins, or err itself.
func addErr(p *problems, err error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		for _, line := range ce.Problems {
			p.addLine(line)
		}
		return
	}
	for _, e := range unjoin(err) {
		p.addLine(validate.OneLine(e.Error()))
	}
}

// unjoin returns the errors err joins, err alone, or nothing for nil.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

// templateKey names the key of a template that failed to render
// ("render email.default.text: …"): notify.templates.<name> when the
// configuration replaces that template.
func templateKey(msg string, files map[string]string) string {
	for _, name := range notify.TemplateNames {
		if rest, ok := strings.CutPrefix(msg, "render "+name+": "); ok && files[name] != "" {
			return "notify.templates." + name + ": " + files[name] + ": cannot render: " + rest
		}
	}
	return msg
}

// sampleInputs are runs the templates are rendered with when the
// configuration is checked, so that a template that fails on real data
// fails here first: a run with findings of every severity, new, resolved
// and still open, an unread source and an attachment; a clean first run;
// and a run that could read nothing.
func sampleInputs() []notify.Input {
	at := time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC)
	f := func(code string, sev validate.Severity, source, sheet, cell string, row int) validate.Finding {
		return validate.Finding{ID: code + cell, Code: code, Severity: sev, Source: source, Sheet: sheet, Row: row, Cell: cell}
	}
	findings := []validate.Finding{
		f(validate.CodeJurisdictionMissing, validate.Error, validate.SourceMembers, "", "", 0),
		f(validate.CodeIssueIncomplete, validate.Warning, validate.SourceIssues, "Issues", "B4", 4),
		f(validate.CodeMemberStatusUnknown, validate.Info, validate.SourceMembers, "Members", "E7", 7),
	}
	entry := func(x validate.Finding, nights int) notify.Entry {
		return notify.Entry{Finding: x, FirstSeen: "2026-11-20", Nights: nights}
	}
	full := notify.Input{
		Date:   "2026-11-29",
		At:     at,
		Result: &validate.Result{Findings: findings},
		Digest: notify.Digest{
			PreviousDate: "2026-11-28",
			New:          []notify.Entry{entry(findings[0], 0)},
			Resolved:     []notify.Entry{entry(findings[1], 9)},
			StillOpen:    []notify.Entry{entry(findings[2], 9)},
			Unchecked:    []notify.Entry{entry(findings[1], 9)},
		},
		Unread:      []notify.Failure{{Source: validate.SourceActivities, Error: "activities: file not found"}},
		ReportPath:  "report-2026-11-29.xlsx",
		ReportError: "",
	}
	clean := notify.Input{Date: "2026-11-29", At: at, Result: &validate.Result{}, Digest: notify.Digest{First: true}}
	none := notify.Input{Date: "2026-11-29", At: at, ReportSkipped: true, Unread: []notify.Failure{
		{Source: validate.SourceMembers, Error: "members: file not found"},
		{Source: validate.SourceIssues, Error: "issues: file not found"},
	}}
	return []notify.Input{full, clean, none}
}

// loadCatalogue returns the embedded EN/FR message catalogue.
func loadCatalogue() (*validate.Catalogue, error) {
	return templates.Catalogue()
}
