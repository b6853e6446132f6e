package report

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// The rows of the Coverage sheet's province and territory table.
const (
	coverageHeader = 4
	coverageFirst  = coverageHeader + 1
	coverageLast   = coverageHeader + 13
)

// coverage writes the Coverage sheet: the 13 provinces and territories with
// their members, those not represented in red, the members per order of
// government, and a chart.
func (b *book) coverage() {
	s := b.sheet("coverage")
	sum := b.in.Result.Summary
	b.flow(s, 0, 1, b.label("report.coverage.title", nil), look{bold: true, size: 14, font: colourHeading})
	b.flow(s, 0, 2, b.label("report.coverage.rule", nil), look{italic: true, font: colourNote})

	for i, key := range []string{"report.col.code", "report.col.jurisdiction", "report.col.coverage_members", "report.col.other_members", "report.col.represented"} {
		b.title(s, i, coverageHeader, b.label(key, nil), lookColumn)
	}
	counts := map[string]validate.JurisdictionCount{}
	for _, j := range sum.Jurisdictions {
		counts[j.Code] = j
	}
	r := coverageFirst
	totalCov, totalOther, represented := 0, 0, 0
	for _, j := range validate.Jurisdictions {
		c := counts[j.Code]
		l := look{border: true}
		yes := "report.value.yes"
		if c.Represented {
			represented++
		} else {
			l = look{border: true, fill: colourRed, font: colourRedText, bold: true}
			yes = "report.value.no"
		}
		b.str(s, 0, r, j.Code, l)
		b.str(s, 1, r, b.join(" / ", j.Name), l)
		b.num(s, 2, r, float64(c.Coverage), l)
		b.num(s, 3, r, float64(c.Other), l)
		l.center = true
		b.str(s, 4, r, b.label(yes, nil), l)
		totalCov += c.Coverage
		totalOther += c.Other
		r++
	}
	total := look{border: true, bold: true, fill: colourHeader}
	b.str(s, 0, r, b.label("report.coverage.total", nil), total)
	b.blank(s, 1, r, total)
	b.num(s, 2, r, float64(totalCov), total)
	b.num(s, 3, r, float64(totalOther), total)
	total.center = true
	b.str(s, 4, r, b.label("report.coverage.represented_total", map[string]string{
		"n": strconv.Itoa(represented), "total": strconv.Itoa(len(validate.Jurisdictions))}), total)
	b.layouts[s].keep(coverageHeader, r, 0)
	r += 3

	// Members and distinct organizations per order of government.
	orders := r
	b.flow(s, 0, r, b.label("report.coverage.orders", nil), look{bold: true, size: 12, font: colourHeading})
	r++
	for i, key := range []string{"report.col.order", "report.col.active_members", "report.col.organizations"} {
		b.title(s, i+1, r, b.label(key, nil), lookColumn)
	}
	b.blank(s, 0, r, lookColumn)
	r++
	codes := make([]string, 0, len(sum.MembersByOrder))
	known := map[string]bool{}
	for _, o := range b.in.Orders.All() {
		codes = append(codes, o.Code)
		known[o.Code] = true
	}
	var extra []string
	for c := range sum.MembersByOrder {
		if !known[c] {
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	codes = append(codes, extra...)
	for _, c := range codes {
		name := c
		if o, ok := b.in.Orders.ByCode(c); ok {
			name = b.join(" / ", o.Name)
		}
		b.blank(s, 0, r, look{border: true})
		b.str(s, 1, r, name, look{border: true})
		b.num(s, 2, r, float64(sum.MembersByOrder[c]), look{border: true})
		b.num(s, 3, r, float64(sum.Organizations[c]), look{border: true})
		r++
	}
	b.layouts[s].keep(orders, r-1, 0)
	b.freeze(s, coverageHeader)
	at := ref(0, r+1)
	b.layouts[s].keep(r, r, chartHeight*0.75) // the chart, and the blank row above it, where its border sits
	b.layouts[s].after = func(widthPx float64) { b.chart(s, at, uint(min(widthPx, chartWidth))) }
}

// The largest size of the chart in pixels: it fits a portrait page. It is
// as wide as the tables above it.
const chartWidth, chartHeight = 620, 280

// chart adds the bar chart of members per province and territory at cell
// at, below the tables, width pixels wide.
func (b *book) chart(s, at string, width uint) {
	if b.err != nil {
		return
	}
	q := quoteSheet(s)
	rng := func(col string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, coverageFirst, col, coverageLast)
	}
	title := b.label("report.coverage.chart", nil)
	vary := false
	dark := func(size float64, bold bool) excelize.Font {
		return excelize.Font{Family: fontName, Size: size, Bold: bold, Color: "262626"}
	}
	// 11 points: 9 points or more at the least print scale.
	axis, legend, head := dark(11, false), dark(11, false), dark(13, true)
	err := b.f.AddChart(s, at, &excelize.Chart{
		Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{
			{Name: fmt.Sprintf("%s!$C$%d", q, coverageHeader), Categories: rng("A"), Values: rng("C"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourHeading}}},
			{Name: fmt.Sprintf("%s!$D$%d", q, coverageHeader), Categories: rng("A"), Values: rng("D"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"9DC3E6"}}},
		},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &head}}},
		Legend:     excelize.ChartLegend{Position: "bottom", Font: &legend},
		XAxis:      excelize.ChartAxis{Font: axis},
		YAxis:      excelize.ChartAxis{Font: axis, MajorGridLines: true},
		VaryColors: &vary,
		Dimension:  excelize.ChartDimension{Width: width, Height: chartHeight},
	})
	if err != nil {
		b.err = fmt.Errorf("add chart to %s: %w", s, err)
	}
}
