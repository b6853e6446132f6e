package report

import (
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// dump returns a deterministic text form of a workbook, one line per cell
// ("Sheet!A1 = value [style, link]") after the workbook's and each sheet's
// settings, for golden tests: it shows what a person sees, never zip bytes.
func dump(f *excelize.File) (string, error) {
	var b strings.Builder
	p, err := f.GetDocProps()
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "properties: title=%q subject=%q keywords=%q creator=%q created=%s modified=%s language=%q\n",
		p.Title, p.Subject, p.Keywords, p.Creator, p.Created, p.Modified, p.Language)
	fmt.Fprintf(&b, "description: %q\n", p.Description)
	fmt.Fprintf(&b, "sheets: %s\n", strings.Join(f.GetSheetList(), " | "))
	fmt.Fprintf(&b, "active sheet: %d\n", f.GetActiveSheetIndex())
	for _, n := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined name: %s (%s) = %s\n", n.Name, n.Scope, n.RefersTo)
	}
	for _, s := range f.GetSheetList() {
		if err := dumpSheet(&b, f, s); err != nil {
			return "", fmt.Errorf("dump %s: %w", s, err)
		}
	}
	dumpCharts(&b, f)
	return b.String(), nil
}

func dumpSheet(b *strings.Builder, f *excelize.File, s string) error {
	fmt.Fprintf(b, "\n== %s\n", s)
	// The extent: the last row and column holding a value, and a margin
	// for styled empty cells beside them.
	rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	lastRow, cols := len(rows)+2, 1
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	lastCol := cols + 2
	var widths []string
	for c := 1; c <= cols; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		w, err := f.GetColWidth(s, name)
		if err != nil {
			return err
		}
		widths = append(widths, fmt.Sprintf("%s=%.1f", name, w))
	}
	fmt.Fprintf(b, "widths: %s\n", strings.Join(widths, " "))
	panes, err := f.GetPanes(s)
	if err != nil {
		return err
	}
	if panes.Freeze {
		fmt.Fprintf(b, "frozen: rows above %s\n", panes.TopLeftCell)
	}
	layout, err := f.GetPageLayout(s)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "page: orientation=%s paper=%s scale=%s fitToWidth=%s fitToHeight=%s\n", deref(layout.Orientation), deref(layout.Size), deref(layout.AdjustTo), deref(layout.FitToWidth), deref(layout.FitToHeight))
	hf, err := f.GetHeaderFooter(s)
	if err != nil {
		return err
	}
	if hf != nil {
		fmt.Fprintf(b, "header: %q\nfooter: %q\n", hf.OddHeader, hf.OddFooter)
	}
	merged, err := f.GetMergeCells(s, true)
	if err != nil {
		return err
	}
	var ms []string
	hidden := map[string]bool{} // cells under a merged range's first one
	for _, m := range merged {
		ms = append(ms, m.GetStartAxis()+":"+m.GetEndAxis())
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if n, _ := excelize.CoordinatesToCellName(c, r); n != m.GetStartAxis() {
					hidden[n] = true
				}
			}
		}
	}
	if len(ms) > 0 {
		fmt.Fprintf(b, "merged: %s\n", strings.Join(ms, " "))
	}
	tables, err := f.GetTables(s)
	if err != nil {
		return err
	}
	for _, t := range tables {
		fmt.Fprintf(b, "table: %s %s style=%s stripes=%s\n", t.Name, t.Range, t.StyleName, deref(t.ShowRowStripes))
	}
	dvs, err := f.GetDataValidations(s)
	if err != nil {
		return err
	}
	for _, dv := range dvs {
		fmt.Fprintf(b, "validation: %s type=%s formula=%s prompt=%q error=%q style=%s\n", dv.Sqref, dv.Type, dv.Formula1, deref(dv.Prompt), deref(dv.Error), deref(dv.ErrorStyle))
	}
	for r := 1; r <= lastRow; r++ {
		h, err := f.GetRowHeight(s, r)
		if err != nil {
			return err
		}
		row := ""
		for c := 1; c <= lastCol; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			if hidden[cell] {
				continue
			}
			line, err := dumpCell(f, s, cell)
			if err != nil {
				return err
			}
			if line != "" {
				row += line + "\n"
			}
		}
		if row != "" && h != 15 {
			fmt.Fprintf(b, "row %d height %.1f\n", r, h)
		}
		b.WriteString(row)
	}
	return nil
}

