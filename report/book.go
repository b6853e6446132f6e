package report

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

const dateLayout = "2006-01-02"

// The colours of the workbook.
const (
	colourHeading   = "1F4E78" // section headings (white text)
	colourHeader    = "DDEBF7" // column headers
	colourRed       = "FFC7CE" // errors, provinces not represented
	colourRedText   = "9C0006"
	colourAmber     = "FFEB9C" // warnings, missing cells
	colourAmberText = "9C5700"
	colourBlue      = "DDEBF7" // information
	colourBlueText  = "1F4E78"
	colourLink      = "0563C1"
	colourNote      = "595959"
)

// The limits of a spreadsheet program that the report keeps within.
const (
	maxLinks       = 65000 // hyperlinks per sheet (Excel stops at 65,530)
	maxHeaderChars = 255   // page header and footer
)

// look is the style of a cell; equal looks share one workbook style. Every
// look is in Calibri (see fontName), so that the workbook reads the same
// wherever it is opened.
type look struct {
	bold, italic, wrap, underline, border bool
	size                                  float64
	font, fill                            string
	date, text                            bool   // a date; text format "@"
	datefmt                               string // a date's number format: yyyy-mm-dd when empty
	top                                   bool   // aligned to the top
	center, left, right                   bool
}

// book builds one workbook. Its first error stops every later write and is
// returned by Build.
type book struct {
	f       *excelize.File
	in      Input
	cat     *validate.Catalogue
	langs   []string
	used    map[string]bool
	err     error
	styles  map[look]int
	names   map[string]string // sheet role → sheet name
	roles   map[string]string // sheet name → role
	order   []string          // sheet names in order
	links   map[string]int
	layouts map[string]*layout
	// registers are the sheets of each source copied in, by source, in
	// the order read (see registers).
	registers map[string][]*register
	streams   map[string]*stream // the row-heavy sheets, by name
	tables    map[string]bool    // the names of the tables, in lower case
	// out, when set, is where the package is written as it is saved (see
	// zipWriter).
	out io.Writer
	// ctx stops a long build: the row loops check it (see stopped).
	ctx   context.Context
	ticks int
}

// stopped reports, every 256 calls, whether the build's context is done,
// and records its error: the row loops call it and return.
func (b *book) stopped() bool {
	if b.err != nil {
		return true
	}
	b.ticks++
	if b.ctx == nil || b.ticks%256 != 0 {
		return false
	}
	if err := b.ctx.Err(); err != nil {
		b.err = err
		return true
	}
	return false
}

func newBook(in Input, langs []string) *book {
	b := &book{
		f:       excelize.NewFile(),
		in:      in,
		cat:     in.Catalogue,
		langs:   langs,
		used:    map[string]bool{},
		styles:  map[look]int{},
		names:   map[string]string{},
		roles:   map[string]string{},
		links:   map[string]int{},
		layouts: map[string]*layout{},
		streams: map[string]*stream{},
		tables:  map[string]bool{},
		ctx:     context.Background(),
	}
	for _, role := range []string{"summary", "coverage", "issues", "activities", "findings", "members"} {
		b.names[role] = b.join(" - ", func(l string) string { return b.t(l, "report.sheet."+role, nil) })
		b.roles[b.names[role]] = role
	}
	b.registers = b.registerSheets()
	return b
}

// t returns the catalogue text of key in lang, and records the key as used.
func (b *book) t(lang, key string, p map[string]string) string {
	b.used[key] = true
	return b.cat.T(lang, key, p)
}

