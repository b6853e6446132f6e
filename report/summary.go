package report

import (
	"sort"
	"strings"
	"time"

	"copsync/validate"
)

// The column widths of the Summary sheet: labels and issues, two narrow
// columns (dates, criticality, incidence), and a wide one (descriptions,
// action plans).
var summaryWidths = []float64{46, 16, 16, 64}

var (
	lookTitle    = look{bold: true, size: 16, font: colourHeading}
	lookSubtitle = look{bold: true, size: 13}
	lookSection  = look{bold: true, size: 12, font: "FFFFFF", fill: colourHeading}
	lookColumn   = look{bold: true, fill: colourHeader, border: true, wrap: true, top: true}
	lookLabel    = look{bold: true, top: true}
	lookCell     = look{border: true, wrap: true, top: true}
	lookNote     = look{italic: true, font: colourNote, wrap: true, top: true}
	lookLink     = look{underline: true, font: colourLink}
)

// summary writes the Summary sheet: the council report itself.
func (b *book) summary() {
	s := b.sheet("summary")
	b.widthsFixed(s, summaryWidths...)
	in := b.in
	res := in.Result
	date := func(t time.Time) string { return t.Format(dateLayout) }
	r := 1

	// The title, the community, the council, the date, the period and the
	// co-chairs.
	b.paragraph(s, r, b.para("report.summary.title", nil), lookTitle, 20)
	r++
	b.paragraph(s, r, b.join("\n", b.community), lookSubtitle, 17)
	r += 2
	b.keyValue(s, r, "report.summary.council", b.join("\n", b.council))
	r++
	b.str(s, 0, r, b.label("report.summary.date", nil), lookLabel)
	b.date(s, 1, r, in.RunDate, look{top: true, left: true})
	r++
	b.keyValue(s, r, "report.summary.period", b.para("report.summary.period_value",
		map[string]string{"start": date(in.PeriodStart), "end": date(in.PeriodEnd)}))
	r++
	chairs := b.join("\n", func(l string) string {
		var out []string
		for _, c := range in.Community.CoChairs {
			title := c.TitleEN
			if l == "fr" && c.TitleFR != "" || title == "" {
				title = c.TitleFR
			}
			line := c.Name
			if title != "" {
				line = b.t(l, "report.summary.co_chair", map[string]string{"name": c.Name, "title": title})
			}
			out = append(out, line)
		}
		if len(out) == 0 {
			return b.t(l, "report.summary.no_co_chairs", nil)
		}
		return strings.Join(out, "\n")
	})
	b.keyValue(s, r, "report.summary.co_chairs", chairs)
	r += 2

	// The activities of the period and those planned for the next one.
	done, planned := b.activities()
	r = b.activityTable(s, r, "report.summary.activities_done", in.PeriodStart, in.PeriodEnd, done)
	r++
	r = b.activityTable(s, r, "report.summary.activities_next", in.NextStart, in.NextEnd, planned)
	r++

	// The membership.
	b.section(s, r, b.label("report.summary.membership", nil))
	r++
	if _, ok := res.Origins[validate.SourceMembers]; !ok && res.Summary.MembersTotal == 0 {
		b.paragraph(s, r, b.para("report.summary.no_members", nil), lookNote, 15)
		r++
	} else {
		sum := res.Summary
		for _, c := range []struct {
			key string
			n   int
		}{
			{"report.summary.members_active", sum.MembersActive},
			{"report.summary.federal_orgs", sum.FederalOrganizations},
			{"report.summary.pt_orgs", sum.PTOrganizations},
			{"report.summary.municipal_orgs", sum.MunicipalOrganizations},
		} {
			b.str(s, 0, r, b.label(c.key, nil), look{border: true})
			b.num(s, 1, r, float64(c.n), look{border: true, bold: true})
			r++
		}
		for _, o := range b.in.Orders.All() {
			if o.Code == validate.OrderFederal || o.Code == validate.OrderPT || o.Code == validate.OrderMunicipal {
				continue
			}
			b.str(s, 0, r, b.join(" / ", func(l string) string {
				return b.t(l, "report.summary.other_orgs", map[string]string{"order": o.Name(l)})
			}), look{border: true})
			b.num(s, 1, r, float64(sum.Organizations[o.Code]), look{border: true, bold: true})
			r++
		}
		note := b.join("\n", func(l string) string {
			return b.t(l, "report.summary.note", map[string]string{
				"sentence": validate.MissingSentence(b.cat, sum.JurisdictionsMissing, l),
			})
		})
		l := lookNote
		if len(sum.JurisdictionsMissing) > 0 {
			l = look{italic: true, bold: true, font: colourRedText, wrap: true, top: true}
		}
		b.paragraph(s, r, note, l, 15)
		r++
	}
	r++

	// The issues and challenges, as the seed report's table.
	b.section(s, r, b.label("report.summary.issues", nil))
	r++
	for i, key := range []string{"report.col.issue", "report.col.criticality", "report.col.incidence", "report.col.action_plan"} {
		b.str(s, i, r, b.label(key, nil), lookColumn)
	}
	r++
	n := 0
	for _, is := range res.Issues {
		if is.Issue == "" {
			continue
		}
		n++
		missing := look{border: true, fill: colourAmber}
		b.str(s, 0, r, is.Issue, lookCell)
		for i, v := range []string{is.Criticality, is.Incidence} {
			if v == "" {
				b.blank(s, 1+i, r, missing)
			} else {
				b.str(s, 1+i, r, v, lookCell)
			}
		}
		if is.ActionPlan == "" {
			b.blank(s, 3, r, missing)
		} else {
			b.str(s, 3, r, is.ActionPlan, lookCell)
		}
		r++
	}
	if n == 0 {
		b.paragraph(s, r, b.para("report.summary.no_issues", nil), lookNote, 15)
		r++
	}
	r++

	// The findings by severity, and the way to them.
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
	findings := b.names["findings"]
	b.paragraph(s, r, b.para("report.summary.findings_link", map[string]string{"sheet": findings}), lookLink, 15)
	b.link(s, 0, r, quoteSheet(findings)+"!A1", true, "")
	r += 2
	b.paragraph(s, r, b.para("report.summary.generated", map[string]string{"date": date(in.RunDate)}), lookNote, 15)
	if len(res.Sheets) > 0 {
		// The sheets read, and the rows set aside under their tables.
		b.paragraph(s, r+1, b.join("\n", func(l string) string { return strings.Join(sheetsRead(b.cat, l, res), "\n") }), lookNote, 15)
	}
}

