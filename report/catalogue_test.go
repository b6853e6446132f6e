package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"copsync/validate"
)

// variedInputs returns inputs that between them take every path of the
// builder: with and without members, issues, activities, co-chairs and
// community names, and with an order of government beyond the default three.
func variedInputs(t *testing.T) []Input {
	t.Helper()
	var ins []Input
	for _, lang := range []string{"en", "fr", "both"} {
		ins = append(ins, exampleInput(t, lang))

		bare := exampleInput(t, lang)
		bare.Community = Community{}
		bare.OmitMembers = true
		bare.Issues = nil
		bare.Result = &validate.Result{}
		ins = append(ins, bare)

		captioned := exampleInput(t, lang)
		captioned.Issues[0].Header.Row = 2
		for i := range captioned.Issues[0].Rows {
			captioned.Issues[0].Rows[i].Num++
		}
		ins = append(ins, captioned)

		covered := exampleInput(t, lang)
		covered.Result.Summary.JurisdictionsMissing = nil
		ins = append(ins, covered)

		noHeader := exampleInput(t, lang)
		noHeader.Members = []validate.Table{{}}
		ins = append(ins, noHeader)

		// A register whose header is below a title, and an extra order.
		titled := exampleInput(t, lang)
		ti := &titled.Issues[0]
		ti.Header.Row = 3
		for i := range ti.Rows {
			ti.Rows[i].Num += 2
		}
		ti.Origin.Kind, ti.Origin.SpreadsheetID, ti.Origin.SheetID = "gsheets", "1AbCdEf", 7
		titled.Orders = validate.NewOrders([]validate.Order{{Code: "indigenous", EN: "Indigenous governments", FR: "Gouvernements autochtones"}})
		ins = append(ins, titled)

		// An issues register without an incidence column, with data in an
		// untitled column.
		odd := exampleInput(t, lang)
		odd.Issues = []validate.Table{table(validate.SourceIssues, "/srv/i.xlsx", "Issues", []string{"Enjeu", "Criticité", "Plan d'action"},
			[][]validate.Value{{str("An issue"), str("High"), str("A plan"), str("a note beside the table")}})}
		rules := validate.DefaultRules()
		rules.Today = runDate
		odd.Result = validate.Check(rules, odd.Catalogue, odd.Members[0], odd.Issues[0])
		ins = append(ins, odd)
	}
	return ins
}

// reportKeys returns the keys of the report's own catalogue file.
func reportKeys(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "templates", "messages_report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return keys
}

var missingKey = regexp.MustCompile(`![a-z_]+\.[a-z_.-]+!`)

// TestEveryTextHasBothLanguages builds reports of every kind and checks
// that each catalogue text they use exists in English and French, that no
// text is missing from the workbook, and that the report's catalogue file
// holds no text that nothing uses.
func TestEveryTextHasBothLanguages(t *testing.T) {
	cat := catalogue(t)
	used := map[string]bool{}
	for _, in := range variedInputs(t) {
		langs, _ := Languages(in.Lang)
		in.RunDate, in.Orders = runDate, orDefault(in.Orders)
		in.periods()
		b := newBook(in, langs)
		b.summary()
		b.coverage()
		b.issues()
		b.activitiesSheet()
		b.findings()
		b.members()
		b.finish()
		if b.err != nil {
			t.Fatal(b.err)
		}
		for _, s := range b.f.GetSheetList() {
			rows, err := b.f.GetRows(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				for _, v := range row {
					if m := missingKey.FindString(v); m != "" {
						t.Errorf("lang %s: the workbook shows the missing text %s", in.Lang, m)
					}
				}
			}
		}
		b.f.Close()
		for k := range b.used {
			used[k] = true
		}
	}
	d, err := loadStarters()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range starterKeys(d) {
		used[k] = true
	}
	for k := range used {
		if !cat.Has(k) {
			t.Errorf("%s is used but not in the catalogue", k)
			continue
		}
		en, fr := cat.Both(k, nil)
		if strings.TrimSpace(en) == "" || strings.TrimSpace(fr) == "" {
			t.Errorf("%s lacks a language", k)
		}
	}
	var unused []string
	for k := range reportKeys(t) {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("messages_report.json holds texts nothing uses: %s", strings.Join(unused, ", "))
	}
}

