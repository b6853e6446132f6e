package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"copsync/job"
	"copsync/notify"
	"copsync/validate"
)

// runOptions are the flags of copsync run.
type runOptions struct {
	dryRun        bool
	failOn        validate.Severity
	failOnEnabled bool
}

func (a *app) runCmd() *cobra.Command {
	var dryRun bool
	var failOnFlag string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "One pass of the nightly job: snapshot, validate, report, compare with the last run, e-mail",
		Long: `run does one pass of the nightly job and exits: it snapshots the sources,
validates them, writes the report workbook, compares the findings with the
last run's (new, resolved, still open), and e-mails the result — or writes
it as a .eml file into notify.outbox when notify.smtp.host is empty.

With --dry-run it renders everything and writes the e-mail to the outbox,
sends nothing, takes no snapshot, removes none, writes the report only into
a temporary folder (to attach it) and leaves the state of the last run as
it was.

Two runs never overlap: a run takes a lock in state.dir, and a second run
exits at once (code 5) while the first holds it. The whole run works within
run.deadline. A run date after tomorrow, or before the last run's, is
refused unless --confirm-date is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			threshold, enabled, err := parseFailOn(failOnFlag)
			if err != nil {
				return err
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			return a.runJob(cmd.Context(), runOptions{dryRun: dryRun, failOn: threshold, failOnEnabled: enabled})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "render and write the e-mail to the outbox; send nothing, keep the state")
	cmd.Flags().StringVar(&failOnFlag, "fail-on", "none", "exit 1 when a finding is at least this severe: none, warning or error")
	return cmd
}

// notifyConfig returns the notifier's configuration (notifySettings).
func (a *app) notifyConfig() (notify.Config, error) { return notifySettings(a.cfg) }

// runJob wires one pass of the nightly job (job.Runner) from the
// configuration and runs it. Its error decides the exit code: another run
// holding the lock (5), a source that could not be read (3, after the
// e-mail saying so went out), a report, snapshot or e-mail that could not
// be delivered (4), findings at or above --fail-on (1).
func (a *app) runJob(ctx context.Context, opts runOptions) error {
	day, err := a.runDate()
	if err != nil {
		return err
	}
	if err := a.checkRunDate(day); err != nil {
		return err
	}
	ncfg, err := a.notifyConfig()
	if err != nil {
		return err
	}
	// The configuration was checked, its templates parsed and rendered
	// once (checkConfig): the run uses that composer.
	var composer *notify.Composer
	if a.parts != nil {
		composer = a.parts.composer
	}
	if composer == nil {
		if composer, err = notify.NewComposer(ncfg, a.cat, nil); err != nil {
			return &usageError{Err: err}
		}
	}
	composer = composer.WithLogger(a.logger)
	sender, err := a.sender(ncfg, opts.dryRun)
	if err != nil {
		return err
	}
	reportPath := strings.ReplaceAll(a.cfg.Report.Path, "{date}", day.Format(time.DateOnly))
	if err := a.checkOutputs(map[string]string{
		"report.path": reportPath, "state.dir": a.cfg.State.Dir, "notify.outbox": a.cfg.Notify.Outbox,
		"sync.snapshot_dir": a.cfg.Sync.SnapshotDir,
	}); err != nil {
		return err
	}
	sources, err := a.reader()
	if err != nil {
		return err
	}
	r := &job.Runner{
		Sources:             sources,
		Report:              reportWriter{a},
		ReportPath:          a.cfg.Report.Path,
		IncludePersonalData: ncfg.IncludePersonalData,
		IncludeMembers:      a.cfg.Report.IncludeMembers,
		Notifier:            job.Mailer{Config: ncfg, Composer: composer},
		Sender:              sender,
		Undelivered:         job.OutboxUndelivered{Outbox: a.cfg.Notify.Outbox, Logger: a.logger},
		State:               &job.FileState{Dir: a.cfg.State.Dir},
		Sweep:               a.cleanStale,
		Clock:               job.ClockFunc(a.now),
		Logger:              a.logger,
		Deadline:            a.cfg.RunDeadline(),
		NotifyWhen:          ncfg.When,
	}
	if a.cfg.Sync.SnapshotDir != "" {
		r.Snapshots = a.snapshots()
	}
	// The snapshot and the read share one Google Sheets client, so each
	// spreadsheet is fetched once per run.
	res, err := r.Run(a.withGSheets(ctx), job.Options{Date: day, DryRun: opts.dryRun, ConfirmDate: a.confirmDate})
	if err != nil {
		return err
	}
	return failOn(res, opts.failOn, opts.failOnEnabled)
}

// reportWriter writes the run's report workbook (writeReport).
type reportWriter struct{ a *app }

var _ job.ReportWriter = reportWriter{}

// WriteReport writes the report of v to target, or report.path.
func (w reportWriter) WriteReport(ctx context.Context, v *job.Validation, target string) (string, error) {
	return w.a.writeReport(ctx, v, target, "")
}

// WriteAttachment writes the e-mail's copy of the report, without
// personal data, into dir.
func (w reportWriter) WriteAttachment(ctx context.Context, v *job.Validation, dir, name string) (string, error) {
	return w.a.writeAttachment(ctx, v, dir, name)
}

// sender returns where the e-mail goes: the outbox on a dry run or without
// a mail server, the server otherwise.
func (a *app) sender(c notify.Config, dryRun bool) (notify.Sender, error) {
	if dryRun || c.SMTP.Host == "" {
		return notify.NewOutbox(c.Outbox, a.logger), nil
	}
	s, err := notify.NewSMTPSender(c.SMTP, a.logger)
	if err != nil {
		return nil, &usageError{Err: err}
	}
	return s, nil
}
