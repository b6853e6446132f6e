package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"copsync/notify"
	"copsync/validate"
)

// Options are the choices of one run.
type Options struct {
	// Date is the run date, midnight in schedule.timezone.
	Date time.Time
	// DryRun renders everything and writes the e-mail to the outbox; it
	// sends nothing, takes no snapshot, removes none, writes the report
	// only into a temporary folder (to attach it) and leaves the state of
	// the last run as it was.
	DryRun bool
	// ConfirmDate runs with a date before the last run's.
	ConfirmDate bool
}

// Runner does one pass of the nightly job with its parts.
type Runner struct {
	Sources Sources
	Report  ReportWriter
	// ReportPath is where the report goes, {date} standing for the run
	// date (report.path); a dry run writes it under its base name into a
	// temporary folder.
	ReportPath string
	// IncludePersonalData (notify.include_personal_data) attaches the full
	// report; otherwise the e-mail attaches a copy without personal data.
	IncludePersonalData bool
	// IncludeMembers (report.include_members) says whether the full
	// report has the members' sheet.
	IncludeMembers bool
	Notifier       Notifier
	Sender         notify.Sender
	Undelivered    Undelivered
	State          StateStore
	// Snapshots is nil when snapshots are turned off.
	Snapshots Snapshots
	// Sweep removes the temporary files an interrupted run left behind;
	// it is called under the run lock. Nil sweeps nothing.
	Sweep  func()
	Clock  Clock
	Logger *slog.Logger
	// Deadline is how long the whole run may take (run.deadline).
	Deadline time.Duration
	// NotifyWhen is notify.when, for the log.
	NotifyWhen string
}

