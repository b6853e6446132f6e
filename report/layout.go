package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// The page: Letter paper with half-inch side margins; the header and footer
// sit in three-quarter-inch top and bottom margins.
const (
	paperLetter  = 1
	marginSide   = 0.5
	marginTop    = 0.75
	marginHeader = 0.3
	// minScale is the least print scale: body text of 11 points prints at
	// 9 points or more. A sheet wider than that continues on a page to
	// its right rather than shrink further.
	minScale = 82
	// sampleRows is how many rows of a sheet decide its column widths;
	// later rows only widen columns of numbers and dates (a running
	// maximum), so that a sheet written as a stream can fix its widths
	// before its rows.
	sampleRows = 2000
	// wrapCap is the least width, in characters, a column of text is given
	// before the sheet prints smaller than full size.
	wrapCap = 24.0
)

// printablePx returns the width of a page's printable area in pixels (96
// dpi), and its height in points.
func printablePx(landscape bool) (width, heightPt float64) {
	w, h := 8.5, 11.0
	if landscape {
		w, h = h, w
	}
	return (w - 2*marginSide) * 96, (h - 2*marginTop) * 72
}

// colStat is what a column's cells need, in pixels: the widest line of its
// text, the widest word of text that may wrap, and the widest value that
// may not (numbers, dates).
type colStat struct {
	line, word, fixed float64
	// title is the width at which the column's title takes two lines:
	// given to the column only when the page has room left.
	title float64
}

// textCell is a cell of text whose row height depends on the width it is
// given: span columns from col (0: to the last column of the sheet).
type textCell struct {
	row, col, span int
	s              string
	l              look
}

// block is rows that print on one page; extra is the height in points of a
// drawing anchored at first (the chart), when it is taller than the rows.
type block struct {
	first, last int
	extra       float64
}

// layout is what a sheet needs for its column widths, row heights and
// print setup, gathered while its cells are written and applied by apply.
type layout struct {
	role      string
	landscape bool
	cols      map[int]*colStat
	cells     []textCell
	least     map[int]float64 // least row heights, in points
	widths    []float64       // widths set by hand, in characters
	blocks    []block
	firstRow  int
	ncols     int
	// streamed is set for a sheet written as a stream: its cells are
	// only measured here, and each row's height and merges are set as it
	// is written (see stream).
	streamed bool
	// after draws what needs the sheet's width in pixels (the chart),
	// once the column widths are known.
	after func(widthPx float64)
}

func newLayout(role string) *layout {
	return &layout{
		role:      role,
		landscape: role != "summary" && role != "coverage",
		cols:      map[int]*colStat{},
		least:     map[int]float64{},
	}
}

func (y *layout) col(c int) *colStat {
	s, ok := y.cols[c]
	if !ok {
		s = &colStat{}
		y.cols[c] = s
	}
	y.ncols = max(y.ncols, c+1)
	return s
}

// sampled reports whether row is among the rows that decide the widths.
func (y *layout) sampled(row int) bool {
	if y.firstRow == 0 {
		y.firstRow = row
	}
	return row-y.firstRow < sampleRows
}

// text records a cell of text; a title counts for its widest word only, as
// it wraps under its column.
//
// Only the cells whose height may depend on the width are kept for apply:
// text of several words or lines, text spanning columns, and a single word
// wider than every word the sample saw (every cell of a sheet whose widths
// are set by hand). A row of single words — most rows
// of a membership list — costs nothing, and a row's height depends only on
// its own cells and the final widths, so that a stream writer can set each
// row's height as it writes it.
func (y *layout) text(row, col, span int, s string, l look, title bool) {
	keep := func() {
		if !y.streamed {
			y.cells = append(y.cells, textCell{row: row, col: col, span: span, s: s, l: l})
		}
	}
	if span != 1 {
		y.ncols = max(y.ncols, col+max(span, 1))
		keep()
		return
	}
	c := y.col(col)
	size := l.fontSize()
	if title {
		// A title takes two lines where the page has room, three at
		// most, and never cuts a word.
		c.title = max(c.title, widest(s, size, l.bold)*0.6) // half, and room for the break between words
		c.word = max(c.word, longestWord(s, size, l.bold), widest(s, size, l.bold)/3)
		keep()
		return
	}
	if y.sampled(row) {
		c.line = max(c.line, widest(s, size, l.bold))
		c.word = max(c.word, longestWord(s, size, l.bold))
	} else if y.streamed {
		return // a streamed sheet's rows get their heights as they are written
	}
	if len(y.widths) > 0 || strings.ContainsAny(s, " \n-") || size != bodySize || textPx(s, size, l.bold) > c.word {
		keep()
	}
}

