package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // time zones work in minimal containers

	"github.com/spf13/cobra"

	"copsync/config"
	"copsync/sync"
	"copsync/validate"
)

// app is what every command shares: the streams, the environment, and the
// configuration once loaded.
type app struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// environ lists the environment's variables (NAME=value), to find the
	// COPSYNC_ ones that name no key; values are read through getenv.
	environ func() []string
	now     func() time.Time

	configPath   string
	configSet    bool
	dateFlag     string
	confirmDate  bool
	fromSnapshot string

	cfg      *config.Config
	parts    *parts // the components built from cfg by checkConfig
	cat      *validate.Catalogue
	logger   *slog.Logger
	progress *sync.ProgressPrinter // rows read, on a terminal only
}

// run is the whole program: it parses args, runs the command and returns
// the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr, getenv: getenv, environ: os.Environ, now: time.Now}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		err = &usageError{Err: err}
	}
	if err != nil && ctx.Err() != nil && exitCode(err) != exitUsage {
		// The only thing that cancels the program's context is a signal;
		// a usage or configuration error is decided before any work, so
		// it keeps its own code.
		err = &interruptedError{cause: err}
	}
	if err != nil {
		reportError(stderr, err)
	}
	return exitCode(err)
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "copsync",
		Short: "Validate the community of practice's spreadsheets, report and e-mail the findings",
		Long: `copsync reads the membership and issues spreadsheets of the Service Centre
Community of Practice (local .xlsx files or Google Sheets), validates them,
writes the bilingual report workbook for the co-chairs and e-mails the
findings with what changed since the last run.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.configPath, "config", "config.yaml", "configuration file")
	root.PersistentFlags().StringVar(&a.dateFlag, "date", "", "run date yyyy-mm-dd (default: today in schedule.timezone)")
	root.PersistentFlags().BoolVar(&a.confirmDate, "confirm-date", false, "run with a --date after tomorrow or before the last run's")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{Err: err} })
	root.AddCommand(a.validateCmd(), a.checkConfigCmd())
	root.AddCommand(a.reportCmd(), a.initCmd())
	root.AddCommand(a.runCmd(), a.previewEmailCmd(), a.scheduleCmd())
	root.AddCommand(a.syncCmd())
	return root
}

// setup loads the catalogue and the configuration, checks the
// configuration once for every command (readConfig, then checkConfig, which
// builds every component the commands build) and makes the logger; it is
// the first thing every command that does work calls. A configuration with
// problems is a *config.Error listing all of them. When no configuration
// file is found, a notice says which paths were tried and that the
// built-in defaults are used.
func (a *app) setup(cmd *cobra.Command) error {
	a.configSet = cmd.Flags().Changed("config")
	path := a.configPath
	if !a.configSet {
		if p, ok := lookup(a.getenv, envConfig); ok {
			path, a.configSet = p, true
		}
	}
	var err error
	if a.cat, err = loadCatalogue(); err != nil {
		return err
	}
	var environ []string
	if a.environ != nil {
		environ = a.environ()
	}
	var p problems
	l := readConfig(path, a.configSet, a.getenv, environ, &p)
	var built *parts
	if l.cfg != nil {
		built = checkConfig(l.cfg, a.cat, &p)
	}
	if err := p.err(); err != nil {
		return err
	}
	a.cfg, a.parts = l.cfg, built
	a.logger = newLogger(a.stderr, a.cfg.Log)
	if l.file == "" {
		tried := "none"
		if len(l.tried) > 0 {
			tried = strings.Join(l.tried, ", ")
		}
		a.logger.Warn("no configuration file found; using the built-in defaults (see copsync check-config)", "tried", tried)
	}
	a.progress = sync.NewProgressPrinter(a.stderr, a.cat, "en")
	return nil
}

func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(c.Level) {
	case "debug":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// runDate returns the run date: --date, or today in schedule.timezone.
func (a *app) runDate() (time.Time, error) {
	loc := time.UTC
	if a.cfg != nil && a.cfg.Schedule.Timezone != "" {
		l, err := time.LoadLocation(a.cfg.Schedule.Timezone)
		if err != nil {
			return time.Time{}, &config.Error{Problems: []string{"schedule.timezone: " + err.Error()}}
		}
		loc = l
	}
	flag, name := a.dateFlag, "--date"
	if flag == "" && a.fromSnapshot != "" {
		// Rebuilding last Tuesday's report: the run date is the snapshot's.
		flag, name = a.fromSnapshot, "--from-snapshot"
	}
	if flag != "" {
		d, err := time.ParseInLocation("2006-01-02", flag, loc)
		if err != nil {
			return time.Time{}, usagef("%s: want yyyy-mm-dd, not %q", name, flag)
		}
		return d, nil
	}
	n := a.now().In(loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc), nil
}

// addFromSnapshot adds --from-snapshot to a command that reads the sources.
func (a *app) addFromSnapshot(cmd *cobra.Command) {
	cmd.Flags().StringVar(&a.fromSnapshot, "from-snapshot", "", "read the sources as they were in the snapshot of this date (yyyy-mm-dd); the run date defaults to it")
}

// parseFailOn reads --fail-on.
func parseFailOn(s string) (validate.Severity, bool, error) {
	if s == "none" {
		return 0, false, nil
	}
	sev, err := validate.ParseSeverity(s)
	if err != nil {
		return 0, false, usagef("--fail-on: want none, warning or error, not %q", s)
	}
	return sev, true, nil
}

// failOn returns a findingsError when res has findings at or above the
// threshold.
func failOn(res *validate.Result, threshold validate.Severity, enabled bool) error {
	if !enabled {
		return nil
	}
	n := 0
	for _, f := range res.Findings {
		if f.Severity >= threshold {
			n++
		}
	}
	if n > 0 {
		return &findingsError{n: n}
	}
	return nil
}

// checkLang checks a --lang of one language (validate.ParseLang).
func (a *app) checkLang(lang string) error {
	if _, err := validate.ParseLang(lang); err != nil {
		return usagef("--lang: want en or fr, not %q", lang)
	}
	return nil
}
