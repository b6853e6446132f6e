package report

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"copsync/validate"
)

// The column widths of the Summary sheet, in characters, which fit a
// portrait Letter page at full size: labels and issues, two narrow columns
// (dates, criticality, incidence, counts), and a wide one (descriptions,
// action plans).
var summaryWidths = []float64{33, 17, 11, 34}

var (
	lookTitle    = look{bold: true, size: 15, font: colourHeading, top: true}
	lookSubtitle = look{bold: true, size: 12, top: true}
	lookSection  = look{bold: true, size: 12, font: "FFFFFF", fill: colourHeading}
	lookColumn   = look{bold: true, fill: colourHeader, border: true, wrap: true, top: true}
	lookLabel    = look{bold: true, top: true}
	lookCell     = look{border: true, wrap: true, top: true}
	lookNote     = look{italic: true, font: colourNote, wrap: true, top: true}
	lookLink     = look{underline: true, font: colourLink, top: true}
	lookText     = look{wrap: true, top: true}
)

// summary writes the Summary sheet: the Council report itself, as the
// seed report lays it out.
func (b *book) summary() {
	s := b.sheet("summary")
	b.layouts[s].widths = summaryWidths
	in := b.in
	res := in.Result
	r := 1

	// The title, the community, the council, the date, the period and the
	// co-chairs.
	b.paragraph(s, r, b.join("\n", func(l string) string {
		return b.t(l, "report.summary.title", map[string]string{"council": b.council(l)})
	}), lookTitle)
	r++
	b.paragraph(s, r, b.join("\n", b.community), lookSubtitle)
	r += 2
	if in.WithoutPersonalData {
		// The e-mail's copy says so first.
		b.paragraph(s, r, b.para("report.summary.without-personal-data", nil), lookNote)
		r += 2
	}
	b.keyValue(s, r, "report.summary.date", b.join("\n", func(l string) string { return b.prose(l, in.RunDate) }))
	r++
	b.keyValue(s, r, "report.summary.period", b.join("\n", func(l string) string {
		return b.t(l, "report.summary.period_value", map[string]string{"start": b.prose(l, in.PeriodStart), "end": b.prose(l, in.PeriodEnd)})
	}))
	r++
	b.keyValue(s, r, "report.summary.co_chairs", b.coChairs())
	r += 2

	// The activities of the period and those planned for the next one.
	done, planned := b.activities()
	r = b.activityTable(s, r, "report.summary.activities_done", in.PeriodStart, in.PeriodEnd, done)
	r++
	r = b.activityTable(s, r, "report.summary.activities_next", in.NextStart, in.NextEnd, planned)
	r++

	// The membership: the seed's sentence, the provinces and territories
	// not represented, and the counts, each number in its own cell.
	first := r
	b.section(s, r, b.label("report.summary.membership", nil))
	r++
	if _, ok := res.Origins[validate.SourceMembers]; !ok && res.Summary.MembersTotal == 0 {
		b.paragraph(s, r, b.para("report.summary.no_members", nil), lookNote)
		r++
	} else {
		sum := res.Summary
		b.paragraph(s, r, b.join("\n", func(l string) string { return b.membership(l, sum) }), lookText)
		r++
		note := b.join("\n", func(l string) string {
			if len(sum.JurisdictionsMissing) == 0 {
				return b.t(l, "report.summary.note_none", nil)
			}
			sentence := validate.MissingSentence(b.cat, sum.JurisdictionsMissing, l)
			if l == "fr" {
				sentence = lowerArticle(sentence)
			}
			return b.t(l, "report.summary.note", map[string]string{"sentence": strings.TrimSuffix(sentence, ".")})
		})
		l := lookNote
		if len(sum.JurisdictionsMissing) > 0 {
			l = look{italic: true, bold: true, font: colourRedText, wrap: true, top: true}
		}
		b.paragraph(s, r, note, l)
		r++
		rows := []struct {
			key string
			n   int
		}{
			{"report.summary.members_active", sum.MembersActive},
			{"report.summary.federal_orgs", sum.FederalOrganizations},
			{"report.summary.pt_orgs", sum.PTOrganizations},
			{"report.summary.municipal_orgs", sum.MunicipalOrganizations},
		}
		for _, o := range b.in.Orders.All() {
			if o.Code == validate.OrderFederal || o.Code == validate.OrderPT || o.Code == validate.OrderMunicipal {
				continue
			}
			rows = append(rows, struct {
				key string
				n   int
			}{"other:" + o.Code, sum.Organizations[o.Code]})
		}
		for _, c := range rows {
			label := ""
			if code, ok := strings.CutPrefix(c.key, "other:"); ok {
				o, _ := b.in.Orders.ByCode(code)
				label = b.join(" / ", func(l string) string {
					return b.t(l, "report.summary.other_orgs", map[string]string{"order": o.Name(l)})
				})
			} else {
				label = b.label(c.key, nil)
			}
			b.str(s, 0, r, label, look{border: true, wrap: true, top: true})
			b.num(s, 1, r, float64(c.n), look{border: true, bold: true, top: true})
			r++
		}
	}
	b.layouts[s].keep(first, r-1, 0)
	r++

	// The issues and challenges, as the seed report's table: a missing
	// criticality, incidence or action plan is marked, not left blank.
	first = r
	b.section(s, r, b.label("report.summary.issues", nil))
	r++
	for i, key := range []string{"report.col.issue", "report.col.criticality", "report.col.incidence", "report.col.action_plan"} {
		b.str(s, i, r, b.label(key, nil), lookColumn)
	}
	r++
	n, lacking := 0, 0
	toSet := b.label("report.summary.to_set", nil)
	missing := look{border: true, fill: colourAmber, font: colourAmberText, italic: true, wrap: true, top: true}
	for _, is := range res.Issues {
		if is.Issue == "" {
			continue
		}
		n++
		if is.Criticality == "" || is.Incidence == "" {
			lacking++
		}
		b.str(s, 0, r, is.Issue, lookCell)
		for i, v := range []string{is.Criticality, is.Incidence, is.ActionPlan} {
			if v == "" {
				b.str(s, 1+i, r, toSet, missing)
			} else {
				b.str(s, 1+i, r, v, lookCell)
			}
		}
		r++
	}
	if n == 0 {
		b.paragraph(s, r, b.para("report.summary.no_issues", nil), lookNote)
		r++
	} else if lacking > 0 {
		b.paragraph(s, r, b.join("\n", func(l string) string {
			return b.count(l, "report.summary.issues_missing", lacking, nil)
		}), look{italic: true, font: colourAmberText, wrap: true, top: true})
		r++
	}
	b.layouts[s].keep(first, min(r-1, first+4), 0)
	r++

	// The findings by severity, and the way to them.
	first = r
	b.section(s, r, b.label("report.summary.findings", nil))
	r++
	for _, c := range []struct {
		key    string
		n      int
		fill   string
		colour string
	}{
		{"report.summary.errors", res.Summary.Errors, colourRed, colourRedText},
		{"report.summary.warnings", res.Summary.Warnings, colourAmber, colourAmberText},
		{"report.summary.infos", res.Summary.Infos, colourBlue, colourBlueText},
	} {
		b.str(s, 0, r, b.label(c.key, nil), look{border: true, fill: c.fill, font: c.colour})
		b.num(s, 1, r, float64(c.n), look{border: true, bold: true})
		r++
	}
	// One line per language: a program shows a link's text on one line.
	findings := b.names["findings"]
	for _, l := range b.langs {
		b.paragraph(s, r, b.t(l, "report.summary.findings_link", map[string]string{"sheet": findings}), lookLink)
		b.link(s, 0, r, quoteSheet(findings)+"!A1", true, "")
		r++
	}
	// Where the report comes from, one paragraph a language: when and
	// from what it was made, the sheets read, and the rows set aside under
	// their tables, each on a line. It stays on the page of the findings,
	// never alone on a page of its own.
	r++
	b.paragraph(s, r, b.join("\n", b.provenance), lookNote)
	b.layouts[s].keep(first, r, 0)
}

