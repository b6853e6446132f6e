package validate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// memSheet is a sheet held in memory: rows by sheet row from 1 (nil cells
// are empty), and merges.
type memSheet struct {
	name   string
	rows   [][]any
	merges []Merge
}

// memBook is a Book held in memory, for the layout engine's tests.
type memBook struct {
	sheets []memSheet
	opened []string
}

func (b *memBook) Sheets() []string {
	var out []string
	for _, s := range b.sheets {
		out = append(out, s.name)
	}
	return out
}

func (b *memBook) Origin(sheet string) Origin {
	return Origin{Source: SourceMembers, Kind: "xlsx", Sheet: sheet}
}

func (b *memBook) Open(_ context.Context, sheet string) (SheetRows, error) {
	for _, s := range b.sheets {
		if s.name == sheet {
			b.opened = append(b.opened, sheet)
			return &memRows{s: s}, nil
		}
	}
	return nil, fmt.Errorf("no sheet %q", sheet)
}

type memRows struct {
	s memSheet
	i int
}

func (r *memRows) Merges() []Merge { return r.s.merges }
func (r *memRows) Err() error      { return nil }
func (r *memRows) Close() error    { return nil }
func (r *memRows) Next() (Row, bool) {
	for r.i < len(r.s.rows) {
		r.i++
		cells := r.s.rows[r.i-1]
		if len(cells) == 0 {
			continue // a row the sheet does not hold
		}
		row := Row{Num: r.i}
		for c, v := range cells {
			cell := Cell{Ref: CellRef(c, r.i)}
			switch v := v.(type) {
			case string:
				cell.Value = Value{Kind: String, Text: v}
			case int:
				cell.Value = Value{Kind: Number, Text: strconv.Itoa(v), Num: float64(v)}
			}
			row.Cells = append(row.Cells, cell)
		}
		return row, true
	}
	return Row{}, false
}

// recordSink keeps what ReadSource gives, as text.
type recordSink struct {
	headers []string
	rows    []string
	aside   []string
}

func (s *recordSink) Table(o Origin, h Header) func(Row) {
	first, last := h.Rows()
	s.headers = append(s.headers, fmt.Sprintf("%s %d-%d", o.Sheet, first, last))
	return func(r Row) {
		var cells []string
		for _, c := range r.Cells {
			if !c.Value.IsBlank() {
				cells = append(cells, c.Ref+"="+c.Value.Text)
			}
		}
		s.rows = append(s.rows, fmt.Sprintf("%s %d: %s", o.Sheet, r.Num, strings.Join(cells, " ")))
	}
}

func (s *recordSink) SetAside(o Origin, a SetAside) {
	s.aside = append(s.aside, fmt.Sprintf("%s %d-%d %s", o.Sheet, a.First, a.Last, a.Reason))
}

var memHeader = []any{"Name", "Email", "Organization", "Order"}

