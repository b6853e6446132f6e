package main

import (
	"context"
	"time"
)

// This file holds the two stages of copsync run that belong to other
// packages: the nightly snapshot (package sync) and the report workbook
// (package report). Each is a seam that the lead completes when the
// package's branch is merged; run.go calls them and needs no change.

// snapshot copies every source into sync.snapshot_dir/<date>/ before the
// run reads them, and prunes the snapshots older than sync.keep days.
//
// SEAM(gsheets): until sync.Snapshot is on main it does nothing. Once it
// is, its body is:
//
//	var srcs []sync.Source
//	for _, ns := range configuredSources(a.cfg) {
//		srcs = append(srcs, a.syncSource(ns))
//	}
//	paths, err := sync.Snapshot(ctx, srcs, a.cfg.Sync.SnapshotDir, day)
//	a.logger.Info("sources snapshotted", "files", len(paths), "dir", a.cfg.Sync.SnapshotDir)
//	return err
func (a *app) snapshot(ctx context.Context, day time.Time) error {
	a.logger.Debug("snapshots are not built into this version")
	return ctx.Err()
}
