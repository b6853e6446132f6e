package notify

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"copsync/validate"
)

// Input is what a run gives the e-mail.
type Input struct {
	// Date is the run date, yyyy-mm-dd.
	Date string
	// At is when the run happened; it dates the message.
	At time.Time
	// Result is the validation of the sources that could be read; nil when
	// none could.
	Result *validate.Result
	Digest Digest
	// Unread are the sources that could not be read, and why.
	Unread []Failure
	// ReportPath is the report workbook to attach; "" when there is none.
	ReportPath string
	// ReportFull reports that the attached workbook is the full report,
	// personal data included (notify.include_personal_data); otherwise it
	// is the variant without the Members sheet or any personal value.
	// ReportMembers reports that the attached workbook has the Members
	// sheet. The footer says which.
	ReportFull, ReportMembers bool
	// FullReportPath is where the full report was written, when
	// ReportPath is a copy; a copy too large to attach names it.
	FullReportPath string
	// ReportError says why the report workbook could not be written.
	ReportError string
	// ReportSkipped reports that the report was not written because a
	// source could not be read: a partial report must not replace the last
	// complete one.
	ReportSkipped bool
	// SnapshotError says why tonight's snapshot of the sources is
	// incomplete; "" when it is complete or snapshots are off.
	SnapshotError string
	// PreviousDelivery, when not nil, is the last e-mail that did not
	// reach every recipient.
	PreviousDelivery *DeliveryReport
	// Undelivered counts the messages waiting in the outbox's undelivered
	// folder, and UndeliveredDir names it.
	Undelivered    int
	UndeliveredDir string
	// reportHeld is the report too large to attach, and its size.
	reportHeld     string
	reportHeldSize int64
}

// Failure is a source that could not be read.
type Failure struct {
	Source string
	// Error is the one-line error, in English.
	Error string
	// Reason names the cause for the catalogue ("sheet-not-found": the
	// text "notify.reason.sheet-not-found"), so that the e-mail says it in
	// each of its languages; "" when the cause has no text of its own.
	Reason string
	// File and Sheet are the file (its name, not its path) and the sheet
	// the reason speaks of.
	File, Sheet string
}

// Failed reports whether part of the run failed: a source or the report.
func (in *Input) Failed() bool {
	return len(in.Unread) > 0 || in.ReportError != "" || in.SnapshotError != "" ||
		in.Digest.Unavailable != "" || in.PreviousDelivery != nil || in.Undelivered > 0
}

func (in *Input) findings() []validate.Finding {
	if in.Result == nil {
		return nil
	}
	return in.Result.Findings
}

// ShouldSend reports whether the run's e-mail goes out under c.When. A run
// that failed in part always sends: silence must not look like success.
func (c *Config) ShouldSend(in Input) bool {
	if in.Failed() {
		return true
	}
	switch c.When {
	case WhenAlways:
		return true
	case WhenChanges:
		return in.Digest.First || in.Digest.Changed()
	}
	return len(in.findings()) > 0 || len(in.Digest.Resolved) > 0
}

// Data is what the e-mail templates receive: strings and lists only, every
// text already in the languages of the message, in order.
type Data struct {
	// Prefix is the subject prefix, e.g. "[copsync]".
	Prefix string
	// Subject is the subject: the prefix and the summary line of the first
	// language, shortened to fewer than 80 characters so that it shows
	// whole in an inbox list.
	Subject string
	// Date is the run date, yyyy-mm-dd.
	Date string
	// Failed reports that a source or the report failed.
	Failed bool
	// First reports a first run; Changed, that a finding is new or resolved.
	First   bool
	Changed bool
	// PersonalData reports that values which are personal data are shown.
	PersonalData bool
	// Attachment is the attached report's file name, "" when none.
	Attachment string
	// Held is where the report was written when it is too large to attach
	// (larger than notify.max_attachment), "" otherwise; HeldSize is its
	// size and HeldLimit the limit, in bytes.
	Held                string
	HeldSize, HeldLimit int64
	Sections            []Section
}

