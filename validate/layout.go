package validate

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// The errors a source's layout can fail with, for errors.Is; both readers
// (and their callers) test them.
var (
	ErrSheetNotFound  = errors.New("sheet not found")
	ErrHeaderNotFound = errors.New("header row not found")
)

// SheetError is a failure about one sheet of a book: a reader names the
// sheet in its own message.
type SheetError struct {
	Sheet string
	Err   error
}

// Error returns the cause's message; the sheet is named by the caller.
func (e *SheetError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SheetError) Unwrap() error { return e.Err }

// SheetTop is what the first rows of a sheet hold, for the message that
// says no sheet has a header row.
type SheetTop struct {
	Name  string
	Texts []string // the non-blank texts of the first rows, in order
	Err   error    // the sheet could not be read
}

// NoHeaderError says that no sheet of a book has a header row for a
// source; it wraps ErrHeaderNotFound. Readers may explain it further (an
// empty workbook, cells that cannot be read).
type NoHeaderError struct {
	Source string
	Want   []string // the header titles expected, one per anchor field
	Sheets []SheetTop
}

// Error returns a one-line message naming what each sheet holds at the top.
func (e *NoHeaderError) Error() string {
	var found []string
	for i, t := range e.Sheets {
		if i == 6 {
			found = append(found, "…")
			break
		}
		s := "sheet " + strconv.Quote(t.Name) + ": "
		texts := t.Texts
		if len(texts) > 5 {
			texts = append(texts[:5:5], "…")
		}
		switch {
		case t.Err != nil:
			s += "unreadable"
		case len(texts) == 0:
			s += "nothing"
		default:
			q := make([]string, len(texts))
			for j, x := range texts {
				q[j] = x
				if x != "…" {
					q[j] = strconv.Quote(x)
				}
			}
			s += strings.Join(q, ", ")
		}
		found = append(found, s)
	}
	return fmt.Sprintf("%v: no sheet has a header row for the %s in its first %d rows (expected a column such as %s); found %s",
		ErrHeaderNotFound, e.Source, HeaderRows, strings.Join(quoteAll(e.Want), " or "), strings.Join(found, "; "))
}

// Unwrap returns ErrHeaderNotFound.
func (e *NoHeaderError) Unwrap() error { return ErrHeaderNotFound }

// Selection says which sheets of a book hold a source.
type Selection struct {
	// Sheets are sheet names or glob patterns (path.Match syntax: *, ?,
	// [a-z]); a name is matched exactly, else ignoring case and
	// surrounding spaces. Empty means every sheet whose header row names
	// the source's fields.
	Sheets []string
	// Exclude are names or patterns of sheets never to read.
	Exclude []string
}

// The reasons rows are set aside rather than checked.
const (
	// ReasonNotes: notes and sources under the table (text in the first
	// columns only, after a blank row).
	ReasonNotes = "notes"
	// ReasonTotal: a row labelled Total, Sous-total…, or holding only
	// numbers at the end of the table.
	ReasonTotal = "total"
	// ReasonHeader: the header row repeated inside the table.
	ReasonHeader = "header"
)

// SetAside is a range of rows of a table that are not records, and why.
type SetAside struct {
	First  int    `json:"first"`
	Last   int    `json:"last"`
	Reason string `json:"reason"`
}

// Sink receives the tables of a source as ReadSource finds them.
type Sink interface {
	// Table starts a table read from o with header h and returns the
	// function to call with each of its data rows, in order.
	Table(o Origin, h Header) func(Row)
	// SetAside tells that rows of the table read from o are not records.
	// It is called after Table and the rows before the range.
	SetAside(o Origin, s SetAside)
}

// MaxTrailer is how many rows that may be notes or totals under a table
// are held before they are known to be so; past it, they are given as
// records (and checked) rather than held.
const MaxTrailer = 1000

