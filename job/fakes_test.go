package job

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// fakeSources gives a set outcome and records the reads.
type fakeSources struct {
	out   *Outcome
	err   error
	count int
	reads int
	keep  bool
	// deadline is the deadline of the context the read was given.
	deadline time.Time
}

var _ Sources = (*fakeSources)(nil)

func (f *fakeSources) Read(ctx context.Context, _ time.Time, keep bool) (*Outcome, error) {
	f.reads++
	f.keep = keep
	f.deadline, _ = ctx.Deadline()
	return f.out, f.err
}

func (f *fakeSources) Count() int { return f.count }

// fakeReport records where the report was asked for.
type fakeReport struct {
	err         error
	targets     []string
	attachments []string
	written     string
	// hold makes WriteAttachment wait for its context to end, and
	// stopped records that it did.
	hold    bool
	stopped bool
}

var _ ReportWriter = (*fakeReport)(nil)

func (f *fakeReport) WriteReport(_ context.Context, _ *Validation, target string) (string, error) {
	f.targets = append(f.targets, target)
	if f.err != nil {
		return "", f.err
	}
	if target == "" {
		target = f.written
	}
	return target, nil
}

func (f *fakeReport) WriteAttachment(ctx context.Context, _ *Validation, dir, name string) (string, error) {
	f.attachments = append(f.attachments, filepath.Join(dir, name))
	if f.hold {
		<-ctx.Done()
		f.stopped = true
		return "", ctx.Err()
	}
	return filepath.Join(dir, name), nil
}

// fakeNotifier sends always and records the inputs composed.
type fakeNotifier struct {
	silent bool
	err    error
	inputs []notify.Input
}

var _ Notifier = (*fakeNotifier)(nil)

func (f *fakeNotifier) ShouldSend(notify.Input) bool { return !f.silent }

func (f *fakeNotifier) Compose(in notify.Input) (*notify.Email, error) {
	f.inputs = append(f.inputs, in)
	if f.err != nil {
		return nil, f.err
	}
	return &notify.Email{To: []string{"a@example.org", "b@example.org"}, Subject: "copsync " + in.Date}, nil
}

// fakeSender delivers, or refuses every recipient.
type fakeSender struct {
	refuse bool
	sent   int
}

var _ notify.Sender = (*fakeSender)(nil)

func (f *fakeSender) Send(_ context.Context, e *notify.Email) (notify.Delivery, error) {
	f.sent++
	if f.refuse {
		d := notify.Delivery{Via: "smtp"}
		for i, to := range e.To {
			d.Refused = append(d.Refused, notify.Recipient{Index: i, Address: to, Code: 550, Reply: "550 no such user " + to})
		}
		return d, fmt.Errorf("%w: refused", notify.ErrUndelivered)
	}
	d := notify.Delivery{Via: "smtp"}
	for i, to := range e.To {
		d.Accepted = append(d.Accepted, notify.Recipient{Index: i, Address: to})
	}
	return d, nil
}

// fakeUndelivered keeps messages in memory.
type fakeUndelivered struct {
	kept    []*notify.Email
	waiting int
}

var _ Undelivered = (*fakeUndelivered)(nil)

func (f *fakeUndelivered) Keep(_ context.Context, e *notify.Email) (string, error) {
	f.kept = append(f.kept, e)
	return fmt.Sprintf("outbox/undelivered/%d.eml", len(f.kept)), nil
}

func (f *fakeUndelivered) Waiting() (int, string, error) {
	return f.waiting + len(f.kept), "outbox/undelivered", nil
}

// fakeState is a state store in memory.
type fakeState struct {
	locked    bool
	lockErr   error
	prev      *notify.State
	loadErr   error
	saved     *notify.State
	delivery  *notify.DeliveryReport
	aside     string
	released  bool
	saves     int
	deliverys int
}

var _ StateStore = (*fakeState)(nil)

func (f *fakeState) Lock() (func() error, error) {
	if f.lockErr != nil {
		return nil, f.lockErr
	}
	f.locked = true
	return func() error { f.released = true; return nil }, nil
}

func (f *fakeState) Load() (*notify.State, error) { return f.prev, f.loadErr }

func (f *fakeState) SetAside(at time.Time) (string, error) {
	if !f.locked {
		return "", errors.New("not locked")
	}
	f.aside = "state/state.json.damaged-" + at.Format("20060102")
	return f.aside, nil
}

func (f *fakeState) Save(st *notify.State) error {
	if !f.locked {
		return errors.New("not locked")
	}
	f.saves++
	f.saved = st
	return nil
}

func (f *fakeState) LoadDelivery() (*notify.DeliveryReport, error) { return f.delivery, nil }

func (f *fakeState) SaveDelivery(r *notify.DeliveryReport) error {
	if !f.locked {
		return errors.New("not locked")
	}
	f.deliverys++
	f.delivery = r
	return nil
}

func (f *fakeState) Path() string { return filepath.Join("state", notify.StateFile) }

// fakeSnapshots fails or succeeds.
type fakeSnapshots struct {
	err   error
	taken int
}

var _ Snapshots = (*fakeSnapshots)(nil)

func (f *fakeSnapshots) Take(context.Context, time.Time) ([]string, []string, error) {
	f.taken++
	if f.err != nil {
		return nil, nil, f.err
	}
	return []string{"snap/members.xlsx", "snap/issues.xlsx"}, nil, nil
}

// finding is a finding of source with severity sev.
func finding(source string, sev validate.Severity, id string) validate.Finding {
	return validate.Finding{ID: id, Code: "test.code", Severity: sev, Source: source, Sheet: "Sheet1"}
}

// readOutcome is an outcome with every source read and two findings.
func readOutcome() *Outcome {
	res := &validate.Result{Findings: []validate.Finding{
		finding(validate.SourceMembers, validate.Error, "m1"),
		finding(validate.SourceIssues, validate.Warning, "i1"),
	}}
	res.Summary.Errors, res.Summary.Warnings = 1, 1
	return &Outcome{Validation: &Validation{Result: res}}
}

// unreadOutcome is an outcome whose issues could not be read.
func unreadOutcome() *Outcome {
	o := readOutcome()
	o.Result.DropSource(validate.SourceIssues)
	err := &sync.SourceError{Source: validate.SourceIssues, File: "issues.xlsx", Err: sync.ErrNotFound}
	o.Unread = []notify.Failure{{Source: validate.SourceIssues, Error: err.Error(), Reason: "not-found"}}
	o.Errs = []error{err}
	return o
}