// Run does one pass of the nightly job and returns the validation of the
// sources. Its error says why the run is not a success, in this order: an
// e-mail or report not delivered (DeliveryError), a source unreadable
// (*sync.SourceError, after the e-mail saying so went out), a snapshot
// incomplete (DeliveryError); before any work, another run holding the
// lock (notify.ErrLocked) or a run date before the last run's
// (UsageError); an interrupted ctx is its own error.
//
// The whole run works within Deadline: the snapshot and the reading of
// the sources stop when a fifth of it is left, which is kept for the
// report and the e-mail, so that a source that cannot be read in time is
// still reported by e-mail.
func (r *Runner) Run(ctx context.Context, opts Options) (*validate.Result, error) {
	log := logger(r.Logger)
	started := r.Clock.Now()
	clock := time.Now() // the deadline runs on the real clock
	day := opts.Date
	date := day.Format(time.DateOnly)
	reportPath := strings.ReplaceAll(r.ReportPath, "{date}", date)
	deadline := r.Deadline
	ctx, cancel := context.WithDeadline(ctx, clock.Add(deadline))
	defer cancel()
	reserve := deadline / 5

	// The state of the last run. A dry run only reads it: it writes
	// nothing but its e-mail into the outbox.
	locked := false
	if !opts.DryRun {
		release, err := r.State.Lock()
		if err != nil {
			return nil, err
		}
		locked = true
		defer func() {
			if err := release(); err != nil {
				log.Warn("release the lock", "err", err.Error())
			}
		}()
		if r.Sweep != nil {
			r.Sweep()
		}
	}
	prev, err := r.State.Load()
	unavailable := ""
	if errors.Is(err, notify.ErrStateCorrupt) {
		unavailable = r.State.Path()
		if locked {
			if aside, aerr := r.State.SetAside(started); aerr != nil {
				log.Error("the damaged state could not be set aside", "err", validate.OneLine(aerr.Error()))
			} else {
				unavailable = aside
			}
		}
		log.Error("the last run's state is damaged: tonight's findings are not compared with it",
			"err", validate.OneLine(err.Error()), "kept_as", unavailable)
		prev = nil
	} else if err != nil {
		return nil, err
	}
	if !opts.ConfirmDate && prev != nil && prev.Date > date {
		return nil, &UsageError{fmt.Errorf("the run date %s is before the last run's (%s, in %s): check the clock or --date, or add --confirm-date to run with it anyway",
			date, prev.Date, r.State.Path())}
	}
	log.Info("run started", "date", date, "dry_run", opts.DryRun, "deadline", deadline.String())

	// 1. Snapshot the sources while 2. reading and validating them, until
	// a fifth of the deadline is left. The snapshot and the read share the
	// Google Sheets client ctx carries, so each spreadsheet is fetched
	// once per run.
	readCtx, cancelRead := context.WithDeadline(ctx, clock.Add(deadline-reserve))
	defer cancelRead()
	var snapErr error
	var snapWritten []string
	snapped := make(chan struct{})
	switch {
	case opts.DryRun:
		log.Info("dry run: no snapshot is taken and none is removed")
		close(snapped)
	case r.Snapshots != nil:
		go func() {
			defer close(snapped)
			snapWritten, _, snapErr = r.Snapshots.Take(readCtx, day)
		}()
	default:
		close(snapped)
	}
	out, err := r.Sources.Read(readCtx, day, true)
	<-snapped
	switch {
	case snapErr != nil && errors.Is(ctx.Err(), context.Canceled):
		return nil, ctx.Err()
	case snapErr != nil:
		log.Error("snapshot incomplete", "err", validate.OneLine(snapErr.Error()))
	case r.Snapshots != nil && !opts.DryRun:
		log.Info("sources snapshotted", "files", len(snapWritten))
	}
	if err != nil {
		return nil, err
	}
	for _, u := range out.Unread {
		log.Error("source unreadable", "source", u.Source, "err", u.Error)
	}
	res := out.Result
	log.Info("sources validated", "findings", len(res.Findings), "errors", res.Summary.Errors,
		"warnings", res.Summary.Warnings, "unread", len(out.Unread))

	// 3. The report workbook, when every source was read; a dry run
	// writes it into a temporary folder, for the e-mail only.
	in := notify.Input{Date: date, At: started, Result: res, Unread: out.Unread}
	if snapErr != nil {
		in.SnapshotError = validate.OneLine(snapErr.Error())
	}
	if len(out.Unread) == 0 {
		target := ""
		if opts.DryRun {
			tmp, err := os.MkdirTemp("", "copsync-dry-run-")
			if err != nil {
				return nil, fmt.Errorf("dry run: %w", err)
			}
			defer os.RemoveAll(tmp)
			target = filepath.Join(tmp, filepath.Base(reportPath))
		}
		reportCtx, cancelReport := context.WithDeadline(ctx, clock.Add(deadline-reserve/2))
		// The e-mail attaches the full report only when it may hold
		// personal data; otherwise a copy without it, built aside — with
		// more than one processor at the same time as the report, and
		// stopped when the report fails — and sent only when the report
		// was written.
		in.ReportFull, in.ReportMembers = r.IncludePersonalData, r.IncludePersonalData && r.IncludeMembers
		var attach func() written
		attachCtx, cancelAttach := context.WithCancel(reportCtx)
		if !r.IncludePersonalData {
			dir, err := os.MkdirTemp("", "copsync-attachment-")
			if err == nil {
				defer os.RemoveAll(dir)
			}
			attach = func() written {
				if err != nil {
					return written{"", err}
				}
				p, err := r.Report.WriteAttachment(attachCtx, out.Validation, dir, filepath.Base(reportPath))
				return written{p, err}
			}
		}
		var attached chan written
		if attach != nil && runtime.GOMAXPROCS(0) > 1 {
			attached = make(chan written, 1)
			go func() { attached <- attach() }()
		}
		path, err := r.Report.WriteReport(reportCtx, out.Validation, target)
		if err != nil || path == "" {
			cancelAttach() // its copy would not be sent
		}
		if attach != nil {
			var a written
			if attached != nil {
				a = <-attached
			} else if err == nil && path != "" {
				a = attach()
			}
			if err == nil && path != "" {
				in.FullReportPath = path
				path, err = a.path, a.err
			}
		}
		cancelAttach()
		cancelReport()
		switch {
		case err != nil && errors.Is(ctx.Err(), context.Canceled):
			return nil, ctx.Err()
		case err != nil:
			log.Error("report not written", "err", validate.OneLine(err.Error()))
			in.ReportError = validate.OneLine(err.Error())
		case path != "":
			in.ReportPath = path
		}
	} else {
		in.ReportSkipped = true
		log.Warn("report not written: a source could not be read")
	}
	if len(out.Unread) == r.Sources.Count() {
		in.Result = nil
	}

	// 4. Compare with the last run.
	digest, next := notify.Compare(prev, notify.Run{At: started, Date: date, Summary: res.Summary, Findings: res.Findings, Unread: out.UnreadNames()})
	if unavailable != "" {
		digest.First, digest.Unavailable = false, unavailable
	}
	in.Digest = digest
	log.Info("compared with the last run", "first", digest.First, "previous", digest.PreviousDate,
		"new", len(digest.New), "resolved", len(digest.Resolved), "still_open", len(digest.StillOpen),
		"comparison_unavailable", unavailable != "")
	if pd, err := r.State.LoadDelivery(); err == nil {
		in.PreviousDelivery = pd
	} else if locked {
		log.Warn("the last delivery report is unreadable", "err", validate.OneLine(err.Error()))
	}
	if n, dir, err := r.Undelivered.Waiting(); err == nil && n > 0 {
		in.Undelivered, in.UndeliveredDir = n, dir
		log.Warn("messages not delivered to every recipient wait in the outbox", "dir", dir, "messages", n)
	}

	// 5. Notify, with what is left of the deadline.
	var deliveryErr error
	delivered := true // the e-mail reached someone, or there was none
	if r.Notifier.ShouldSend(in) {
		email, err := r.Notifier.Compose(in)
		if err != nil {
			return nil, &UsageError{err}
		}
		// The sender logs where the message went.
		d, err := r.Sender.Send(ctx, email)
		if errors.Is(ctx.Err(), context.Canceled) {
			return nil, ctx.Err()
		}
		if err != nil {
			log.Error("e-mail not delivered to every recipient", "err", validate.OneLine(err.Error()),
				"accepted", len(d.Accepted), "refused", len(d.Refused))
			deliveryErr = err
			delivered = len(d.Accepted) > 0
		}
		report := r.deliveryReport(ctx, date, email, d, err)
		if locked {
			if err := r.State.SaveDelivery(report); err != nil {
				log.Error("the delivery report could not be saved", "err", validate.OneLine(err.Error()))
			}
		}
	} else {
		log.Info("no e-mail: nothing to tell under notify.when", "when", r.NotifyWhen)
	}

	// 6. Keep this run's findings for the next, once the run is complete:
	// every source read and the e-mail delivered to at least one
	// recipient (who then knows the news; the others are told next time).
	// A dry run keeps nothing.
	switch {
	case opts.DryRun:
		log.Info("dry run: the state of the last run is kept")
	case len(out.Unread) > 0 || !delivered:
		log.Warn("the state of the last run is kept: this run is incomplete")
	default:
		if err := r.State.Save(next); err != nil {
			return nil, err
		}
		log.Debug("state saved", "path", r.State.Path())
	}
	log.Info("run finished", "duration", r.Clock.Now().Sub(started).Round(time.Millisecond).String())

	switch {
	case deliveryErr != nil:
		return res, &DeliveryError{deliveryErr}
	case in.ReportError != "":
		return res, &DeliveryError{errors.New("write the report: " + in.ReportError)}
	case len(out.Errs) > 0:
		return res, errors.Join(out.Errs...)
	case snapErr != nil:
		// Not a source error: the sources were read; their copy failed.
		return res, &DeliveryError{fmt.Errorf("snapshot incomplete: %w", snapErr)}
	}
	return res, nil
}