// ReadSource reads the tables of a source from book: it picks the sheets
// (sel; every sheet whose header row names the source's fields when sel
// names none), finds each sheet's header block, fills values merged down
// over rows into every row of the merge (the cell's address stays the
// merge's top-left cell), sets aside notes, totals and repeated headers,
// and gives everything to sink, one table per sheet. Rows are not kept:
// only the rows that may be notes under the table are held, at most
// MaxTrailer. Errors about a sheet are *SheetError.
func ReadSource(ctx context.Context, book Book, schema Schema, sel Selection, sink Sink) error {
	names, named, err := selectSheets(book, sel)
	if err != nil {
		return err
	}
	var tops []SheetTop
	read := 0
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		// A sheet named in the selection must hold the source; one found
		// by its header, or by a pattern, is read when it has a header.
		explicit := named[name]
		sr, err := book.Open(ctx, name)
		if err != nil {
			if !explicit && !isContextErr(err) {
				tops = append(tops, SheetTop{Name: name, Err: err})
				continue
			}
			return &SheetError{Sheet: name, Err: err}
		}
		ok, top, err := readOpened(ctx, book, name, sr, schema, sink, explicit)
		if err != nil {
			if !explicit && !ok && !isContextErr(err) {
				// A sheet that cannot be read holds no header; another
				// may.
				tops = append(tops, SheetTop{Name: name, Err: err})
				continue
			}
			return &SheetError{Sheet: name, Err: err}
		}
		if ok {
			read++
		} else {
			tops = append(tops, top)
		}
	}
	if read == 0 {
		e := &NoHeaderError{Source: schema.Source, Want: schema.want(), Sheets: tops}
		if len(tops) == 1 && tops[0].Err != nil {
			return &SheetError{Sheet: tops[0].Name, Err: tops[0].Err}
		}
		return e
	}
	return nil
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// want returns the header titles a source is expected to have, one per
// anchor field.
func (s Schema) want() []string {
	var w []string
	for _, a := range s.Anchors {
		if f, ok := s.Field(a); ok && len(f.Aliases) > 0 {
			w = append(w, f.Aliases[0])
		}
	}
	return w
}

// isPattern reports whether s is a glob pattern rather than a name.
func isPattern(s string) bool { return strings.ContainsAny(s, "*?[") }

// matchSheet reports whether sheet name matches a name or pattern: exactly,
// else ignoring case and surrounding spaces.
func matchSheet(pattern, name string) bool {
	if isPattern(pattern) {
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
		ok, _ := path.Match(strings.ToLower(strings.TrimSpace(pattern)), strings.ToLower(strings.TrimSpace(name)))
		return ok
	}
	return pattern == name || strings.EqualFold(strings.TrimSpace(pattern), strings.TrimSpace(name))
}

// selectSheets returns the sheets to read, in the book's order, and those
// named in the selection (not by a pattern), each of which must hold a
// header.
func selectSheets(book Book, sel Selection) ([]string, map[string]bool, error) {
	all := book.Sheets()
	noun := "workbook"
	if len(all) > 0 && book.Origin(all[0]).Kind == "gsheets" {
		noun = "spreadsheet"
	}
	excluded := func(name string) bool {
		for _, x := range sel.Exclude {
			if matchSheet(x, name) {
				return true
			}
		}
		return false
	}
	var sheets []string
	if len(sel.Sheets) == 0 {
		for _, n := range all {
			if !excluded(n) {
				sheets = append(sheets, n)
			}
		}
		return sheets, nil, nil
	}
	chosen, named := map[string]bool{}, map[string]bool{}
	for _, p := range sel.Sheets {
		found := false
		if !isPattern(p) {
			// An exact name first, then the same name in another case.
			for _, n := range all {
				if n == p {
					chosen[n], named[n], found = true, true, true
				}
			}
		}
		if !found {
			for _, n := range all {
				if matchSheet(p, n) {
					chosen[n], found = true, true
					if !isPattern(p) {
						named[n] = true
						break
					}
				}
			}
		}
		if !found {
			err := fmt.Errorf("%w (the %s has %s)", ErrSheetNotFound, noun, SheetList(all))
			if isPattern(p) {
				err = fmt.Errorf("%w: no sheet matches %q (the %s has %s)", ErrSheetNotFound, p, noun, SheetList(all))
			}
			return nil, nil, &SheetError{Sheet: p, Err: err}
		}
	}
	for _, n := range all {
		if chosen[n] && !excluded(n) {
			sheets = append(sheets, n)
		}
	}
	if len(sheets) == 0 {
		return nil, nil, fmt.Errorf("%w: exclude_sheets leaves none of %s", ErrSheetNotFound, quoteSelection(sel.Sheets))
	}
	return sheets, named, nil
}

func quoteSelection(s []string) string { return strings.Join(quoteAll(s), ", ") }

