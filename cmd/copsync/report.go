package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"copsync/job"
	"copsync/report"
	"copsync/validate"
)

func (a *app) reportCmd() *cobra.Command {
	var out, lang, failOnFlag string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Read and validate the sources and write the report workbook",
		Long: `report reads and validates the sources and writes the bilingual report
workbook for the co-chairs: the summary for the Council, the coverage of the
provinces and territories, the issues register and the membership as read,
and every finding with a link to its cell. The workbook goes to report.path
({date} is the run date) or --out, written to a temporary file and renamed.
With --lang other than report.language and no --out, the name carries the
language (report-2026-12-03-fr.xlsx), so that it does not replace the report
of the nightly run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			threshold, enabled, err := parseFailOn(failOnFlag)
			if err != nil {
				return err
			}
			if lang != "" {
				if _, err := report.Languages(lang); err != nil {
					return usagef("--lang: want en, fr or both, not %q", lang)
				}
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			val, err := a.validateSources(cmd.Context(), true)
			if err != nil {
				return err
			}
			path, err := a.writeReport(cmd.Context(), val, out, lang)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, path)
			return failOn(val.Result, threshold, enabled)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the workbook to write (default: report.path)")
	cmd.Flags().StringVar(&lang, "lang", "", "language of the workbook: en, fr or both (default: report.language)")
	cmd.Flags().StringVar(&failOnFlag, "fail-on", "none", "exit 1 when a finding is at least this severe: none, warning or error")
	a.addFromSnapshot(cmd)
	return cmd
}

// writeReport writes the report workbook of a validation to out, or to
// report.path with {date} replaced by the run date, in lang or
// report.language, and returns its path. A workbook that cannot be written
// is a delivery error.
func (a *app) writeReport(ctx context.Context, val *job.Validation, out, lang string) (string, error) {
	rc := a.cfg.Report
	if lang == "" {
		lang = rc.Language
	}
	in, err := a.reportInput(val, lang)
	if err != nil {
		return "", err
	}
	path := out
	if path == "" {
		path = rc.Path
		if lang != rc.Language {
			// Not the run's report: a name of its own, so that it does not
			// replace the report the nightly run wrote for the same day.
			ext := filepath.Ext(path)
			path = strings.TrimSuffix(path, ext) + "-" + lang + ext
		}
	}
	path = strings.ReplaceAll(path, "{date}", in.RunDate.Format("2006-01-02"))
	key := "report.path"
	if out != "" {
		key = "--out"
	}
	if err := a.checkOutputs(map[string]string{key: path}); err != nil {
		return "", err
	}
	if err := report.Write(ctx, path, in); err != nil {
		return "", &deliveryError{Err: err}
	}
	a.logger.Info("report written", "path", path, "language", lang, "findings", len(val.Result.Findings))
	return path, nil
}

// writeAttachment writes the variant of the report that the e-mail
// attaches, without the Members sheet or any personal value, into dir under
// the full report's name, and returns its path.
func (a *app) writeAttachment(ctx context.Context, val *job.Validation, dir, name string) (string, error) {
	in, err := a.reportInput(val, a.cfg.Report.Language)
	if err != nil {
		return "", err
	}
	in.WithoutPersonalData = true
	path := filepath.Join(dir, name)
	if err := report.Write(ctx, path, in); err != nil {
		return "", &deliveryError{Err: fmt.Errorf("the e-mail's copy: %w", err)}
	}
	a.logger.Debug("the e-mail's copy of the report written, without personal data", "path", path)
	return path, nil
}

// reportInput returns what the report of a validation shows, in lang, for
// the run date and its rules.
func (a *app) reportInput(val *job.Validation, lang string) (report.Input, error) {
	day, err := a.runDate()
	if err != nil {
		return report.Input{}, err
	}
	rules, err := a.cfg.ValidateRules(day)
	if err != nil {
		return report.Input{}, err
	}
	rc := a.cfg.Report
	in := report.Input{
		Result:     val.Result,
		Issues:     val.Issues,
		Members:    val.Members,
		Activities: val.Activities,
		Catalogue:  a.cat,
		Orders:     validate.NewOrders(rules.ExtraOrders),
		Lang:       lang,
		RunDate:    day,
		// The fields whose values the e-mail's copy leaves out.
		PersonalFields: rules.PersonalFields,
		Community: report.Community{
			NameEN:    a.cfg.Community.NameEN,
			NameFR:    a.cfg.Community.NameFR,
			CouncilEN: a.cfg.Community.CouncilEN,
			CouncilFR: a.cfg.Community.CouncilFR,
		},
	}
	if !rc.IncludeMembers {
		in.OmitMembers, in.Members = true, nil
	}
	for _, c := range a.cfg.Community.CoChairs {
		in.Community.CoChairs = append(in.Community.CoChairs, report.CoChair{Name: c.Name, TitleEN: c.TitleEN, TitleFR: c.TitleFR})
	}
	// The configuration was validated: both dates or neither, yyyy-mm-dd.
	if rc.Period.Start != "" && rc.Period.End != "" {
		in.PeriodStart, _ = time.Parse("2006-01-02", rc.Period.Start)
		in.PeriodEnd, _ = time.Parse("2006-01-02", rc.Period.End)
	}
	return in, nil
}
