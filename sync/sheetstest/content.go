package sheetstest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/sheets/v4"
)

// Book returns a spreadsheet with the given tabs, numbered in order.
func Book(id, title string, tabs ...*sheets.Sheet) *sheets.Spreadsheet {
	ss := &sheets.Spreadsheet{
		SpreadsheetId:  id,
		SpreadsheetUrl: "https://docs.google.com/spreadsheets/d/" + id + "/edit",
		Properties: &sheets.SpreadsheetProperties{
			Title:      title,
			Locale:     "en_CA",
			TimeZone:   "America/Toronto",
			AutoRecalc: "ON_CHANGE",
		},
		Sheets: tabs,
	}
	for i, t := range tabs {
		t.Properties.Index = int64(i)
	}
	return ss
}

// Err is a cell holding a formula error, written as a spreadsheet shows it:
// "#N/A", "#DIV/0!", "#REF!".
type Err string

// Tab returns a tab (sheet) whose rows hold the given values, from column A
// and row 1. A value is a string, a number (any integer or float type), a
// bool, a time.Time (a date: a serial number formatted as a date, as Google
// stores dates), an Err, nil for an empty cell, or a *sheets.CellData used
// as is.
func Tab(gid int64, title string, rows ...[]any) *sheets.Sheet {
	data := &sheets.GridData{}
	cols := 0
	for _, r := range rows {
		rd := &sheets.RowData{}
		for _, v := range r {
			rd.Values = append(rd.Values, Cell(v))
		}
		cols = max(cols, len(r))
		data.RowData = append(data.RowData, rd)
	}
	return &sheets.Sheet{
		Properties: &sheets.SheetProperties{
			SheetId:   gid,
			Title:     title,
			SheetType: "GRID",
			GridProperties: &sheets.GridProperties{
				RowCount:    int64(max(1000, len(rows))),
				ColumnCount: int64(max(26, cols)),
			},
			ForceSendFields: []string{"SheetId", "Index"},
		},
		Data: []*sheets.GridData{data},
	}
}

// Merge adds merged ranges, in A1 notation ("A1:D1"), to a tab.
func Merge(tab *sheets.Sheet, ranges ...string) *sheets.Sheet {
	for _, r := range ranges {
		g, err := parseA1(r)
		if err != nil {
			panic(fmt.Sprintf("sheetstest.Merge(%q): %v", r, err))
		}
		g.SheetId = tab.Properties.SheetId
		tab.Merges = append(tab.Merges, g)
	}
	return tab
}

// epoch is day 0 of Google's (and Excel's modern) serial dates.
var epoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Serial returns the serial number Google stores for a date and time (days
// since 30 December 1899, the fraction being the time of day).
func Serial(t time.Time) float64 {
	t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return float64(t.Unix()-epoch.Unix()) / 86400
}

// Cell returns the cell of a value, as Tab takes them.
func Cell(v any) *sheets.CellData {
	switch v := v.(type) {
	case nil:
		return &sheets.CellData{}
	case *sheets.CellData:
		return v
	case string:
		if v == "" {
			return &sheets.CellData{}
		}
		return &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{StringValue: &v}, FormattedValue: v}
	case bool:
		f := "FALSE"
		if v {
			f = "TRUE"
		}
		return &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{BoolValue: &v}, FormattedValue: f}
	case time.Time:
		n := Serial(v)
		pattern, layout, typ := "yyyy-mm-dd", "2006-01-02", "DATE"
		if v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 {
			pattern, layout, typ = "yyyy-mm-dd hh:mm:ss", "2006-01-02 15:04:05", "DATE_TIME"
		}
		return &sheets.CellData{
			EffectiveValue:  &sheets.ExtendedValue{NumberValue: &n},
			FormattedValue:  v.Format(layout),
			EffectiveFormat: &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: typ, Pattern: pattern}},
		}
	case Err:
		return &sheets.CellData{
			EffectiveValue: &sheets.ExtendedValue{ErrorValue: &sheets.ErrorValue{Type: errorType(string(v)), Message: "Error in formula"}},
			FormattedValue: string(v),
		}
	case float64:
		return number(v)
	case float32:
		return number(float64(v))
	case int:
		return number(float64(v))
	case int64:
		return number(float64(v))
	case int32:
		return number(float64(v))
	}
	panic(fmt.Sprintf("sheetstest.Cell: unsupported value of type %T", v))
}

func number(n float64) *sheets.CellData {
	return &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{NumberValue: &n}, FormattedValue: General(n)}
}

// General returns a number as a spreadsheet shows it in the general
// format: in full, up to 15 significant digits.
func General(n float64) string {
	s := strconv.FormatFloat(n, 'f', -1, 64)
	digits := strings.Trim(strings.NewReplacer("-", "", ".", "").Replace(s), "0")
	if len(digits) > 15 {
		s = strconv.FormatFloat(n, 'G', 15, 64)
	}
	return s
}

// errorType returns the API's name of a spreadsheet error ("#N/A" → N_A).
func errorType(text string) string {
	switch strings.ToUpper(text) {
	case "#NULL!":
		return "NULL_VALUE"
	case "#DIV/0!":
		return "DIVIDE_BY_ZERO"
	case "#VALUE!":
		return "VALUE"
	case "#REF!":
		return "REF"
	case "#NAME?":
		return "NAME"
	case "#NUM!":
		return "NUM"
	case "#N/A":
		return "N_A"
	}
	return "ERROR"
}

// parseA1 parses a range of cells in A1 notation ("B2:D10", "A:C", "3:5",
// "C4") into a grid range; an open end is 0.
func parseA1(s string) (*sheets.GridRange, error) {
	from, to, isRange := strings.Cut(s, ":")
	c1, r1, err := parseRef(from)
	if err != nil {
		return nil, err
	}
	c2, r2 := c1, r1
	if isRange {
		if c2, r2, err = parseRef(to); err != nil {
			return nil, err
		}
	}
	g := &sheets.GridRange{}
	if c1 > 0 {
		g.StartColumnIndex = int64(c1 - 1)
	}
	if r1 > 0 {
		g.StartRowIndex = int64(r1 - 1)
	}
	if c2 > 0 {
		g.EndColumnIndex = int64(c2)
	}
	if r2 > 0 {
		g.EndRowIndex = int64(r2)
	}
	if g.EndColumnIndex > 0 && g.EndColumnIndex <= g.StartColumnIndex || g.EndRowIndex > 0 && g.EndRowIndex <= g.StartRowIndex {
		return nil, fmt.Errorf("range %q ends before it starts", s)
	}
	return g, nil
}

// parseRef parses "B12", "B" or "12" into a 1-based column and row (0 when
// absent).
func parseRef(s string) (col, row int, err error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "$", "")
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		c := s[i] &^ 0x20
		col = col*26 + int(c-'A'+1)
		i++
		if col > 18278 {
			return 0, 0, fmt.Errorf("column out of range in %q", s)
		}
	}
	if i < len(s) {
		if row, err = strconv.Atoi(s[i:]); err != nil || row < 1 {
			return 0, 0, fmt.Errorf("bad cell reference %q", s)
		}
	}
	if col == 0 && row == 0 {
		return 0, 0, fmt.Errorf("bad cell reference %q", s)
	}
	return col, row, nil
}