// deliveryReport keeps a copy of an e-mail that did not reach every
// recipient in the undelivered folder, and returns the record the next run
// reads to say so (nil when everyone received it). The record names
// recipients by their place in notify.to: a server's reply that quotes an
// address has it replaced.
func (r *Runner) deliveryReport(ctx context.Context, date string, email *notify.Email, d notify.Delivery, sendErr error) *notify.DeliveryReport {
	if sendErr == nil {
		return nil
	}
	rep := &notify.DeliveryReport{Date: date, Recipients: len(email.To)}
	redact := func(s string) string {
		for i, to := range email.To {
			s = strings.ReplaceAll(s, to, fmt.Sprintf("notify.to[%d]", i))
		}
		return s
	}
	for _, x := range d.Refused {
		rep.Refused = append(rep.Refused, notify.RefusedRecipient{Index: x.Index, Code: x.Code, Reply: redact(x.Reply)})
	}
	if len(rep.Refused) == 0 {
		// The outbox, or a failure before any recipient was tried.
		for i := range email.To {
			rep.Refused = append(rep.Refused, notify.RefusedRecipient{Index: i, Reply: redact(validate.OneLine(sendErr.Error()))})
		}
	}
	// A local write, which the run's deadline must not prevent.
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	kept, err := r.Undelivered.Keep(kctx, email)
	if err != nil {
		logger(r.Logger).Error("the undelivered e-mail could not be kept in the outbox", "err", validate.OneLine(err.Error()))
	} else {
		rep.Kept = kept
	}
	return rep
}

// written is where a file was written, or why it was not.
type written struct {
	path string
	err  error
}
