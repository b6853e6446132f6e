package report

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"copsync/validate"
)

// bigInput returns the example input with a membership of n rows, every
// one with an invalid e-mail address (a finding about a cell, linked to
// its copy in the workbook); with google, the membership is a Google
// Sheet, whose row numbers link to the sheet.
func bigInput(t testing.TB, n int, google bool) Input {
	t.Helper()
	in := exampleInput(t, "en")
	rows := memberRows()
	var big [][]validate.Value
	for i := 0; len(big) < n; i++ {
		r := append([]validate.Value(nil), rows[i%len(rows)]...)
		r[1] = str(fmt.Sprintf("member%d@@example.ca", i))
		big = append(big, r)
	}
	members := table(validate.SourceMembers, "/srv/secretariat/members.xlsx", "Members", memberTitles, big)
	if google {
		members.Origin.Kind, members.Origin.SpreadsheetID, members.Origin.SheetID = "gsheets", "1AbCdEf", 3
	}
	rules := validate.DefaultRules()
	rules.Today = runDate
	in.Members = []validate.Table{members}
	in.Result = validate.Check(rules, in.Catalogue, members, in.Issues[0], in.Activities[0])
	return in
}

var (
	relTarget  = regexp.MustCompile(`<Relationship [^>]*Type="[^"]*/hyperlink"`)
	sheetParts = regexp.MustCompile(`^xl/worksheets/sheet\d+\.xml$`)
)

// TestLinksNeedNoRelationships writes 3,000 members whose every e-mail
// address is a finding: each finding links to its cell in the workbook's
// copy of the membership without a relationship, and the links read back
// (the last one too). From a Google Sheet, each row number and each
// finding's original location also links to the sheet: one relationship
// per external link.
func TestLinksNeedNoRelationships(t *testing.T) {
	const n = 3000
	for _, google := range []bool{false, true} {
		t.Run(fmt.Sprintf("google=%v", google), func(t *testing.T) {
			in := bigInput(t, n, google)
			f, data := reopen(t, build(t, in))
			parts := unzip(t, data)
			links, rels := 0, 0
			for name, part := range parts {
				if sheetParts.MatchString(name) {
					links += bytes.Count(part, []byte("<hyperlink "))
					if bytes.Count(part, []byte("<hyperlinks>")) > 1 {
						t.Errorf("%s has more than one <hyperlinks>", name)
					}
				}
				if strings.HasPrefix(name, "xl/worksheets/_rels/") {
					rels += len(relTarget.FindAll(part, -1))
				}
			}
			wantRels := 0
			if google {
				// The row numbers of the copy and the findings' original
				// locations, each a cell of the Google Sheet.
				wantRels = n
				for _, fd := range in.Result.Findings {
					if strings.HasPrefix(fd.Link, "https://") && (fd.Row > 0 || fd.Cell != "") {
						wantRels++
					}
				}
			}
			if rels != wantRels {
				t.Errorf("%d hyperlink relationships, want %d", rels, wantRels)
			}
			if links < n+wantRels {
				t.Errorf("%d hyperlinks, want at least %d", links, n+wantRels)
			}
			// The last finding about an e-mail address links to its cell.
			fs := sortedFindings(in.Result.Findings)
			last := -1
			for i, fd := range fs {
				if fd.Code == validate.CodeMemberEmailInvalid {
					last = i
				}
			}
			if last < 0 {
				t.Fatal("no finding about an e-mail address")
			}
			ok, target, err := f.GetCellHyperLink("Findings", ref(5, last+2))
			if err != nil || !ok || target != "'Members'!"+fs[last].Cell {
				t.Errorf("the last finding links to %q (%v), want 'Members'!%s", target, err, fs[last].Cell)
			}
			if google {
				row := in.Members[0].Rows[len(in.Members[0].Rows)-1].Num
				ok, target, err := f.GetCellHyperLink("Members", ref(len(memberTitles), row))
				want := "https://docs.google.com/spreadsheets/d/1AbCdEf/edit#gid=3&range=A" + fmt.Sprint(row)
				if err != nil || !ok || target != want {
					t.Errorf("the last row number links to %q (%v), want %q", target, err, want)
				}
			}
		})
	}
}

// TestStreamedSheetsKeepTheirWidths builds a membership longer than the
// rows that decide the widths: a late row of long text, wider than any the
// sample saw, wraps and gets the height it needs.
func TestStreamedSheetsKeepTheirWidths(t *testing.T) {
	in := bigInput(t, sampleRows+500, false)
	last := &in.Members[0].Rows[len(in.Members[0].Rows)-1]
	long := strings.Repeat("Direction générale des services aux citoyens ", 4)
	last.Cells[2].Value = str(long)
	f, _ := reopen(t, build(t, in))
	h, err := f.GetRowHeight("Members", last.Num)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.GetColWidth("Members", "C")
	if err != nil {
		t.Fatal(err)
	}
	lines := wrapLines(long, bodySize, false, spanPx([]float64{0, 0, w}, 2, 1))
	if lines < 2 || h < float64(lines)*lineHeight(bodySize) {
		t.Errorf("row %d: %.1f points high for %d lines in a column %.2f wide", last.Num, h, lines, w)
	}
	style, err := f.GetCellStyle("Members", ref(2, last.Num))
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("the long text of row %d does not wrap (%v)", last.Num, err)
	}
}

// TestRowsOutOfOrder gives the report a membership whose rows are not in
// sheet order: the stream writes them in order. Two rows with the same
// number are written as one, the later's cells over the earlier's, as the
// cell API would.
func TestRowsOutOfOrder(t *testing.T) {
	in := exampleInput(t, "en")
	members := in.Members[0]
	members.Rows = slices.Clone(members.Rows)
	slices.Reverse(members.Rows)
	in.Members = []validate.Table{members}
	f, _ := reopen(t, build(t, in))
	want := exampleInput(t, "en")
	g, _ := reopen(t, build(t, want))
	got, err := f.GetRows("Members")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := g.GetRows("Members")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, rows, slices.Equal) {
		t.Error("the Members sheet of rows out of order differs from the one of rows in order")
	}

	members.Rows = append(members.Rows, members.Rows[0])
	f, _ = reopen(t, build(t, in))
	if again, err := f.GetRows("Members"); err != nil || !slices.EqualFunc(again, rows, slices.Equal) {
		t.Errorf("a repeated row changes the Members sheet (%v)", err)
	}
}