// fixed records a value that never wraps.
func (y *layout) fixed(row, col int, s string, l look) {
	c := y.col(col)
	c.fixed = max(c.fixed, textPx(s, l.fontSize(), l.bold))
	if l.fontSize() != bodySize && !y.streamed {
		y.least[row] = max(y.least[row], lineHeight(l.fontSize()))
	}
}

// least asks for a row at least h points high.
func (y *layout) atLeast(row int, h float64) {
	y.least[row] = max(y.least[row], min(h, 409))
}

// keep asks for rows first to last to print on one page.
func (y *layout) keep(first, last int, extra float64) {
	y.blocks = append(y.blocks, block{first: first, last: last, extra: extra})
}

// fit returns each column's width in characters: wide enough for its
// widest line up to maxWidth. When the columns are wider than the page,
// the columns whose text wraps are made narrower, never below their widest
// word: first to fit the page at full size, and, when even that is too
// wide, to fit it at minScale. Width left over goes to the titles that
// would otherwise take more than two lines.
func (y *layout) fit() []float64 {
	if len(y.widths) > 0 {
		return y.widths
	}
	want := make([]float64, y.ncols)
	least := make([]float64, y.ncols)
	title := make([]float64, y.ncols)
	for i := range y.ncols {
		c := y.cols[i]
		if c == nil {
			want[i], least[i] = minWidth, minWidth
			continue
		}
		w := min(widthChars(max(c.line, c.word)), maxWidth)
		lo := min(widthChars(c.word), maxWidth)
		fixed := 0.0
		if c.fixed > 0 {
			fixed = widthChars(c.fixed) + 1 // a margin from the next column's text
		}
		want[i] = max(w, fixed, minWidth)
		least[i] = max(lo, fixed, minWidth)
		title[i] = min(widthChars(c.title), maxWidth)
	}
	total := func(ws []float64) float64 {
		t := 0.0
		for _, w := range ws {
			t += colPx(w)
		}
		return t
	}
	capped := func(cap float64) []float64 {
		out := make([]float64, len(want))
		for i := range want {
			out[i] = max(least[i], min(want[i], cap))
		}
		return out
	}
	// fits returns the widest cap at which the columns fit budget.
	fits := func(budget float64) float64 {
		lo, hi := minWidth, maxWidth
		for hi-lo > 0.25 {
			mid := (lo + hi) / 2
			if total(capped(mid)) <= budget {
				lo = mid
			} else {
				hi = mid
			}
		}
		return math.Floor(lo*4) / 4
	}
	page, _ := printablePx(y.landscape)
	budget := page * 0.96 // LibreOffice draws columns 3 % wider than Excel
	out := want
	if total(want) > budget {
		// At full size, unless that leaves the text columns narrower than
		// wrapCap: then smaller, down to minScale.
		cap := fits(budget)
		if total(least) > budget || cap < wrapCap {
			budget = budget * 100 / minScale
			cap = fits(budget)
		}
		out = capped(cap)
	}
	// The room left, to the titles, in column order.
	left := (budget - total(out)) / digitPx
	for i := range out {
		if grow := min(title[i]-out[i], left); grow > 0 {
			out[i] += math.Floor(grow*4) / 4
			left -= math.Floor(grow*4) / 4
		}
	}
	return out
}

// scale returns the print scale at which columns of these widths fit the
// page's width, at most 100 and at least minScale.
func (y *layout) scale(widths []float64) int {
	t := 0.0
	for _, w := range widths {
		t += colPx(w)
	}
	page, _ := printablePx(y.landscape)
	if t == 0 {
		return 100
	}
	return max(minScale, min(100, int(page*0.96/t*100)))
}

// spanPx returns the width in pixels that text has in a cell spanning n
// columns from col.
func spanPx(widths []float64, col, n int) float64 {
	if n <= 0 {
		n = len(widths) - col
	}
	w := 0.0
	for c := col; c < col+n && c < len(widths); c++ {
		w += colPx(widths[c])
	}
	return (w - padPx - 2) / 1.03
}

