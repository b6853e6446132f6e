package notify

import (
	"slices"
	"time"

	"copsync/validate"
)

// Run is one run's outcome, for Compare.
type Run struct {
	At time.Time
	// Date is the run date, yyyy-mm-dd in the schedule's time zone.
	Date     string
	Summary  validate.Summary
	Findings []validate.Finding
	// Unread names the sources that could not be read this time: their
	// previous findings are carried over, neither resolved nor confirmed.
	Unread []string
}

// Digest is what changed since the previous run, findings being matched by
// their stable IDs.
type Digest struct {
	// First reports that there was no previous run to compare with.
	First bool
	// PreviousDate is the previous run's date (empty when First).
	PreviousDate string
	New          []Entry
	Resolved     []Entry
	StillOpen    []Entry
	// Unchecked are the previous findings of the sources that could not be
	// read this time.
	Unchecked []Entry
}

// Entry is one finding in the digest.
type Entry struct {
	Finding validate.Finding
	// FirstSeen is the date of the first run that found it.
	FirstSeen string
	// Nights counts the nights from FirstSeen to this run's date: 0 for a
	// new finding, 1 for one found yesterday and still there.
	Nights int
}

// Changed reports whether a finding is new or resolved.
func (d *Digest) Changed() bool { return len(d.New) > 0 || len(d.Resolved) > 0 }

// Compare returns the digest of run against the previous state (nil for a
// first run), and the state this run leaves.
func Compare(prev *State, run Run) (Digest, *State) {
	d := Digest{First: prev == nil}
	next := &State{RunAt: run.At, Date: run.Date, Summary: run.Summary, Findings: []Record{}}
	old := map[string]Record{}
	if prev != nil {
		d.PreviousDate = prev.Date
		for _, r := range prev.Findings {
			if _, dup := old[r.ID]; !dup {
				old[r.ID] = r
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range run.Findings {
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		rec := record(f)
		if r, ok := old[f.ID]; ok {
			rec.FirstSeen, rec.Runs = r.FirstSeen, r.Runs+1
			d.StillOpen = append(d.StillOpen, Entry{Finding: f, FirstSeen: r.FirstSeen, Nights: nights(r.FirstSeen, run.Date)})
		} else {
			rec.FirstSeen, rec.Runs = run.Date, 1
			d.New = append(d.New, Entry{Finding: f, FirstSeen: run.Date})
		}
		next.Findings = append(next.Findings, rec)
	}
	if prev != nil {
		for _, r := range prev.Findings {
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			e := Entry{Finding: r.Finding(), FirstSeen: r.FirstSeen, Nights: nights(r.FirstSeen, run.Date)}
			if slices.Contains(run.Unread, r.Source) {
				d.Unchecked = append(d.Unchecked, e)
				next.Findings = append(next.Findings, r)
				continue
			}
			d.Resolved = append(d.Resolved, e)
		}
	}
	return d, next
}

// record returns the state's form of a finding, without personal data.
func record(f validate.Finding) Record {
	r := Record{ID: f.ID, Code: f.Code, Severity: f.Severity, Source: f.Source, Sheet: f.Sheet, Row: f.Row,
		Cell: f.Cell, Message: f.Message, MessageFR: f.MessageFR}
	if !f.Personal {
		r.Key = f.Key
	}
	return r
}

// nights returns the number of days from the date from to the date to
// (yyyy-mm-dd), never less than 0.
func nights(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || b.Before(a) {
		return 0
	}
	return int(b.Sub(a).Hours()+12) / 24
}