// Section is the message in one language.
type Section struct {
	Lang string
	// Summary is the summary line, as in the subject: "4 provinces/
	// territories unrepresented, 1 incomplete issue — 2 new, 1 resolved".
	Summary string
	// parts and change are the pieces of Summary, for the subject.
	parts  []string
	change string
	Title  string
	// VersionBelow announces this section at the top of the message
	// ("Version française plus bas"); empty for the first section.
	VersionBelow string
	Intro        string

	FailuresTitle string
	Failures      []string

	ChangesTitle  string
	Changes       string
	NewTitle      string
	New           []Line
	ResolvedTitle string
	Resolved      []Line
	// StillOpen counts the findings still open, and says for how long the
	// oldest has been.
	StillOpen string
	Unchecked string

	CoverageTitle  string
	Coverage       string
	Grid           [][]GridCell
	Represented    string
	NotRepresented string
	MembersLegend  string

	FiguresTitle string
	Figures      []Figure
	// SheetsRead names the sheets read for each source, one line each.
	SheetsRead []string

	FindingsTitle string
	NoFindings    string
	Sheets        []Sheet
	More          string
	Columns       Columns

	Attachment string
	Footer     string
}

// Line is one finding as the e-mail shows it.
type Line struct {
	Sheet string
	Cell  string
	Code  string
	// Severity is the translated name; Level is error, warning or info.
	Severity string
	Level    string
	Text     string
	// Value is the value concerned; empty when it is personal data and
	// personal data is left out.
	Value string
	// Open is how long it has been open ("new", "3 nights").
	Open string
	// Link opens the cell, for sources on the web (Google Sheets).
	Link string
}

// Sheet is the findings of one sheet.
type Sheet struct {
	Title string
	Lines []Line
}

// GridCell is one province or territory in the coverage grid.
type GridCell struct {
	Code        string
	Name        string
	Members     int
	Represented bool
	// Status is "represented" or "not represented", translated.
	Status string
}

// Figure is one number of the membership summary.
type Figure struct {
	Label string
	Value int
}

// Columns are the headings of the findings tables.
type Columns struct {
	Cell, Severity, Code, Finding, Value, Open string
}

// gridWidth is how many provinces and territories a grid row holds.
const gridWidth = 5

// Data returns the templates' data for the run.
func (c *Composer) Data(in Input) *Data {
	d := &Data{
		Prefix:       c.cfg.Subject,
		Date:         in.Date,
		Failed:       in.Failed(),
		First:        in.Digest.First,
		Changed:      in.Digest.Changed(),
		PersonalData: c.cfg.IncludePersonalData,
	}
	if in.ReportPath != "" {
		d.Attachment = filepath.Base(in.ReportPath)
	}
	if in.reportHeld != "" {
		d.Held, d.HeldSize, d.HeldLimit = in.reportHeld, in.reportHeldSize, c.maxAttachment()
	}
	langs := c.cfg.Languages
	if len(langs) == 0 {
		langs = []string{"en", "fr"}
	}
	for i, lang := range langs {
		s := c.section(in, d, lang)
		if i > 0 {
			s.VersionBelow = c.cat.T(lang, "notify.version-below", nil) + ". " +
				c.cat.T(lang, "notify.other-language", map[string]string{"summary": s.Summary})
		}
		d.Sections = append(d.Sections, s)
	}
	if len(d.Sections) > 0 {
		d.Subject = subjectLine(d.Prefix, d.Sections[0].parts, d.Sections[0].change)
	}
	return d
}

// maxSubject is the length a subject stays under: what an inbox list shows.
const maxSubject = 80

// subjectLine returns the prefix, the summary parts and the change since
// the last run, joined as the summary line is, with the last parts left
// out ("…") until it is shorter than maxSubject characters.
func subjectLine(prefix string, parts []string, change string) string {
	join := func(ps []string, cut bool) string {
		s := strings.Join(ps, ", ")
		if cut {
			s += "…"
		}
		if change != "" {
			s += " — " + change
		}
		return strings.TrimSpace(prefix + " " + s)
	}
	for k := len(parts); k > 0; k-- {
		if s := join(parts[:k], k < len(parts)); utf8.RuneCountInString(s) < maxSubject {
			return s
		}
	}
	s := []rune(join(parts, false))
	if len(s) >= maxSubject {
		s = append(s[:maxSubject-2], '…')
	}
	return string(s)
}

// words are the catalogue's texts in one language, for the builders of a
// section.
type words struct {
	cat  *validate.Catalogue
	lang string
}

// t returns the text of key with its parameters.
func (w words) t(key string, p map[string]string) string { return w.cat.T(w.lang, key, p) }

