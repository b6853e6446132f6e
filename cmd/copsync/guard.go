package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"copsync/notify"
	"copsync/sync"
	"copsync/validate"
)

// checkRunDate refuses a run date after tomorrow in schedule.timezone (a
// typo or a clock set wrong would date the snapshot, the state and the
// e-mail in the future) unless --confirm-date says it is meant.
func (a *app) checkRunDate(day time.Time) error {
	if a.confirmDate {
		return nil
	}
	n := a.now().In(day.Location())
	tomorrow := time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, day.Location())
	if day.After(tomorrow) {
		return usagef("--date %s is after tomorrow (%s in %s): a run dated in the future would date its snapshot, state and e-mail wrongly; add --confirm-date to run with it anyway",
			day.Format(time.DateOnly), tomorrow.Format(time.DateOnly), day.Location())
	}
	return nil
}

// resolved returns the absolute form of path with its symbolic links
// resolved, as far as the path exists.
func resolved(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkOutputs refuses outputs that would overwrite a configured source or
// write inside a snapshot: the sources are read-only to every command, and
// a snapshot is a record. Each output is named by its flag or key.
func (a *app) checkOutputs(outputs map[string]string) error {
	type src struct{ name, path string }
	var srcs []src
	for _, ns := range configuredSources(a.cfg) {
		if (ns.cfg.Kind == "" || ns.cfg.Kind == "xlsx") && ns.cfg.Path != "" {
			srcs = append(srcs, src{ns.name, resolved(ns.cfg.Path)})
		}
	}
	snaps := ""
	if a.cfg.Sync.SnapshotDir != "" {
		snaps = resolved(a.cfg.Sync.SnapshotDir)
	}
	var problems []string
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		out := outputs[key]
		if out == "" {
			continue
		}
		p := resolved(out)
		for _, s := range srcs {
			if sameFile(p, s.path) || (key == "sync.snapshot_dir" && isDatedSnapshot(s.path, p)) {
				problems = append(problems, fmt.Sprintf("%s %s would overwrite the %s source: copsync never writes to a source", key, out, s.name))
			}
		}
		if snaps != "" && key != "sync.snapshot_dir" && within(p, snaps) {
			problems = append(problems, fmt.Sprintf("%s %s is inside the snapshots (sync.snapshot_dir %s), which only copsync sync and run write", key, out, a.cfg.Sync.SnapshotDir))
		}
	}
	if len(problems) > 0 {
		return usagef("%s", strings.Join(problems, "; "))
	}
	return nil
}

// sameFile reports whether two resolved paths name the same file.
func sameFile(p, q string) bool {
	if p == q {
		return true
	}
	a, errA := os.Stat(p)
	b, errB := os.Stat(q)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// isDatedSnapshot reports whether source would be overwritten by a
// snapshot into dir: it sits in a dated folder of dir under a source's
// file name.
func isDatedSnapshot(source, dir string) bool {
	rel, err := filepath.Rel(dir, source)
	if err != nil {
		return false
	}
	parts := strings.Split(rel, string(filepath.Separator))
	return len(parts) == 2 && regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(parts[0]) && strings.HasSuffix(parts[1], ".xlsx")
}

// staleTemporary matches the temporary files copsync's atomic writes name
// "." + the final name + digits, which a killed run leaves behind.
func staleTemporary(final string) *regexp.Regexp {
	q := regexp.QuoteMeta(final)
	q = strings.ReplaceAll(q, regexp.QuoteMeta("{date}"), `\d{4}-\d{2}-\d{2}`)
	q = strings.ReplaceAll(q, regexp.QuoteMeta("*"), `[^/]+`)
	return regexp.MustCompile(`^\.` + q + `\d+$`)
}

// removeStale removes, in dir, the files that match re and were left by an
// earlier run. It is called under the run lock, so no other run is
// writing them. It returns the files removed.
func removeStale(dir string, re *regexp.Regexp) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !re.MatchString(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}

// cleanStale removes the temporary files an interrupted or killed run left
// in the folders copsync writes: the report's, the state's, the outbox's
// and the snapshots'. Only temporaries of copsync's own naming go.
func (a *app) cleanStale() {
	report := a.cfg.Report.Path
	targets := []struct {
		dir string
		re  *regexp.Regexp
	}{
		{filepath.Dir(report), staleTemporary(filepath.Base(report))},
		{a.cfg.State.Dir, regexp.MustCompile(`^\.(` + regexp.QuoteMeta(notify.StateFile) + `|` + regexp.QuoteMeta(notify.DeliveryFile) + `)\d+$`)},
		{a.cfg.Notify.Outbox, staleTemporary("*.eml")},
		{notify.UndeliveredDir(a.cfg.Notify.Outbox), staleTemporary("*.eml")},
	}
	if dir := a.cfg.Sync.SnapshotDir; dir != "" {
		dates, _ := sync.Snapshots(dir)
		for _, d := range dates {
			targets = append(targets, struct {
				dir string
				re  *regexp.Regexp
			}{filepath.Join(dir, d), staleTemporary("*.xlsx")})
		}
	}
	for _, t := range targets {
		removed, err := removeStale(t.dir, t.re)
		if len(removed) > 0 {
			a.logger.Info("temporary files of an interrupted run removed", "dir", t.dir, "files", len(removed))
		}
		if err != nil {
			a.logger.Warn("temporary files of an interrupted run could not be removed", "dir", t.dir, "err", validate.OneLine(err.Error()))
		}
	}
}