// join gives fn's text in each language of the report, joined by sep; a
// text that is the same in both languages is given once.
func (b *book) join(sep string, fn func(lang string) string) string {
	var parts []string
	for _, l := range b.langs {
		s := fn(l)
		if len(parts) > 0 && parts[len(parts)-1] == s {
			continue
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

// label returns a short text (a heading, a column title, a value) in the
// report's languages: "Issue / Enjeu" in both.
func (b *book) label(key string, p map[string]string) string {
	return b.join(" / ", func(l string) string { return b.t(l, key, p) })
}

// para returns a sentence in the report's languages, one under the other.
func (b *book) para(key string, p map[string]string) string {
	return b.join("\n", func(l string) string { return b.t(l, key, p) })
}

// count returns the text of a key with plural forms for n, in lang.
func (b *book) count(lang, key string, n int, p map[string]string) string {
	q := map[string]string{"count": strconv.Itoa(n)}
	for k, v := range p {
		q[k] = v
	}
	return b.t(lang, key, q)
}

// prose returns a date as a sentence writes it in lang: "3 December 2026",
// « 3 décembre 2026 ».
func (b *book) prose(lang string, t time.Time) string {
	for _, k := range []string{"date.prose", "date.months", "date.first"} {
		b.used[k] = true
	}
	return validate.ProseDate(b.cat, lang, t)
}

// capital returns s with its first letter in upper case (validate.Capitalize).
func capital(s string) string { return validate.Capitalize(s) }

// sheet adds the worksheet of a role and returns its name.
func (b *book) sheet(role string) string {
	return b.sheetNamed(role, b.names[role])
}

// sheetNamed adds a worksheet of a role under a name of its own (one of
// the registers of a source read from several sheets) and returns it.
func (b *book) sheetNamed(role, name string) string {
	if b.err != nil {
		return name
	}
	if len(b.order) == 0 {
		b.err = b.f.SetSheetName(b.f.GetSheetName(0), name)
	} else {
		_, b.err = b.f.NewSheet(name)
	}
	b.order = append(b.order, name)
	b.layouts[name] = newLayout(role)
	return name
}

// ref returns the A1 address of 0-based column col in 1-based row.
func ref(col, row int) string { return validate.CellRef(col, row) }

// quoteSheet returns a sheet name as a reference writes it: 'Name'.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// style returns the workbook style of a look.
func (b *book) style(l look) int {
	if id, ok := b.styles[l]; ok || b.err != nil {
		return id
	}
	id, err := b.f.NewStyle(l.excelize())
	if err != nil {
		b.err = fmt.Errorf("add style: %w", err)
		return 0
	}
	b.styles[l] = id
	return id
}

// excelize returns the style of a look, in the form both the cell writer
// and a stream writer take.
func (l look) excelize() *excelize.Style {
	s := &excelize.Style{Font: &excelize.Font{Family: fontName, Bold: l.bold, Italic: l.italic, Size: l.fontSize(), Color: l.font}}
	if l.underline {
		s.Font.Underline = "single"
	}
	if l.fill != "" {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{l.fill}}
	}
	s.Alignment = &excelize.Alignment{WrapText: l.wrap, Vertical: "top"}
	if !l.top {
		s.Alignment.Vertical = "center"
	}
	switch {
	case l.center:
		s.Alignment.Horizontal = "center"
	case l.left:
		s.Alignment.Horizontal = "left"
	case l.right:
		s.Alignment.Horizontal = "right"
	}
	if l.border {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			s.Border = append(s.Border, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
		}
	}
	switch {
	case l.date:
		f := l.datefmt
		if f == "" {
			f = "yyyy-mm-dd"
		}
		s.CustomNumFmt = &f
	case l.text:
		s.NumFmt = 49 // "@": the cell holds text, and stays text when edited
	}
	return s
}

// streamPut writes text spanning n columns in the gathered row of a
// streamed sheet that is writing its rows, with the merge, wrapping and
// row height its width needs, and reports whether the sheet is one.
func (b *book) streamPut(sheet string, col, row, n int, s string, l look) bool {
	st := b.streams[sheet]
	if st == nil || st.measuring {
		return false
	}
	if b.err != nil {
		return true
	}
	if s == "" {
		b.blank(sheet, col, row, l)
		return true
	}
	if unsafeLead(s) {
		l.text = true
	}
	if b.at(sheet, row); b.err != nil {
		return true
	}
	l, err := st.text(col, row, n, s, l)
	if err != nil {
		b.err = fmt.Errorf("write %s!%s: %w", sheet, ref(col, row), err)
		return true
	}
	b.streamCell(st, col, row, s, l)
	return true
}

// streamCell writes a value in the gathered row of a streamed sheet.
func (b *book) streamCell(st *stream, col, row int, v any, l look) bool {
	id := 0
	if l != (look{}) {
		id = b.style(l)
	}
	if b.err != nil {
		return false
	}
	st.set(col, v, id)
	return true
}

// streamFixed writes a value that never wraps (a number, a date) in a
// streamed sheet, or measures it.
func (b *book) streamFixed(st *stream, sheet string, col, row int, v any, shown string, l look) {
	if st.measuring {
		b.layouts[sheet].fixed(row, col, shown, l)
		return
	}
	if l.fontSize() != bodySize {
		st.atLeast(lineHeight(l.fontSize()))
	}
	b.streamCell(st, col, row, v, l)
}

// unsafeLead reports whether a text starts with a character that a
// spreadsheet program could take for the start of a formula.
func unsafeLead(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0]))
}

