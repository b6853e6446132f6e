package sync_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"copsync/sync"
	"copsync/sync/sheetstest"
	"copsync/validate"
)

// layoutDir holds the layouts of issue 9 (layouts.json), written by
// excelize (*_excelize.xlsx, from TestLayoutFixtures) and by openpyxl
// (*_openpyxl.xlsx, from make_layouts.py).
var layoutDir = filepath.Join("testdata", "layouts")

// layoutBook is one workbook of layouts.json.
type layoutBook struct {
	Source string `json:"source"`
	Sheets []struct {
		Name   string   `json:"name"`
		Merges []string `json:"merges"`
		Rows   [][]any  `json:"rows"`
	} `json:"sheets"`
}

func layoutSpec(t *testing.T) map[string]layoutBook {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(layoutDir, "layouts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]layoutBook{}
	for name, r := range raw {
		if strings.HasPrefix(name, "_") {
			continue
		}
		var b layoutBook
		if err := json.Unmarshal(r, &b); err != nil {
			t.Fatalf("layouts.json, %s: %v", name, err)
		}
		out[name] = b
	}
	return out
}

// writeLayout writes a workbook of layouts.json with excelize.
func writeLayout(path string, b layoutBook) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range b.Sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), sh.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return err
		}
		for r, row := range sh.Rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if n, ok := v.(float64); ok && n == float64(int(n)) {
					v = int(n)
				}
				if err := f.SetCellValue(sh.Name, ref, v); err != nil {
					return err
				}
			}
		}
		for _, m := range sh.Merges {
			a, z, _ := strings.Cut(m, ":")
			if err := f.MergeCell(sh.Name, a, z); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// dumpLayout returns the cells and merges of a workbook as text, to tell
// whether a committed fixture holds what layouts.json says.
func dumpLayout(path string) (string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			return "", err
		}
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					fmt.Fprintf(&b, "%s!%s = %q\n", s, validate.CellRef(c, r+1), v)
				}
			}
		}
		merges, err := f.GetMergeCells(s)
		if err != nil {
			return "", err
		}
		var ms []string
		for _, m := range merges {
			ms = append(ms, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		sort.Strings(ms)
		fmt.Fprintf(&b, "%s merges %v\n", s, ms)
	}
	return b.String(), nil
}