// n returns the text of a key with plural forms for the count v.
func (w words) n(key string, v int) string {
	return w.t(key, map[string]string{"count": strconv.Itoa(v)})
}

// section renders the texts of one language, part by part, in the order
// the message shows them.
func (c *Composer) section(in Input, d *Data, lang string) Section {
	w := words{c.cat, lang}
	unread := map[string]bool{}
	for _, f := range in.Unread {
		unread[f.Source] = true
	}
	s := Section{Lang: lang}
	s.Title, s.Intro = c.title(w, in.Date), w.t("notify.intro", nil)
	s.FailuresTitle, s.Failures = w.t("notify.heading.failures", nil), c.failures(w, in)
	s.parts, s.change = summaryParts(w, in, unread), changeLine(w, in.Digest)
	s.Summary = strings.Join(s.parts, ", ") + " — " + s.change
	c.changes(&s, w, in.Digest)
	c.coverage(&s, w, in, unread)
	figures(&s, w, in, unread)
	if in.Result != nil {
		s.SheetsRead = in.Result.SheetsRead(c.cat, lang)
	}
	c.findingsBySheet(&s, w, in)
	s.Attachment = attachmentLine(w, d)
	s.Footer = c.footer(lang, in, d.Attachment != "")
	return s
}

// title returns the section's title: the community and the run date in
// prose ("2 January 2026"), or as given when it is not yyyy-mm-dd.
func (c *Composer) title(w words, runDate string) string {
	community := c.cfg.CommunityEN
	date := runDate
	if d, err := time.Parse("2006-01-02", runDate); err == nil {
		date = validate.ProseDate(c.cat, w.lang, d)
	}
	if w.lang == "fr" && c.cfg.CommunityFR != "" {
		community = c.cfg.CommunityFR
	}
	if community == "" {
		community = "copsync"
	}
	return w.t("notify.title", map[string]string{"community": community, "date": date})
}

// failures returns what could not be done, one sentence each: the sources
// not read, the report not written or not replaced, the snapshot left
// incomplete, the last e-mail not delivered to everyone and the messages
// waiting in the outbox.
func (c *Composer) failures(w words, in Input) []string {
	var fs []string
	for _, f := range in.Unread {
		fs = append(fs, w.t("notify.failure.source", map[string]string{
			"source": w.t("source."+f.Source, nil), "error": c.reason(w.lang, f)}))
	}
	if in.ReportError != "" {
		fs = append(fs, w.t("notify.failure.report", map[string]string{"error": strings.TrimSuffix(validate.OneLine(in.ReportError), ".")}))
	}
	if in.ReportSkipped {
		fs = append(fs, w.t("notify.failure.report-skipped", nil))
	}
	if in.SnapshotError != "" {
		fs = append(fs, w.t("notify.failure.snapshot", map[string]string{"error": strings.TrimSuffix(validate.OneLine(in.SnapshotError), ".")}))
	}
	if pd := in.PreviousDelivery; pd != nil && len(pd.Refused) > 0 {
		var who []string
		for _, r := range pd.Refused {
			who = append(who, fmt.Sprintf("notify.to[%d] (%s)", r.Index, strings.TrimSuffix(validate.OneLine(r.Reply), ".")))
		}
		fs = append(fs, w.t("notify.failure.delivery", map[string]string{
			"date": pd.Date, "refused": strconv.Itoa(len(pd.Refused)), "total": strconv.Itoa(pd.Recipients),
			"who": strings.Join(who, "; ")}))
	}
	if in.Undelivered > 0 {
		fs = append(fs, w.t("notify.failure.undelivered", map[string]string{
			"n": strconv.Itoa(in.Undelivered), "dir": in.UndeliveredDir}))
	}
	return fs
}

