package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRunSeed measures one seed-sized copsync run (read the three
// example workbooks, validate, write the report, compare with the last run,
// write the e-mail to the outbox). The target is under 50 ms per run.
func BenchmarkRunSeed(b *testing.B) {
	wd, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	root := filepath.Join(wd, "..", "..")
	dir := b.TempDir()
	env := map[string]string{
		"COPSYNC_CONFIG":                  filepath.Join(root, "config.yaml"),
		"COPSYNC_SOURCES_MEMBERS_PATH":    filepath.Join(root, "examples", "members.xlsx"),
		"COPSYNC_SOURCES_ISSUES_PATH":     filepath.Join(root, "examples", "issues.xlsx"),
		"COPSYNC_SOURCES_ACTIVITIES_PATH": filepath.Join(root, "examples", "activities.xlsx"),
		"COPSYNC_STATE_DIR":               filepath.Join(dir, "state"),
		"COPSYNC_NOTIFY_OUTBOX":           filepath.Join(dir, "outbox"),
		"COPSYNC_NOTIFY_WHEN":             "always",
		"COPSYNC_REPORT_PATH":             filepath.Join(dir, "report-{date}.xlsx"),
		"COPSYNC_SYNC_SNAPSHOT_DIR":       filepath.Join(dir, "snapshots"),
		"COPSYNC_LOG_LEVEL":               "error",
	}
	getenv := func(k string) string { return env[k] }
	var out, errb bytes.Buffer
	for b.Loop() {
		out.Reset()
		errb.Reset()
		if code := run(context.Background(), []string{"run", "--date", "2026-11-29"}, getenv, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