// SheetList names sheets for a message: sheets "A", "B", "C", at most
// twelve of them.
func SheetList(names []string) string {
	if len(names) == 0 {
		return "no sheets"
	}
	if len(names) > 12 {
		return "sheets " + strings.Join(quoteAll(names[:12]), ", ") + fmt.Sprintf(" and %d more", len(names)-12)
	}
	return "sheets " + strings.Join(quoteAll(names), ", ")
}

// readOpened reads an opened sheet with readSheet and closes it, whatever
// happens in between: a reader may hold a file and a goroutine.
func readOpened(ctx context.Context, book Book, name string, sr SheetRows, schema Schema, sink Sink, explicit bool) (bool, SheetTop, error) {
	defer sr.Close()
	return readSheet(ctx, book, name, sr, schema, sink, explicit)
}

// readSheet reads one sheet: its header block from the first rows, then
// its data. ok is false when the sheet has no header row (and, when
// explicit, err says so).
func readSheet(ctx context.Context, book Book, name string, sr SheetRows, schema Schema, sink Sink, explicit bool) (ok bool, top SheetTop, err error) {
	top.Name = name
	merges := sr.Merges()
	// The first rows, by sheet row, and one more for a header block that
	// ends on the last of them.
	var head []Row
	var texts [][]string
	var next *Row
	for {
		r, more := sr.Next()
		if !more {
			break
		}
		if r.Num > HeaderRows+1 {
			next = &r
			break
		}
		head = append(head, r)
		for len(texts) < r.Num-1 {
			texts = append(texts, nil)
		}
		texts = append(texts, rowTexts(r))
	}
	if err := sr.Err(); err != nil {
		return false, top, err
	}
	for _, t := range texts {
		for _, s := range t {
			if s = trimText(s); s != "" {
				top.Texts = append(top.Texts, OneLine(s))
			}
		}
	}
	h, herr := headerBlock(texts, schema, merges)
	if herr != nil {
		if explicit {
			if len(top.Texts) == 0 && next == nil {
				return false, top, fmt.Errorf("%w: the sheet is empty", ErrHeaderNotFound)
			}
			return false, top, fmt.Errorf("%w: %v", ErrHeaderNotFound, herr)
		}
		return false, top, nil
	}
	o := book.Origin(name)
	t := newTableState(o, h, merges, schema, sink)
	for _, r := range head {
		if r.Num > h.Row {
			t.row(r)
		}
	}
	if next != nil {
		t.row(*next)
		for i := 1; ; i++ {
			r, more := sr.Next()
			if !more {
				break
			}
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return true, top, err
				}
			}
			t.row(r)
		}
		if err := sr.Err(); err != nil {
			return true, top, err
		}
	}
	t.end()
	return true, top, nil
}

// rowTexts returns the texts of a row's cells by 0-based column.
func rowTexts(r Row) []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.Value.Text
	}
	return out
}

// titleRow reports whether a row is a row of header titles: it names at
// least two fields, at least half of its non-blank cells are titles of the
// schema, and it holds no e-mail address.
func (s Schema) titleRow(row []string) bool {
	n, named := 0, 0
	seen := map[string]bool{}
	for _, t := range row {
		t = trimText(t)
		if t == "" {
			continue
		}
		if strings.Contains(t, "@") && ValidEmail(t) {
			return false
		}
		n++
		if f := s.match(t); f != "" && !seen[f] {
			seen[f] = true
			named++
		}
	}
	return named >= 2 && 2*named >= n
}

// headerBlock finds the header block among the first rows: the header row
// DetectHeader finds, the row of the same titles in the other language
// right below or above it, and a row of group titles merged across columns
// right above.
func headerBlock(rows [][]string, s Schema, merges []Merge) (Header, error) {
	h, err := DetectHeader(rows, s)
	if err != nil {
		return h, err
	}
	h.First = h.Row
	// The same titles in the other language, on the row below.
	if h.Row < len(rows) && h.Row < HeaderRows+1 && (s.titleRow(rows[h.Row]) || s.sameTitles(rows[h.Row], h)) {
		below := rows[h.Row]
		used := map[string]bool{}
		for _, c := range h.Columns {
			if c.Field != "" {
				used[c.Field] = true
			}
		}
		byCol := map[int]int{}
		for i, c := range h.Columns {
			byCol[c.Index] = i
		}
		for col, t := range below {
			title := trimText(t)
			if title == "" {
				continue
			}
			f := s.match(title)
			if used[f] {
				f = ""
			}
			i, ok := byCol[col]
			switch {
			case ok && h.Columns[i].Field == "" && f != "":
				h.Columns[i].Field = f
				h.Columns[i].Title += " / " + title
				used[f] = true
			case ok:
			default:
				h.Columns = append(h.Columns, Column{Index: col, Title: title, Field: f})
				if f != "" {
					used[f] = true
				}
			}
		}
		sortColumns(h.Columns)
		h.Row++
	}
	// Titles in the other language, or group titles merged across
	// columns, on the row above.
	if up := h.First - 1; up >= 1 && up <= len(rows) {
		if s.titleRow(rows[up-1]) {
			h.First = up
		} else {
			for _, m := range merges {
				if m.Top == up && m.Bottom <= h.First && m.Right > m.Left {
					h.First = up
					break
				}
			}
		}
	}
	return h, nil
}

