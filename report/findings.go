package report

import (
	"strconv"

	"copsync/validate"
)

// findings writes the Findings sheet: one row per finding, most serious
// first, then by source and row, each with a link to its source cell.
func (b *book) findings() {
	s := b.sheet("findings")
	fs := append([]validate.Finding(nil), b.in.Result.Findings...)
	validate.SortFindings(fs)

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
		b.label("report.col.value", nil),
		b.label("report.col.suggestion", nil))
	b.header(s, 1, head)

	tip := b.label("report.value.open_cell", nil)
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
			b.str(s, c, r, f.Text(l), look{wrap: true, top: true})
			c++
		}
		source := f.Source
		if b.cat.Has("source." + f.Source) {
			source = b.join(" / ", func(l string) string { return capital(b.t(l, "source."+f.Source, nil)) })
		}
		b.str(s, c, r, source, look{top: true})
		c++
		b.str(s, c, r, f.Sheet, look{top: true})
		c++
		where := f.Cell
		if where == "" && f.Row > 0 {
			where = b.label("report.value.row", map[string]string{"row": strconv.Itoa(f.Row)})
		}
		if f.Link != "" && where != "" {
			b.str(s, c, r, where, look{underline: true, font: colourLink, top: true})
			b.link(s, c, r, f.Link, false, tip)
		} else {
			b.str(s, c, r, where, look{top: true})
		}
		c++
		b.str(s, c, r, f.Key, look{top: true})
		c++
		b.str(s, c, r, f.Suggestion, look{top: true})
		r++
	}
	b.table(s, tableName(s), 1, len(head), r-1)
}
