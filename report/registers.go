package report

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"copsync/validate"
)

// maxSheetName is the longest sheet name a spreadsheet program takes, in
// UTF-16 code units.
const maxSheetName = 31

// register is a sheet of a source copied into the report: the table read
// from it and the name of its register sheet.
type register struct {
	name   string
	source string
	t      validate.Table
}

// registerSheets returns the register sheets of the report, by source: one
// for each sheet read of the issues, the activities and (in a report that
// lists them) the members, in the order read. A source read from one sheet
// has its register under the sheet name of its role ("Members"); one read
// from several has a register for each, named after its role and its
// sheet ("Members – Fédéral"), within the length and the characters a
// sheet name allows and unlike every other sheet name.
func (b *book) registerSheets() map[string][]*register {
	used := map[string]bool{}
	for _, n := range b.names {
		used[strings.ToLower(n)] = true
	}
	out := map[string][]*register{}
	for _, src := range []struct {
		source string
		tables []validate.Table
	}{
		{validate.SourceIssues, b.in.Issues},
		{validate.SourceActivities, b.in.Activities},
		{validate.SourceMembers, b.in.Members},
	} {
		if src.source == validate.SourceMembers && (b.in.OmitMembers || b.in.WithoutPersonalData) {
			continue
		}
		var tables []validate.Table
		for _, t := range src.tables {
			if len(t.Header.Columns) > 0 {
				tables = append(tables, t)
			}
		}
		base := b.names[copySheets[src.source]]
		for _, t := range tables {
			name := base
			if len(tables) > 1 {
				name = uniqueSheetName(base+" – "+t.Origin.Sheet, used)
			}
			out[src.source] = append(out[src.source], &register{name: name, source: src.source, t: t})
		}
	}
	return out
}

// uniqueSheetName returns name as a sheet name: the characters a sheet
// name may not hold ([ ] : * ? / \) replaced by hyphens, the straight
// apostrophe (which may not begin or end one) by the typographic one, cut
// to the longest name allowed, and numbered when used (case aside) holds
// it; the name returned is added to used.
func uniqueSheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			return '-'
		case r == '\'':
			return '’'
		case r < ' ':
			return ' '
		}
		return r
	}, name)
	s := cutSheetName(name, "")
	for n := 2; used[strings.ToLower(s)]; n++ {
		s = cutSheetName(name, " ("+strconv.Itoa(n)+")")
	}
	used[strings.ToLower(s)] = true
	return s
}

// cutSheetName returns name followed by suffix, name cut (and ended by an
// ellipsis) so that the whole is not longer than a sheet name may be.
func cutSheetName(name, suffix string) string {
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if units(name)+units(suffix) <= maxSheetName {
		return name + suffix
	}
	r := []rune(name)
	for len(r) > 0 && units(string(r))+units("…"+suffix) > maxSheetName {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…" + suffix
}

// registerOf returns the register that holds the row of a finding: the
// register of the finding's source and sheet, or the only register of its
// source when either names no sheet; nil when the report holds none.
func (b *book) registerOf(f *validate.Finding) *register {
	regs := b.registers[f.Source]
	for _, reg := range regs {
		if reg.t.Origin.Sheet == f.Sheet {
			return reg
		}
	}
	if len(regs) == 1 && (f.Sheet == "" || regs[0].t.Origin.Sheet == "") {
		return regs[0]
	}
	return nil
}

// blankColumns returns the columns of a register whose cells the copy
// that leaves the secretariat leaves empty (its personal fields), by
// index; nil in the full report.
func (b *book) blankColumns(reg *register) []bool {
	if !b.in.WithoutPersonalData {
		return nil
	}
	personal := b.in.PersonalFields
	if personal == nil {
		personal = validate.DefaultPersonalFields()
	}
	var blank []bool
	for _, f := range personal[reg.source] {
		c := reg.t.Header.Col(f)
		if c < 0 {
			continue
		}
		for len(blank) <= c {
			blank = append(blank, false)
		}
		blank[c] = true
	}
	return blank
}

// blanked returns row with the cells of the columns in blank emptied: the
// row itself when it has none of them, else a copy in *scratch (reused
// from row to row), for the table's rows stay whole.
func blanked(row validate.Row, blank []bool, scratch *[]validate.Cell) validate.Row {
	copied := false
	for c := range min(len(blank), len(row.Cells)) {
		if !blank[c] || row.Cells[c].Value == (validate.Value{}) {
			continue
		}
		if !copied {
			*scratch = append((*scratch)[:0], row.Cells...)
			row.Cells, copied = *scratch, true
		}
		row.Cells[c].Value = validate.Value{}
	}
	return row
}

// tableName returns the name of the table of a sheet: made of the sheet
// name's letters (see tableName), and numbered when another table of the
// workbook has it.
func (b *book) tableName(sheet string) string {
	base := tableName(sheet)
	name := base
	for n := 2; b.tables[strings.ToLower(name)]; n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	b.tables[strings.ToLower(name)] = true
	return name
}
