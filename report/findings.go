package report

import (
	"path/filepath"
	"strconv"
	"strings"

	"copsync/validate"
)

// findings writes the Findings sheet: one row per finding, most serious
// first, then by source and row, each with a link to its source cell.
func (b *book) findings() {
	s := b.sheet("findings")
	fs := append([]validate.Finding(nil), b.in.Result.Findings...)
	validate.SortFindings(fs)
	name := b.tableName(s)
	b.streamed(s, func() { b.findingRows(s, name, fs) })
}

// findingRows writes the rows of the Findings sheet, the findings in order,
// as the table name.
func (b *book) findingRows(s, name string, fs []validate.Finding) {

	head := []string{b.label("report.col.severity", nil), b.label("report.col.code", nil)}
	if len(b.langs) == 1 {
		head = append(head, b.label("report.col.message", nil))
	} else {
		head = append(head, b.label("report.col.message_en", nil), b.label("report.col.message_fr", nil))
	}
	head = append(head,
		b.label("report.col.source", nil),
		b.label("report.col.sheet", nil),
		b.label("report.col.cell", nil),
		b.label("report.col.location", nil),
		b.label("report.col.value", nil),
		b.label("report.col.suggestion", nil))
	b.header(s, 1, head)

	copyTip := b.label("report.value.go_copy", nil)
	webTip := b.label("report.value.open_google", nil)
	r := 2
	for _, f := range fs {
		if b.stopped() {
			return
		}
		c := 0
		sev := severityLook(f.Severity)
		sev.bold, sev.top = true, true
		b.str(s, c, r, b.join(" / ", func(l string) string { return capital(b.t(l, "severity."+f.Severity.String(), nil)) }), sev)
		c++
		b.str(s, c, r, f.Code, look{top: true})
		c++
		for _, l := range b.langs {
			b.str(s, c, r, f.Text(b.cat, l, b.in.disclosure()), look{wrap: true, top: true})
			c++
		}
		source := f.Source
		if b.cat.Has("source." + f.Source) {
			source = b.join(" / ", func(l string) string { return capital(b.t(l, "source."+f.Source, nil)) })
		}
		b.str(s, c, r, source, look{top: true, wrap: true})
		c++
		b.str(s, c, r, f.Sheet, look{top: true})
		c++
		where := f.Cell
		if where == "" && f.Row > 0 {
			where = b.label("report.value.row", map[string]string{"row": strconv.Itoa(f.Row)})
		}
		if where == "" && f.Code == validate.CodeJurisdictionMissing {
			where = f.Key // the province or territory, linked to its row on the Coverage sheet
		}
		if target := b.copyOf(&f); target != "" && where != "" {
			b.linkText(s, c, r, where, look{underline: true, font: colourLink, top: true})
			tip := copyTip
			if f.Code == validate.CodeJurisdictionMissing {
				tip = b.label("report.value.go_coverage", nil)
			}
			b.link(s, c, r, target, true, tip)
		} else {
			b.str(s, c, r, where, look{top: true})
		}
		c++
		if loc := b.origin(f); loc != "" {
			if strings.HasPrefix(f.Link, "https://") {
				b.linkText(s, c, r, loc, look{underline: true, font: colourLink, top: true})
				b.link(s, c, r, f.Link, false, webTip)
			} else {
				b.str(s, c, r, loc, look{top: true, wrap: true})
			}
		}
		c++
		b.str(s, c, r, f.Value(b.in.disclosure()), look{top: true})
		c++
		b.str(s, c, r, f.Suggestion, look{top: true})
		r++
	}
	b.table(s, name, 1, len(head), r-1)
}

// copySheets maps a source to the role of its copy in the workbook.
var copySheets = map[string]string{
	validate.SourceMembers:    "members",
	validate.SourceIssues:     "issues",
	validate.SourceActivities: "activities",
}

// copyOf returns the location, inside the report, of the cell or row a
// finding names: in the register of its own source sheet, whose cells keep
// their addresses, or, for a province or territory not represented, its
// row on the Coverage sheet. It returns "" when the workbook holds no copy.
func (b *book) copyOf(f *validate.Finding) string {
	if f.Code == validate.CodeJurisdictionMissing {
		for i, j := range validate.Jurisdictions {
			if j.Code == f.Key {
				return quoteSheet(b.names["coverage"]) + "!" + ref(0, coverageFirst+i)
			}
		}
		return ""
	}
	reg := b.registerOf(f)
	if reg == nil || f.Row <= 0 {
		return ""
	}
	cell := f.Cell
	if cell == "" || strings.Contains(cell, ",") {
		cell = ref(0, f.Row)
	}
	return quoteSheet(reg.name) + "!" + cell
}

// origin names, as text, where a finding's cell is in its source: the
// file's name (never its path on the secretariat's disk) or "Google
// Sheets", the sheet and the cell.
func (b *book) origin(f validate.Finding) string {
	o, ok := b.in.Result.Origins[f.Source]
	if !ok || f.Row <= 0 && f.Cell == "" {
		return ""
	}
	where := f.Cell
	if where == "" {
		where = strconv.Itoa(f.Row)
	}
	file := filepath.Base(o.Path)
	if o.Kind == "gsheets" {
		file = "Google Sheets"
	}
	sheet := f.Sheet
	if sheet == "" {
		sheet = o.Sheet
	}
	return file + " › " + sheet + " › " + where
}