// sameTitles reports whether row names, in at least two columns and half
// of the header's named ones, the same fields as header h in the same
// columns: the header's titles in the other language, with titles of their
// own beside them.
func (s Schema) sameTitles(row []string, h Header) bool {
	named, same := 0, 0
	for _, c := range h.Columns {
		if c.Field == "" {
			continue
		}
		named++
		if c.Index < len(row) && s.match(row[c.Index]) == c.Field {
			same++
		}
	}
	for _, t := range row {
		if strings.Contains(t, "@") && ValidEmail(strings.TrimSpace(t)) {
			return false
		}
	}
	return same >= 2 && 2*same >= named
}

func sortColumns(cs []Column) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Index < cs[j-1].Index; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// tableState follows one table's data rows: the merges that fill values
// down, the rows held while they may be notes or totals under the table,
// and the range of rows being set aside.
type tableState struct {
	o      Origin
	h      Header
	schema Schema
	sink   Sink
	add    func(Row)

	merges   []Merge // merges below the header block, by top row
	next     int     // the next merge to start
	active   []activeMerge
	firstCol int // the first column of the header
	// firstTitled is the first column whose title names a field, and
	// firstTitles its titles in the header block and its field's aliases.
	firstTitled int
	firstTitles []string
	titles      map[int]string // field by column
	columns     map[int]bool   // columns with a title

	afterBlank bool      // a blank row came since the last record
	held       []heldRow // rows that may be notes or totals
	aside      SetAside  // the range being set aside (First 0: none)
}

type activeMerge struct {
	m     Merge
	value Value
}

type heldRow struct {
	r      Row
	reason string
}

func newTableState(o Origin, h Header, merges []Merge, schema Schema, sink Sink) *tableState {
	t := &tableState{o: o, h: h, schema: schema, sink: sink, firstCol: -1, firstTitled: -1, titles: map[int]string{}, columns: map[int]bool{}}
	for _, m := range merges {
		if m.Top > h.Row && m.Bottom > m.Top {
			t.merges = append(t.merges, m)
		}
	}
	for i := 1; i < len(t.merges); i++ {
		for j := i; j > 0 && t.merges[j].Top < t.merges[j-1].Top; j-- {
			t.merges[j], t.merges[j-1] = t.merges[j-1], t.merges[j]
		}
	}
	for _, c := range h.Columns {
		if t.firstCol < 0 || c.Index < t.firstCol {
			t.firstCol = c.Index
		}
		if c.Field != "" {
			t.titles[c.Index] = c.Field
			if t.firstTitled < 0 || c.Index < t.firstTitled {
				t.firstTitled = c.Index
			}
		}
		t.columns[c.Index] = true
	}
	if t.firstCol < 0 {
		t.firstCol = 0
	}
	for _, c := range h.Columns {
		if c.Index == t.firstTitled {
			t.firstTitles = strings.Split(c.Title, " / ")
			if f, ok := schema.Field(c.Field); ok {
				t.firstTitles = append(t.firstTitles, f.Aliases...)
			}
		}
	}
	t.add = sink.Table(o, h)
	return t
}

