package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"copsync/job"
	"copsync/sync"
)

func (a *app) syncCmd() *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Copy every source into the run date's snapshot folder and prune old snapshots",
		Long: `sync copies every configured source, as read, into
sync.snapshot_dir/YYYY-MM-DD/<source>.xlsx (the run date in
schedule.timezone): a local workbook byte for byte, a Google Sheet as a
workbook of its data. Each file is written whole or not at all. It then
prunes old dated folders, unless a source could not be copied, keeping any
that one of three measures keeps: the newest sync.keep snapshots, those of
the sync.keep days up to the newest snapshot, and those of the sync.keep
days up to today by the clock. It touches nothing else. A run date after
tomorrow is refused unless --confirm-date is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.checkLang(lang); err != nil {
				return err
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			day, err := a.runDate()
			if err != nil {
				return err
			}
			if err := a.checkRunDate(day); err != nil {
				return err
			}
			if err := a.checkOutputs(map[string]string{"sync.snapshot_dir": a.cfg.Sync.SnapshotDir}); err != nil {
				return err
			}
			t := func(key string, p map[string]string) string { return a.cat.T(lang, key, p) }
			dir := a.cfg.Sync.SnapshotDir
			total := len(a.sources())
			// Like a run, a snapshot works within run.deadline.
			ctx, cancel := context.WithTimeout(cmd.Context(), a.cfg.RunDeadline())
			defer cancel()
			written, removed, err := a.snapshots().Take(a.withGSheets(ctx), day)
			for _, p := range written {
				name := strings.TrimSuffix(filepath.Base(p), ".xlsx")
				fmt.Fprintln(a.stdout, t("sync.snapshot.written", map[string]string{"source": t("source."+name, nil), "path": p}))
			}
			fmt.Fprintln(a.stdout, t("sync.snapshot.summary", map[string]string{
				"written": strconv.Itoa(len(written)), "total": strconv.Itoa(total), "dir": filepath.Join(dir, day.Format(sync.SnapshotDateLayout))}))
			if len(written) < total {
				fmt.Fprintln(a.stdout, t("sync.snapshot.kept", nil))
			}
			for _, p := range removed {
				fmt.Fprintln(a.stdout, t("sync.snapshot.pruned", map[string]string{
					"date": filepath.Base(p), "keep": strconv.Itoa(a.cfg.Sync.Keep), "path": p}))
			}
			return err
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the output: en or fr")
	return cmd
}

// snapshots returns the snapshots of the sources in sync.snapshot_dir,
// pruned by sync.keep.
func (a *app) snapshots() job.SyncSnapshots {
	return job.SyncSnapshots{Dir: a.cfg.Sync.SnapshotDir, Keep: a.cfg.Sync.Keep, Sources: a.sources(), Clock: job.ClockFunc(a.now), Logger: a.logger}
}

// withGSheets returns ctx carrying the run's Google Sheets client, which
// reads each spreadsheet once for all the sources that name it.
func (a *app) withGSheets(ctx context.Context) context.Context {
	if _, ok := sync.GSheetsFrom(ctx); ok {
		return ctx
	}
	return sync.WithGSheets(ctx, sync.NewGSheets(a.logger, a.sources()))
}

// sources returns the configured sources in the reader's form.
func (a *app) sources() []sync.Source {
	var out []sync.Source
	for _, ns := range configuredSources(a.cfg) {
		out = append(out, a.syncSource(ns))
	}
	return out
}

// snapshotSources returns the configured sources as they were in the
// snapshot of date (--from-snapshot DATE): each becomes that day's .xlsx
// copy. A date not written YYYY-MM-DD is a usage error; a date without a
// snapshot is a source error naming the dates that have one.
func (a *app) snapshotSources(date string) ([]sync.Source, error) {
	out, err := sync.FromSnapshot(a.cfg.Sync.SnapshotDir, date, a.sources())
	if err != nil && !errors.Is(err, sync.ErrNoSnapshot) {
		return nil, usagef("--from-snapshot: %v", err)
	}
	return out, err
}