func orDefault(o *validate.Orders) *validate.Orders {
	if o == nil {
		return validate.NewOrders(nil)
	}
	return o
}

// starterKeys returns the catalogue keys the starter workbooks use.
func starterKeys(d *starterDefs) []string {
	keys := []string{"starter.sheet.lists", "starter.lists.note", "starter.list.invalid.title", "starter.list.invalid",
		"starter.date.invalid.title", "starter.date.invalid"}
	for _, wb := range d.Workbooks {
		keys = append(keys, wb.Sheet)
		for _, c := range wb.Columns {
			keys = append(keys, "header."+wb.Source+"."+c.Field, "starter.prompt."+wb.Source+"."+c.Field)
		}
	}
	return keys
}

// TestFrenchTypography checks every French text of the catalogue, every
// form of it: a non-breaking space before : ; ? ! and inside « », no
// straight double quotes, and no space before those marks in English. It
// also checks the French text the report builds from them, placeholders
// filled, on the Summary and Coverage sheets.
func TestFrenchTypography(t *testing.T) {
	cat := catalogue(t)
	for _, k := range cat.Keys() {
		for _, fr := range cat.Forms("fr", k) {
			checkFrench(t, k, fr)
		}
		for _, en := range cat.Forms("en", k) {
			for _, p := range []string{" :", " ;", " ?", " !"} {
				if strings.Contains(en, p) {
					t.Errorf("%s (en): space before %q in %q", k, p[1:], en)
				}
			}
		}
	}
	in := exampleInput(t, "fr")
	source := map[string]bool{} // texts read from the sources, as written
	for _, a := range in.Result.Activities {
		source[a.Theme], source[a.Description] = true, true
	}
	for _, is := range in.Result.Issues {
		source[is.Issue], source[is.ActionPlan] = true, true
	}
	g, _ := reopen(t, build(t, in))
	for _, s := range g.GetSheetList()[:2] {
		rows, err := g.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				if source[v] {
					continue
				}
				checkFrench(t, fmt.Sprintf("%s!%s", s, ref(j, i+1)), v)
			}
		}
	}
}

// checkFrench reports a French text not set in French typography.
func checkFrench(t *testing.T, where, fr string) {
	t.Helper()
	if validate.French(fr) != fr {
		t.Errorf("%s (fr): not in French typography: %q (want %q)", where, fr, validate.French(fr))
	}
	for _, p := range []string{" :", " ;", " ?", " !", "« ", " »"} {
		if strings.Contains(fr, p) {
			t.Errorf("%s (fr): an ordinary space at %q in %q", where, p, fr)
		}
	}
	if strings.Contains(fr, `"`) {
		t.Errorf("%s (fr): straight quotes in %q (use « »)", where, fr)
	}
}

// TestCountsAgree checks that every text of the catalogue that shows a
// count has singular and plural forms, so that the words beside a number
// agree with it ("1 municipality", « 0 constat »), and that no text writes
// a plural as "(s)".
func TestCountsAgree(t *testing.T) {
	cat := catalogue(t)
	for _, k := range cat.Keys() {
		for _, l := range validate.Languages {
			for _, form := range cat.Forms(l, k) {
				if strings.Contains(form, "{count}") && !cat.Plural(k) {
					t.Errorf("%s (%s) shows a count without plural forms: %q", k, l, form)
				}
				if strings.Contains(form, "(s)") {
					t.Errorf("%s (%s) writes a plural as (s): %q", k, l, form)
				}
			}
		}
	}
}
