package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"copsync/validate"
)

// openStarter opens a written starter workbook and returns it with its
// data sheet.
func openStarter(t *testing.T, path string) (*excelize.File, string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, f.GetSheetName(0)
}

var listRef = regexp.MustCompile(`^'((?:[^']|'')+)'!\$([A-Z]+)\$([0-9]+):\$([A-Z]+)\$([0-9]+)$`)

// dropDown returns the values of the drop-down list that covers cell.
func dropDown(t *testing.T, f *excelize.File, sheet, cell string) ([]string, *excelize.DataValidation) {
	t.Helper()
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range dvs {
		if dv.Type != "list" || !covers(dv.Sqref, cell) {
			continue
		}
		m := listRef.FindStringSubmatch(dv.Formula1)
		if m == nil {
			t.Fatalf("%s: list formula %q is not a sheet range", cell, dv.Formula1)
		}
		var out []string
		src := strings.ReplaceAll(m[1], "''", "'")
		var from, to int
		fmt.Sscan(m[3], &from)
		fmt.Sscan(m[5], &to)
		for r := from; r <= to; r++ {
			v, err := f.GetCellValue(src, fmt.Sprintf("%s%d", m[2], r))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out, dv
	}
	return nil, nil
}

// covers reports whether a range list ("B2:B1001 D5") holds cell.
func covers(sqref, cell string) bool {
	c, r, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		return false
	}
	for _, rng := range strings.Fields(sqref) {
		a, b, _ := strings.Cut(rng, ":")
		if b == "" {
			b = a
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 == nil && err2 == nil && c >= c1 && c <= c2 && r >= r1 && r <= r2 {
			return true
		}
	}
	return false
}

func TestStarters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	paths, err := WriteStarters(dir, catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if got := strings.Join(names, " "); got != "members.xlsx issues.xlsx activities.xlsx" {
		t.Fatalf("wrote %s", got)
	}
	schemas := validate.DefaultSchemas()
	rules := validate.DefaultRules()
	orders := validate.NewOrders(nil)
	// accepts says whether the validator takes a drop-down value, for the
	// list of each field.
	accepts := map[string]func(string) bool{
		validate.FieldJurisdiction: func(s string) bool { _, ok := validate.LookupJurisdiction(s); return ok },
		validate.FieldOrder:        func(s string) bool { _, ok := orders.Lookup(s); return ok },
		validate.FieldCriticality:  func(s string) bool { _, ok := rules.Levels.Lookup(s); return ok },
		validate.FieldIncidence:    func(s string) bool { _, ok := rules.Levels.Lookup(s); return ok },
		validate.FieldType:         func(s string) bool { _, ok := rules.ActivityTypes.Lookup(s); return ok },
	}
	for i, p := range paths {
		source := []string{validate.SourceMembers, validate.SourceIssues, validate.SourceActivities}[i]
		t.Run(source, func(t *testing.T) {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm()&0o600 != 0o600 {
				t.Errorf("permissions %v", st.Mode().Perm())
			}
			f, sheet := openStarter(t, p)
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows, want only the header", len(rows))
			}
			h, err := validate.DetectHeader(rows, schemas[source])
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range h.Columns {
				if c.Field == "" {
					t.Errorf("the validator does not recognise the title %q", c.Title)
				}
				if source != validate.SourceActivities && c.Field != validate.FieldIncidence && !strings.Contains(c.Title, " / ") {
					t.Errorf("title %q is not bilingual", c.Title)
				}
			}
			panes, err := f.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.TopLeftCell != "A2" {
				t.Errorf("header not frozen: %+v %v", panes, err)
			}
			dvs, err := f.GetDataValidations(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range h.Columns {
				title := validate.CellRef(c.Index, 1)
				prompted := false
				for _, dv := range dvs {
					if covers(dv.Sqref, title) && dv.ShowInputMessage && dv.Prompt != nil && *dv.Prompt != "" {
						prompted = true
						if n := utf8.RuneCountInString(*dv.Prompt); n > maxPrompt {
							t.Errorf("%s: input message of %d characters", title, n)
						}
						if n := utf8.RuneCountInString(deref(dv.PromptTitle)); n > maxPromptTitle {
							t.Errorf("%s: input title of %d characters", title, n)
						}
					}
				}
				if !prompted {
					t.Errorf("%s (%s) has no input message", title, c.Field)
				}
				values, dv := dropDown(t, f, sheet, validate.CellRef(c.Index, 2))
				ok := accepts[c.Field]
				if c.Field == validate.FieldStatus {
					ok = func(s string) bool { return true }
				}
				switch {
				case ok == nil && dv != nil:
					t.Errorf("%s has a drop-down list", c.Field)
				case ok != nil && dv == nil:
					t.Errorf("%s has no drop-down list", c.Field)
				case dv != nil:
					for _, v := range values {
						if v == "" || !ok(v) {
							t.Errorf("%s: the validator does not accept the listed value %q", c.Field, v)
						}
					}
					if !covers(dv.Sqref, validate.CellRef(c.Index, 1000)) {
						t.Errorf("%s: the list covers only %s", c.Field, dv.Sqref)
					}
				}
				if c.Field == validate.FieldJurisdiction {
					seen := map[string]bool{}
					for _, v := range values {
						j, _ := validate.LookupJurisdiction(v)
						seen[j.Code] = true
					}
					if len(seen) != 13 {
						t.Errorf("the province/territory list names %d of the 13", len(seen))
					}
				}
				if c.Field == validate.FieldStatus && source == validate.SourceMembers {
					active, inactive := 0, 0
					for _, v := range values {
						switch {
						case matchKey(v, rules.ActiveStatuses):
							active++
						case matchKey(v, rules.InactiveStatuses):
							inactive++
						default:
							t.Errorf("member status %q is neither active nor inactive", v)
						}
					}
					if active == 0 || inactive == 0 {
						t.Errorf("member statuses: %d active, %d inactive", active, inactive)
					}
				}
				if c.Field == validate.FieldStatus && source == validate.SourceIssues {
					closed := 0
					for _, v := range values {
						if matchKey(v, rules.ClosedStatuses) {
							closed++
						}
					}
					if closed == 0 || closed == len(values) {
						t.Errorf("issue statuses %v: %d closed", values, closed)
					}
				}
			}
		})
	}
}

func matchKey(s string, list []string) bool {
	for _, x := range list {
		if validate.Key(x) == validate.Key(s) {
			return true
		}
	}
	return false
}

// TestStarterFilledWithListedValuesValidates fills a starter membership row
// with values from its drop-down lists: the validator finds nothing wrong
// with the row.
func TestStarterFilledWithListedValuesValidates(t *testing.T) {
	dir := t.TempDir()
	paths, err := WriteStarters(dir, catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	f, sheet := openStarter(t, paths[0])
	rows, _ := f.GetRows(sheet)
	h, err := validate.DetectHeader(rows, validate.DefaultSchemas()[validate.SourceMembers])
	if err != nil {
		t.Fatal(err)
	}
	pick := func(field string, i int) validate.Value {
		values, _ := dropDown(t, f, sheet, validate.CellRef(h.Col(field), 2))
		return str(values[i%len(values)])
	}
	tbl := validate.Table{Origin: validate.Origin{Source: validate.SourceMembers, Path: paths[0], Sheet: sheet}, Header: h}
	for i := range 2 {
		r := validate.Row{Num: i + 2, Cells: make([]validate.Cell, len(h.Columns))}
		set := func(field string, v validate.Value) {
			r.Cells[h.Col(field)] = validate.Cell{Ref: validate.CellRef(h.Col(field), r.Num), Value: v}
		}
		set(validate.FieldName, str(fmt.Sprintf("Person %d", i)))
		set(validate.FieldEmail, str(fmt.Sprintf("person%d@example.ca", i)))
		set(validate.FieldOrganization, str("Service Nova Scotia"))
		set(validate.FieldOrder, pick(validate.FieldOrder, 2)) // Provincial/territorial
		set(validate.FieldJurisdiction, pick(validate.FieldJurisdiction, 5+i))
		set(validate.FieldStatus, pick(validate.FieldStatus, i))
		tbl.Rows = append(tbl.Rows, r)
	}
	res := validate.Check(validate.DefaultRules(), catalogue(t), tbl)
	for _, fd := range res.Findings {
		if fd.Row > 0 {
			t.Errorf("finding on a row filled from the lists: %s %s", fd.Code, fd.Text(catalogue(t), "en", validate.Disclose))
		}
	}
	if res.Summary.MembersActive != 2 {
		t.Errorf("active members = %d, want 2", res.Summary.MembersActive)
	}
}

// TestStartersRefuseToOverwrite checks that init writes nothing when any of
// its files exists.
func TestStartersRefuseToOverwrite(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "issues.xlsx")
	if err := os.WriteFile(mine, []byte("the secretariat's own register"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := WriteStarters(dir, catalogue(t))
	if !errors.Is(err, ErrExists) || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if !strings.Contains(err.Error(), mine) {
		t.Errorf("error %q does not name %s", err, mine)
	}
	if data, _ := os.ReadFile(mine); !bytes.Equal(data, []byte("the secretariat's own register")) {
		t.Error("the existing file changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the existing file", len(entries))
	}

	// A second init over a complete set changes nothing either.
	dir2 := t.TempDir()
	paths, err := WriteStarters(dir2, catalogue(t))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(paths[0])
	if _, err := WriteStarters(dir2, catalogue(t)); !errors.Is(err, ErrExists) {
		t.Fatalf("second init: err = %v", err)
	}
	after, _ := os.ReadFile(paths[0])
	if !bytes.Equal(before, after) {
		t.Error("a refused init changed a starter workbook")
	}
}
