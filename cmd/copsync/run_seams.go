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

// writeReport writes the report workbook of the run to report.path ({date}
// replaced by the run date) and returns the path; it returns "" when no
// report is written.
//
// SEAM(report): until report.Write is on main it writes nothing. Once it
// is, its body is:
//
//	path := strings.ReplaceAll(a.cfg.Report.Path, "{date}", day.Format(time.DateOnly))
//	in := report.Input{Result: val.res, Issues: val.issues, Members: val.members,
//		Catalogue: a.cat, Orders: validate.NewOrders(rules.ExtraOrders), Lang: a.cfg.Report.Language,
//		RunDate: day, Community: ...from a.cfg.Community..., PeriodStart/PeriodEnd: from a.cfg.Report.Period}
//	if err := report.Write(ctx, path, in); err != nil {
//		return "", err
//	}
//	return path, nil
func (a *app) writeReport(ctx context.Context, day time.Time, val *validation) (string, error) {
	a.logger.Debug("the report workbook is not built into this version", "date", day.Format(time.DateOnly), "findings", len(val.res.Findings))
	return "", ctx.Err()
}
