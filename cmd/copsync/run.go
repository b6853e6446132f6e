package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// runJob is one pass of the nightly job. Its error decides the exit code:
// another run holding the lock (5), a source that could not be read (3,
// after the e-mail saying so went out), a report, snapshot or e-mail that
// could not be delivered (4), findings at or above --fail-on (1).
//
// The whole run works within run.deadline: the snapshot and the reading
// of the sources stop when a fifth of it is left, which is kept for the
// report and the e-mail, so that a source that cannot be read in time is
// still reported by e-mail.
func (a *app) runJob(ctx context.Context, opts runOptions) error {
	log := a.logger
	started := a.now()
	clock := time.Now() // the deadline runs on the real clock
	day, err := a.runDate()
	if err != nil {
		return err
	}
	if err := a.checkRunDate(day); err != nil {
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
	reportPath := strings.ReplaceAll(a.cfg.Report.Path, "{date}", date)
	if err := a.checkOutputs(map[string]string{
		"report.path": reportPath, "state.dir": a.cfg.State.Dir, "notify.outbox": a.cfg.Notify.Outbox,
		"sync.snapshot_dir": a.cfg.Sync.SnapshotDir,
	}); err != nil {
		return err
	}
	deadline := a.cfg.RunDeadline()
	ctx, cancel := context.WithDeadline(ctx, clock.Add(deadline))
	defer cancel()
	reserve := deadline / 5

	// The state of the last run. A dry run only reads it: it writes
	// nothing but its e-mail into the outbox.
	var store *notify.Store
	var prev *notify.State
	if opts.dryRun {
		prev, err = notify.LoadState(a.cfg.State.Dir)
	} else {
		if store, err = notify.OpenStore(a.cfg.State.Dir); err != nil {
			return fmt.Errorf("state.dir: %w", err)
		}
		lock, lerr := store.Lock()
		if errors.Is(lerr, notify.ErrLocked) {
			return &codedError{code: exitLocked, err: lerr}
		}
		if lerr != nil {
			return &codedError{code: exitFailure, err: lerr}
		}
		defer func() {
			if err := lock.Unlock(); err != nil {
				log.Warn("release the lock", "err", err.Error())
			}
		}()
		a.cleanStale()
		prev, err = store.Load()
	}
	unavailable := ""
	if errors.Is(err, notify.ErrStateCorrupt) {
		unavailable = filepath.Join(a.cfg.State.Dir, notify.StateFile)
		if store != nil {
			if aside, aerr := store.SetAside(started); aerr != nil {
				log.Error("the damaged state could not be set aside", "err", oneLine(aerr.Error()))
			} else {
				unavailable = aside
			}
		}
		log.Error("the last run's state is damaged: tonight's findings are not compared with it",
			"err", oneLine(err.Error()), "kept_as", unavailable)
		prev = nil
	} else if err != nil {
		return &codedError{code: exitFailure, err: err}
	}
	if err := a.checkAfterLastRun(day, prev); err != nil {
		return err
	}
	log.Info("run started", "date", date, "dry_run", opts.dryRun, "deadline", deadline.String())

	// 1. Snapshot the sources, and 2. read and validate them, until a
	// fifth of the deadline is left. The snapshot and the read share one
	// Google Sheets client, so each spreadsheet is fetched once per run.
	readCtx, cancelRead := context.WithDeadline(ctx, clock.Add(deadline-reserve))
	defer cancelRead()
	readCtx = a.withGSheets(readCtx)
	var snapErr error
	if opts.dryRun {
		log.Info("dry run: no snapshot is taken and none is removed")
	} else if snapErr = a.snapshot(readCtx, day); snapErr != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err()
		}
		log.Error("snapshot incomplete", "err", oneLine(snapErr.Error()))
	}
	out, err := a.readSources(readCtx, day, true)
	if err != nil {
		return err
	}
	for _, u := range out.unread {
		log.Error("source unreadable", "source", u.Source, "err", u.Error)
	}
	res := out.val.res
	log.Info("sources validated", "findings", len(res.Findings), "errors", res.Summary.Errors,
		"warnings", res.Summary.Warnings, "unread", len(out.unread))

	// 3. The report workbook, when every source was read; a dry run
	// writes it into a temporary folder, for the e-mail only.
	in := notify.Input{Date: date, At: started, Result: res, Unread: out.unread}
	if snapErr != nil {
		in.SnapshotError = oneLine(snapErr.Error())
	}
	if len(out.unread) == 0 {
		target := ""
		if opts.dryRun {
			tmp, err := os.MkdirTemp("", "copsync-dry-run-")
			if err != nil {
				return &codedError{code: exitFailure, err: fmt.Errorf("dry run: %w", err)}
			}
			defer os.RemoveAll(tmp)
			target = filepath.Join(tmp, filepath.Base(reportPath))
		}
		reportCtx, cancelReport := context.WithDeadline(ctx, clock.Add(deadline-reserve/2))
		path, err := a.writeReport(reportCtx, out.val, target, "")
		// The e-mail attaches the full report only when it may hold
		// personal data; otherwise a copy without it, built aside.
		in.ReportFull, in.ReportMembers = ncfg.IncludePersonalData, ncfg.IncludePersonalData && a.cfg.Report.IncludeMembers
		if err == nil && path != "" && !ncfg.IncludePersonalData {
			var dir string
			if dir, err = os.MkdirTemp("", "copsync-attachment-"); err == nil {
				defer os.RemoveAll(dir)
				in.FullReportPath = path
				path, err = a.writeAttachment(reportCtx, out.val, dir, filepath.Base(path))
			}
		}
		cancelReport()
		switch {
		case err != nil && errors.Is(ctx.Err(), context.Canceled):
			return ctx.Err()
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
	var unreadNames []string
	for _, u := range out.unread {
		unreadNames = append(unreadNames, u.Source)
	}
	digest, next := notify.Compare(prev, notify.Run{At: started, Date: date, Summary: res.Summary, Findings: res.Findings, Unread: unreadNames})
	if unavailable != "" {
		digest.First, digest.Unavailable = false, unavailable
	}
	in.Digest = digest
	log.Info("compared with the last run", "first", digest.First, "previous", digest.PreviousDate,
		"new", len(digest.New), "resolved", len(digest.Resolved), "still_open", len(digest.StillOpen),
		"comparison_unavailable", unavailable != "")
	if store != nil {
		if pd, err := store.LoadDelivery(); err != nil {
			log.Warn("the last delivery report is unreadable", "err", oneLine(err.Error()))
		} else {
			in.PreviousDelivery = pd
		}
	} else if pd, err := notify.LoadDeliveryReport(a.cfg.State.Dir); err == nil {
		in.PreviousDelivery = pd
	}
	if waiting, err := notify.Undelivered(a.cfg.Notify.Outbox); err == nil && len(waiting) > 0 {
		in.Undelivered, in.UndeliveredDir = len(waiting), notify.UndeliveredDir(a.cfg.Notify.Outbox)
		log.Warn("messages not delivered to every recipient wait in the outbox", "dir", in.UndeliveredDir, "messages", len(waiting))
	}

	// 5. Notify, with what is left of the deadline.
	var deliveryErr error
	delivered := true // the e-mail reached someone, or there was none
	if ncfg.ShouldSend(in) {
		email, err := composer.Compose(in)
		if err != nil {
			return &usageError{err}
		}
		// The sender logs where the message went.
		d, err := sender.Send(ctx, email)
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err()
		}
		if err != nil {
			log.Error("e-mail not delivered to every recipient", "err", oneLine(err.Error()),
				"accepted", len(d.Accepted), "refused", len(d.Refused))
			deliveryErr = err
			delivered = len(d.Accepted) > 0
		}
		report := a.deliveryReport(ctx, date, email, d, err)
		if store != nil {
			if err := store.SaveDelivery(report); err != nil {
				log.Error("the delivery report could not be saved", "err", oneLine(err.Error()))
			}
		}
	} else {
		log.Info("no e-mail: nothing to tell under notify.when", "when", ncfg.When)
	}

	// 6. Keep this run's findings for the next, once the run is complete:
	// every source read and the e-mail delivered to at least one
	// recipient (who then knows the news; the others are told next time).
	// A dry run keeps nothing.
	switch {
	case opts.dryRun:
		log.Info("dry run: the state of the last run is kept")
	case len(out.unread) > 0 || !delivered:
		log.Warn("the state of the last run is kept: this run is incomplete")
	default:
		if err := store.Save(next); err != nil {
			return &codedError{code: exitFailure, err: err}
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
	case snapErr != nil:
		// Not a source error: the sources were read; their copy failed.
		return &codedError{code: exitDelivery, err: fmt.Errorf("snapshot incomplete: %w", snapErr)}
	}
	return failOn(res, opts.failOn, opts.failOnEnabled)
}

// deliveryReport keeps a copy of an e-mail that did not reach every
// recipient in the outbox's undelivered folder, and returns the record the
// next run reads to say so (nil when everyone received it). The record
// names recipients by their place in notify.to: a server's reply that
// quotes an address has it replaced.
func (a *app) deliveryReport(ctx context.Context, date string, email *notify.Email, d notify.Delivery, sendErr error) *notify.DeliveryReport {
	if sendErr == nil {
		return nil
	}
	r := &notify.DeliveryReport{Date: date, Recipients: len(email.To)}
	redact := func(s string) string {
		for i, to := range email.To {
			s = strings.ReplaceAll(s, to, fmt.Sprintf("notify.to[%d]", i))
		}
		return s
	}
	for _, x := range d.Refused {
		r.Refused = append(r.Refused, notify.RefusedRecipient{Index: x.Index, Code: x.Code, Reply: redact(x.Reply)})
	}
	if len(r.Refused) == 0 {
		// The outbox, or a failure before any recipient was tried.
		for i := range email.To {
			r.Refused = append(r.Refused, notify.RefusedRecipient{Index: i, Reply: redact(oneLine(sendErr.Error()))})
		}
	}
	// A local write, which the run's deadline must not prevent.
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	kept, err := notify.NewOutbox(notify.UndeliveredDir(a.cfg.Notify.Outbox), a.logger).Send(kctx, email)
	if err != nil {
		a.logger.Error("the undelivered e-mail could not be kept in the outbox", "err", oneLine(err.Error()))
	} else {
		r.Kept = kept.Where
	}
	return r
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