// TestLayoutFixtures checks that the committed fixtures, from both
// writers, hold the cells and merges of layouts.json; with -update it
// rewrites the excelize ones.
func TestLayoutFixtures(t *testing.T) {
	update := flag.Lookup("update") != nil && flag.Lookup("update").Value.String() == "true"
	for name, b := range layoutSpec(t) {
		want := filepath.Join(t.TempDir(), name+".xlsx")
		if err := writeLayout(want, b); err != nil {
			t.Fatal(err)
		}
		if update {
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(layoutDir, name+"_excelize.xlsx"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		wantDump, err := dumpLayout(want)
		if err != nil {
			t.Fatal(err)
		}
		for _, writer := range []string{"excelize", "openpyxl"} {
			got, err := dumpLayout(filepath.Join(layoutDir, name+"_"+writer+".xlsx"))
			if err != nil {
				t.Errorf("%s, %s: %v (run make_layouts.py, or go test ./sync -run TestLayoutFixtures -update)", name, writer, err)
				continue
			}
			if diff := cmp.Diff(wantDump, got); diff != "" {
				t.Errorf("%s_%s.xlsx differs from layouts.json (-want +got):\n%s", name, writer, diff)
			}
		}
	}
}

// layoutCases are the findings a careful secretary lists by hand for each
// layout: "code sheet!cell" for a cell, "code key" for the source as a
// whole; the rows set aside ("sheet first-last reason"); the header block
// of each sheet read ("sheet first-last").
var layoutCases = []struct {
	book    string
	want    []string
	aside   []string
	headers []string
	active  int
	// more checks the messages and summary.
	more func(t *testing.T, res *validate.Result)
}{
	{
		// The organization merged down over its people, the order of
		// government over its block. The municipal block's order is
		// misspelled once, in its merged cell: one finding at D14, and
		// the block's members do not count.
		book: "merged",
		want: []string{
			"member.field-missing Membres!C13",
			"member.email-invalid Membres!B16",
			"member.order-unknown Membres!D14",
			"coverage.order-missing municipal",
			"coverage.jurisdiction-missing NL", "coverage.jurisdiction-missing PE", "coverage.jurisdiction-missing NS",
			"coverage.jurisdiction-missing QC", "coverage.jurisdiction-missing MB", "coverage.jurisdiction-missing NT",
			"coverage.jurisdiction-missing NU", "coverage.jurisdiction-missing YT",
		},
		headers: []string{"Membres 3-3"},
		active:  10,
		more: func(t *testing.T, res *validate.Result) {
			for _, f := range res.Findings {
				if f.Code == validate.CodeMemberOrderUnknown && (f.Row != 14 || f.Suggestion != "Municipal") {
					t.Errorf("order finding %+v: want row 14, suggestion Municipal", f)
				}
			}
			if s := res.Summary; s.FederalOrganizations != 2 || s.PTOrganizations != 4 {
				t.Errorf("organizations %d federal, %d provincial/territorial; want 2 and 4 (merged names count once each)", s.FederalOrganizations, s.PTOrganizations)
			}
		},
	},
	{
		// English titles, then the French titles on the row below.
		book: "bilingual",
		want: []string{
			"member.email-duplicate Members - Membres!B8",
			"coverage.jurisdiction-missing NS", "coverage.jurisdiction-missing NB", "coverage.jurisdiction-missing QC",
			"coverage.jurisdiction-missing ON", "coverage.jurisdiction-missing MB", "coverage.jurisdiction-missing SK",
			"coverage.jurisdiction-missing AB",
			"coverage.jurisdiction-missing BC", "coverage.jurisdiction-missing NT", "coverage.jurisdiction-missing NU",
			"coverage.jurisdiction-missing YT",
		},
		headers: []string{"Members - Membres 1-2"},
		active:  5,
	},
	{
		// A member with only a name inside the table; notes, a source
		// and a total under it.
		book: "notes",
		want: []string{
			"member.field-missing Membres!B5", "member.field-missing Membres!C5",
			"member.field-missing Membres!D5", "member.field-missing Membres!F5",
			"coverage.jurisdiction-missing NL", "coverage.jurisdiction-missing PE", "coverage.jurisdiction-missing NS",
			"coverage.jurisdiction-missing NB", "coverage.jurisdiction-missing ON", "coverage.jurisdiction-missing MB",
			"coverage.jurisdiction-missing SK", "coverage.jurisdiction-missing NT", "coverage.jurisdiction-missing NU",
			"coverage.jurisdiction-missing YT",
		},
		aside:   []string{"Membres 10-11 notes", "Membres 13-13 total"},
		headers: []string{"Membres 1-1"},
		active:  6,
	},
	{
		// One sheet per order of government under group titles merged
		// across columns, beside a sheet of notes; a person listed in two
		// sheets.
		book: "orders",
		want: []string{
			"member.email-duplicate Municipal!B4",
			"coverage.jurisdiction-missing NU", "coverage.jurisdiction-missing YT",
		},
		headers: []string{"Fédéral 1-2", "Provincial-territorial 1-2", "Municipal 1-2"},
		active:  15,
		more: func(t *testing.T, res *validate.Result) {
			for _, f := range res.Findings {
				if f.Code == validate.CodeMemberEmailDuplicate && !strings.Contains(f.Message, `row 4 of sheet "Fédéral"`) {
					t.Errorf("duplicate message %q does not name the other sheet", f.Message)
				}
			}
		},
	},
	{
		// Placeholders in the issues register: the rows are incomplete,
		// not wrong; a value that is no placeholder is still wrong.
		book: "issues",
		want: []string{
			"issue.incomplete Enjeux!B2", "issue.incomplete Enjeux!B3", "issue.incomplete Enjeux!C4",
			"issue.incomplete Enjeux!C5", "issue.value-invalid Enjeux!B6",
		},
		aside:   []string{"Enjeux 9-9 notes"},
		headers: []string{"Enjeux 1-1"},
		more: func(t *testing.T, res *validate.Result) {
			msgs := map[string]string{}
			for _, f := range res.Findings {
				msgs[f.Cell] = f.Message + " | " + f.MessageFR
			}
			for cell, want := range map[string]string{
				"B3": `criticality is "À déterminer"; incidence is "TBD"`,
				"C4": `incidence is "?"; action plan is "À venir"`,
			} {
				if !strings.Contains(msgs[cell], want) {
					t.Errorf("%s: message %q does not quote %q", cell, msgs[cell], want)
				}
			}
			if !strings.Contains(msgs["B3"], "criticité\u00a0: «\u00a0À déterminer\u00a0»") {
				t.Errorf("B3: French message %q does not quote the placeholder", msgs["B3"])
			}
			if res.Summary.IssuesIncomplete != 4 || res.Summary.IssuesTotal != 6 {
				t.Errorf("issues %d, incomplete %d; want 6 and 4", res.Summary.IssuesTotal, res.Summary.IssuesIncomplete)
			}
		},
	},
	{
		// Orders and provinces as people write them; nonsense and an
		// ambiguous beginning stay findings.
		book: "spellings",
		want: []string{
			"member.jurisdiction-unknown Members!E11", "member.order-unknown Members!D12", "member.jurisdiction-unknown Members!E13",
			"coverage.jurisdiction-missing NS", "coverage.jurisdiction-missing QC", "coverage.jurisdiction-missing ON",
			"coverage.jurisdiction-missing MB", "coverage.jurisdiction-missing AB", "coverage.jurisdiction-missing NU",
			"coverage.jurisdiction-missing YT",
		},
		headers: []string{"Members 1-1"},
		active:  11,
		more: func(t *testing.T, res *validate.Result) {
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Code, "member.") && f.Suggestion == "" {
					t.Errorf("%s at %s has no suggestion", f.Code, f.Cell)
				}
			}
		},
	},
}