// summaryParts returns the pieces of the summary line, the first
// capitalised: the sources not read, the report not written, the
// provinces and territories unrepresented, the incomplete issues and the
// other findings (or "no findings").
func summaryParts(w words, in Input, unread map[string]bool) []string {
	var parts []string
	switch len(in.Unread) {
	case 0:
	case 1:
		parts = append(parts, w.t("notify.subject.unread.one", map[string]string{"source": w.t("source."+in.Unread[0].Source, nil)}))
	default:
		parts = append(parts, w.n("notify.subject.unread", len(in.Unread)))
	}
	if in.ReportError != "" {
		parts = append(parts, w.t("notify.subject.report-failed", nil))
	}
	if in.Result != nil {
		findings := in.findings()
		sum := in.Result.Summary
		if !unread[validate.SourceMembers] {
			if m := len(sum.JurisdictionsMissing); m > 0 {
				parts = append(parts, w.n("notify.subject.unrepresented", m))
			} else {
				parts = append(parts, w.t("notify.subject.all-represented", nil))
			}
		}
		if sum.IssuesIncomplete > 0 {
			parts = append(parts, w.n("notify.subject.incomplete", sum.IssuesIncomplete))
		}
		other := 0
		for _, f := range findings {
			if f.Code != validate.CodeJurisdictionMissing && f.Code != validate.CodeIssueIncomplete {
				other++
			}
		}
		if other > 0 {
			parts = append(parts, w.n("notify.subject.other", other))
		}
		if len(findings) == 0 && len(in.Unread) == 0 {
			parts = append(parts, w.t("notify.subject.no-findings", nil))
		}
	}
	if len(parts) > 0 {
		parts[0] = validate.Capitalize(parts[0])
	}
	return parts
}

// changeLine returns the end of the summary line: what changed since the
// last run ("2 new, 1 resolved"), or that nothing did, that this is the
// first run or that the comparison could not be made.
func changeLine(w words, dg Digest) string {
	switch {
	case dg.Unavailable != "":
		return w.t("notify.subject.comparison-unavailable", nil)
	case dg.First:
		return w.t("notify.subject.first-run", nil)
	case dg.Changed():
		var cp []string
		if len(dg.New) > 0 {
			cp = append(cp, w.n("notify.subject.new", len(dg.New)))
		}
		if len(dg.Resolved) > 0 {
			cp = append(cp, w.n("notify.subject.resolved", len(dg.Resolved)))
		}
		return strings.Join(cp, ", ")
	}
	return w.t("notify.subject.no-change", nil)
}

// changes fills the part on what changed since the last run: its counts,
// the new and resolved findings (at most notify.max_findings of each),
// how many are still open and for how long the oldest has been, and the
// earlier findings of the sources not read tonight.
func (c *Composer) changes(s *Section, w words, dg Digest) {
	switch {
	case dg.Unavailable != "":
		s.ChangesTitle = w.t("notify.heading.changes-first", nil)
		s.Changes = w.t("notify.changes.unavailable", map[string]string{"why": w.t("notify.state.damaged", map[string]string{"path": dg.Unavailable})})
	case dg.First:
		s.ChangesTitle = w.t("notify.heading.changes-first", nil)
		s.Changes = w.t("notify.changes.first-run", nil)
	default:
		prev := dg.PreviousDate
		if d, err := time.Parse("2006-01-02", prev); err == nil {
			prev = validate.ProseDate(c.cat, w.lang, d)
		}
		s.ChangesTitle = w.t("notify.heading.changes", map[string]string{"date": prev})
		if dg.Changed() {
			s.Changes = w.t("notify.changes.counts", map[string]string{
				"new": strconv.Itoa(len(dg.New)), "resolved": strconv.Itoa(len(dg.Resolved)), "open": strconv.Itoa(len(dg.StillOpen))})
		} else {
			s.Changes = w.t("notify.changes.none", nil)
		}
		s.NewTitle = w.t("notify.label.new", nil)
		s.ResolvedTitle = w.t("notify.label.resolved", nil)
		budget := c.maxFindings()
		for _, e := range dg.New[:min(len(dg.New), budget)] {
			s.New = append(s.New, c.line(w.lang, e.Finding, ""))
		}
		for _, e := range dg.Resolved[:min(len(dg.Resolved), budget)] {
			s.Resolved = append(s.Resolved, c.line(w.lang, e.Finding, c.nights(w.lang, e.Nights)))
		}
		s.StillOpen = c.stillOpen(w, dg.StillOpen)
	}
	if len(dg.Unchecked) > 0 {
		s.Unchecked = w.n("notify.unchecked", len(dg.Unchecked))
	}
}

