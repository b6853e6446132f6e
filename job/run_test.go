package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// fakes are a Runner's parts, all fakes.
type fakes struct {
	sources  *fakeSources
	report   *fakeReport
	notifier *fakeNotifier
	sender   *fakeSender
	box      *fakeUndelivered
	state    *fakeState
	snaps    *fakeSnapshots
	swept    int
}

func newFakes() *fakes {
	return &fakes{
		sources:  &fakeSources{out: readOutcome(), count: 2},
		report:   &fakeReport{written: "reports/report-2026-12-03.xlsx"},
		notifier: &fakeNotifier{},
		sender:   &fakeSender{},
		box:      &fakeUndelivered{},
		state:    &fakeState{},
		snaps:    &fakeSnapshots{},
	}
}

var testDay = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

func (f *fakes) runner() *Runner {
	return &Runner{
		Sources:     f.sources,
		Report:      f.report,
		ReportPath:  "reports/report-{date}.xlsx",
		Notifier:    f.notifier,
		Sender:      f.sender,
		Undelivered: f.box,
		State:       f.state,
		Snapshots:   f.snaps,
		Sweep:       func() { f.swept++ },
		Clock:       ClockFunc(func() time.Time { return testDay.Add(6 * time.Hour) }),
		Deadline:    time.Hour,
	}
}

