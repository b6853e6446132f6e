package sheetstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"
)

func TestParseMask(t *testing.T) {
	tests := []struct {
		in   string
		want mask
	}{
		{"properties", mask{"properties": nil}},
		{"properties/title", mask{"properties": {"title": nil}}},
		{"properties.title", mask{"properties": {"title": nil}}},
		{"sheets(properties(sheetId,title),merges)", mask{"sheets": {"properties": {"sheetId": nil, "title": nil}, "merges": nil}}},
		{"sheets/properties/title,sheets/merges", mask{"sheets": {"properties": {"title": nil}, "merges": nil}}},
		{"sheets,sheets/properties", mask{"sheets": nil}},
		{"sheets/data/rowData/values(effectiveValue,effectiveFormat/numberFormat)",
			mask{"sheets": {"data": {"rowData": {"values": {"effectiveValue": nil, "effectiveFormat": {"numberFormat": nil}}}}}}},
	}
	for _, tc := range tests {
		got, err := parseMask(tc.in)
		if err != nil {
			t.Errorf("parseMask(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseMask(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
	for _, bad := range []string{"", "sheets(", "sheets()", "a,,b", "sheets)x", "a/"} {
		if _, err := parseMask(bad); err == nil {
			t.Errorf("parseMask(%q) accepted", bad)
		}
	}
}

func TestMaskCheckAndApply(t *testing.T) {
	typ := reflect.TypeOf(sheets.Spreadsheet{})
	ok, _ := parseMask("properties/title,sheets(properties(sheetId,title),data/rowData/values(effectiveValue,formattedValue,effectiveFormat/numberFormat),merges)")
	if err := ok.check(typ, ""); err != nil {
		t.Errorf("a valid mask refused: %v", err)
	}
	for _, bad := range []string{"sheets/properties/name", "sheets/data/rowData/values/effectiveFormat/numberFormats", "propertes"} {
		m, _ := parseMask(bad)
		if err := m.check(typ, ""); err == nil {
			t.Errorf("mask %q accepted", bad)
		}
	}
	var doc any
	_ = json.Unmarshal([]byte(`{"spreadsheetId":"x","properties":{"title":"T","locale":"en"},
		"sheets":[{"properties":{"sheetId":1,"title":"A","index":0},"merges":[{"sheetId":1}],"data":[{"rowData":[{"values":[{"formattedValue":"1","note":"n"}]}]}]}]}`), &doc)
	m, _ := parseMask("properties/title,sheets(properties/title,data/rowData/values/formattedValue)")
	got, _ := json.Marshal(m.apply(doc))
	want := `{"properties":{"title":"T"},"sheets":[{"data":[{"rowData":[{"values":[{"formattedValue":"1"}]}]}],"properties":{"title":"A"}}]}`
	if string(got) != want {
		t.Errorf("apply:\n got %s\nwant %s", got, want)
	}
}

func testBook() *sheets.Spreadsheet {
	return Book("s1", "Book",
		Tab(0, "First", []any{"a", "b", "c"}, []any{1, 2, 3}, []any{"x"}),
		Merge(Tab(55, "It's second", []any{"Title"}, nil, []any{"Name", "E-mail"}), "A1:B1"),
	)
}

// get sends a raw GET to the server and decodes its JSON reply.
func get(t *testing.T, srv *Server, path string, q url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(srv.URL() + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("reply is not JSON: %s", body)
		}
	}
	return resp.StatusCode, v
}

func TestServerShapes(t *testing.T) {
	srv := New(t)
	defer srv.Close()
	srv.Add(testBook())

	// Without grid data: properties only.
	code, v := get(t, srv, "/v4/spreadsheets/s1", url.Values{"fields": {"sheets/properties(sheetId,title)"}})
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	want := map[string]any{"sheets": []any{
		map[string]any{"properties": map[string]any{"sheetId": 0.0, "title": "First"}},
		map[string]any{"properties": map[string]any{"sheetId": 55.0, "title": "It's second"}},
	}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}

	// Grid data of one range, in A1 notation with an escaped quote.
	code, v = get(t, srv, "/v4/spreadsheets/s1", url.Values{
		"includeGridData": {"true"},
		"ranges":          {"'It''s second'"},
		"fields":          {"sheets(properties/title,data/rowData/values/effectiveValue,merges)"},
	})
	if code != 200 {
		t.Fatalf("status %d: %v", code, v)
	}
	want = map[string]any{"sheets": []any{map[string]any{
		"properties": map[string]any{"title": "It's second"},
		"merges":     []any{map[string]any{"sheetId": 55.0, "endRowIndex": 1.0, "endColumnIndex": 2.0}},
		"data": []any{map[string]any{"rowData": []any{
			map[string]any{"values": []any{map[string]any{"effectiveValue": map[string]any{"stringValue": "Title"}}}},
			map[string]any{},
			map[string]any{"values": []any{
				map[string]any{"effectiveValue": map[string]any{"stringValue": "Name"}},
				map[string]any{"effectiveValue": map[string]any{"stringValue": "E-mail"}},
			}},
		}}},
	}}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("grid data (-want +got):\n%s", diff)
	}

	// A range of cells starts where it says.
	_, v = get(t, srv, "/v4/spreadsheets/s1", url.Values{"includeGridData": {"true"}, "ranges": {"First!B2:C3"}, "fields": {"sheets/data(startRow,startColumn,rowData/values/formattedValue)"}})
	want = map[string]any{"sheets": []any{map[string]any{"data": []any{map[string]any{
		"startRow": 1.0, "startColumn": 1.0,
		"rowData": []any{
			map[string]any{"values": []any{map[string]any{"formattedValue": "2"}, map[string]any{"formattedValue": "3"}}},
			map[string]any{},
		},
	}}}}}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("cells B2:C3 (-want +got):\n%s", diff)
	}
}

func TestServerErrors(t *testing.T) {
	srv := New(t)
	defer srv.Close()
	srv.Add(testBook())
	tests := []struct {
		name       string
		path       string
		q          url.Values
		fault      *Fault
		wantCode   int
		wantStatus string
		wantMsg    string
	}{
		{"unknown spreadsheet", "/v4/spreadsheets/nope", nil, nil, 404, "NOT_FOUND", "Requested entity was not found."},
		{"unknown tab", "/v4/spreadsheets/s1", url.Values{"ranges": {"'Third'"}}, nil, 400, "INVALID_ARGUMENT", "Unable to parse range: 'Third'"},
		{"unknown field", "/v4/spreadsheets/s1", url.Values{"fields": {"sheets/colour"}}, nil, 400, "INVALID_ARGUMENT", "invalid field selection sheets.colour"},
		{"429", "/v4/spreadsheets/s1", nil, &Fault{Status: 429}, 429, "RESOURCE_EXHAUSTED", "Quota exceeded"},
		{"403", "/v4/spreadsheets/s1", nil, &Fault{Status: 403}, 403, "PERMISSION_DENIED", "The caller does not have permission"},
		{"503", "/v4/spreadsheets/s1", nil, &Fault{Status: 503}, 503, "UNAVAILABLE", "unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != nil {
				srv.Inject(*tc.fault)
			}
			code, v := get(t, srv, tc.path, tc.q)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d", code, tc.wantCode)
			}
			e, _ := v["error"].(map[string]any)
			if e == nil || e["code"] != float64(tc.wantCode) || e["status"] != tc.wantStatus || !strings.Contains(e["message"].(string), tc.wantMsg) {
				t.Errorf("error body = %v", v)
			}
		})
	}
}