// provenance says, in lang, when and from which sheets the report was
// made: the sentence of its making, each sheet read as a sentence after
// it, then the rows set aside, each on its own line.
func (b *book) provenance(lang string) string {
	in := b.in
	parts := []string{b.t(lang, "report.summary.generated", map[string]string{"date": b.prose(lang, in.RunDate)})}
	for _, line := range in.Result.SheetsRead(b.cat, lang) {
		parts = append(parts, line+".")
	}
	lines := []string{strings.Join(parts, " ")}
	for _, sh := range in.Result.Sheets {
		for _, sa := range sh.SetAside {
			lines = append(lines, sh.Sheet+" — "+sa.Text(b.cat, lang))
		}
	}
	return strings.Join(lines, "\n")
}

// membership returns the seed report's membership sentence in lang: "80
// people, representing five federal departments or agencies, 21
// provincial/territorial ministries and 21 municipalities."
func (b *book) membership(lang string, sum validate.Summary) string {
	words := strings.Fields(b.t(lang, "report.summary.numbers", nil))
	num := func(n int) string {
		if n >= 2 && n < len(words) {
			return words[n]
		}
		return strconv.Itoa(n)
	}
	c := func(key string, n int) string {
		return b.count(lang, key, n, map[string]string{"n": num(n)})
	}
	return capital(b.t(lang, "report.summary.membership_sentence", map[string]string{
		"people":    c("report.summary.people", sum.MembersActive),
		"federal":   c("report.summary.federal_count", sum.FederalOrganizations),
		"pt":        c("report.summary.pt_count", sum.PTOrganizations),
		"municipal": c("report.summary.municipal_count", sum.MunicipalOrganizations),
	}))
}