func TestRunner(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		setup func(*fakes)
		// check looks at the parts after the run and its error.
		check func(t *testing.T, f *fakes, res *validate.Result, err error)
	}{
		{
			name: "a complete run reports, e-mails and keeps its findings",
			check: func(t *testing.T, f *fakes, res *validate.Result, err error) {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if !f.state.locked || !f.state.released || f.swept != 1 {
					t.Errorf("locked %v, released %v, swept %d: want the lock taken, released, and one sweep under it", f.state.locked, f.state.released, f.swept)
				}
				if f.snaps.taken != 1 || f.sender.sent != 1 {
					t.Errorf("snapshots %d, e-mails %d: want 1 and 1", f.snaps.taken, f.sender.sent)
				}
				// Without notify.include_personal_data the e-mail attaches
				// the copy without personal data and names the full one.
				in := f.notifier.inputs[0]
				if len(f.report.attachments) != 1 || in.ReportPath != f.report.attachments[0] || in.FullReportPath != f.report.written {
					t.Errorf("e-mail attaches %q (copies %q), names %q: want the copy, and the full report %q",
						in.ReportPath, f.report.attachments, in.FullReportPath, f.report.written)
				}
				if f.state.saved == nil || f.state.saved.Date != "2026-12-03" || len(f.state.saved.Findings) != 2 {
					t.Errorf("state saved = %+v, want the 2 findings of 2026-12-03", f.state.saved)
				}
				if f.state.delivery != nil || f.state.deliverys != 1 {
					t.Errorf("delivery record %+v saved %d times: want nil once (everyone has it)", f.state.delivery, f.state.deliverys)
				}
				if res == nil || len(res.Findings) != 2 {
					t.Errorf("result %+v, want the 2 findings", res)
				}
				if !f.sources.keep {
					t.Error("the tables were not kept for the report")
				}
			},
		},
		{
			name: "the read leaves a fifth of the deadline for the report and the e-mail",
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				left := time.Until(f.sources.deadline)
				if left > 48*time.Minute+time.Second || left < 47*time.Minute {
					t.Errorf("the read may last %v, want 48m of the hour", left.Round(time.Second))
				}
			},
		},
		{
			name: "a dry run writes only its e-mail: no lock, no snapshot, no state, the report in a temporary folder",
			opts: Options{DryRun: true},
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if f.state.locked || f.swept != 0 || f.snaps.taken != 0 || f.state.saves != 0 || f.state.deliverys != 0 {
					t.Errorf("locked %v swept %d snapshots %d saves %d delivery records %d: want none", f.state.locked, f.swept, f.snaps.taken, f.state.saves, f.state.deliverys)
				}
				target := f.report.targets[0]
				if filepath.Base(target) != "report-2026-12-03.xlsx" || !strings.HasPrefix(filepath.Base(filepath.Dir(target)), "copsync-dry-run-") {
					t.Errorf("dry-run report target %q, want report-2026-12-03.xlsx in a copsync-dry-run- folder", target)
				}
				if _, err := os.Stat(filepath.Dir(target)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the dry run's temporary folder %s is left behind (%v)", filepath.Dir(target), err)
				}
				if f.sender.sent != 1 {
					t.Errorf("e-mails %d, want 1 (to the outbox)", f.sender.sent)
				}
			},
		},
		{
			name:  "another run holds the lock: nothing is done",
			setup: func(f *fakes) { f.state.lockErr = errors.Join(notify.ErrLocked) },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if !errors.Is(err, notify.ErrLocked) {
					t.Fatalf("Run = %v, want notify.ErrLocked", err)
				}
				if f.sources.reads != 0 || f.snaps.taken != 0 || f.sender.sent != 0 || f.swept != 0 {
					t.Errorf("reads %d snapshots %d e-mails %d sweeps %d: want nothing done", f.sources.reads, f.snaps.taken, f.sender.sent, f.swept)
				}
			},
		},
		{
			name:  "a run date before the last run's is refused",
			setup: func(f *fakes) { f.state.prev = &notify.State{Date: "2026-12-04"} },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), "2026-12-04") {
					t.Fatalf("Run = %v, want a UsageError naming the last run's date", err)
				}
				if f.sources.reads != 0 || f.sender.sent != 0 {
					t.Errorf("reads %d e-mails %d: want none", f.sources.reads, f.sender.sent)
				}
			},
		},
		{
			name:  "a run date before the last run's runs with ConfirmDate",
			opts:  Options{ConfirmDate: true},
			setup: func(f *fakes) { f.state.prev = &notify.State{Date: "2026-12-04"} },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
			},
		},
		{
			name:  "a damaged state is set aside and the e-mail says the comparison is unavailable",
			setup: func(f *fakes) { f.state.loadErr = errors.Join(notify.ErrStateCorrupt) },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				d := f.notifier.inputs[0].Digest
				if f.state.aside == "" || d.Unavailable != f.state.aside || d.First {
					t.Errorf("set aside as %q, digest unavailable %q first %v: want the new path and not a first run", f.state.aside, d.Unavailable, d.First)
				}
				if f.state.saves != 1 {
					t.Errorf("state saved %d times, want once: tonight's findings start afresh", f.state.saves)
				}
			},
		},
		{
			name:  "an unread source: no report, the e-mail says so, the last state is kept, the source error is returned",
			setup: func(f *fakes) { f.sources.out = unreadOutcome() },
			check: func(t *testing.T, f *fakes, res *validate.Result, err error) {
				var se *sync.SourceError
				if !errors.As(err, &se) || se.Source != validate.SourceIssues {
					t.Fatalf("Run = %v, want the issues' *sync.SourceError", err)
				}
				in := f.notifier.inputs[0]
				if len(f.report.targets) != 0 || !in.ReportSkipped || len(in.Unread) != 1 {
					t.Errorf("report targets %v, skipped %v, unread %v: want no report, skipped, the issues unread", f.report.targets, in.ReportSkipped, in.Unread)
				}
				if in.Result == nil {
					t.Error("the e-mail lost the members' findings, which were read")
				}
				if f.state.saves != 0 {
					t.Error("the state was replaced by an incomplete run")
				}
				if res.Summary.Warnings != 0 || res.Summary.Errors != 1 {
					t.Errorf("summary errors %d warnings %d, want 1 and 0 once the issues' warning is dropped", res.Summary.Errors, res.Summary.Warnings)
				}
			},
		},
		{
			name: "every source unread: the e-mail has no result",
			setup: func(f *fakes) {
				f.sources.out = unreadOutcome()
				f.sources.count = 1
			},
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err == nil || f.notifier.inputs[0].Result != nil {
					t.Errorf("Run = %v, e-mail result %v: want an error and no result", err, f.notifier.inputs[0].Result)
				}
			},
		},
		{
			name:  "an e-mail refused by everyone is kept undelivered, recorded without addresses, and the state kept",
			setup: func(f *fakes) { f.sender.refuse = true },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				var de *DeliveryError
				if !errors.As(err, &de) {
					t.Fatalf("Run = %v, want a DeliveryError", err)
				}
				r := f.state.delivery
				if len(f.box.kept) != 1 || r == nil || r.Kept != "outbox/undelivered/1.eml" || len(r.Refused) != 2 {
					t.Fatalf("kept %d, record %+v: want the message kept and both recipients recorded", len(f.box.kept), r)
				}
				for _, x := range r.Refused {
					if strings.Contains(x.Reply, "@") {
						t.Errorf("the record quotes an address: %q", x.Reply)
					}
				}
				if f.state.saves != 0 {
					t.Error("the state was replaced though nobody received the news")
				}
			},
		},
		{
			name:  "a report not written is a delivery error, and the e-mail says why",
			setup: func(f *fakes) { f.report.err = errors.New("disk full") },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				var de *DeliveryError
				if !errors.As(err, &de) || !strings.Contains(err.Error(), "disk full") {
					t.Fatalf("Run = %v, want a DeliveryError saying disk full", err)
				}
				if got := f.notifier.inputs[0].ReportError; got != "disk full" {
					t.Errorf("e-mail's report error %q, want disk full", got)
				}
			},
		},
		{
			name: "a snapshot incomplete is reported and is a delivery error, not a source error",
			setup: func(f *fakes) {
				f.snaps.err = &sync.SourceError{Source: validate.SourceMembers, Err: errors.New("disk full")}
			},
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				var de *DeliveryError
				if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), "snapshot incomplete") {
					t.Fatalf("Run = %v, want a DeliveryError: snapshot incomplete", err)
				}
				if f.notifier.inputs[0].SnapshotError == "" || f.state.saves != 1 {
					t.Errorf("e-mail's snapshot error %q, state saves %d: want the error said and the state saved", f.notifier.inputs[0].SnapshotError, f.state.saves)
				}
			},
		},
		{
			name:  "a template that does not render is a usage error and nothing is sent",
			setup: func(f *fakes) { f.notifier.err = errors.New("template: bad") },
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				var ue *UsageError
				if !errors.As(err, &ue) || f.sender.sent != 0 {
					t.Fatalf("Run = %v, sent %d: want a UsageError and nothing sent", err, f.sender.sent)
				}
			},
		},
		{
			name: "nothing to tell: no e-mail, the state saved",
			setup: func(f *fakes) {
				f.notifier.silent = true
				f.box.waiting = 2
			},
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				if err != nil || f.sender.sent != 0 || f.state.saves != 1 {
					t.Errorf("Run = %v, sent %d, saves %d: want no error, no e-mail, the state saved", err, f.sender.sent, f.state.saves)
				}
			},
		},
		{
			name: "messages waiting undelivered are told",
			setup: func(f *fakes) {
				f.box.waiting = 2
				f.state.delivery = &notify.DeliveryReport{Date: "2026-12-02", Recipients: 2}
			},
			check: func(t *testing.T, f *fakes, _ *validate.Result, err error) {
				in := f.notifier.inputs[0]
				if err != nil || in.Undelivered != 2 || in.PreviousDelivery == nil || in.PreviousDelivery.Date != "2026-12-02" {
					t.Errorf("Run = %v, undelivered %d, previous delivery %+v: want 2 and last night's record", err, in.Undelivered, in.PreviousDelivery)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakes()
			if tt.setup != nil {
				tt.setup(f)
			}
			opts := tt.opts
			opts.Date = testDay
			res, err := f.runner().Run(context.Background(), opts)
			tt.check(t, f, res, err)
		})
	}
}

