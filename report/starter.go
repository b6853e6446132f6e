package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"copsync/templates"
	"copsync/validate"
)

// StarterPerm is the permission of a starter workbook.
const StarterPerm os.FileMode = 0o644

// ErrExists is returned by WriteStarters when a starter workbook is already
// there: copsync init never overwrites a file. It matches fs.ErrExist.
var ErrExists = fmt.Errorf("will not overwrite: %w", fs.ErrExist)

// starterDefs is the definition of the starter workbooks, embedded as
// templates/files/starter/starter.json.
type starterDefs struct {
	// Lists are the values of each drop-down list, by name.
	Lists     map[string][]string `json:"lists"`
	Workbooks []starterBook       `json:"workbooks"`
}

// starterBook is one starter workbook: its file name, the source it is
// for, the catalogue key of its sheet name, how many rows get the drop-down
// lists, and its columns.
type starterBook struct {
	File    string          `json:"file"`
	Source  string          `json:"source"`
	Sheet   string          `json:"sheet"`
	Rows    int             `json:"rows"`
	Columns []starterColumn `json:"columns"`
}

// starterColumn is one column: its field, width, drop-down list, and
// whether it holds dates or long text.
type starterColumn struct {
	Field string  `json:"field"`
	Width float64 `json:"width"`
	List  string  `json:"list"`
	Date  bool    `json:"date"`
	Wrap  bool    `json:"wrap"`
}

// The most characters a data-validation message and its title may hold.
const (
	maxPrompt      = 255
	maxPromptTitle = 32
)

// loadStarters reads and checks the starter definitions.
func loadStarters() (*starterDefs, error) {
	data, err := fs.ReadFile(templates.Files(), "starter/starter.json")
	if err != nil {
		return nil, fmt.Errorf("read starter definitions: %w", err)
	}
	var d starterDefs
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("parse starter definitions: %w", err)
	}
	schemas := validate.DefaultSchemas()
	for _, wb := range d.Workbooks {
		if wb.File == "" || wb.File != filepath.Base(wb.File) || !strings.HasSuffix(wb.File, ".xlsx") {
			return nil, fmt.Errorf("starter definitions: bad file name %q", wb.File)
		}
		schema, ok := schemas[wb.Source]
		if !ok {
			return nil, fmt.Errorf("starter definitions: %s: unknown source %q", wb.File, wb.Source)
		}
		for _, c := range wb.Columns {
			if _, ok := schema.Field(c.Field); !ok {
				return nil, fmt.Errorf("starter definitions: %s: %s has no field %q", wb.File, wb.Source, c.Field)
			}
			if c.List != "" && len(d.Lists[c.List]) == 0 {
				return nil, fmt.Errorf("starter definitions: %s: column %s: no list %q", wb.File, c.Field, c.List)
			}
		}
	}
	return &d, nil
}

// WriteStarters writes the blank starter workbooks (membership, issues,
// activities) into dir, creating it when needed, and returns their paths.
// Each has bilingual column titles, an input message on each title,
// drop-down lists for the columns that take listed values, date checks on
// date columns, and a frozen header row. It writes nothing when any of
// them already exists, and returns an error matching ErrExists.
func WriteStarters(dir string, cat *validate.Catalogue) ([]string, error) {
	if cat == nil {
		return nil, errors.New("write starter workbooks: no message catalogue")
	}
	d, err := loadStarters()
	if err != nil {
		return nil, err
	}
	var paths, existing []string
	for _, wb := range d.Workbooks {
		p := filepath.Join(dir, wb.File)
		paths = append(paths, p)
		if _, err := os.Lstat(p); err == nil {
			existing = append(existing, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("check %s: %w", p, err)
		}
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrExists, strings.Join(existing, ", "))
	}
	now := time.Now().UTC()
	for i, wb := range d.Workbooks {
		f, err := buildStarter(d, wb, cat, now)
		if err != nil {
			return paths[:i], fmt.Errorf("build %s: %w", wb.File, err)
		}
		err = writeFile(context.Background(), paths[i], StarterPerm, func(w io.Writer) error {
			_, err := f.WriteTo(w)
			return err
		})
		f.Close()
		if err != nil {
			return paths[:i], fmt.Errorf("write %s: %w", paths[i], err)
		}
	}
	return paths, nil
}

// bilingual returns a catalogue text in English and French, joined by sep,
// or once when both are the same.
func bilingual(cat *validate.Catalogue, key, sep string) string {
	en, fr := cat.Both(key, nil)
	if en == fr {
		return en
	}
	return en + sep + fr
}