// str writes text: always a string cell, never a formula. Text that could
// be taken for a formula also gets the text number format, so that it stays
// text when someone edits the cell. Text wider than its column wraps, and
// its row gets the height it needs (see layout).
func (b *book) str(sheet string, col, row int, s string, l look) {
	b.span(sheet, col, row, 1, s, l)
}

// span writes text in a cell that spans n columns from col: merged with
// the n-1 cells to its right when n > 1, or, with n = 0, with every column
// of the sheet (a title, a note, a caption), so that text never runs over
// the next cell.
func (b *book) span(sheet string, col, row, n int, s string, l look) {
	if strings.Contains(s, "\n") {
		l.wrap = true
	}
	if b.streamPut(sheet, col, row, n, s, l) {
		return
	}
	if !b.put(sheet, col, row, s, l) {
		return
	}
	b.layouts[sheet].text(row, col, n, s, l, false)
}

// linkText writes the text of a hyperlink, which never wraps: programs
// show a link's text on one line, so its column is made wide enough.
func (b *book) linkText(sheet string, col, row int, s string, l look) {
	if !b.put(sheet, col, row, s, l) {
		return
	}
	if st := b.streams[sheet]; st != nil && !st.measuring {
		if l.fontSize() != bodySize {
			st.atLeast(lineHeight(l.fontSize()))
		}
		return
	}
	b.layouts[sheet].fixed(row, col, s, l)
}

// flow writes a title or a note across the whole width of the sheet.
func (b *book) flow(sheet string, col, row int, s string, l look) {
	l.wrap = true
	b.span(sheet, col, row, 0, s, l)
}

// title writes a column title, which wraps at its words.
func (b *book) title(sheet string, col, row int, s string, l look) {
	l.wrap, l.top = true, true
	if b.streamPut(sheet, col, row, 1, s, l) {
		return
	}
	if !b.put(sheet, col, row, s, l) {
		return
	}
	b.layouts[sheet].text(row, col, 1, s, l, true)
}

// put writes text and reports whether it did.
func (b *book) put(sheet string, col, row int, s string, l look) bool {
	if b.err != nil {
		return false
	}
	if s == "" {
		b.blank(sheet, col, row, l)
		return false
	}
	if unsafeLead(s) {
		l.text = true
	}
	if st := b.at(sheet, row); st != nil {
		return st.measuring || b.streamCell(st, col, row, s, l)
	}
	cell := ref(col, row)
	if err := b.f.SetCellStr(sheet, cell, s); err != nil {
		b.err = fmt.Errorf("write %s!%s: %w", sheet, cell, err)
		return false
	}
	b.setStyle(sheet, cell, l)
	return true
}

// num writes a number.
func (b *book) num(sheet string, col, row int, n float64, l look) {
	if b.err != nil {
		return
	}
	if st := b.at(sheet, row); st != nil {
		b.streamFixed(st, sheet, col, row, n, strconv.FormatFloat(n, 'f', -1, 64), l)
		return
	}
	cell := ref(col, row)
	if err := b.f.SetCellFloat(sheet, cell, n, -1, 64); err != nil {
		b.err = fmt.Errorf("write %s!%s: %w", sheet, cell, err)
		return
	}
	b.setStyle(sheet, cell, l)
	b.layouts[sheet].fixed(row, col, strconv.FormatFloat(n, 'f', -1, 64), l)
}