// paragraph writes text across the four columns of the Summary sheet.
func (b *book) paragraph(sheet string, row int, text string, l look, lineHeight float64) {
	l.wrap, l.top = true, true
	b.str(sheet, 0, row, text, l)
	b.merge(sheet, 0, row, 3, row)
	total := 0.0
	for _, w := range summaryWidths {
		total += w
	}
	if l.size > 11 {
		total *= 11 / l.size
	}
	b.height(sheet, row, lineHeight*float64(lines(text, total)))
}

// section writes a section heading across the Summary sheet.
func (b *book) section(sheet string, row int, text string) {
	b.str(sheet, 0, row, text, lookSection)
	for c := 1; c < 4; c++ {
		b.blank(sheet, c, row, lookSection)
	}
	b.merge(sheet, 0, row, 3, row)
	b.height(sheet, row, 18*float64(strings.Count(text, "\n")+1))
}

// keyValue writes a label and its value across the other columns.
func (b *book) keyValue(sheet string, row int, key, value string) {
	b.str(sheet, 0, row, b.label(key, nil), lookLabel)
	b.str(sheet, 1, row, value, look{wrap: true, top: true})
	b.merge(sheet, 1, row, 3, row)
	w := summaryWidths[1] + summaryWidths[2] + summaryWidths[3]
	b.height(sheet, row, 15*float64(max(lines(value, w), strings.Count(b.label(key, nil), "\n")+1)))
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

// activityTable writes a section of activities and returns the next row.
func (b *book) activityTable(s string, r int, key string, from, to time.Time, list []validate.Activity) int {
	b.section(s, r, b.para(key, map[string]string{"start": from.Format(dateLayout), "end": to.Format(dateLayout)}))
	r++
	if len(list) == 0 {
		b.paragraph(s, r, b.para("report.summary.no_activities", nil), lookNote, 15)
		return r + 1
	}
	for i, k := range []string{"report.col.theme", "report.col.date", "report.col.description"} {
		b.str(s, i, r, b.label(k, nil), lookColumn)
	}
	b.blank(s, 3, r, lookColumn)
	b.merge(s, 2, r, 3, r)
	r++
	for _, a := range list {
		b.str(s, 0, r, a.Theme, lookCell)
		if !a.Date.IsZero() {
			b.date(s, 1, r, a.Date, look{border: true, top: true})
		} else {
			b.str(s, 1, r, a.DateText, lookCell)
		}
		b.str(s, 2, r, a.Description, lookCell)
		b.blank(s, 3, r, lookCell)
		b.merge(s, 2, r, 3, r)
		b.height(s, r, 15*float64(lines(a.Description, summaryWidths[2]+summaryWidths[3])))
		r++
	}
	return r
}

// sheetsRead names the sheets read for each source and the rows set aside
// under each table, in lang.
func sheetsRead(cat *validate.Catalogue, lang string, res *validate.Result) []string {
	out := res.SheetsRead(cat, lang)
	for _, sh := range res.Sheets {
		for _, sa := range sh.SetAside {
			out = append(out, sh.Sheet+" — "+sa.Text(cat, lang))
		}
	}
	return out
}
