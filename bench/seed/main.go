// Command seed times a seed-sized copsync run as a whole process: it
// builds copsync, then starts "copsync run" on the bundled example
// workbooks (examples/) again and again, each run writing its report, its
// snapshots, its e-mail into the outbox and its state into a temporary
// folder, and prints the median, the quartiles and the extremes of the
// wall-clock time, with the CPU time and the peak memory.
//
//	go run ./bench/seed             # 31 runs after one to warm the caches
//	go run ./bench/seed -n 101
//	go run ./bench/seed -bin bench/data/copsync
//
// Run it from the repository's root. The first run is not counted: it
// finds the files out of the page cache and no last run to compare with.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

// sample is one run: its wall-clock and CPU time, and its largest
// resident set.
type sample struct {
	wall, cpu time.Duration
	peakKiB   int64
}

func run() error {
	n := flag.Int("n", 31, "runs to time, after one that is not")
	bin := flag.String("bin", "", "the copsync binary (default: build ./cmd/copsync)")
	flag.Parse()
	if *n < 1 {
		return fmt.Errorf("-n must be at least 1")
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "examples", "members.xlsx")); err != nil {
		return fmt.Errorf("run from the repository's root: %w", err)
	}
	dir, err := os.MkdirTemp("", "copsync-seed-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *bin == "" {
		*bin = filepath.Join(dir, "copsync")
		build := exec.Command("go", "build", "-o", *bin, "./cmd/copsync")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build copsync: %w", err)
		}
	}
	env := append(os.Environ(),
		"COPSYNC_CONFIG="+filepath.Join(root, "config.yaml"),
		"COPSYNC_SOURCES_MEMBERS_PATH="+filepath.Join(root, "examples", "members.xlsx"),
		"COPSYNC_SOURCES_ISSUES_PATH="+filepath.Join(root, "examples", "issues.xlsx"),
		"COPSYNC_SOURCES_ACTIVITIES_PATH="+filepath.Join(root, "examples", "activities.xlsx"),
		"COPSYNC_STATE_DIR="+filepath.Join(dir, "state"),
		"COPSYNC_NOTIFY_OUTBOX="+filepath.Join(dir, "outbox"),
		"COPSYNC_NOTIFY_WHEN=always",
		"COPSYNC_REPORT_PATH="+filepath.Join(dir, "report-{date}.xlsx"),
		"COPSYNC_SYNC_SNAPSHOT_DIR="+filepath.Join(dir, "snapshots"),
		"COPSYNC_LOG_LEVEL=error",
	)
	var samples []sample
	for i := 0; i <= *n; i++ {
		cmd := exec.Command(*bin, "run", "--date", "2026-11-29")
		cmd.Env = env
		cmd.Stderr = os.Stderr
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		if i == 0 {
			continue
		}
		s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			s.peakKiB = ru.Maxrss
		}
		samples = append(samples, s)
	}
	slices.SortFunc(samples, func(a, b sample) int { return int(a.wall - b.wall) })
	at := func(q float64) time.Duration { return samples[int(q*float64(len(samples)-1)+0.5)].wall }
	mid := samples[len(samples)/2]
	cpus := make([]time.Duration, len(samples))
	peaks := make([]int64, len(samples))
	for i, s := range samples {
		cpus[i], peaks[i] = s.cpu, s.peakKiB
	}
	slices.Sort(cpus)
	slices.Sort(peaks)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Printf("copsync run, seed-sized, %d runs: median %s (quartiles %s – %s, min %s, max %s); CPU median %s; peak memory median %d MiB\n",
		len(samples), ms(mid.wall), ms(at(0.25)), ms(at(0.75)), ms(samples[0].wall), ms(samples[len(samples)-1].wall),
		ms(cpus[len(cpus)/2]), peaks[len(peaks)/2]/1024)
	return nil
}