func TestReadSourceLayouts(t *testing.T) {
	tests := []struct {
		name    string
		sheets  []memSheet
		sel     Selection
		headers []string
		rows    []string
		aside   []string
	}{
		{
			name:    "one header row",
			sheets:  []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca"}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca"},
		},
		{
			name: "titles in French on the row below",
			sheets: []memSheet{{name: "M", rows: [][]any{memHeader,
				{"Nom", "Courriel", "Organisation", "Ordre"}, {"Ann", "a@x.ca"}}}},
			headers: []string{"M 1-2"},
			rows:    []string{"M 3: A3=Ann B3=a@x.ca"},
		},
		{
			name: "French titles below, with columns of their own",
			sheets: []memSheet{{name: "M", rows: [][]any{
				{"Name", "Email", "Organization", "Order", "Phone", "Remarks", "Since"},
				{"Nom", "Courriel", "Organisation", "Ordre", "Téléphone", "Remarques", "Depuis le"},
				{"Ann", "a@x.ca"}}}},
			headers: []string{"M 1-2"},
			rows:    []string{"M 3: A3=Ann B3=a@x.ca"},
		},
		{
			name: "the header repeated in the other language inside the table",
			sheets: []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca"},
				{"Nom", "Courriel", "Organisation", "Ordre"}, {"Bob", "b@x.ca"}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca", "M 4: A4=Bob B4=b@x.ca"},
			aside:   []string{"M 3-3 header"},
		},
		{
			name: "group titles merged above",
			sheets: []memSheet{{name: "M", merges: []Merge{{Top: 1, Left: 0, Bottom: 1, Right: 1}}, rows: [][]any{
				{"Person", nil, "Where"}, memHeader, {"Ann", "a@x.ca"}}}},
			headers: []string{"M 1-2"},
			rows:    []string{"M 3: A3=Ann B3=a@x.ca"},
		},
		{
			name: "a value merged down fills its rows, not a blank row",
			sheets: []memSheet{{name: "M", merges: []Merge{{Top: 2, Left: 2, Bottom: 5, Right: 2}}, rows: [][]any{
				memHeader, {"Ann", "a@x.ca", "Service Canada"}, {"Bob", "b@x.ca"}, {nil, nil, nil}, {"Cat"}}}},
			headers: []string{"M 1-1"},
			rows: []string{"M 2: A2=Ann B2=a@x.ca C2=Service Canada", "M 3: A3=Bob B3=b@x.ca C2=Service Canada",
				"M 5: A5=Cat C2=Service Canada"},
		},
		{
			name: "notes and a total under the table",
			sheets: []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca"}, {"Bob", "b@x.ca"}, {},
				{"Note: alternates are not listed."}, {"Source: secretariat"}, {}, {"Total", 2}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca", "M 3: A3=Bob B3=b@x.ca"},
			aside:   []string{"M 5-6 notes", "M 8-8 total"},
		},
		{
			name:    "a lone name after a blank row, then more records, is a record",
			sheets:  []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca"}, {}, {"Zoé"}, {"Bob", "b@x.ca"}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca", "M 4: A4=Zoé", "M 5: A5=Bob B5=b@x.ca"},
		},
		{
			name:    "a name and an address alone at the end are a record, not a note",
			sheets:  []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca", "Service Canada"}, {}, {"Zoé", "z@x.ca"}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca C2=Service Canada", "M 4: A4=Zoé B4=z@x.ca"},
		},
		{
			name: "a subtotal and a repeated header inside the table",
			sheets: []memSheet{{name: "M", rows: [][]any{memHeader, {"Ann", "a@x.ca"}, {"Sous-total", 1},
				memHeader, {"Bob", "b@x.ca"}}}},
			headers: []string{"M 1-1"},
			rows:    []string{"M 2: A2=Ann B2=a@x.ca", "M 5: A5=Bob B5=b@x.ca"},
			aside:   []string{"M 3-3 total", "M 4-4 header"},
		},
		{
			name: "counts only at the end are a total; a number outside the columns is not",
			sheets: []memSheet{
				{name: "A", rows: [][]any{memHeader, {"Ann", "a@x.ca"}, {}, {nil, 1, 1}}},
				{name: "B", rows: [][]any{memHeader, {"Ann", "a@x.ca"}, {nil, nil, nil, nil, nil, 42}}},
			},
			headers: []string{"A 1-1", "B 1-1"},
			rows:    []string{"A 2: A2=Ann B2=a@x.ca", "B 2: A2=Ann B2=a@x.ca", "B 3: F3=42"},
			aside:   []string{"A 4-4 total"},
		},
		{
			name: "every sheet with a header, none other",
			sheets: []memSheet{
				{name: "Read me", rows: [][]any{{"One sheet per order"}}},
				{name: "Federal", rows: [][]any{memHeader, {"Ann", "a@x.ca"}}},
				{name: "Municipal", rows: [][]any{{"Municipal members"}, memHeader, {"Bob", "b@x.ca"}}},
			},
			headers: []string{"Federal 1-1", "Municipal 2-2"},
			rows:    []string{"Federal 2: A2=Ann B2=a@x.ca", "Municipal 3: A3=Bob B3=b@x.ca"},
		},
		{
			name: "patterns and exclusions",
			sheets: []memSheet{
				{name: "Federal", rows: [][]any{memHeader, {"Ann", "a@x.ca"}}},
				{name: "Municipal", rows: [][]any{memHeader, {"Bob", "b@x.ca"}}},
				{name: "Municipal (old)", rows: [][]any{memHeader, {"Cat", "c@x.ca"}}},
			},
			sel:     Selection{Sheets: []string{"mun*"}, Exclude: []string{"* (old)"}},
			headers: []string{"Municipal 1-1"},
			rows:    []string{"Municipal 2: A2=Bob B2=b@x.ca"},
		},
	}
	schema := DefaultSchemas()[SourceMembers]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s recordSink
			if err := ReadSource(context.Background(), &memBook{sheets: tt.sheets}, schema, tt.sel, &s); err != nil {
				t.Fatal(err)
			}
			check := func(what string, want, got []string) {
				if strings.Join(want, "\n") != strings.Join(got, "\n") {
					t.Errorf("%s:\n got %q\nwant %q", what, got, want)
				}
			}
			check("headers", tt.headers, s.headers)
			check("rows", tt.rows, s.rows)
			check("set aside", tt.aside, s.aside)
		})
	}
}

