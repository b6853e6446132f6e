package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"copsync/notify"
	"copsync/validate"
)

func (a *app) previewEmailCmd() *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:   "preview-email",
		Short: "Print the e-mail the next run would send (subject, text and HTML), to check templates",
		Long: `preview-email reads and validates the sources, compares the findings with
the last run's, and prints the subject, the plain-text part and the HTML part
of the e-mail, rendered with the configured templates. It sends nothing,
writes nothing and does not change the state of the last run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var langs []string
			if lang != "" {
				l, err := validate.ParseLangs(lang)
				if err != nil {
					return usagef("--lang: want en, fr or both, not %q", lang)
				}
				langs = validate.LangCodes(l)
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			// The configuration was checked, its templates parsed and
			// rendered once (checkConfig): only --lang can change them.
			composer := a.parts.composer
			if langs != nil {
				ncfg := a.parts.notify
				ncfg.Languages = langs
				var err error
				if composer, err = notify.NewComposer(ncfg, a.cat, a.logger); err != nil {
					return &usageError{Err: err}
				}
			}
			day, err := a.runDate()
			if err != nil {
				return err
			}
			date := day.Format(time.DateOnly)
			out, err := a.readSources(cmd.Context(), day, true)
			if err != nil {
				return err
			}
			in := notify.Input{Date: date, At: a.now(), Result: out.Validation.Result, Unread: out.Unread}
			if p := strings.ReplaceAll(a.cfg.Report.Path, "{date}", date); fileExists(p) {
				// The run attaches a copy under the same name: the full
				// report only with notify.include_personal_data.
				in.ReportPath = p
				personal := a.parts.notify.IncludePersonalData
				in.ReportFull, in.ReportMembers = personal, personal && a.cfg.Report.IncludeMembers
			}
			prev, err := notify.LoadState(a.cfg.State.Dir)
			if err != nil && !errors.Is(err, notify.ErrStateCorrupt) {
				return err
			}
			var names []string
			for _, u := range out.Unread {
				names = append(names, u.Source)
			}
			in.Digest, _ = notify.Compare(prev, notify.Run{Date: date, Summary: out.Validation.Result.Summary, Findings: out.Validation.Result.Findings, Unread: names})
			d := composer.Data(in)
			subject, text, html, err := composer.Render(d)
			if err != nil {
				return &usageError{Err: err}
			}
			_, err = fmt.Fprintf(a.stdout, "Subject: %s\n\n----- %s -----\n%s\n----- %s -----\n%s", subject,
				notify.TemplateText, strings.TrimRight(text, "\n"), notify.TemplateHTML, html)
			return err
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language of the preview: en, fr or both (default: notify.language)")
	a.addFromSnapshot(cmd)
	return cmd
}

// fileExists reports whether path names a regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
