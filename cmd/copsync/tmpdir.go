package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// tmpPrefix names copsync's per-run temporary folders in the system's.
const tmpPrefix = "copsync-tmp-"

// runTemp is the process's own temporary folder: excelize's spill files and
// anything else written to os.TempDir go there (TMPDIR points at it), and
// it is removed at exit. A lock file inside it, held for the life of the
// process, tells a later run whether its owner is gone (killed): a folder
// whose lock can be taken is stale and is removed.
type runTemp struct {
	dir  string
	lock *flock.Flock
}

// newRunTemp removes the stale folders of killed runs, makes this run's
// folder and points TMPDIR at it. On failure it returns nil and copsync
// uses the system's folder as before.
func newRunTemp() *runTemp {
	base := os.TempDir()
	removeStaleTemps(base)
	dir, err := os.MkdirTemp(base, tmpPrefix)
	if err != nil {
		return nil
	}
	l := flock.New(filepath.Join(dir, ".lock"))
	if ok, err := l.TryLock(); err != nil || !ok {
		_ = os.RemoveAll(dir)
		return nil
	}
	if err := os.Setenv("TMPDIR", dir); err != nil {
		_ = l.Unlock()
		_ = os.RemoveAll(dir)
		return nil
	}
	return &runTemp{dir: dir, lock: l}
}

// Close removes the folder and everything in it.
func (t *runTemp) Close() {
	if t == nil {
		return
	}
	_ = os.RemoveAll(t.dir)
	_ = t.lock.Unlock()
}

// removeStaleTemps removes the per-run folders in base whose process is
// gone.
func removeStaleTemps(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tmpPrefix) {
			continue
		}
		dir := filepath.Join(base, e.Name())
		l := flock.New(filepath.Join(dir, ".lock"))
		ok, err := l.TryLock()
		if err != nil || !ok {
			continue // alive, or not ours to judge
		}
		_ = os.RemoveAll(dir)
		_ = l.Unlock()
	}
}