// fill gives the cells of r that lie under the top-left cell of a merge
// the merge's value and address. A row that holds nothing of its own stays
// blank: a merge drawn across a blank row does not make it a record.
func (t *tableState) fill(r Row) Row {
	for t.next < len(t.merges) && t.merges[t.next].Top <= r.Num {
		m := t.merges[t.next]
		t.next++
		am := activeMerge{m: m}
		if m.Top == r.Num {
			am.value = r.Cell(m.Left).Value
		}
		t.active = append(t.active, am)
	}
	if len(t.active) == 0 {
		return r
	}
	keep := t.active[:0]
	for _, am := range t.active {
		if am.m.Bottom >= r.Num {
			keep = append(keep, am)
		}
	}
	t.active = keep
	if r.IsBlank() {
		return r
	}
	copied := false
	for _, am := range t.active {
		if am.m.Top == r.Num || am.value.IsBlank() {
			continue
		}
		if !copied {
			cells := make([]Cell, max(len(r.Cells), am.m.Left+1))
			copy(cells, r.Cells)
			r.Cells, copied = cells, true
		}
		for len(r.Cells) <= am.m.Left {
			r.Cells = append(r.Cells, Cell{})
		}
		r.Cells[am.m.Left] = Cell{Ref: am.m.Ref(), Value: am.value}
	}
	return r
}

// totalWords are the labels of a totals row, folded.
var totalWords = []string{"total", "totale", "totaux", "totals", "sous total", "subtotal", "sub total", "grand total", "nombre total", "count"}

// noteWords begin a note or a source under a table, folded.
var noteWords = []string{"note", "notes", "nota", "nb", "n b", "source", "sources", "remarque", "remarques", "mise a jour", "updated", "last updated", "derniere mise a jour"}

// classify says what a non-blank row under the header is: a record (""),
// a repeated header, a total or a note.
func (t *tableState) classify(r Row) string {
	var first *Cell
	nonBlank, numbers, texts, outside, titled := 0, 0, 0, 0, 0
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Value.IsBlank() {
			continue
		}
		nonBlank++
		if first == nil {
			first = c
		}
		if c.Value.Kind == Number || c.Value.Kind == Date {
			numbers++
			if t.columns[i] {
				titled++
			}
		} else {
			texts++
		}
		if i > t.firstCol+1 {
			outside++
		}
	}
	if nonBlank == 0 {
		return ""
	}
	if first.Value.Kind == String && (texts == 1 || nonBlank <= 3) && mayBeTotal(first.Value.Text) {
		f := Fold(first.Value.Text)
		for _, w := range totalWords {
			if f == w || strings.HasPrefix(f, w+" ") {
				return ReasonTotal
			}
		}
	}
	if nonBlank >= 2 && t.headerCell(r) && t.sameHeader(r) {
		return ReasonHeader
	}
	if numbers == nonBlank && nonBlank <= 3 && titled > 0 {
		return "total?"
	}
	if texts == nonBlank && outside == 0 && nonBlank <= 2 && !holdsEmail(r) {
		f := Fold(first.Value.Text)
		for _, w := range noteWords {
			if strings.HasPrefix(f, w+" ") || f == w {
				return "note?"
			}
		}
		if t.afterBlank {
			return "note?"
		}
	}
	return ""
}

// mayBeTotal is a quick test that s may begin with one of totalWords, so
// that most rows are not folded.
func mayBeTotal(s string) bool {
	s = strings.TrimLeft(s, " \t\u00a0")
	if s == "" {
		return false
	}
	switch s[0] | 0x20 {
	case 't', 's', 'g', 'n', 'c':
		return true
	}
	return false
}

// headerCell reports whether the first titled column of r holds a title of
// its field (as the header block writes it, or an alias, in any case), the
// quick test of a repeated header row: it compares without allocating, as
// it runs on every row.
func (t *tableState) headerCell(r Row) bool {
	if t.firstTitled < 0 || t.firstTitled >= len(r.Cells) {
		return false
	}
	c := r.Cells[t.firstTitled]
	if c.Value.Kind != String {
		return false
	}
	s := c.Value.Trimmed()
	for _, title := range t.firstTitles {
		if strings.EqualFold(s, title) {
			return true
		}
	}
	return false
}

// sameHeader reports whether the titles of r name the header's fields in
// the same columns.
func (t *tableState) sameHeader(r Row) bool {
	same := 0
	for i, c := range r.Cells {
		if f := t.schema.match(c.Value.Trimmed()); f != "" {
			if t.titles[i] != f {
				return false
			}
			same++
		}
	}
	return same >= 2
}