// apply sets the sheet's column widths, merges the cells that span
// columns, gives every row of wrapped text the height it needs, and sets
// the print setup and page breaks.
func (y *layout) apply(b *book, sheet string) error {
	f := b.f
	widths := y.fit()
	for i, w := range widths {
		c := validate.ColumnName(i)
		if err := f.SetColWidth(sheet, c, c, w); err != nil {
			return fmt.Errorf("set column width on %s: %w", sheet, err)
		}
	}
	for _, c := range y.cells {
		n := c.span
		if n <= 0 {
			n = max(len(widths)-c.col, 1)
		}
		if n > 1 {
			if err := f.MergeCell(sheet, ref(c.col, c.row), ref(c.col+n-1, c.row)); err != nil {
				return fmt.Errorf("merge %s!%s: %w", sheet, ref(c.col, c.row), err)
			}
		}
		size := c.l.fontSize()
		px := spanPx(widths, c.col, n)
		if !c.l.wrap && widest(c.s, size, c.l.bold) > px {
			c.l.wrap = true
			if err := f.SetCellStyle(sheet, ref(c.col, c.row), ref(c.col, c.row), b.style(c.l)); err != nil {
				return fmt.Errorf("style %s!%s: %w", sheet, ref(c.col, c.row), err)
			}
		}
		lines := 1
		if c.l.wrap {
			lines = wrapLines(c.s, size, c.l.bold, px)
		}
		h := float64(lines) * lineHeight(size)
		if lines > 1 || size != bodySize {
			y.atLeast(c.row, h+2)
		}
	}
	rows := make([]int, 0, len(y.least))
	for r := range y.least {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	for _, r := range rows {
		if err := f.SetRowHeight(sheet, r, y.least[r]); err != nil {
			return fmt.Errorf("set row %d height on %s: %w", r, sheet, err)
		}
	}
	if y.after != nil {
		t := 0.0
		for _, w := range widths {
			t += colPx(w)
		}
		y.after(t)
		if b.err != nil {
			return b.err
		}
	}
	scale := y.scale(widths)
	if err := y.page(b, sheet, scale); err != nil {
		return err
	}
	return y.breaks(f, sheet, scale)
}

// rowHeight returns a row's height in points.
func (y *layout) rowHeight(r int) float64 {
	if h, ok := y.least[r]; ok {
		return h
	}
	return lineHeight(bodySize)
}

// breaks inserts a page break before each block of rows that would
// otherwise be cut by the end of a page.
func (y *layout) breaks(f *excelize.File, sheet string, scale int) error {
	if len(y.blocks) == 0 {
		return nil
	}
	_, page := printablePx(y.landscape)
	page = page * 100 / float64(scale) // the header and footer sit in the margins
	starts := map[int]block{}
	last := 0
	for _, bl := range y.blocks {
		starts[bl.first] = bl
		last = max(last, bl.last)
	}
	used := 0.0
	for r := 1; r <= last; r++ {
		if bl, ok := starts[r]; ok && used > 0 {
			h := bl.extra
			for i := bl.first; i <= bl.last; i++ {
				h += y.rowHeight(i)
			}
			if used+h > page {
				if err := f.InsertPageBreak(sheet, ref(0, r)); err != nil {
					return fmt.Errorf("insert a page break on %s: %w", sheet, err)
				}
				used = 0
			}
		}
		h := y.rowHeight(r)
		if used+h > page {
			used = 0 // the program's own page break
		}
		used += h
		if bl, ok := starts[r]; ok && bl.extra > 0 {
			used += bl.extra
		}
	}
	return nil
}

// page sets the sheet's print setup: Letter paper in the orientation the
// sheet needs, the print scale that fits its width, the community and the
// run date in the header, the sheet and "page n of m" in the footer, in the
// report's languages.
func (y *layout) page(b *book, sheet string, scale int) error {
	f := b.f
	orient := "portrait"
	if y.landscape {
		orient = "landscape"
	}
	size, adjust, order := paperLetter, uint(scale), "downThenOver"
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, AdjustTo: &adjust, PageOrder: &order}); err != nil {
		return fmt.Errorf("set page layout of %s: %w", sheet, err)
	}
	side, top, hf, horiz := marginSide, marginTop, marginHeader, false
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf, Horizontally: &horiz,
	}); err != nil {
		return fmt.Errorf("set page margins of %s: %w", sheet, err)
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "&", "&&") }
	font := `&9&"` + fontName + `,Regular"` // the font last: a digit after &9 would change the size
	name := truncate(esc(b.join(" / ", b.community)), 120)
	date := esc(b.join(" / ", func(l string) string { return b.prose(l, b.in.RunDate) }))
	foot := b.join(" / ", func(l string) string {
		return b.t(l, "report.page.footer", map[string]string{"page": "&P", "pages": "&N"})
	})
	scaled := false // the header and footer print at 9 points whatever the scale
	opts := &excelize.HeaderFooterOptions{
		ScaleWithDoc: &scaled,
		OddHeader:    truncate("&L"+font+name+"&R"+font+date, maxHeaderChars),
		OddFooter:    truncate("&L"+font+esc(sheet)+"&R"+font+foot, maxHeaderChars),
	}
	if err := f.SetHeaderFooter(sheet, opts); err != nil {
		return fmt.Errorf("set header and footer of %s: %w", sheet, err)
	}
	return nil
}
