package sheetstest

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"google.golang.org/api/sheets/v4"

	"copsync/sync/internal/numfmt"
)

// FromXLSX returns the spreadsheet Google Sheets makes of an .xlsx workbook
// it imports, to be served with id: every worksheet becomes a tab (the first
// with gid 0), text stays text, numbers and booleans keep their type, a
// date-formatted number becomes a number with a DATE (or TIME, DATE_TIME)
// number format and its formatted text, a formula keeps its cached value, an
// error cell becomes an error value, and merged cells stay merged.
func FromXLSX(path, id string) (*sheets.Spreadsheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	var tabs []*sheets.Sheet
	for _, name := range f.GetSheetList() {
		if _, err := f.GetSheetDimension(name); err != nil {
			continue // a chartsheet
		}
		gid := int64(0)
		if len(tabs) > 0 {
			h := fnv.New32a()
			_, _ = h.Write([]byte(name))
			gid = int64(h.Sum32() & 0x7fffffff)
		}
		rows, err := sheetRows(f, name, date1904)
		if err != nil {
			return nil, fmt.Errorf("read %s, sheet %q: %w", path, name, err)
		}
		tab := Tab(gid, name, rows...)
		merges, err := f.GetMergeCells(name, true)
		if err != nil {
			return nil, fmt.Errorf("read %s, sheet %q: %w", path, name, err)
		}
		for _, m := range merges {
			Merge(tab, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		tabs = append(tabs, tab)
	}
	title := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return Book(id, title, tabs...), nil
}

// sheetRows returns a sheet's cells as Tab takes them.
func sheetRows(f *excelize.File, sheet string, date1904 bool) ([][]any, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]any
	for n := 1; it.Next(); n++ {
		raw, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		row := make([]any, len(raw))
		for i, s := range raw {
			if s == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, n)
			c, err := cell(f, sheet, ref, s, date1904)
			if err != nil {
				return nil, fmt.Errorf("cell %s: %w", ref, err)
			}
			row[i] = c
		}
		out = append(out, row)
	}
	return out, it.Error()
}

// cell returns the Google cell of a workbook cell whose raw value is raw.
func cell(f *excelize.File, sheet, ref, raw string, date1904 bool) (*sheets.CellData, error) {
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		return nil, err
	}
	formatted, err := f.GetCellValue(sheet, ref)
	if err != nil {
		return nil, err
	}
	switch typ {
	case excelize.CellTypeBool:
		c := Cell(raw == "1" || strings.EqualFold(raw, "true"))
		return c, nil
	case excelize.CellTypeError:
		c := Cell(Err(raw))
		return c, nil
	case excelize.CellTypeDate:
		// A date stored as ISO 8601 text (t="d"): Google imports the
		// date, a number in a date format.
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(raw))
		if err != nil {
			if t, err = time.Parse("2006-01-02T15:04:05", strings.TrimSpace(raw)); err != nil {
				if t, err = time.Parse(time.DateOnly, strings.TrimSpace(raw)); err != nil {
					c := Cell(raw)
					c.FormattedValue = formatted
					return c, nil
				}
			}
		}
		c := Cell(Serial(t))
		c.FormattedValue = formatted
		typ, pattern := "DATE", "yyyy-mm-dd"
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
			typ, pattern = "DATE_TIME", "yyyy-mm-dd hh:mm:ss"
		}
		c.EffectiveFormat = &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: typ, Pattern: pattern}}
		return c, nil
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		c := Cell(raw)
		c.FormattedValue = formatted
		return c, nil
	}
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return Cell(raw), nil
	}
	nf, err := numberFormat(f, sheet, ref)
	if err != nil {
		return nil, err
	}
	if nf != nil && date1904 && (nf.Type == "DATE" || nf.Type == "DATE_TIME") {
		n += 1462 // Google counts every date from 1899-12-30
	}
	c := Cell(n)
	c.FormattedValue = formatted
	if nf != nil {
		c.EffectiveFormat = &sheets.CellFormat{NumberFormat: nf}
	}
	return c, nil
}

// builtInFormats are the codes of Excel's built-in date and time formats.
var builtInFormats = map[int]string{
	14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0",
	9: "0%", 10: "0.00%", 11: "0.00E+00",
}

// numberFormat returns the Google number format of a cell's style, nil for
// the general format.
func numberFormat(f *excelize.File, sheet, ref string) (*sheets.NumberFormat, error) {
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil || id == 0 {
		return nil, err
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return nil, err
	}
	code := ""
	if st.CustomNumFmt != nil {
		code = *st.CustomNumFmt
	} else {
		code = builtInFormats[st.NumFmt]
	}
	if code == "" || strings.EqualFold(code, "general") {
		return nil, nil
	}
	return &sheets.NumberFormat{Type: formatType(code), Pattern: code}, nil
}

// formatType classifies a number format code as Google's NumberFormat types
// do: dates and times as the .xlsx readers classify them (numfmt), then
// percentages, scientific and currency formats.
func formatType(code string) string {
	if f := numfmt.Parse(code); f.Kind == numfmt.Date {
		switch {
		case f.Date && f.Clock:
			return "DATE_TIME"
		case f.Date:
			return "DATE"
		}
		return "TIME"
	}
	var b strings.Builder
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			b.WriteByte(c | 0x20)
		}
	}
	s := b.String()
	switch {
	case strings.Contains(s, "%"):
		return "PERCENT"
	case strings.Contains(s, "e+") || strings.Contains(s, "e-"):
		return "SCIENTIFIC"
	case strings.ContainsAny(code, "$€£¥"):
		return "CURRENCY"
	}
	return "NUMBER"
}
