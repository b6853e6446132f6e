package notify

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copsync/validate"
)

// TestDigestThreeRuns follows findings over three nightly runs, through the
// state store: the first run finds them (new), the second still does
// (still open, one night), the third finds the e-mail fixed and PE
// represented (resolved), while a finding that appears on the second night
// is new then.
func TestDigestThreeRuns(t *testing.T) {
	store, err := OpenStore(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 6, 0, 0, 0, time.UTC) }
	run := func(d int, members [][]string) (Digest, *validate.Result) {
		t.Helper()
		res := result(t, members, issuesRows())
		prev, err := store.Load()
		if err != nil {
			t.Fatal(err)
		}
		dg, next := Compare(prev, Run{At: day(d), Date: day(d).Format(time.DateOnly), Summary: res.Summary, Findings: res.Findings})
		if err := store.Save(next); err != nil {
			t.Fatal(err)
		}
		return dg, res
	}
	ids := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Finding.Code+"/"+e.Finding.Key+e.Finding.Cell)
		}
		return strings.Join(s, " ")
	}

	// Night 1: everything is new.
	d1, r1 := run(1, membersRows())
	if !d1.First || len(d1.New) != len(r1.Findings) || len(d1.StillOpen)+len(d1.Resolved) != 0 {
		t.Fatalf("run 1: first=%v new=%d open=%d resolved=%d; want first with %d new", d1.First, len(d1.New), len(d1.StillOpen), len(d1.Resolved), len(r1.Findings))
	}

	// Night 2: the same, plus a member with no organization.
	m2 := append(membersRows(), []string{"Kim Park", "kim.park@gov.pe.ca", "", "Provincial", "PE", "Active"})
	d2, r2 := run(2, m2)
	if d2.First || d2.PreviousDate != "2026-01-01" {
		t.Errorf("run 2: first=%v previous=%q", d2.First, d2.PreviousDate)
	}
	// Kim's row adds a missing organization and represents PE.
	if got := ids(d2.New); got != "member.field-missing/C13" {
		t.Errorf("run 2 new: %s", got)
	}
	if got := ids(d2.Resolved); got != "coverage.jurisdiction-missing/PE" {
		t.Errorf("run 2 resolved: %s", got)
	}
	if len(d2.StillOpen) != len(r1.Findings)-1 {
		t.Errorf("run 2: %d still open, want %d", len(d2.StillOpen), len(r1.Findings)-1)
	}
	for _, e := range d2.StillOpen {
		if e.Nights != 1 || e.FirstSeen != "2026-01-01" {
			t.Errorf("run 2: %s open %d nights since %s, want 1 since 2026-01-01", e.Finding.Code, e.Nights, e.FirstSeen)
		}
	}
	if len(r2.Findings) != len(d2.New)+len(d2.StillOpen) {
		t.Errorf("run 2: %d findings, %d new + %d open", len(r2.Findings), len(d2.New), len(d2.StillOpen))
	}

	// Night 3: the address is corrected and Kim's organization filled in.
	m3 := membersRows()
	m3[2][1] = "jeanne.tremblay@gouv.qc.ca"
	m3 = append(m3, []string{"Kim Park", "kim.park@gov.pe.ca", "Access PEI", "Provincial", "PE", "Active"})
	d3, _ := run(3, m3)
	if len(d3.New) != 0 {
		t.Errorf("run 3 new: %s", ids(d3.New))
	}
	if got := ids(d3.Resolved); got != "member.email-invalid/B3 member.field-missing/C13" {
		t.Errorf("run 3 resolved: %s", got)
	}
	for _, e := range d3.Resolved {
		want := map[string]int{validate.CodeMemberEmailInvalid: 2, validate.CodeMemberFieldMissing: 1}[e.Finding.Code]
		if e.Nights != want {
			t.Errorf("run 3: resolved %s had been open %d nights, want %d", e.Finding.Code, e.Nights, want)
		}
		if e.Finding.Text(catalogue(t), "en", validate.Withhold) == "" || e.Finding.Text(catalogue(t), "fr", validate.Withhold) == "" {
			t.Errorf("run 3: resolved %s lost its messages", e.Finding.Code)
		}
	}
	for _, e := range d3.StillOpen {
		if e.Nights != 2 {
			t.Errorf("run 3: %s/%s open %d nights, want 2", e.Finding.Code, e.Finding.Key, e.Nights)
		}
	}

	// The state on disk never held the invalid address (personal data).
	data, err := os.ReadFile(filepath.Join(store.Dir(), StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "jeanne.tremblay") {
		t.Error("the state file holds personal data")
	}
}