// date writes a date, shown yyyy-mm-dd or in l.datefmt; shown is the text
// it shows, for its width.
func (b *book) date(sheet string, col, row int, t time.Time, l look) {
	if b.err != nil {
		return
	}
	l.date = true
	if !l.left && !l.right {
		l.center = true // apart from the numbers and text beside it
	}
	shown := t.Format(dateLayout)
	if l.datefmt != "" {
		shown = "30 September 2026" // the widest date a month name gives
	}
	if st := b.at(sheet, row); st != nil {
		b.streamFixed(st, sheet, col, row, day(t), shown, l)
		return
	}
	cell := ref(col, row)
	if err := b.f.SetCellValue(sheet, cell, day(t)); err != nil {
		b.err = fmt.Errorf("write %s!%s: %w", sheet, cell, err)
		return
	}
	b.setStyle(sheet, cell, l)
	b.layouts[sheet].fixed(row, col, shown, l)
}

// blank styles an empty cell.
func (b *book) blank(sheet string, col, row int, l look) {
	if b.err != nil {
		return
	}
	if st := b.at(sheet, row); st != nil {
		if !st.measuring && l != (look{}) {
			st.set(col, nil, b.style(l))
		}
		return
	}
	b.setStyle(sheet, ref(col, row), l)
}

// value writes a cell read from a source: numbers as numbers, dates (in a
// date field) as dates, everything else as text.
func (b *book) value(sheet string, col, row int, v validate.Value, isDate, date1904 bool, l look) {
	switch v.Kind {
	case validate.Blank:
		b.blank(sheet, col, row, l)
		return
	case validate.Number:
		if isDate {
			if d, ok := validate.SerialDate(v.Num, date1904); ok {
				b.date(sheet, col, row, d, l)
				return
			}
		}
		b.num(sheet, col, row, v.Num, l)
		return
	case validate.Date:
		if !v.Time.IsZero() {
			b.date(sheet, col, row, v.Time, l)
			return
		}
	case validate.Bool:
		b.str(sheet, col, row, v.Text, l)
		return
	case validate.String:
		if isDate {
			if d, ok := validate.ParseDate(v, date1904); ok && strings.TrimSpace(v.Text) == d.Format(dateLayout) {
				b.date(sheet, col, row, d, l)
				return
			}
		}
	}
	b.str(sheet, col, row, v.Text, l)
}

func (b *book) setStyle(sheet, cell string, l look) {
	if l == (look{}) || b.err != nil {
		return
	}
	id := b.style(l)
	if b.err != nil {
		return
	}
	if err := b.f.SetCellStyle(sheet, cell, cell, id); err != nil {
		b.err = fmt.Errorf("style %s!%s: %w", sheet, cell, err)
	}
}

// link makes a cell a hyperlink: to a location in the workbook, or to an
// external target through the cell-hyperlink API (never a HYPERLINK()
// formula). The cell's text is written before.
func (b *book) link(sheet string, col, row int, target string, location bool, tip string) {
	if b.err != nil || target == "" || b.links[sheet] >= maxLinks {
		return
	}
	st := b.streams[sheet]
	if st != nil && st.measuring {
		return
	}
	b.links[sheet]++
	if st != nil {
		st.link(ref(col, row), target, location, tip)
		return
	}
	kind := "External"
	if location {
		kind = "Location"
	}
	cell := ref(col, row)
	opts := excelize.HyperlinkOpts{}
	if tip != "" {
		opts.Tooltip = &tip
	}
	if err := b.f.SetCellHyperLink(sheet, cell, target, kind, opts); err != nil {
		b.err = fmt.Errorf("link %s!%s: %w", sheet, cell, err)
	}
}

// table makes the rows from head (the column titles) to last of the first
// ncols columns an Excel table with filter buttons and banded rows, with
// its header frozen and repeated on every printed page.
func (b *book) table(sheet, name string, head, ncols, last int) {
	if b.err != nil || ncols == 0 {
		return
	}
	last = max(last, head+1) // a table holds at least one row below its header
	if st := b.streams[sheet]; st != nil {
		// Recorded while measuring; the stream freezes the header before
		// its first row and adds the table after its last.
		if st.measuring {
			st.table = &streamTable{name: name, head: head, ncols: ncols, last: last}
		}
		return
	}
	if err := b.f.AddTable(sheet, tableOf(name, head, ncols, last)); err != nil {
		b.err = fmt.Errorf("add table to %s: %w", sheet, err)
		return
	}
	b.freeze(sheet, head)
	b.printTitles(sheet, head)
}