// lowerArticle puts the French article that starts a sentence in lower
// case, for the sentence to follow a comma: "Le Nunavut…" → "le Nunavut…".
func lowerArticle(s string) string {
	for _, a := range []string{"Le ", "La ", "Les ", "L’", "L'"} {
		if strings.HasPrefix(s, a) {
			return strings.ToLower(a[:1]) + s[1:]
		}
	}
	return s
}

// coChairs returns the co-chairs, each named once: with their title in
// each language of the report.
func (b *book) coChairs() string {
	chairs := b.in.Community.CoChairs
	if len(chairs) == 0 {
		return b.para("report.summary.no_co_chairs", nil)
	}
	var out []string
	for _, c := range chairs {
		en, fr := c.TitleEN, c.TitleFR
		if en == "" {
			en = fr
		}
		if fr == "" {
			fr = en
		}
		switch {
		case en == "":
			out = append(out, c.Name)
		case len(b.langs) == 2 && en != fr:
			out = append(out, b.t("en", "report.summary.co_chair_both", map[string]string{"name": c.Name, "title_en": en, "title_fr": fr}))
		default:
			title := en
			if b.langs[0] == "fr" {
				title = fr
			}
			out = append(out, b.t(b.langs[0], "report.summary.co_chair", map[string]string{"name": c.Name, "title": title}))
		}
	}
	return strings.Join(out, "\n")
}

// paragraph writes text across the four columns of the Summary sheet.
func (b *book) paragraph(sheet string, row int, text string, l look) {
	l.wrap, l.top = true, true
	for c := 1; c < len(summaryWidths); c++ {
		b.blank(sheet, c, row, l)
	}
	b.span(sheet, 0, row, len(summaryWidths), text, l)
}

// section writes a section heading across the Summary sheet.
func (b *book) section(sheet string, row int, text string) {
	for c := 1; c < len(summaryWidths); c++ {
		b.blank(sheet, c, row, lookSection)
	}
	b.span(sheet, 0, row, len(summaryWidths), text, lookSection)
}

// keyValue writes a label and its value across the other columns.
func (b *book) keyValue(sheet string, row int, key, value string) {
	b.str(sheet, 0, row, b.label(key, nil), lookLabel)
	b.span(sheet, 1, row, len(summaryWidths)-1, value, lookText)
}

// activities returns the activities completed in the reporting period and
// those planned for the next one, by date. An activity without a date is
// shown in the list of its type.
func (b *book) activities() (done, planned []validate.Activity) {
	in := b.in
	within := func(d, from, to time.Time) bool {
		return d.IsZero() || !d.Before(from) && !d.After(to)
	}
	for _, a := range in.Result.Activities {
		switch {
		case a.Planned && within(day0(a.Date), in.NextStart, in.NextEnd):
			planned = append(planned, a)
		case !a.Planned && within(day0(a.Date), in.PeriodStart, in.PeriodEnd):
			done = append(done, a)
		}
	}
	byDate := func(list []validate.Activity) {
		sort.SliceStable(list, func(i, j int) bool {
			if !list[i].Date.Equal(list[j].Date) {
				return list[i].Date.Before(list[j].Date)
			}
			return list[i].Row < list[j].Row
		})
	}
	byDate(done)
	byDate(planned)
	return done, planned
}

// day0 is day, keeping a zero time zero.
func day0(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return day(t)
}

// activityTable writes a section of activities, kept on one page with its
// first rows, and returns the next row.
func (b *book) activityTable(s string, r int, key string, from, to time.Time, list []validate.Activity) int {
	first := r
	b.section(s, r, b.join("\n", func(l string) string {
		return b.t(l, key, map[string]string{"start": b.prose(l, from), "end": b.prose(l, to)})
	}))
	r++
	if len(list) == 0 {
		b.paragraph(s, r, b.para("report.summary.no_activities", nil), lookNote)
		b.layouts[s].keep(first, r, 0)
		return r + 1
	}
	b.str(s, 0, r, b.label("report.col.theme", nil), lookColumn)
	b.str(s, 1, r, b.label("report.col.date", nil), lookColumn)
	b.blank(s, 3, r, lookColumn)
	b.span(s, 2, r, 2, b.label("report.col.description", nil), lookColumn)
	r++
	dates := look{border: true, top: true, left: true}
	if len(b.langs) == 1 {
		dates.datefmt = "[$-1009]d mmmm yyyy" // English (Canada)
		if b.langs[0] == "fr" {
			dates.datefmt = "[$-C0C]d mmmm yyyy" // French (Canada)
		}
	}
	for _, a := range list {
		b.str(s, 0, r, a.Theme, lookCell)
		if !a.Date.IsZero() {
			b.date(s, 1, r, a.Date, dates)
		} else {
			b.str(s, 1, r, a.DateText, lookCell)
		}
		b.blank(s, 3, r, lookCell)
		b.span(s, 2, r, 2, a.Description, lookCell)
		r++
	}
	b.layouts[s].keep(first, min(r-1, first+3), 0)
	return r
}
