package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

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
sends nothing and leaves the state of the last run as it was.

Two runs never overlap: a run takes a lock in state.dir, and a second run
exits at once (code 2) while the first holds it.`,
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

// runJob is one pass of the nightly job. Its error decides the exit code:
// a second run while one holds the lock (2), a source that could not be
// read (3, after the e-mail saying so went out), a report or e-mail that
// could not be delivered (4), findings at or above --fail-on (1).
func (a *app) runJob(ctx context.Context, opts runOptions) error {
	log := a.logger
	started := a.now()
	day, err := a.runDate()
	if err != nil {
		return err
	}
	date := day.Format(time.DateOnly)
	ncfg, err := a.notifyConfig()
	if err != nil {
		return err
	}
	composer, err := notify.NewComposer(ncfg, a.cat, log)
	if err != nil {
		return &usageError{err}
	}
	sender, err := a.sender(ncfg, opts.dryRun)
	if err != nil {
		return err
	}

	store, err := notify.OpenStore(a.cfg.State.Dir)
	if err != nil {
		return fmt.Errorf("state.dir: %w", err)
	}
	lock, err := store.Lock()
	if errors.Is(err, notify.ErrLocked) {
		return &codedError{code: exitUsage, err: err}
	}
	if err != nil {
		return err
	}
	defer func() {
		if err := lock.Unlock(); err != nil {
			log.Warn("release the lock", "err", err.Error())
		}
	}()
	log.Info("run started", "date", date, "dry_run", opts.dryRun)

	// 1. Snapshot the sources. The snapshot and the read share one Google
	// Sheets client, so each spreadsheet is fetched once per run.
	ctx = a.withGSheets(ctx)
	if err := a.snapshot(ctx, day); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Warn("snapshot incomplete", "err", oneLine(err.Error()))
	}

	// 2. Read and validate.
	out, err := a.readSources(ctx, day, true)
	if err != nil {
		return err
	}
	for _, u := range out.unread {
		log.Error("source unreadable", "source", u.Source, "err", u.Error)
	}
	res := out.val.res
	log.Info("sources validated", "findings", len(res.Findings), "errors", res.Summary.Errors,
		"warnings", res.Summary.Warnings, "unread", len(out.unread))

	// 3. The report workbook, when every source was read.
	in := notify.Input{Date: date, At: started, Result: res, Unread: out.unread}
	if len(out.unread) == 0 {
		path, err := a.writeReport(ctx, out.val, "", "")
		switch {
		case err != nil:
			log.Error("report not written", "err", oneLine(err.Error()))
			in.ReportError = oneLine(err.Error())
		case path != "":
			in.ReportPath = path
		}
	} else {
		in.ReportSkipped = true
		log.Warn("report not written: a source could not be read")
	}
	if len(out.unread) == len(configuredSources(a.cfg)) {
		in.Result = nil
	}

	// 4. Compare with the last run.
	prev, err := store.Load()
	if errors.Is(err, notify.ErrStateCorrupt) {
		log.Warn("the last run's state is unreadable; comparing with nothing", "err", oneLine(err.Error()))
		prev = nil
	} else if err != nil {
		return err
	}
	var unreadNames []string
	for _, u := range out.unread {
		unreadNames = append(unreadNames, u.Source)
	}
	digest, next := notify.Compare(prev, notify.Run{At: started, Date: date, Summary: res.Summary, Findings: res.Findings, Unread: unreadNames})
	in.Digest = digest
	log.Info("compared with the last run", "first", digest.First, "previous", digest.PreviousDate,
		"new", len(digest.New), "resolved", len(digest.Resolved), "still_open", len(digest.StillOpen))

	// 5. Notify.
	var deliveryErr error
	if ncfg.ShouldSend(in) {
		email, err := composer.Compose(in)
		if err != nil {
			return &usageError{err}
		}
		// The sender logs where the message went.
		if _, err := sender.Send(ctx, email); err != nil {
			log.Error("e-mail not delivered", "err", oneLine(err.Error()))
			deliveryErr = err
		}
	} else {
		log.Info("no e-mail: nothing to tell under notify.when", "when", ncfg.When)
	}

	// 6. Keep this run's findings for the next, once the run is complete:
	// every source read and the e-mail delivered. A dry run keeps nothing.
	switch {
	case opts.dryRun:
		log.Info("dry run: the state of the last run is kept")
	case len(out.unread) > 0 || deliveryErr != nil:
		log.Warn("the state of the last run is kept: this run is incomplete")
	default:
		if err := store.Save(next); err != nil {
			return err
		}
		log.Debug("state saved", "dir", store.Dir())
	}
	log.Info("run finished", "duration", a.now().Sub(started).Round(time.Millisecond).String())

	switch {
	case deliveryErr != nil:
		return &deliveryError{deliveryErr}
	case in.ReportError != "":
		return &deliveryError{errors.New("write the report: " + in.ReportError)}
	case len(out.errs) > 0:
		return errors.Join(out.errs...)
	}
	return failOn(res, opts.failOn, opts.failOnEnabled)
}

// sender returns where the e-mail goes: the outbox on a dry run or without
// a mail server, the server otherwise.
func (a *app) sender(c notify.Config, dryRun bool) (notify.Sender, error) {
	if dryRun || c.SMTP.Host == "" {
		return notify.NewOutbox(c.Outbox, a.logger), nil
	}
	s, err := notify.NewSMTPSender(c.SMTP, a.logger)
	if err != nil {
		return nil, &usageError{err}
	}
	return s, nil
}