func TestRunnerInterrupted(t *testing.T) {
	f := newFakes()
	ctx, cancel := context.WithCancel(context.Background())
	f.snaps.err = errors.New("stopped")
	cancel()
	_, err := f.runner().Run(ctx, Options{Date: testDay})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if f.sender.sent != 0 || f.state.saves != 0 {
		t.Errorf("sent %d, saves %d after an interruption: want none", f.sender.sent, f.state.saves)
	}
	if !f.state.released {
		t.Error("the lock was not released")
	}
}

// TestRunnerStopsTheCopyWhenTheReportFails fails the report while the
// e-mail's copy of it is being written: with two processors the copy is
// stopped (the run does not wait for it), with one it is never begun; the
// e-mail says the report failed and attaches nothing.
func TestRunnerStopsTheCopyWhenTheReportFails(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			old := runtime.GOMAXPROCS(procs)
			defer runtime.GOMAXPROCS(old)
			f := newFakes()
			f.report.err, f.report.hold = errors.New("disk full"), true
			_, err := f.runner().Run(context.Background(), Options{Date: testDay})
			if de := (*DeliveryError)(nil); !errors.As(err, &de) {
				t.Fatalf("Run = %v, want a DeliveryError", err)
			}
			if len(f.notifier.inputs) != 1 {
				t.Fatalf("%d e-mails composed, want 1", len(f.notifier.inputs))
			}
			in := f.notifier.inputs[0]
			if in.ReportError != "disk full" || in.ReportPath != "" || in.FullReportPath != "" {
				t.Errorf("e-mail input: report error %q, path %q, full %q; want the error and no report", in.ReportError, in.ReportPath, in.FullReportPath)
			}
			switch {
			case procs == 1 && len(f.report.attachments) != 0:
				t.Errorf("one processor: the copy was begun (%v) though the report failed", f.report.attachments)
			case procs > 1 && len(f.report.attachments) == 1 && !f.report.stopped:
				t.Error("two processors: the copy was not stopped")
			}
		})
	}
}
