package notify

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDigestRowsSharingABadValue: a second row with the same bad address
// is "1 new", fixing the first is "1 resolved" — not "no change".
func TestDigestRowsSharingABadValue(t *testing.T) {
	c := composer(t, Config{Subject: "[copsync]", Languages: []string{"en", "fr"}})
	subject := func(prev *State, date string, members [][]string) (string, *State) {
		t.Helper()
		res := result(t, members, issuesRows())
		d, next := Compare(prev, Run{Date: date, Summary: res.Summary, Findings: res.Findings})
		e, err := c.Compose(Input{Date: date, At: time.Now(), Result: res, Digest: d})
		if err != nil {
			t.Fatal(err)
		}
		return e.Subject, next
	}
	one := membersRows()
	_, st := subject(nil, "2026-12-01", one)
	two := slices.Insert(slices.Clone(one), 3, []string{"Kim Ng", badEmail, "Services Québec", "Provincial", "Québec", "Actif"})
	s, st := subject(st, "2026-12-02", two)
	if !strings.Contains(s, "— 1 new") {
		t.Errorf("a second row with the same bad address: subject %q, want 1 new", s)
	}
	fixed := slices.Clone(two)
	fixed[2] = []string{memberName, "jeanne.tremblay@gouv.qc.ca", "Services Québec", "Provincial", "Québec", "Actif"}
	s, _ = subject(st, "2026-12-03", fixed)
	if !strings.Contains(s, "— 1 resolved") || strings.Contains(s, "new") {
		t.Errorf("the first row fixed: subject %q, want 1 resolved and nothing new", s)
	}
}

// TestCompareMigratesVersion1 reads a state written with the old ids: the
// same problems at the same cells are still open, not new and resolved.
func TestCompareMigratesVersion1(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	_, st := Compare(nil, Run{Date: "2026-12-01", Findings: res.Findings})
	st.Version = 1
	for i := range st.Findings {
		st.Findings[i].ID = "old-" + st.Findings[i].ID
		st.Findings[i].FirstSeen = "2026-11-20"
	}
	d, next := Compare(st, Run{Date: "2026-12-02", Findings: res.Findings})
	if len(d.New) != 0 || len(d.Resolved) != 0 || len(d.StillOpen) != len(res.Findings) {
		t.Errorf("new %d, resolved %d, still open %d of %d; want all still open", len(d.New), len(d.Resolved), len(d.StillOpen), len(res.Findings))
	}
	for _, r := range next.Findings {
		if r.FirstSeen != "2026-11-20" || strings.HasPrefix(r.ID, "old-") {
			t.Errorf("record %+v did not keep its history under its new id", r)
		}
	}
}

// TestCompareNeverCountsBackwards: a run dated before the findings were
// first seen (a clock that went back, confirmed) counts 0 nights and
// dates them from tonight.
func TestCompareNeverCountsBackwards(t *testing.T) {
	res := result(t, membersRows(), issuesRows())
	_, st := Compare(nil, Run{Date: "2099-01-01", Findings: res.Findings})
	d, next := Compare(st, Run{Date: "2026-12-02", Findings: res.Findings})
	for _, e := range d.StillOpen {
		if e.Nights != 0 || e.FirstSeen != "2026-12-02" {
			t.Errorf("open for %d nights since %s, want 0 since 2026-12-02", e.Nights, e.FirstSeen)
		}
	}
	for _, r := range next.Findings {
		if r.FirstSeen > "2026-12-02" {
			t.Errorf("first seen %s, after the run date", r.FirstSeen)
		}
	}
}