// TestReadSourceHoldsAtMostMaxTrailer gives, after a blank row, more rows
// that look like notes than the engine holds: they become records rather
// than being held without end.
func TestReadSourceHoldsAtMostMaxTrailer(t *testing.T) {
	rows := [][]any{memHeader, {"Ann", "a@x.ca"}, {}}
	for i := 0; i < MaxTrailer+5; i++ {
		rows = append(rows, []any{"text " + strconv.Itoa(i)})
	}
	var s recordSink
	if err := ReadSource(context.Background(), &memBook{sheets: []memSheet{{name: "M", rows: rows}}}, DefaultSchemas()[SourceMembers], Selection{}, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.rows) < MaxTrailer {
		t.Errorf("%d records, want the %d rows past the cap given as records", len(s.rows), MaxTrailer+1)
	}
}

func TestReadSourceErrors(t *testing.T) {
	book := &memBook{sheets: []memSheet{
		{name: "Read me", rows: [][]any{{"Nothing", "here"}}},
		{name: "Empty"},
	}}
	schema := DefaultSchemas()[SourceMembers]
	tests := []struct {
		name string
		sel  Selection
		is   error
		msg  string
	}{
		{"no header anywhere", Selection{}, ErrHeaderNotFound,
			`header row not found: no sheet has a header row for the members in its first 20 rows (expected a column such as "Name" or "Email"); found sheet "Read me": "Nothing", "here"; sheet "Empty": nothing`},
		{"a named sheet that is missing", Selection{Sheets: []string{"Members"}}, ErrSheetNotFound,
			`sheet not found (the workbook has sheets "Read me", "Empty")`},
		{"a pattern that matches nothing", Selection{Sheets: []string{"Mem*"}}, ErrSheetNotFound,
			`sheet not found: no sheet matches "Mem*" (the workbook has sheets "Read me", "Empty")`},
		{"a named sheet that is empty", Selection{Sheets: []string{"Empty"}}, ErrHeaderNotFound,
			"header row not found: the sheet is empty"},
		{"everything excluded", Selection{Sheets: []string{"*"}, Exclude: []string{"*"}}, ErrSheetNotFound, "exclude_sheets leaves none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadSource(context.Background(), book, schema, tt.sel, &recordSink{})
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %v, want %v saying %s", err, tt.is, tt.msg)
			}
		})
	}
}