// printTitles repeats row head of a sheet at the top of every printed
// page.
func (b *book) printTitles(sheet string, head int) {
	if b.err != nil {
		return
	}
	err := b.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), head, head),
		Scope:    sheet,
	})
	if err != nil {
		b.err = fmt.Errorf("set print titles of %s: %w", sheet, err)
	}
}

// freeze keeps the top rows of a sheet in view when it scrolls.
func (b *book) freeze(sheet string, rows int) {
	if b.err != nil {
		return
	}
	b.err = b.f.SetPanes(sheet, panes(rows))
}

// tableName returns a table name made of the letters and digits of a
// sheet name, its words joined by underscores.
func tableName(sheet string) string {
	var s strings.Builder
	for _, r := range sheet {
		switch {
		case r == ' ' || r == '-' || r == '–':
			if s.Len() > 0 && !strings.HasSuffix(s.String(), "_") {
				s.WriteByte('_')
			}
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r > 127 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s.WriteRune(r)
		}
	}
	return "T_" + strings.Trim(s.String(), "_")
}

// uniqueTitles returns column titles that a table accepts: not empty and
// not repeated (case aside).
func uniqueTitles(titles []string) []string {
	seen := map[string]bool{}
	out := make([]string, len(titles))
	for i, t := range titles {
		t = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(t, "\r", " "), "\n", " "))
		base := t
		for n := 2; seen[strings.ToLower(t)]; n++ {
			t = fmt.Sprintf("%s (%d)", base, n)
		}
		seen[strings.ToLower(t)] = true
		out[i] = t
	}
	return out
}

// header writes a table's column titles in a row.
func (b *book) header(sheet string, row int, titles []string) {
	for i, t := range uniqueTitles(titles) {
		b.title(sheet, i, row, t, look{bold: true})
	}
}

// community returns the community's name in lang.
func (b *book) community(lang string) string {
	c := b.in.Community
	return b.named(lang, c.NameEN, c.NameFR, "report.default.community")
}

// council returns the council's name in lang.
func (b *book) council(lang string) string {
	c := b.in.Community
	return b.named(lang, c.CouncilEN, c.CouncilFR, "report.default.council")
}

// named returns a name given in English and French in lang, the other
// language's when that one is empty, and the catalogue's fallback when both
// are.
func (b *book) named(lang, en, fr, fallback string) string {
	first, second := en, fr
	if lang == "fr" {
		first, second = fr, en
	}
	switch {
	case first != "":
		return first
	case second != "":
		return second
	}
	return b.t(lang, fallback, nil)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// finish sets the column widths, the row heights and the print setup of
// every sheet, the document properties and the sheet that opens first.
func (b *book) finish() {
	for _, sheet := range b.order {
		if b.err != nil {
			return
		}
		if b.streams[sheet] != nil {
			continue // laid out as it was written
		}
		b.err = b.layouts[sheet].apply(b, sheet)
	}
	if b.err != nil {
		return
	}
	created := b.in.RunDate.Format("2006-01-02T15:04:05Z")
	lang := b.join(", ", func(l string) string { return l + "-CA" })
	b.err = b.f.SetDocProps(&excelize.DocProperties{
		Title: b.join(" / ", func(l string) string {
			return b.t(l, "report.doc.title", map[string]string{"community": b.community(l)})
		}),
		Subject:  b.label("report.doc.subject", nil),
		Keywords: b.label("report.doc.keywords", nil),
		Description: b.join(" / ", func(l string) string {
			return b.t(l, "report.summary.generated", map[string]string{"date": b.prose(l, b.in.RunDate)})
		}),
		Creator:        "copsync",
		LastModifiedBy: "copsync",
		Created:        created,
		Modified:       created,
		Language:       lang,
	})
	if b.err != nil {
		b.err = fmt.Errorf("set document properties: %w", b.err)
		return
	}
	stableContentTypes(b.f)
}

// stableContentTypes sorts the workbook's content types, which the
// spreadsheet library lists in map order when a chart is added, so that
// the same report is the same file byte for byte.
func stableContentTypes(f *excelize.File) {
	ct := f.ContentTypes
	if ct == nil {
		return
	}
	sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	sort.SliceStable(ct.Overrides, func(i, j int) bool { return ct.Overrides[i].PartName < ct.Overrides[j].PartName })
}
