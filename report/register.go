package report

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"copsync/validate"
)

// missingCodes are the finding codes that name an empty cell that should
// hold a value.
var missingCodes = map[string]bool{
	validate.CodeMemberFieldMissing:        true,
	validate.CodeMemberJurisdictionMissing: true,
	validate.CodeIssueIncomplete:           true,
	validate.CodeIssueTextMissing:          true,
	validate.CodeRuleRequired:              true,
}

// dateFields are the fields whose values are dates.
var dateFields = map[string]bool{
	validate.FieldJoined:     true,
	validate.FieldTargetDate: true,
	validate.FieldDate:       true,
}

// mark is what the findings say of one source cell.
type mark struct {
	missing bool
	sev     validate.Severity
	field   string
}

// cellAt is the place of a cell: its 0-based column and its row.
type cellAt struct{ col, row int }

// parseRef returns the place of an A1 address (upper-case letters, then a
// row number without leading zeros), and false when ref is not one.
func parseRef(ref string) (cellAt, bool) {
	i, col := 0, 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3 {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || i == len(ref) || ref[i] == '0' {
		return cellAt{}, false
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || row <= 0 || strconv.Itoa(row) != ref[i:] {
		return cellAt{}, false
	}
	return cellAt{col - 1, row}, true
}

// marks returns the findings of a register's sheet by row, and what they
// say of each cell, by place.
func (b *book) marks(reg *register) (byRow map[int][]*validate.Finding, cells map[cellAt]mark) {
	byRow, cells = map[int][]*validate.Finding{}, map[cellAt]mark{}
	findings := b.in.Result.Findings
	for i := range findings {
		f := &findings[i]
		if f.Row <= 0 || b.registerOf(f) != reg {
			continue
		}
		byRow[f.Row] = append(byRow[f.Row], f)
		refs, fields := []string{f.Cell}, []string{f.Field}
		if f.Code == validate.CodeIssueIncomplete {
			refs, fields = strings.Split(f.Key, ","), strings.Split(f.Field, ",")
		}
		for i, c := range refs {
			at, ok := parseRef(strings.TrimSpace(c))
			if !ok {
				continue
			}
			m := cells[at]
			m.missing = m.missing || missingCodes[f.Code]
			m.sev = max(m.sev, f.Severity)
			if i < len(fields) && m.field == "" {
				m.field = fields[i]
			}
			cells[at] = m
		}
	}
	return byRow, cells
}

// severityLook returns the fill of a cell that a finding of severity s
// names.
func severityLook(s validate.Severity) look {
	switch s {
	case validate.Error:
		return look{fill: colourRed, font: colourRedText}
	case validate.Warning:
		return look{fill: colourAmber, font: colourAmberText}
	}
	return look{fill: colourBlue, font: colourBlueText}
}

// register writes a sheet read from a source as an Excel table whose
// cells keep their addresses in the source: the cell a finding calls C5 is
// C5 here too. After the source's columns come the source row number (a
// link to the row in the source), the missing values and the row's
// findings. Cells that a finding of that sheet names are filled by
// severity; a missing value is also marked with a word. A header below row
// 1 leaves room for a caption naming the source.
func (b *book) register(reg *register) {
	s := b.sheetNamed(copySheets[reg.source], reg.name)
	byRow, cells := b.marks(reg)
	t := sortedRows(reg.t)
	blank := b.blankColumns(reg)
	name := b.tableName(s)
	b.streamed(s, func() { b.registerRows(s, name, t, reg.source, blank, byRow, cells) })
}

// sortedRows returns t with its rows in the order of their numbers, as a
// stream writes them: t itself when they are (a sheet is read in order).
func sortedRows(t validate.Table) validate.Table {
	byNum := func(a, b validate.Row) int { return cmp.Compare(a.Num, b.Num) }
	if slices.IsSortedFunc(t.Rows, byNum) && (t.Store == nil || len(t.Rows) == 0 && t.Store.Sorted()) {
		return t
	}
	rows := make([]validate.Row, 0, t.Len())
	for r := range t.All() {
		rows = append(rows, validate.Row{Num: r.Num, Cells: slices.Clone(r.Cells)})
	}
	slices.SortStableFunc(rows, byNum)
	t.Rows, t.Store = rows, nil
	return t
}

// width returns the number of columns of a table: every column up to the
// last one with a title or a value.
func width(t validate.Table) int {
	n := 0
	for _, c := range t.Header.Columns {
		n = max(n, c.Index+1)
	}
	if t.Store != nil {
		n = max(n, t.Store.Width())
	}
	for _, row := range t.Rows {
		for i := len(row.Cells) - 1; i >= n; i-- {
			if !row.Cells[i].Value.IsBlank() {
				n = i + 1
				break
			}
		}
	}
	return n
}

// registerRows writes the rows of a register sheet.
// The cells of the columns in blank are left empty (personal data, in the
// copy that leaves the secretariat).
func (b *book) registerRows(s, name string, t validate.Table, source string, blank []bool, byRow map[int][]*validate.Finding, cells map[cellAt]mark) {
	head := max(t.Header.Row, 1)
	if head > 1 {
		key := "report.register.source"
		if t.Origin.Kind == "gsheets" {
			key = "report.register.source_google"
		}
		b.flow(s, 0, 1, b.join("\n", func(l string) string {
			return b.t(l, key, map[string]string{
				"file": filepath.Base(t.Origin.Path), "sheet": t.Origin.Sheet, "date": b.prose(l, b.in.RunDate)})
		}), lookNote)
	}

	// The columns: every column up to the last one with a title or data.
	titles := map[int]string{}
	fields := map[int]string{}
	for _, c := range t.Header.Columns {
		titles[c.Index], fields[c.Index] = c.Title, c.Field
	}
	ncols := width(t)
	var names []string
	for c := range ncols {
		title := titles[c]
		if title == "" {
			title = b.label("report.col.column", map[string]string{"column": validate.ColumnName(c)})
		}
		names = append(names, title)
	}
	rowCol, missingCol, findingsCol := ncols, ncols+1, ncols+2
	names = append(names, b.label("report.col.row", nil), b.label("report.col.missing", nil), b.label("report.col.row_findings", nil))
	b.header(s, head, names)

	tip := b.label("report.value.open_cell", nil)
	marker := b.label("report.value.missing", nil)
	last := head
	var scratch []validate.Cell
	for row := range t.All() {
		if b.stopped() {
			return
		}
		row = blanked(row, blank, &scratch)
		if row.IsBlank() || row.Num <= head {
			continue
		}
		r := row.Num
		last = max(last, r)
		var missing []string
		for c := range ncols {
			var cell validate.Cell
			if c < len(row.Cells) {
				cell = row.Cells[c]
			}
			at := cellAt{c, r}
			if cell.Ref != "" {
				// Its own address, or a merge's top-left cell, which the
				// findings about its value name.
				at, _ = parseRef(cell.Ref)
			}
			m, marked := cells[at]
			l := look{top: true}
			if marked {
				l = severityLook(m.sev)
				l.top = true
			}
			if marked && m.missing && cell.Value.IsBlank() {
				l.italic = true
				b.str(s, c, r, marker, l)
				f := m.field
				if f == "" {
					f = fields[c]
				}
				missing = append(missing, f)
				continue
			}
			b.value(s, c, r, cell.Value, dateFields[fields[c]], t.Origin.Date1904, l)
		}
		if link := t.Origin.Link(validate.CellRef(0, row.Num)); strings.HasPrefix(link, "https://") {
			b.num(s, rowCol, r, float64(row.Num), look{underline: true, font: colourLink, top: true, center: true})
			b.link(s, rowCol, r, link, false, tip)
		} else {
			b.num(s, rowCol, r, float64(row.Num), look{top: true, center: true})
		}
		if len(missing) > 0 {
			b.str(s, missingCol, r, b.join(" / ", func(l string) string {
				names := make([]string, len(missing))
				for i, f := range missing {
					names[i] = b.fieldName(l, f)
				}
				return capital(strings.Join(names, ", "))
			}), look{top: true, wrap: true})
		}
		var msgs []string
		for _, f := range byRow[row.Num] {
			msgs = append(msgs, b.join("\n", func(l string) string { return f.Text(b.cat, l, b.in.disclosure()) }))
		}
		if len(msgs) > 0 {
			b.str(s, findingsCol, r, strings.Join(msgs, "\n"), look{wrap: true, top: true})
		}
	}
	b.table(s, name, head, len(names), last)
	// The rows of the source that were set aside, under the table.
	for _, sh := range b.in.Result.Sheets {
		if sh.Source != source || sh.Sheet != t.Origin.Sheet {
			continue
		}
		for i, sa := range sh.SetAside {
			b.flow(s, 0, last+2+i, b.join(" / ", func(l string) string { return sa.Text(b.cat, l) }), lookNote)
		}
	}
}

// fieldName returns the name of a field in lang, from the catalogue when it
// has one.
func (b *book) fieldName(lang, field string) string {
	if field == "" {
		return ""
	}
	if b.cat.Has("field." + field) {
		return b.t(lang, "field."+field, nil)
	}
	return field
}

// issues writes the Issues sheet: the issues register as read, one sheet
// for each sheet read.
func (b *book) issues() {
	if len(b.registers[validate.SourceIssues]) == 0 {
		s := b.sheet("issues")
		b.str(s, 0, 1, b.para("report.issues.none", nil), lookNote)
		return
	}
	for _, reg := range b.registers[validate.SourceIssues] {
		b.register(reg)
	}
}

// activitiesSheet writes the Activities sheet: the activities sheet as
// read, when one was, one sheet for each sheet read.
func (b *book) activitiesSheet() {
	for _, reg := range b.registers[validate.SourceActivities] {
		b.register(reg)
	}
}

// members writes the Members sheet: the membership as read, one sheet for
// each sheet read, or a note that it is left out.
func (b *book) members() {
	switch {
	case b.in.OmitMembers:
		b.str(b.sheet("members"), 0, 1, b.para("report.members.omitted", nil), lookNote)
	case len(b.registers[validate.SourceMembers]) == 0:
		b.str(b.sheet("members"), 0, 1, b.para("report.members.none", nil), lookNote)
	default:
		for _, reg := range b.registers[validate.SourceMembers] {
			b.register(reg)
		}
	}
}