// buildStarter builds one starter workbook.
func buildStarter(d *starterDefs, wb starterBook, cat *validate.Catalogue, now time.Time) (f *excelize.File, err error) {
	f = excelize.NewFile()
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	sheet := bilingual(cat, wb.Sheet, " - ")
	lists := bilingual(cat, "starter.sheet.lists", " - ")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourHeader}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border: []excelize.Border{
			{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
			{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
		},
	})
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	wrapStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	listTitle, listMsg := bilingual(cat, "starter.list.invalid.title", " / "), bilingual(cat, "starter.list.invalid", "\n")
	dateTitle, dateMsg := bilingual(cat, "starter.date.invalid.title", " / "), bilingual(cat, "starter.date.invalid", "\n")
	if utf8.RuneCountInString(listTitle) > maxPromptTitle {
		listTitle = truncate(listTitle, maxPromptTitle)
	}

	// The lists sheet: one column per list the workbook uses.
	listCol := map[string]int{}
	var listOrder []string
	users := map[string][]string{} // list → the fields that use it
	for _, c := range wb.Columns {
		if c.List == "" {
			continue
		}
		if _, ok := listCol[c.List]; !ok {
			listCol[c.List] = len(listOrder)
			listOrder = append(listOrder, c.List)
		}
		users[c.List] = append(users[c.List], c.Field)
	}
	const listHead = 3
	if len(listOrder) > 0 {
		if _, err := f.NewSheet(lists); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(lists, "A1", bilingual(cat, "starter.lists.note", "\n")); err != nil {
			return nil, err
		}
		if err := f.SetRowHeight(lists, 1, 30); err != nil {
			return nil, err
		}
		for i, name := range listOrder {
			col := validate.ColumnName(i)
			title := func(lang string) string {
				var t []string
				for _, field := range users[name] {
					t = append(t, cat.T(lang, "header."+wb.Source+"."+field, nil))
				}
				return strings.Join(t, ", ")
			}
			h := title("en")
			if fr := title("fr"); fr != h {
				h += " / " + fr
			}
			cell := fmt.Sprintf("%s%d", col, listHead)
			if err := f.SetCellStr(lists, cell, h); err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(lists, cell, cell, head); err != nil {
				return nil, err
			}
			for j, v := range d.Lists[name] {
				if err := f.SetCellStr(lists, fmt.Sprintf("%s%d", col, listHead+1+j), v); err != nil {
					return nil, err
				}
			}
			if err := f.SetColWidth(lists, col, col, 34); err != nil {
				return nil, err
			}
		}
		if err := f.SetRowHeight(lists, listHead, 32); err != nil {
			return nil, err
		}
	}

	// The data sheet.
	last := wb.Rows + 1
	for i, c := range wb.Columns {
		col := validate.ColumnName(i)
		title := bilingual(cat, "header."+wb.Source+"."+c.Field, " / ")
		prompt := bilingual(cat, "starter.prompt."+wb.Source+"."+c.Field, "\n")
		promptTitle := title
		if utf8.RuneCountInString(promptTitle) > maxPromptTitle {
			promptTitle = truncate(cat.T("en", "header."+wb.Source+"."+c.Field, nil), maxPromptTitle)
		}
		if utf8.RuneCountInString(prompt) > maxPrompt {
			return nil, fmt.Errorf("column %s: the input message has more than %d characters", c.Field, maxPrompt)
		}
		if err := f.SetColWidth(sheet, col, col, c.Width); err != nil {
			return nil, err
		}
		switch {
		case c.Date:
			err = f.SetColStyle(sheet, col, dateStyle)
		case c.Wrap:
			err = f.SetColStyle(sheet, col, wrapStyle)
		}
		if err != nil {
			return nil, err
		}
		cell := col + "1"
		if err := f.SetCellStr(sheet, cell, title); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sheet, cell, cell, head); err != nil {
			return nil, err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cell
		dv.SetInput(promptTitle, prompt)
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Field, err)
		}
		data := fmt.Sprintf("%s2:%s%d", col, col, last)
		switch {
		case c.List != "":
			lc := validate.ColumnName(listCol[c.List])
			dv := excelize.NewDataValidation(true)
			dv.Sqref = data
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(lists), lc, listHead+1, lc, listHead+len(d.Lists[c.List])))
			dv.SetInput(promptTitle, prompt)
			dv.SetError(excelize.DataValidationErrorStyleWarning, listTitle, listMsg)
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return nil, fmt.Errorf("column %s: %w", c.Field, err)
			}
		case c.Date:
			dv := excelize.NewDataValidation(true)
			dv.Sqref = data
			if err := dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
				return nil, err
			}
			dv.SetInput(promptTitle, prompt)
			dv.SetError(excelize.DataValidationErrorStyleWarning, truncate(dateTitle, maxPromptTitle), dateMsg)
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return nil, fmt.Errorf("column %s: %w", c.Field, err)
			}
		}
	}
	if err := f.SetRowHeight(sheet, 1, 32); err != nil {
		return nil, err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return nil, err
	}
	created := now.Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          sheet,
		Creator:        "copsync",
		LastModifiedBy: "copsync",
		Created:        created,
		Modified:       created,
		Language:       "en-CA, fr-CA",
	}); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}
