package notify

import (
	"slices"
	"strconv"
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
	// Unavailable, when not empty, reports that tonight's findings could
	// not be compared with the last run's though there was one: its state
	// file is damaged, and Unavailable is where the file was set aside.
	// Every finding is then listed, none announced as new or resolved.
	Unavailable string
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
func (d *Digest) Changed() bool {
	return d.Unavailable == "" && (len(d.New) > 0 || len(d.Resolved) > 0)
}

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
	var previous []Record
	if prev != nil {
		previous = prev.Findings
		if prev.Version == 1 {
			previous = migrate(prev.Findings, run.Findings, old)
			old = map[string]Record{}
			for _, r := range previous {
				if _, dup := old[r.ID]; !dup {
					old[r.ID] = r
				}
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
			if r.FirstSeen > run.Date {
				// A run dated before the last one (confirmed with
				// --confirm-date): never count backwards.
				r.FirstSeen = run.Date
			}
			rec.FirstSeen, rec.Runs = r.FirstSeen, r.Runs+1
			d.StillOpen = append(d.StillOpen, Entry{Finding: f, FirstSeen: r.FirstSeen, Nights: nights(r.FirstSeen, run.Date)})
		} else {
			rec.FirstSeen, rec.Runs = run.Date, 1
			d.New = append(d.New, Entry{Finding: f, FirstSeen: run.Date})
		}
		next.Findings = append(next.Findings, rec)
	}
	if prev != nil {
		for _, r := range previous {
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

// migrate maps the records of a version 1 state to tonight's ids: a record
// whose id no finding has takes the id of the finding with the same code
// at the same place (source, sheet and cell) that no record has, so that
// the change of ids announces nothing as new or resolved. It returns the
// records with their new ids, in the state's order.
func migrate(records []Record, findings []validate.Finding, old map[string]Record) []Record {
	type place struct{ code, source, sheet, cell string }
	at := func(code, source, sheet, cell string, row int) place {
		if cell == "" {
			cell = "row " + strconv.Itoa(row)
		}
		return place{code, source, sheet, cell}
	}
	unmatched := map[place][]string{} // finding ids without a record
	for _, f := range findings {
		if _, ok := old[f.ID]; !ok {
			p := at(f.Code, f.Source, f.Sheet, f.Cell, f.Row)
			if !slices.Contains(unmatched[p], f.ID) {
				unmatched[p] = append(unmatched[p], f.ID)
			}
		}
	}
	ids := map[string]bool{}
	for _, f := range findings {
		ids[f.ID] = true
	}
	out := make([]Record, 0, len(records))
	for _, r := range records {
		if !ids[r.ID] {
			p := at(r.Code, r.Source, r.Sheet, r.Cell, r.Row)
			if q := unmatched[p]; len(q) > 0 {
				r.ID, unmatched[p] = q[0], q[1:]
			}
		}
		out = append(out, r)
	}
	return out
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