func layoutRules() validate.Rules {
	r := validate.DefaultRules()
	r.Today = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	return r
}

// TestLayouts reads every layout, written by both writers, through both
// readers, and compares what was found with what a careful secretary
// lists by hand: no more, no fewer.
func TestLayouts(t *testing.T) {
	spec := layoutSpec(t)
	cat := catalogue(t)
	srv := newFake(t)
	for _, c := range layoutCases {
		source := spec[c.book].Source
		for _, writer := range []string{"excelize", "openpyxl"} {
			path := filepath.Join(layoutDir, c.book+"_"+writer+".xlsx")
			id := c.book + "-" + writer
			ss, err := sheetstest.FromXLSX(path, id)
			if err != nil {
				t.Fatal(err)
			}
			srv.Add(ss)
			for _, src := range []sync.Source{
				{Name: source, Kind: "xlsx", Path: path},
				{Name: source, Kind: "gsheets", SpreadsheetID: id, Endpoint: srv.Endpoint()},
			} {
				t.Run(c.book+"/"+writer+"/"+src.Kind, func(t *testing.T) {
					v := validate.New(layoutRules(), cat)
					ctx := sync.WithGSheets(context.Background(), fastClient(nil, src))
					if err := sync.ReadSource(ctx, src, v.Schema(source), v); err != nil {
						t.Fatal(err)
					}
					res := v.Result()
					var got, aside, headers []string
					for _, f := range res.Findings {
						where := f.Key
						if f.Cell != "" {
							where = f.Sheet + "!" + f.Cell
						}
						got = append(got, f.Code+" "+where)
					}
					for _, s := range res.Sheets {
						headers = append(headers, fmt.Sprintf("%s %d-%d", s.Sheet, s.HeaderFirst, s.HeaderRow))
						for _, a := range s.SetAside {
							aside = append(aside, fmt.Sprintf("%s %d-%d %s", s.Sheet, a.First, a.Last, a.Reason))
						}
					}
					sortStrings := func(s []string) []string { s = append([]string(nil), s...); sort.Strings(s); return s }
					if diff := cmp.Diff(sortStrings(c.want), sortStrings(got)); diff != "" {
						t.Errorf("findings (-want +got):\n%s", diff)
					}
					if diff := cmp.Diff(c.aside, aside); diff != "" {
						t.Errorf("rows set aside (-want +got):\n%s", diff)
					}
					if diff := cmp.Diff(c.headers, headers); diff != "" {
						t.Errorf("sheets read and their header blocks (-want +got):\n%s", diff)
					}
					if source == validate.SourceMembers && res.Summary.MembersActive != c.active {
						t.Errorf("%d active members, want %d", res.Summary.MembersActive, c.active)
					}
					if c.more != nil {
						c.more(t, res)
					}
				})
			}
		}
	}
}

