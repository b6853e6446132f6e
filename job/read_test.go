package job

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"copsync/sync"
	"copsync/validate"
)

// fakeValidator finds one error and one warning in every table it is
// given, and keeps the rows it saw.
type fakeValidator struct {
	findings []validate.Finding
	rows     int
}

var _ Validator = (*fakeValidator)(nil)

func (v *fakeValidator) Table(o validate.Origin, _ validate.Header) func(validate.Row) {
	v.findings = append(v.findings, finding(o.Source, validate.Error, o.Source+"-e"), finding(o.Source, validate.Warning, o.Source+"-w"))
	return func(validate.Row) { v.rows++ }
}

func (v *fakeValidator) SetAside(validate.Origin, validate.SetAside) {}

func (v *fakeValidator) Schema(string) validate.Schema { return validate.Schema{} }

func (v *fakeValidator) Result() *validate.Result {
	res := &validate.Result{Findings: v.findings}
	for _, f := range v.findings {
		if f.Severity == validate.Error {
			res.Summary.Errors++
		} else {
			res.Summary.Warnings++
		}
	}
	return res
}

// fakeValidators gives one fakeValidator.
type fakeValidators struct{ v *fakeValidator }

var _ Validators = fakeValidators{}

func (f fakeValidators) Validator(time.Time) (Validator, error) { return f.v, nil }

// fakeReader gives each source two rows in two sheets, reading part of
// them before it fails when the source is in fail; with cancel, it ends
// the run before reading its source.
type fakeReader struct {
	fail   map[string]error
	before func(name string)
}

var _ SourceReader = fakeReader{}

func (f fakeReader) ReadSource(_ context.Context, src sync.Source, _ validate.Schema, sink validate.Sink) error {
	if f.before != nil {
		f.before(src.Name)
	}
	for _, sheet := range []string{"One", "Two"} {
		add := sink.Table(validate.Origin{Source: src.Name, Sheet: sheet}, validate.Header{Row: 1})
		add(validate.Row{Num: 2, Cells: []validate.Cell{{Ref: "A2", Value: validate.Value{Kind: validate.String, Text: "x"}}}})
		add(validate.Row{Num: 3})
		if err := f.fail[src.Name]; err != nil {
			return err
		}
	}
	return nil
}

func testSources() []sync.Source {
	return []sync.Source{
		{Name: validate.SourceMembers, Kind: "xlsx", Path: "data/members.xlsx", Sheet: "Members"},
		{Name: validate.SourceIssues, Kind: "xlsx", Path: "data/issues.xlsx"},
		{Name: validate.SourceActivities, Kind: "xlsx", Path: "data/activities.xlsx"},
	}
}

func TestReaderDropsAnUnreadSourceAndRecounts(t *testing.T) {
	fv := &fakeValidator{}
	r := &Reader{
		Sources:     testSources(),
		Reader:      fakeReader{fail: map[string]error{validate.SourceMembers: errors.New("zip: not a valid zip file")}},
		Validators:  fakeValidators{fv},
		KeepMembers: true,
	}
	out, err := r.Read(context.Background(), testDay, true)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(out.Unread) != 1 || len(out.Errs) != 1 {
		t.Fatalf("unread %v, errs %v: want the members alone", out.Unread, out.Errs)
	}
	u := out.Unread[0]
	if u.Source != validate.SourceMembers || u.File != "members.xlsx" || u.Sheet != "Members" {
		t.Errorf("unread = %+v, want members, members.xlsx, Members", u)
	}
	var se *sync.SourceError
	if !errors.As(out.Errs[0], &se) || se.File != "data/members.xlsx" {
		t.Errorf("error %v is not the members' *sync.SourceError naming its file", out.Errs[0])
	}
	for _, f := range out.Result.Findings {
		if f.Source == validate.SourceMembers {
			t.Errorf("a finding of the unread members is kept: %+v", f)
		}
	}
	// Issues and activities each gave an error and a warning per table,
	// two tables each.
	s := out.Result.Summary
	if s.Errors != 4 || s.Warnings != 4 || len(out.Result.Findings) != 8 {
		t.Errorf("summary errors %d warnings %d findings %d, want 4, 4 and 8: the totals count what is shown", s.Errors, s.Warnings, len(out.Result.Findings))
	}
	if out.Members != nil {
		t.Errorf("the members' partial tables are kept for the report: %d", len(out.Members))
	}
	// Every sheet of a source read is kept, in the order read, each with
	// its one record (the blank row is not kept).
	for _, c := range []struct {
		source string
		tables []validate.Table
	}{{validate.SourceIssues, out.Issues}, {validate.SourceActivities, out.Activities}} {
		var got []string
		for _, tb := range c.tables {
			var rows []int
			for r := range tb.All() {
				rows = append(rows, r.Num)
			}
			got = append(got, fmt.Sprintf("%s %s %v", tb.Origin.Source, tb.Origin.Sheet, rows))
		}
		want := []string{c.source + " One [2]", c.source + " Two [2]"}
		if !slices.Equal(got, want) {
			t.Errorf("%s kept %q, want %q", c.source, got, want)
		}
	}
}

