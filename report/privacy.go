package report

import "copsync/validate"

// withoutPersonalData leaves the personal data out of the input, for the
// variant of the report that may leave the secretariat: the membership
// list goes, and the cells of a personal field in the copies of the other
// sheets are blanked (on copies of the tables: the caller's stay whole).
func (in *Input) withoutPersonalData() {
	in.Members = nil
	personal := in.PersonalFields
	if personal == nil {
		personal = validate.DefaultPersonalFields()
	}
	in.Issues = blankFields(in.Issues, personal[validate.SourceIssues])
	if in.Activities != nil {
		t := blankFields(*in.Activities, personal[validate.SourceActivities])
		in.Activities = &t
	}
}

// blankFields returns t with the cells of fields blanked, sharing t's rows
// when it has none of them.
func blankFields(t validate.Table, fields []string) validate.Table {
	var cols []int
	for _, f := range fields {
		if c := t.Header.Col(f); c >= 0 {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return t
	}
	rows := make([]validate.Row, len(t.Rows))
	for i, r := range t.Rows {
		cells := append([]validate.Cell(nil), r.Cells...)
		for _, c := range cols {
			if c < len(cells) {
				cells[c].Value = validate.Value{}
			}
		}
		rows[i] = validate.Row{Num: r.Num, Cells: cells}
	}
	t.Rows = rows
	return t
}