func TestSetAsideText(t *testing.T) {
	cat := testCatalogue(t)
	for _, tt := range []struct {
		s      SetAside
		en, fr string
	}{
		{SetAside{17, 19, ReasonNotes}, "rows 17–19: notes under the table", "lignes 17 à 19\u00a0: notes sous le tableau"},
		{SetAside{20, 20, ReasonTotal}, "row 20: a total, not a record", "ligne 20\u00a0: un total, pas une fiche"},
	} {
		if got := tt.s.Text(cat, "en"); got != tt.en {
			t.Errorf("%+v in English: %q, want %q", tt.s, got, tt.en)
		}
		if got := tt.s.Text(cat, "fr"); got != tt.fr {
			t.Errorf("%+v in French: %q, want %q", tt.s, got, tt.fr)
		}
	}
}

// FuzzReadSource feeds arbitrary sheets to the layout engine: rows are
// lines, cells are separated by |, a cell "#n" is the number n, and the
// second argument's bytes, four by four, are merged ranges. The engine must
// not panic, must give rows in ascending order below the header block, and
// must not set aside a row it gave as a record.
func FuzzReadSource(f *testing.F) {
	f.Add("Name|Email|Organization|Order\nAnn|a@x.ca|Service Canada|Federal\nBob|b@x.ca\n\nNote: none\nTotal|#2", []byte{2, 2, 3, 2})
	f.Add("Name|Email\nNom|Courriel\nAnn|a@x.ca\nName|Email\nSous-total|#1", []byte{})
	f.Add("Title\n\nName|Email|Status\nAnn|a@x.ca|Active", []byte{1, 0, 1, 2, 4, 0, 9, 0})
	f.Fuzz(func(t *testing.T, text string, merges []byte) {
		var rows [][]any
		for _, line := range strings.Split(text, "\n") {
			if len(rows) > 200 {
				break
			}
			var cells []any
			for _, c := range strings.Split(line, "|") {
				if n, err := strconv.Atoi(strings.TrimPrefix(c, "#")); err == nil && strings.HasPrefix(c, "#") {
					cells = append(cells, n)
				} else if c != "" {
					cells = append(cells, c)
				} else {
					cells = append(cells, nil)
				}
			}
			if line == "" {
				cells = nil
			}
			rows = append(rows, cells)
		}
		var ms []Merge
		for i := 0; i+3 < len(merges) && len(ms) < 20; i += 4 {
			top, left := int(merges[i]%32)+1, int(merges[i+1]%8)
			ms = append(ms, Merge{Top: top, Left: left, Bottom: top + int(merges[i+2]%16), Right: left + int(merges[i+3]%4)})
		}
		book := &memBook{sheets: []memSheet{{name: "S", rows: rows, merges: ms}}}
		var last, header int
		given := map[int]bool{}
		sink := &funcSink{
			table: func(o Origin, h Header) func(Row) {
				first, end := h.Rows()
				if first < 1 || first > end || end > HeaderRows+1 {
					t.Fatalf("header block %d-%d", first, end)
				}
				header, last = end, end
				return func(r Row) {
					if r.Num <= last {
						t.Fatalf("row %d given after row %d", r.Num, last)
					}
					last = r.Num
					given[r.Num] = true
				}
			},
			aside: func(o Origin, s SetAside) {
				if s.First <= header || s.Last < s.First {
					t.Fatalf("set aside %+v under a header ending on row %d", s, header)
				}
				for n := s.First; n <= s.Last; n++ {
					if given[n] {
						t.Fatalf("row %d given and set aside", n)
					}
				}
			},
		}
		err := ReadSource(context.Background(), book, DefaultSchemas()[SourceMembers], Selection{}, sink)
		if err != nil && !errors.Is(err, ErrHeaderNotFound) {
			t.Fatalf("error %v", err)
		}
	})
}

// funcSink is a Sink made of two functions.
type funcSink struct {
	table func(Origin, Header) func(Row)
	aside func(Origin, SetAside)
}

func (s *funcSink) Table(o Origin, h Header) func(Row) { return s.table(o, h) }
func (s *funcSink) SetAside(o Origin, a SetAside)      { s.aside(o, a) }