// stillOpen returns how many findings are still open and for how long the
// oldest has been; "" when none is.
func (c *Composer) stillOpen(w words, open []Entry) string {
	if len(open) == 0 {
		return ""
	}
	oldest := 0
	for _, e := range open {
		oldest = max(oldest, e.Nights)
	}
	s := w.n("notify.still-open", len(open))
	if oldest > 0 {
		s += " " + w.t("notify.still-open.oldest", map[string]string{"nights": c.nights(w.lang, oldest)})
	}
	return s
}

// coverage fills the part on the provinces and territories: its legend
// always, and when the membership was read, the sentence naming those
// unrepresented and the grid.
func (c *Composer) coverage(s *Section, w words, in Input, unread map[string]bool) {
	s.CoverageTitle = w.t("notify.heading.coverage", nil)
	s.Represented = w.t("notify.legend.represented", nil)
	s.NotRepresented = w.t("notify.legend.not-represented", nil)
	s.MembersLegend = w.t("notify.legend.members", nil)
	if in.Result == nil || unread[validate.SourceMembers] {
		return
	}
	sum := in.Result.Summary
	s.Coverage = validate.MissingSentence(c.cat, sum.JurisdictionsMissing, w.lang) + "."
	s.Grid = grid(w, sum)
}

// grid returns the provinces and territories, gridWidth a row, each with
// its count of members and its status agreeing with its name in French.
func grid(w words, sum validate.Summary) [][]GridCell {
	counts := map[string]validate.JurisdictionCount{}
	for _, j := range sum.Jurisdictions {
		counts[j.Code] = j
	}
	missing := map[string]bool{}
	for _, code := range sum.JurisdictionsMissing {
		missing[code] = true
	}
	var rows [][]GridCell
	var row []GridCell
	for _, j := range validate.Jurisdictions {
		rep := !missing[j.Code]
		cell := GridCell{Code: j.Code, Name: j.Name(w.lang), Members: counts[j.Code].Coverage, Represented: rep}
		key := "notify.legend.not-represented"
		if rep {
			key = "notify.legend.represented"
		}
		// The status agrees with the place: « Colombie-Britannique
		// représentée », « Territoires du Nord-Ouest représentés ».
		switch {
		case strings.HasPrefix(j.FRArticle, "les "):
			key += "-pl"
		case j.FRFeminine:
			key += "-f"
		}
		cell.Status = w.t(key, nil)
		row = append(row, cell)
		if len(row) == gridWidth {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// figures fills the membership summary: the counts of members and
// organizations when the membership was read, of issues when the issues
// were, and of errors and warnings whenever a source was.
func figures(s *Section, w words, in Input, unread map[string]bool) {
	if in.Result == nil {
		return
	}
	sum := in.Result.Summary
	if !unread[validate.SourceMembers] {
		s.Figures = append(s.Figures,
			Figure{w.t("notify.figure.members-active", nil), sum.MembersActive},
			Figure{w.t("notify.figure.federal", nil), sum.FederalOrganizations},
			Figure{w.t("notify.figure.pt", nil), sum.PTOrganizations},
			Figure{w.t("notify.figure.municipal", nil), sum.MunicipalOrganizations})
	}
	if !unread[validate.SourceIssues] {
		s.Figures = append(s.Figures,
			Figure{w.t("notify.figure.issues", nil), sum.IssuesTotal},
			Figure{w.t("notify.figure.issues-incomplete", nil), sum.IssuesIncomplete})
	}
	if len(s.Figures) > 0 {
		s.FiguresTitle = w.t("notify.heading.figures", nil)
	}
	s.Figures = append(s.Figures,
		Figure{w.t("notify.figure.errors", nil), sum.Errors},
		Figure{w.t("notify.figure.warnings", nil), sum.Warnings})
}

// findingsBySheet fills the findings part: a table a sheet, at most
// notify.max_findings lines in all, each saying for how long it has been
// open, and how many more the attached report holds.
func (c *Composer) findingsBySheet(s *Section, w words, in Input) {
	findings := in.findings()
	s.FindingsTitle = w.t("notify.heading.findings", nil)
	s.Columns = Columns{
		Cell: w.t("notify.column.cell", nil), Severity: w.t("notify.column.severity", nil), Code: w.t("notify.column.code", nil),
		Finding: w.t("notify.column.finding", nil), Value: w.t("notify.column.value", nil), Open: w.t("notify.column.open", nil),
	}
	if in.Result != nil && len(findings) == 0 {
		s.NoFindings = w.t("notify.findings.none", nil)
	}
	open := map[string]int{}
	for _, e := range in.Digest.StillOpen {
		open[e.Finding.ID] = e.Nights
	}
	budget := c.maxFindings()
	shown := 0
	for _, g := range groupBySheet(findings) {
		sh := Sheet{Title: c.sheetTitle(w.lang, g[0])}
		for _, f := range g[:min(len(g), budget-shown)] {
			o := w.t("notify.new", nil)
			if nn, ok := open[f.ID]; ok {
				o = c.nights(w.lang, nn)
			} else if in.Digest.Unavailable != "" {
				o = w.t("notify.open.unknown", nil)
			}
			sh.Lines = append(sh.Lines, c.line(w.lang, f, o))
		}
		shown += len(sh.Lines)
		if len(sh.Lines) > 0 {
			s.Sheets = append(s.Sheets, sh)
		}
	}
	if rest := len(findings) - shown; rest > 0 {
		s.More = w.n("notify.findings.more", rest)
	}
}

// attachmentLine says which report is attached, or where the report too
// large to attach was written, or that none is attached.
func attachmentLine(w words, d *Data) string {
	switch {
	case d.Attachment != "":
		return w.t("notify.attachment", map[string]string{"name": d.Attachment})
	case d.Held != "":
		return w.t("notify.attachment.held", map[string]string{
			"path": d.Held, "size": megabytes(w.lang, d.HeldSize), "limit": megabytes(w.lang, d.HeldLimit)})
	}
	return w.t("notify.no-attachment", nil)
}

// footer says exactly what the message and its attachment hold of
// personal data.
func (c *Composer) footer(lang string, in Input, attached bool) string {
	key := "notify.footer.withheld"
	if c.cfg.IncludePersonalData {
		key = "notify.footer.disclosed"
	}
	s := c.cat.T(lang, key, nil)
	if !attached {
		return s
	}
	switch {
	case in.ReportMembers:
		key = "notify.footer.attachment.full"
	case in.ReportFull:
		key = "notify.footer.attachment.full-no-members"
	default:
		key = "notify.footer.attachment.withheld"
	}
	return s + " " + c.cat.T(lang, key, nil)
}

// disclosure returns what the e-mail may show of personal values.
func (c *Composer) disclosure() validate.Disclosure {
	if c.cfg.IncludePersonalData {
		return validate.Disclose
	}
	return validate.Withhold
}

func (c *Composer) maxFindings() int {
	if c.cfg.MaxFindings > 0 {
		return c.cfg.MaxFindings
	}
	return DefaultMaxFindings
}

// line returns a finding as the e-mail shows it, its value left out when
// it is personal data.
func (c *Composer) line(lang string, f validate.Finding, open string) Line {
	l := Line{
		Sheet:    f.Sheet,
		Cell:     f.Cell,
		Code:     f.Code,
		Severity: validate.Capitalize(c.cat.T(lang, "severity."+f.Severity.String(), nil)),
		Level:    f.Severity.String(),
		Text:     f.Text(c.cat, lang, c.disclosure()),
		Open:     open,
	}
	if l.Cell == "" && f.Row > 0 {
		l.Cell = strconv.Itoa(f.Row)
	}
	l.Value = f.Value(c.disclosure())
	if strings.HasPrefix(f.Link, "https://") {
		l.Link = f.Link
	}
	return l
}

func (c *Composer) nights(lang string, n int) string {
	if n == 0 {
		return c.cat.T(lang, "notify.nights.zero", nil)
	}
	return c.cat.T(lang, "notify.nights", map[string]string{"count": strconv.Itoa(n)})
}

// reason returns why a source could not be read, in lang: the catalogue's
// text for the failure's reason, or, for a cause without one, the error
// itself, which French introduces as a detail in English.
func (c *Composer) reason(lang string, f Failure) string {
	p := map[string]string{"file": f.File, "sheet": f.Sheet, "error": strings.TrimSuffix(validate.OneLine(f.Error), ".")}
	if f.Reason != "" && c.cat.Has("notify.reason."+f.Reason) {
		return c.cat.T(lang, "notify.reason."+f.Reason, p)
	}
	return c.cat.T(lang, "notify.error.generic", p)
}

func (c *Composer) sheetTitle(lang string, f validate.Finding) string {
	src := c.cat.T(lang, "source."+f.Source, nil)
	if !c.cat.Has("source." + f.Source) {
		src = f.Source
	}
	src = validate.Capitalize(src)
	if f.Sheet == "" {
		return c.cat.T(lang, "notify.sheet.none", map[string]string{"source": src})
	}
	return c.cat.T(lang, "notify.sheet", map[string]string{"source": src, "sheet": f.Sheet})
}

// groupBySheet groups findings by source and sheet (members, issues,
// activities, then others), each group ordered by row, cell and code.
func groupBySheet(fs []validate.Finding) [][]validate.Finding {
	idx := map[string]int{}
	var groups [][]validate.Finding
	for _, f := range fs {
		k := f.Source + "\x00" + f.Sheet
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	rank := func(src string) int {
		switch src {
		case validate.SourceMembers:
			return 0
		case validate.SourceIssues:
			return 1
		case validate.SourceActivities:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(groups, func(a, b []validate.Finding) int { return rank(a[0].Source) - rank(b[0].Source) })
	for _, g := range groups {
		slices.SortStableFunc(g, func(a, b validate.Finding) int {
			if a.Row != b.Row {
				return a.Row - b.Row
			}
			if a.Cell != b.Cell {
				if len(a.Cell) != len(b.Cell) {
					return len(a.Cell) - len(b.Cell)
				}
				return strings.Compare(a.Cell, b.Cell)
			}
			return strings.Compare(a.Code, b.Code)
		})
	}
	return groups
}

// Compose renders the e-mail for the run and attaches the report. A report
// that cannot be read is not attached, and the message says why.
func (c *Composer) Compose(in Input) (*Email, error) {
	var att []Attachment
	if in.ReportPath != "" {
		if fi, err := os.Stat(in.ReportPath); err == nil && fi.Size() > c.maxAttachment() {
			// Too large for many mail servers: the e-mail says where the
			// full report is (the attachment may be a copy in a temporary
			// folder).
			where := in.ReportPath
			if in.FullReportPath != "" {
				where = in.FullReportPath
			}
			if abs, err := filepath.Abs(where); err == nil {
				where = abs
			}
			c.log.Info("the report is not attached: larger than notify.max_attachment",
				"path", where, "size", fi.Size(), "max_attachment", c.maxAttachment())
			in.reportHeld, in.reportHeldSize, in.ReportPath = where, fi.Size(), ""
		}
	}
	if in.ReportPath != "" {
		data, err := os.ReadFile(in.ReportPath)
		if err != nil {
			c.log.Warn("the report cannot be attached", "path", in.ReportPath, "err", err.Error())
			if in.ReportError == "" {
				in.ReportError = fmt.Sprintf("read %s: %v", in.ReportPath, err)
			}
			in.ReportPath = ""
		} else {
			att = append(att, Attachment{Name: filepath.Base(in.ReportPath), ContentType: XLSXType, Data: data})
		}
	}
	d := c.Data(in)
	subject, text, html, err := c.Render(d)
	if err != nil {
		return nil, err
	}
	at := in.At
	if at.IsZero() {
		at = time.Now()
	}
	return &Email{From: c.from(), To: c.cfg.To, Subject: subject, Text: text, HTML: html, Date: at, Attachments: att}, nil
}

// maxAttachment returns the largest report attached, in bytes.
func (c *Composer) maxAttachment() int64 {
	if c.cfg.MaxAttachment > 0 {
		return c.cfg.MaxAttachment
	}
	return DefaultMaxAttachment
}

// megabytes writes a size as lang writes it: in megabytes (10^6 bytes)
// with one decimal, "12.3 MB", « 12,3 Mo », and below a megabyte in
// kilobytes, "35 kB", « 35 ko ».
func megabytes(lang string, n int64) string {
	num, unit := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64), "MB"
	if n < 1e6 {
		num, unit = strconv.FormatInt((n+500)/1000, 10), "kB"
	}
	if lang == "fr" {
		return strings.Replace(num, ".", ",", 1) + "\u00a0" + map[string]string{"MB": "Mo", "kB": "ko"}[unit]
	}
	return num + " " + unit
}

// from returns the sender address; an outbox message without one is from
// copsync@localhost.
func (c *Composer) from() string {
	if c.cfg.From != "" {
		return c.cfg.From
	}
	return "copsync <copsync@localhost>"
}