// client returns the real Sheets client pointed at srv.
func client(t *testing.T, srv *Server) *sheets.Service {
	t.Helper()
	svc, err := sheets.NewService(context.Background(), option.WithEndpoint(srv.Endpoint()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestServerWithTheRealClient(t *testing.T) {
	srv := New(t)
	defer srv.Close()
	srv.Add(testBook())
	svc := client(t, srv)
	ss, err := svc.Spreadsheets.Get("s1").IncludeGridData(true).Ranges("First").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(ss.Sheets) != 1 || ss.Sheets[0].Properties.Title != "First" || *ss.Sheets[0].Data[0].RowData[1].Values[2].EffectiveValue.NumberValue != 3 {
		t.Errorf("spreadsheet = %+v", ss.Sheets[0])
	}

	srv.Inject(Fault{Status: 429})
	_, err = svc.Spreadsheets.Get("s1").Do()
	var ge *googleapi.Error
	if !errors.As(err, &ge) || ge.Code != 429 || len(ge.Errors) != 1 || ge.Errors[0].Reason != "rateLimitExceeded" {
		t.Errorf("429: err = %#v", err)
	}

	srv.Inject(Fault{Status: 502})
	_, err = svc.Spreadsheets.Get("s1").Do()
	if !errors.As(err, &ge) || ge.Code != 502 {
		t.Errorf("502: err = %v", err)
	}

	srv.Inject(Fault{Drop: true})
	if _, err = svc.Spreadsheets.Get("s1").Do(); err == nil || !errors.Is(err, io.EOF) {
		t.Errorf("dropped connection: err = %v, want EOF", err)
	}

	srv.Inject(Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err = svc.Spreadsheets.Get("s1").Context(ctx).Do(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow reply: err = %v", err)
	}

	reqs := srv.Requests()
	if len(reqs) != 5 || srv.Count() != 5 {
		t.Fatalf("%d requests recorded, want 5", len(reqs))
	}
	var statuses []int
	for _, r := range reqs {
		statuses = append(statuses, r.Status)
	}
	if diff := cmp.Diff([]int{200, 429, 502, 0, 0}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestFormatType(t *testing.T) {
	for code, want := range map[string]string{
		"yyyy-mm-dd": "DATE", "m/d/yyyy": "DATE", "d-mmm-yy": "DATE", `[$-1009]d mmmm yyyy;@`: "DATE",
		"h:mm:ss": "TIME", "[h]:mm:ss": "TIME", "yyyy-mm-dd hh:mm": "DATE_TIME",
		"0.00%": "PERCENT", "0.00E+00": "SCIENTIFIC", `"$"#,##0.00`: "CURRENCY", "#,##0": "NUMBER",
		`0 "days"`: "NUMBER",
		// Classified as the .xlsx readers classify them (numfmt).
		"mmmm": "DATE", "h:mm AM/PM": "TIME", "mm:ss": "TIME", "0.00e+00": "SCIENTIFIC",
	} {
		if got := formatType(code); got != want {
			t.Errorf("formatType(%q) = %s, want %s", code, got, want)
		}
	}
}

func TestSerial(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want float64
	}{
		{time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), 61},
		{time.Date(2022, 10, 15, 0, 0, 0, 0, time.UTC), 44849},
		{time.Date(2022, 10, 15, 18, 0, 0, 0, time.UTC), 44849.75},
	} {
		if got := Serial(tc.t); got != tc.want {
			t.Errorf("Serial(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

// recorder is a test that records what the server's end-of-test check
// reports, instead of failing.
type recorder struct {
	testing.TB
	cleanups []func()
	errs     []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

// end runs the cleanups, last registered first, as the end of a test does.
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestUnusedFaultFailsTheTest(t *testing.T) {
	tests := []struct {
		name     string
		queue    []Fault
		requests int
		clear    bool
		want     string // "" when the test passes
	}{
		{"every fault used", []Fault{{Status: 429}, {Status: 503}}, 2, false, ""},
		{"more requests than faults", []Fault{{Status: 500}}, 3, false, ""},
		{"one fault unused", []Fault{{Status: 429}, {Status: 403, Reason: "SERVICE_DISABLED"}}, 1, false, "1 queued fault(s) never answered a request: 403 SERVICE_DISABLED"},
		{"none used", []Fault{{Drop: true}}, 0, false, "1 queued fault(s) never answered a request: drop"},
		{"cleared", []Fault{{Status: 429}}, 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := New(rec)
			srv.Inject(tt.queue...)
			for range tt.requests {
				resp, err := http.Get(srv.URL() + "/v4/spreadsheets/none")
				if err == nil {
					resp.Body.Close()
				}
			}
			if tt.clear {
				srv.ClearFaults()
			}
			rec.end()
			got := strings.Join(rec.errs, "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("the check reported %q, want %q", got, tt.want)
			}
		})
	}
}