// row takes the next row the sheet holds below the header block.
func (t *tableState) row(r Row) {
	r = t.fill(r)
	if r.IsBlank() {
		if len(t.held) == 0 {
			t.afterBlank = true
		}
		return
	}
	switch kind := t.classify(r); kind {
	case "":
		t.release()
		t.afterBlank = false
		t.record(r)
	case ReasonTotal, ReasonHeader:
		if len(t.held) == 0 {
			t.setAside(r.Num, kind)
			return
		}
		t.held = append(t.held, heldRow{r: r, reason: kind})
	default:
		t.held = append(t.held, heldRow{r: r, reason: kind})
		if len(t.held) > MaxTrailer {
			t.release()
		}
	}
}

// release gives the held rows as records: a record came after them, so
// they were inside the table. Totals and repeated headers stay set aside.
func (t *tableState) release() {
	for _, hr := range t.held {
		switch hr.reason {
		case ReasonTotal, ReasonHeader:
			t.setAside(hr.r.Num, hr.reason)
		default:
			t.record(hr.r)
		}
	}
	t.held = t.held[:0]
}

// record gives r to the sink as a record, after the range set aside
// above it.
func (t *tableState) record(r Row) {
	t.flushAside()
	t.add(r)
}

// setAside adds row num to the range being set aside, or starts a new one.
func (t *tableState) setAside(num int, reason string) {
	if t.aside.First > 0 && t.aside.Reason == reason {
		t.aside.Last = num
		return
	}
	t.flushAside()
	t.aside = SetAside{First: num, Last: num, Reason: reason}
}

func (t *tableState) flushAside() {
	if t.aside.First > 0 {
		t.sink.SetAside(t.o, t.aside)
		t.aside = SetAside{}
	}
}

// end sets aside the rows held at the end of the table: notes, sources and
// totals under it.
func (t *tableState) end() {
	for _, hr := range t.held {
		reason := hr.reason
		switch reason {
		case "note?":
			reason = ReasonNotes
		case "total?":
			reason = ReasonTotal
		}
		t.setAside(hr.r.Num, reason)
	}
	t.held = nil
	t.flushAside()
}

// RowsText names a range of rows in lang: "row 4", "rows 10 and 11",
// "rows 17–19".
func RowsText(cat *Catalogue, lang string, first, last int) string {
	return rangeText(cat, lang, first, last, "layout.rows.one", "layout.rows.two", "layout.rows.many")
}

// rangeText words rows first to last in lang with the catalogue key for
// one row, for two, or for more.
func rangeText(cat *Catalogue, lang string, first, last int, one, two, many string) string {
	p := map[string]string{"first": strconv.Itoa(first), "last": strconv.Itoa(last)}
	switch last - first {
	case 0:
		return cat.T(lang, one, p)
	case 1:
		return cat.T(lang, two, p)
	}
	return cat.T(lang, many, p)
}

// Text says in lang which rows were set aside and why: "rows 17–19: notes
// under the table".
func (s SetAside) Text(cat *Catalogue, lang string) string {
	return cat.T(lang, "layout.set-aside", map[string]string{
		"rows": RowsText(cat, lang, s.First, s.Last), "reason": cat.T(lang, "layout.reason."+s.Reason, nil)})
}

// HeaderText says in lang where a header block is: "header on row 3",
// "header on rows 3 and 4".
func HeaderText(cat *Catalogue, lang string, first, last int) string {
	return rangeText(cat, lang, first, last, "layout.header-one", "layout.header-two", "layout.header-many")
}

// SheetsRead says in lang which sheets were read for each source, one line
// per source: `Sheets read for the membership: "Fédéral", "Municipal"`.
func (r *Result) SheetsRead(cat *Catalogue, lang string) []string {
	var out []string
	done := map[string]bool{}
	for _, s := range r.Sheets {
		if done[s.Source] {
			continue
		}
		done[s.Source] = true
		var names []string
		for _, n := range r.SheetsOf(s.Source) {
			if lang == "fr" {
				names = append(names, "«\u00a0"+n+"\u00a0»")
			} else {
				names = append(names, strconv.Quote(n))
			}
		}
		out = append(out, cat.T(lang, "layout.sheets-read", map[string]string{
			"source": cat.T(lang, "source."+s.Source, nil), "list": strings.Join(names, ", "), "count": strconv.Itoa(len(names))}))
	}
	return out
}

// holdsEmail reports whether a cell of r holds an e-mail address: such a
// row is a record, however few its cells.
func holdsEmail(r Row) bool {
	for _, c := range r.Cells {
		if c.Value.Kind == String && strings.Contains(c.Value.Text, "@") && ValidEmail(c.Value.Trimmed()) {
			return true
		}
	}
	return false
}