func dumpCell(f *excelize.File, s, cell string) (string, error) {
	raw, err := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		return "", err
	}
	typ, err := f.GetCellType(s, cell)
	if err != nil {
		return "", err
	}
	formula, err := f.GetCellFormula(s, cell)
	if err != nil {
		return "", err
	}
	id, err := f.GetCellStyle(s, cell)
	if err != nil {
		return "", err
	}
	isLink, target, err := f.GetCellHyperLink(s, cell)
	if err != nil {
		return "", err
	}
	var tags []string
	var st *excelize.Style
	if id != 0 {
		if st, err = f.GetStyle(id); err != nil {
			return "", err
		}
		tags = styleTags(st)
	}
	if raw == "" && len(tags) == 0 && !isLink {
		return "", nil
	}
	value := ""
	switch {
	case formula != "":
		value = "FORMULA " + formula
	case raw == "":
		value = "(empty)"
	case typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeFormula:
		value = strconv.Quote(raw)
	default:
		value = raw
		if st != nil && st.CustomNumFmt != nil && *st.CustomNumFmt == "yyyy-mm-dd" {
			if n, err := strconv.ParseFloat(raw, 64); err == nil {
				if d, ok := validate.SerialDate(n, false); ok {
					value = d.Format("2006-01-02")
				}
			}
		}
	}
	if isLink {
		tags = append(tags, "link "+target)
	}
	line := fmt.Sprintf("%s!%s = %s", s, cell, value)
	if len(tags) > 0 {
		line += " [" + strings.Join(tags, ", ") + "]"
	}
	return line, nil
}

func styleTags(st *excelize.Style) []string {
	var tags []string
	if len(st.Fill.Color) > 0 {
		tags = append(tags, "fill "+st.Fill.Color[0])
	}
	if ft := st.Font; ft != nil {
		if ft.Bold {
			tags = append(tags, "bold")
		}
		if ft.Italic {
			tags = append(tags, "italic")
		}
		if ft.Underline != "" {
			tags = append(tags, "underline")
		}
		if ft.Size != 0 && ft.Size != 11 {
			tags = append(tags, fmt.Sprintf("size %g", ft.Size))
		}
		if ft.Color != "" {
			tags = append(tags, "colour "+ft.Color)
		}
	}
	if a := st.Alignment; a != nil && a.WrapText {
		tags = append(tags, "wrap")
	}
	if len(st.Border) > 0 {
		tags = append(tags, "border")
	}
	if st.CustomNumFmt != nil {
		tags = append(tags, "format "+*st.CustomNumFmt)
	} else if st.NumFmt == 49 {
		tags = append(tags, "format @")
	}
	return tags
}

var chartRefs = regexp.MustCompile(`<f>([^<]*)</f>`)
var chartText = regexp.MustCompile(`<a:t>([^<]*)</a:t>`)
var chartKind = regexp.MustCompile(`<(barChart|lineChart|pieChart)><barDir val="([a-z]+)"></barDir><grouping val="([a-zA-Z]+)">`)

// dumpCharts lists the charts with their title and the ranges they plot.
func dumpCharts(b *strings.Builder, f *excelize.File) {
	var names []string
	f.Pkg.Range(func(k, _ any) bool {
		if n := k.(string); strings.HasPrefix(n, "xl/charts/chart") {
			names = append(names, n)
		}
		return true
	})
	sort.Strings(names)
	for _, n := range names {
		v, _ := f.Pkg.Load(n)
		x := string(v.([]byte))
		fmt.Fprintf(b, "\nchart %s\n", n)
		if m := chartKind.FindStringSubmatch(x); m != nil {
			fmt.Fprintf(b, "kind: %s %s %s\n", m[1], m[2], m[3])
		}
		for _, m := range chartText.FindAllStringSubmatch(x, -1) {
			fmt.Fprintf(b, "text: %q\n", m[1])
		}
		for _, m := range chartRefs.FindAllStringSubmatch(x, -1) {
			fmt.Fprintf(b, "ref: %s\n", html.UnescapeString(m[1]))
		}
	}
}

func deref[T any](p *T) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}
