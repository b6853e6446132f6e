package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"copsync/validate"
)

func (a *app) validateCmd() *cobra.Command {
	var format, failOnFlag, lang string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Read and validate the sources, and print the findings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usagef("--format: want text or json, not %q", format)
			}
			threshold, enabled, err := parseFailOn(failOnFlag)
			if err != nil {
				return err
			}
			if err := a.checkLang(lang); err != nil {
				return err
			}
			if err := a.setup(cmd); err != nil {
				return err
			}
			val, err := a.validateSources(cmd.Context(), false)
			if err != nil {
				return err
			}
			if format == "json" {
				err = a.writeJSON(a.stdout, val.Result)
			} else {
				err = a.writeText(a.stdout, val.Result, lang)
			}
			if err != nil {
				return err
			}
			return failOn(val.Result, threshold, enabled)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&failOnFlag, "fail-on", "error", "exit 1 when a finding is at least this severe: none, warning or error")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the text output: en or fr")
	a.addFromSnapshot(cmd)
	return cmd
}

// jsonOutput is the JSON form of a validation, a contract with other tools.
type jsonOutput struct {
	Summary  validate.Summary `json:"summary"`
	Sheets   []jsonSheet      `json:"sheets"`
	Findings []jsonFinding    `json:"findings"`
}

// jsonFinding is a finding with its message worded in both languages,
// personal values included: the JSON output is the secretariat's own.
type jsonFinding struct {
	ID         string            `json:"id"`
	Code       string            `json:"code"`
	Severity   validate.Severity `json:"severity"`
	Source     string            `json:"source"`
	Sheet      string            `json:"sheet,omitempty"`
	Row        int               `json:"row,omitempty"`
	Cell       string            `json:"cell,omitempty"`
	Field      string            `json:"field,omitempty"`
	Key        string            `json:"key,omitempty"`
	Suggestion string            `json:"suggestion,omitempty"`
	Message    string            `json:"message"`
	MessageFR  string            `json:"message_fr"`
	Link       string            `json:"link,omitempty"`
	Personal   bool              `json:"personal,omitempty"`
}

// jsonSheet is a sheet read, and the rows set aside under its table.
type jsonSheet struct {
	validate.SheetRead
	SetAside []jsonSetAside `json:"set_aside"`
}

// jsonSetAside is a range of rows set aside, said in both languages.
type jsonSetAside struct {
	validate.SetAside
	Message   string `json:"message"`
	MessageFR string `json:"message_fr"`
}

func (a *app) writeJSON(w io.Writer, res *validate.Result) error {
	out := jsonOutput{Summary: res.Summary, Findings: []jsonFinding{}, Sheets: []jsonSheet{}}
	for _, f := range res.Findings {
		out.Findings = append(out.Findings, jsonFinding{ID: f.ID, Code: f.Code, Severity: f.Severity, Source: f.Source,
			Sheet: f.Sheet, Row: f.Row, Cell: f.Cell, Field: f.Field, Key: f.Key, Suggestion: f.Suggestion,
			Message:   f.Text(a.cat, "en", validate.Disclose),
			MessageFR: f.Text(a.cat, "fr", validate.Disclose),
			Link:      f.Link, Personal: f.Personal})
	}
	for _, s := range res.Sheets {
		js := jsonSheet{SheetRead: s, SetAside: []jsonSetAside{}}
		for _, sa := range s.SetAside {
			js.SetAside = append(js.SetAside, jsonSetAside{SetAside: sa, Message: sa.Text(a.cat, "en"), MessageFR: sa.Text(a.cat, "fr")})
		}
		out.Sheets = append(out.Sheets, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeText prints the findings for a person: grouped by source and sheet,
// with their cells, then the membership summary.
func (a *app) writeText(w io.Writer, res *validate.Result, lang string) error {
	t := func(key string, p map[string]string) string { return a.cat.T(lang, key, p) }
	var b strings.Builder
	groups := []string{}
	bySheet := map[string][]validate.Finding{}
	for _, f := range res.Findings {
		g := f.Source + "\x00" + f.Sheet
		if _, ok := bySheet[g]; !ok {
			groups = append(groups, g)
		}
		bySheet[g] = append(bySheet[g], f)
	}
	for _, g := range groups {
		fs := bySheet[g]
		o := res.Origins[fs[0].Source]
		fmt.Fprintf(&b, "%s — %s\n", t("cli.source-heading", map[string]string{
			"source": t("source."+fs[0].Source, nil), "sheet": fs[0].Sheet}), o.Path)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t("cli.col.cell", nil), t("cli.col.severity", nil), t("cli.col.code", nil), t("cli.col.message", nil))
		for _, f := range fs {
			cell := f.Cell
			if cell == "" {
				cell = "—"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", cell, t("severity."+f.Severity.String(), nil), f.Code, f.Text(a.cat, lang, validate.Disclose))
		}
		tw.Flush()
		b.WriteString("\n")
	}
	if len(res.Sheets) > 0 {
		fmt.Fprintln(&b, t("cli.sheets-heading", nil))
		for _, sh := range res.Sheets {
			first, last := sh.HeaderFirst, sh.HeaderRow
			fmt.Fprintf(&b, "  %s\n", t("cli.sheet-read", map[string]string{
				"source": t("source."+sh.Source, nil), "sheet": sh.Sheet,
				"header": validate.HeaderText(a.cat, lang, first, last)}))
			for _, sa := range sh.SetAside {
				fmt.Fprintf(&b, "    %s\n", sa.Text(a.cat, lang))
			}
		}
		b.WriteString("\n")
	}
	s := res.Summary
	n := func(i int) string { return fmt.Sprint(i) }
	fmt.Fprintln(&b, t("cli.summary.members", map[string]string{
		"active": n(s.MembersActive), "federal": n(s.FederalOrganizations), "pt": n(s.PTOrganizations), "municipal": n(s.MunicipalOrganizations)}))
	fmt.Fprintln(&b, validate.MissingSentence(a.cat, s.JurisdictionsMissing, lang)+".")
	count := func(key string, i int) string { return t(key, map[string]string{"count": n(i)}) }
	fmt.Fprintln(&b, t("cli.summary.findings", map[string]string{
		"errors": count("count.errors", s.Errors), "warnings": count("count.warnings", s.Warnings), "infos": count("count.infos", s.Infos)}))
	_, err := io.WriteString(w, b.String())
	return err
}
