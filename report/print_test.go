package report

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The tests of this file measure, in the written file, what a person sees
// on screen and on paper: fonts, text that fits its cell, print scale.

// TestEveryFontHasAName checks that every font of the workbook's styles
// names its family: a font without one falls back to the program's
// default, a serif font in LibreOffice.
func TestEveryFontHasAName(t *testing.T) {
	for _, lang := range []string{"en", "fr", "both"} {
		_, data := reopen(t, build(t, exampleInput(t, lang)))
		var styles struct {
			Fonts []struct {
				Name *struct {
					Val string `xml:"val,attr"`
				} `xml:"name"`
			} `xml:"fonts>font"`
		}
		if err := xml.Unmarshal(unzip(t, data)["xl/styles.xml"], &styles); err != nil {
			t.Fatal(err)
		}
		if len(styles.Fonts) < 2 {
			t.Fatalf("%s: %d fonts in styles.xml", lang, len(styles.Fonts))
		}
		for i, f := range styles.Fonts {
			if f.Name == nil || f.Name.Val != fontName {
				t.Errorf("%s: font %d has no name %s", lang, i, fontName)
			}
		}
	}
}

// cellBox is the room a cell's text has: its width in pixels (a merged
// range's whole width) and its row's height in points.
func cellBox(t *testing.T, f *excelize.File, sheet string, col, row int, merged map[string]string) (px, height float64) {
	t.Helper()
	last := col
	if end, ok := merged[ref(col, row)]; ok {
		c, _, err := excelize.CellNameToCoordinates(end)
		if err != nil {
			t.Fatal(err)
		}
		last = c - 1
	}
	total := 0.0
	for c := col; c <= last; c++ {
		name, _ := excelize.ColumnNumberToName(c + 1)
		w, err := f.GetColWidth(sheet, name)
		if err != nil {
			t.Fatal(err)
		}
		total += colPx(w)
	}
	h, err := f.GetRowHeight(sheet, row)
	if err != nil {
		t.Fatal(err)
	}
	return total - padPx, h
}

// TestTextFitsItsCell checks every text cell of every sheet: text that does
// not wrap is no wider than its column (or merged range), so that it never
// runs into the next cell; text that wraps has a row tall enough for its
// lines.
func TestTextFitsItsCell(t *testing.T) {
	for _, lang := range []string{"en", "fr", "both"} {
		f, _ := reopen(t, build(t, exampleInput(t, lang)))
		for _, sheet := range f.GetSheetList() {
			merged := map[string]string{}
			ms, err := f.GetMergeCells(sheet)
			if err != nil {
				t.Fatal(err)
			}
			covered := map[string]bool{}
			for _, m := range ms {
				merged[m.GetStartAxis()] = m.GetEndAxis()
			}
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					cell := ref(c, r+1)
					if v == "" || covered[cell] {
						continue
					}
					st := styleOf(t, f, sheet, cell)
					size, bold := bodySize, false
					if st.Font != nil {
						size, bold = st.Font.Size, st.Font.Bold
						if size == 0 {
							size = bodySize
						}
					}
					px, h := cellBox(t, f, sheet, c, r+1, merged)
					wrap := st.Alignment != nil && st.Alignment.WrapText
					where := fmt.Sprintf("%s: %s!%s %q", lang, sheet, cell, truncate(v, 40))
					if !wrap {
						if w := widest(v, size, bold); w > px {
							t.Errorf("%s is %.0f px wide in a cell of %.0f px, and does not wrap", where, w, px)
						}
						continue
					}
					lines := wrapLines(v, size, bold, px)
					if need := float64(lines) * lineHeight(size); h+0.5 < need {
						t.Errorf("%s needs %d lines (%.0f pt) in a row of %.0f pt", where, lines, need, h)
					}
				}
			}
		}
	}
}

// TestPrintScale checks each sheet's print setup: Letter paper, an explicit
// scale (no fit to a page height that shrinks long tables), at which the
// smallest text of the sheet prints at 9 points or more, and a header and
// footer that do not shrink with it.
func TestPrintScale(t *testing.T) {
	for _, lang := range []string{"en", "fr", "both"} {
		f, data := reopen(t, build(t, exampleInput(t, lang)))
		parts := unzip(t, data)
		for i, sheet := range f.GetSheetList() {
			lay, err := f.GetPageLayout(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if lay.Size == nil || *lay.Size != paperLetter {
				t.Errorf("%s: %s is not on Letter paper", lang, sheet)
			}
			scale := 100
			if lay.AdjustTo != nil {
				scale = int(*lay.AdjustTo)
			}
			props, err := f.GetSheetProps(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if props.FitToPage != nil && *props.FitToPage {
				t.Errorf("%s: %s fits to a page, which shrinks its text", lang, sheet)
			}
			smallest := smallestFont(t, f, sheet)
			if pt := smallest * float64(scale) / 100; pt < 9 {
				t.Errorf("%s: %s prints its %.0f pt text at %d %%: %.1f pt", lang, sheet, smallest, scale, pt)
			}
			if i == 1 { // Coverage and its chart
				for _, m := range chartSize.FindAllStringSubmatch(string(parts["xl/charts/chart1.xml"]), -1) {
					n, _ := strconv.Atoi(m[1])
					if pt := float64(n) / 100 * float64(scale) / 100; pt < 9 {
						t.Errorf("%s: the chart's %d pt text prints at %.1f pt", lang, n/100, pt)
					}
				}
				if !strings.Contains(string(parts["xl/charts/chart1.xml"]), `val="262626"`) {
					t.Errorf("%s: the chart's text is not dark", lang)
				}
			}
			xmlPart := string(parts[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)])
			if !strings.Contains(xmlPart, `scaleWithDoc="false"`) {
				t.Errorf("%s: %s's header and footer shrink with the sheet", lang, sheet)
			}
		}
	}
}

// chartSize finds the font sizes of a chart part, in hundredths of a point.
var chartSize = regexp.MustCompile(`\bsz="([0-9]+)"`)

// smallestFont returns the smallest font size of a sheet's text cells.
func smallestFont(t *testing.T, f *excelize.File, sheet string) float64 {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	smallest := bodySize
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			id, _ := f.GetCellStyle(sheet, ref(c, r+1))
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font != nil && st.Font.Size > 0 {
				smallest = min(smallest, st.Font.Size)
			}
		}
	}
	return smallest
}