// TestLayoutSheetSelection reads the sheets of one source by name, list,
// pattern and exclusion.
func TestLayoutSheetSelection(t *testing.T) {
	path := filepath.Join(layoutDir, "orders_excelize.xlsx")
	cases := []struct {
		name    string
		sheets  []string
		exclude []string
		want    []string
		err     string
	}{
		{"all by header", nil, nil, []string{"Fédéral", "Provincial-territorial", "Municipal"}, ""},
		{"one name", []string{"municipal"}, nil, []string{"Municipal"}, ""},
		{"a list", []string{"Municipal", "Fédéral"}, nil, []string{"Fédéral", "Municipal"}, ""},
		{"a pattern", []string{"*al"}, nil, []string{"Fédéral", "Provincial-territorial", "Municipal"}, ""},
		{"a pattern also matching a sheet without header", []string{"*"}, nil, []string{"Fédéral", "Provincial-territorial", "Municipal"}, ""},
		{"excluded", nil, []string{"Prov*"}, []string{"Fédéral", "Municipal"}, ""},
		{"missing", []string{"Autochtone"}, nil, nil, `sheet "Autochtone": sheet not found (the workbook has sheets "Lisez-moi", "Fédéral", "Provincial-territorial", "Municipal")`},
		{"no match", []string{"Membres*"}, nil, nil, `no sheet matches "Membres*"`},
		{"named without header", []string{"Lisez-moi"}, nil, nil, `sheet "Lisez-moi": header row not found`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := validate.New(layoutRules(), catalogue(t))
			src := sync.Source{Name: "members", Path: path, Sheets: c.sheets, ExcludeSheets: c.exclude}
			err := sync.ReadSource(context.Background(), src, v.Schema("members"), v)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one saying %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, v.Result().SheetsOf("members")); diff != "" {
				t.Errorf("sheets read (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLayoutIDsStableWhenASheetIsAdded checks that the findings of a
// sheet keep their ids when another sheet is read beside it.
func TestLayoutIDsStableWhenASheetIsAdded(t *testing.T) {
	path := filepath.Join(layoutDir, "orders_excelize.xlsx")
	ids := func(sheets ...string) map[string]string {
		v := validate.New(layoutRules(), catalogue(t))
		src := sync.Source{Name: "members", Path: path, Sheets: sheets}
		if err := sync.ReadSource(context.Background(), src, v.Schema("members"), v); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range v.Result().Findings {
			out[f.Code+" "+f.Key] = f.ID
		}
		return out
	}
	one := ids("Provincial-territorial")
	two := ids("Provincial-territorial", "Municipal")
	common := 0
	for k, id := range one {
		if other, ok := two[k]; ok {
			common++
			if other != id {
				t.Errorf("%s: id %s became %s when a sheet was added", k, id, other)
			}
		}
	}
	if common == 0 {
		t.Fatal("no finding in both runs to compare")
	}
}