func TestDigestPersonalKeyNotStored(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	_, st := Compare(nil, Run{Date: "2026-01-01", Findings: res.Findings})
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), badEmail) {
		t.Errorf("state holds %q", badEmail)
	}
	if !strings.Contains(string(data), `"key":"NL"`) {
		t.Error("state lost a key that is not personal data")
	}
}

// TestDigestUnreadSource: when a source cannot be read, its earlier
// findings are neither resolved nor confirmed, and stay in the state.
func TestDigestUnreadSource(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	_, st := Compare(nil, Run{Date: "2026-01-01", Findings: res.Findings})
	var issuesOnly []validate.Finding
	nIssues := 0
	for _, f := range res.Findings {
		if f.Source == validate.SourceIssues {
			issuesOnly = append(issuesOnly, f)
			nIssues++
		}
	}
	d, next := Compare(st, Run{Date: "2026-01-02", Findings: issuesOnly, Unread: []string{validate.SourceMembers}})
	if len(d.Resolved) != 0 || len(d.New) != 0 {
		t.Errorf("resolved %d, new %d; want none", len(d.Resolved), len(d.New))
	}
	if len(d.Unchecked) != len(res.Findings)-nIssues || len(d.StillOpen) != nIssues {
		t.Errorf("unchecked %d, still open %d", len(d.Unchecked), len(d.StillOpen))
	}
	if len(next.Findings) != len(res.Findings) {
		t.Errorf("next state keeps %d findings, want %d", len(next.Findings), len(res.Findings))
	}
	for _, r := range next.Findings {
		if r.FirstSeen != "2026-01-01" {
			t.Errorf("%s first seen %s, want 2026-01-01", r.Code, r.FirstSeen)
		}
	}
}

func TestStoreCorruptAndAtomic(t *testing.T) {
	dir := t.TempDir()
	store, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := store.Load(); st != nil || err != nil {
		t.Fatalf("empty store: %v, %v", st, err)
	}
	if err := store.Save(&State{Date: "2026-01-01", Findings: []Record{{ID: "a", Code: "x", FirstSeen: "2026-01-01", Runs: 1}}}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != StateFile {
			t.Errorf("stray file %s after save", e.Name())
		}
	}
	st, err := store.Load()
	if err != nil || st.Date != "2026-01-01" || len(st.Findings) != 1 || st.Findings[0].ID != "a" {
		t.Fatalf("load: %+v, %v", st, err)
	}
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(`{"version":1,"findings":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(); !errors.Is(err, ErrStateCorrupt) {
		t.Errorf("truncated state: %v, want ErrStateCorrupt", err)
	}
}

// TestLockTwoRuns takes the lock twice in this process, then from another
// process while this one holds it: the second taker fails at once with
// ErrLocked, and the lock can be taken again once released.
func TestLockTwoRuns(t *testing.T) {
	dir := t.TempDir()
	store, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	l1, err := store.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Lock(); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock in this process: %v, want ErrLocked", err)
	} else if !strings.Contains(err.Error(), filepath.Join(dir, LockFile)) {
		t.Errorf("the error %q does not name the lock file", err)
	}

	// Another process.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLock$")
	cmd.Env = append(os.Environ(), "COPSYNC_TEST_LOCK_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "LOCKED") {
		t.Errorf("the other process took the lock while this one held it:\n%s", out)
	}

	if err := l1.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := store.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	_ = l2.Unlock()
}

// TestHelperLock runs in the child process of TestLockTwoRuns.
func TestHelperLock(t *testing.T) {
	dir := os.Getenv("COPSYNC_TEST_LOCK_DIR")
	if dir == "" {
		t.Skip("helper process for TestLockTwoRuns")
	}
	store, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Lock()
	if errors.Is(err, ErrLocked) {
		os.Stdout.WriteString("LOCKED\n")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Unlock()
	os.Stdout.WriteString("ACQUIRED\n")
}