func TestReaderWithoutKeep(t *testing.T) {
	fv := &fakeValidator{}
	r := &Reader{Sources: testSources(), Reader: fakeReader{}, Validators: fakeValidators{fv}, KeepMembers: true}
	out, err := r.Read(context.Background(), testDay, false)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if out.Members != nil || out.Activities != nil || out.Issues != nil {
		t.Errorf("tables kept without keep: members %d activities %d issues %d", len(out.Members), len(out.Activities), len(out.Issues))
	}
	if fv.rows != 12 {
		t.Errorf("validated %d rows, want 12", fv.rows)
	}
}

func TestReaderOutOfTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	var expired context.Context
	expired, cancelExpired := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancelExpired()
	r := &Reader{Sources: testSources(), Reader: fakeReader{}, Validators: fakeValidators{&fakeValidator{}}}
	out, err := r.Read(expired, testDay, true)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(out.Unread) != 3 {
		t.Fatalf("unread %d sources, want all 3", len(out.Unread))
	}
	for _, e := range out.Errs {
		var se *sync.SourceError
		if !errors.As(e, &se) || !strings.Contains(e.Error(), "run.deadline") || !errors.Is(e, context.DeadlineExceeded) {
			t.Errorf("error %v: want a *sync.SourceError saying run.deadline", e)
		}
	}
	if n := len(out.Result.Findings); n != 0 || out.Result.Summary.Errors != 0 {
		t.Errorf("%d findings, %d errors counted, want none", n, out.Result.Summary.Errors)
	}
}

func TestReaderInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &Reader{Sources: testSources(), Validators: fakeValidators{&fakeValidator{}},
		Reader: fakeReader{before: func(name string) {
			if name == validate.SourceIssues {
				cancel()
			}
		}}}
	if _, err := r.Read(ctx, testDay, true); !errors.Is(err, context.Canceled) {
		t.Fatalf("Read = %v, want context.Canceled", err)
	}
}

// TestReaderKeepsMembersOnlyWhenListed keeps the issues and activities for
// the report but not the membership when the report does not list it.
func TestReaderKeepsMembersOnlyWhenListed(t *testing.T) {
	for _, listed := range []bool{false, true} {
		fv := &fakeValidator{}
		r := &Reader{Sources: testSources(), Reader: fakeReader{}, Validators: fakeValidators{fv}, KeepMembers: listed}
		out, err := r.Read(context.Background(), testDay, true)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if got := len(out.Members); got != map[bool]int{false: 0, true: 2}[listed] {
			t.Errorf("KeepMembers %v: %d membership tables kept", listed, got)
		}
		if len(out.Issues) != 2 || len(out.Activities) != 2 {
			t.Errorf("KeepMembers %v: %d issues and %d activities tables kept, want 2 each", listed, len(out.Issues), len(out.Activities))
		}
		if fv.rows != 12 {
			t.Errorf("validated %d rows, want 12 whatever is kept", fv.rows)
		}
	}
}