// TestMeasure checks the text measure against widths measured on a page
// that LibreOffice printed (Carlito, Calibri's metric twin, at 11 points).
func TestMeasure(t *testing.T) {
	tests := []struct {
		s      string
		px     float64 // as printed, at 96 dpi
		within float64
	}{
		{"Ministères et organismes fédéraux", 208, 8},
		{"0000000000", 74, 3},
	}
	for _, tt := range tests {
		if got := textPx(tt.s, bodySize, false); got < tt.px-tt.within || got > tt.px+tt.within {
			t.Errorf("textPx(%q) = %.0f, want %.0f ± %.0f", tt.s, got, tt.px, tt.within)
		}
	}
	if got := words("Terre-Neuve-et-Labrador, Yukon"); strings.Join(got, "|") != "Terre-|Neuve-|et-|Labrador,|Yukon" {
		t.Errorf("words = %q", got)
	}
	wide := textPx("Terre-Neuve-", bodySize, false) + 1
	if n := wrapLines("Terre-Neuve-et-Labrador", bodySize, false, wide); n != 2 {
		t.Errorf("a hyphenated name in %0.f px takes %d lines, want 2", wide, n)
	}
	if n := wrapLines("one\ntwo", bodySize, false, 500); n != 2 {
		t.Errorf("two paragraphs take %d lines", n)
	}
}

// rowBreak finds a sheet's manual page breaks: <brk id="19"…/> ends a page
// after row 19.
var rowBreak = regexp.MustCompile(`<brk id="([0-9]+)"`)

// TestSummaryPrintsOnTwoPages paginates the Summary of the seed-sized
// report as a spreadsheet program does, from the file's row heights, page
// setup and manual breaks: it takes at most two pages in every language,
// and its last paragraph (when and from which sheets it was made) shares a
// page with the findings it follows; the e-mail's copy too.
func TestSummaryPrintsOnTwoPages(t *testing.T) {
	cat := catalogue(t)
	for _, v := range []struct {
		lang string
		copy bool // the e-mail's copy, without personal data
	}{{"en", false}, {"fr", false}, {"both", false}, {"both", true}} {
		lang := v.lang
		in := exampleInput(t, lang)
		if v.copy {
			lang, in.WithoutPersonalData = "both, the e-mail's copy", true
		}
		f, data := reopen(t, build(t, in))
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		lay, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		margins, err := f.GetPageMargins(sheet)
		if err != nil {
			t.Fatal(err)
		}
		scale := 100.0
		if lay.AdjustTo != nil {
			scale = float64(*lay.AdjustTo)
		}
		page := (11 - *margins.Top - *margins.Bottom) * 72 * 100 / scale
		breaks := map[int]bool{}
		for _, m := range rowBreak.FindAllStringSubmatch(string(unzip(t, data)["xl/worksheets/sheet1.xml"]), -1) {
			n, _ := strconv.Atoi(m[1])
			breaks[n] = true
		}
		pageOf := make([]int, len(rows)+1)
		pages, used := 1, 0.0
		findings := 0
		for r := 1; r <= len(rows); r++ {
			h, err := f.GetRowHeight(sheet, r)
			if err != nil {
				t.Fatal(err)
			}
			if used+h > page {
				pages, used = pages+1, 0
			}
			used += h
			pageOf[r] = pages
			if breaks[r] {
				pages, used = pages+1, 0
			}
			if len(rows[r-1]) > 0 && (strings.HasPrefix(rows[r-1][0], cat.T("en", "report.summary.findings", nil)) ||
				strings.HasPrefix(rows[r-1][0], cat.T("fr", "report.summary.findings", nil))) {
				findings = r
			}
		}
		if last := pageOf[len(rows)]; last > 2 {
			t.Errorf("%s: the Summary prints on %d pages, want at most 2", lang, last)
		}
		if findings == 0 {
			t.Fatalf("%s: no findings section on the Summary", lang)
		}
		if pageOf[len(rows)] != pageOf[findings] {
			t.Errorf("%s: the last paragraph prints on page %d, the findings it follows on page %d", lang, pageOf[len(rows)], pageOf[findings])
		}
	}
}
