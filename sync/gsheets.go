package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"

	"copsync/validate"
)

// The errors a Google Sheets source can fail with, for errors.Is, besides
// ErrSheetNotFound and ErrHeaderNotFound.
var (
	ErrSpreadsheetID       = errors.New("invalid spreadsheet_id")
	ErrEndpoint            = errors.New("invalid endpoint")
	ErrSpreadsheetNotFound = errors.New("spreadsheet not found")
	ErrPermissionDenied    = errors.New("permission denied")
	ErrNoCredentials       = errors.New("no Google credentials")
	ErrCredentials         = errors.New("invalid Google credentials")
	ErrQuotaExhausted      = errors.New("the Google Sheets read quota is exhausted")
	ErrUnavailable         = errors.New("the Google Sheets API is unavailable")
	ErrBadRequest          = errors.New("the Google Sheets API refused the request")
)

// The defaults of the Google Sheets client's retry policy.
const (
	// DefaultGSheetsAttempts is how many times a request is sent at most.
	DefaultGSheetsAttempts = 5
	// DefaultGSheetsBackoff is the first pause before a retry; each retry
	// doubles it, with jitter.
	DefaultGSheetsBackoff = 2 * time.Second
	// DefaultGSheetsAttemptTimeout bounds one request, so that a reply that
	// never comes is retried rather than waited for until the run's
	// deadline.
	DefaultGSheetsAttemptTimeout = 2 * time.Minute
)

// gridFields is the field mask of the one grid-data request made per
// spreadsheet, in the syntax of the Sheets API's guide (subfields after a
// dot, siblings in parentheses): tab ids and titles, typed and formatted
// values, number formats (for the snapshot's date cells) and merges.
const gridFields = "properties.title," +
	"sheets(properties(sheetId,title)," +
	"data(startRow,startColumn,rowData.values(effectiveValue,formattedValue,effectiveFormat.numberFormat))," +
	"merges)"

// metaFields is the field mask of the request that lists the tabs, made only
// when a configured tab is not found.
const metaFields = "properties.title,sheets.properties(sheetId,title)"

// GSheets is the Google Sheets client of one run. It reads each spreadsheet
// once, with one spreadsheets.get request for the grid data of every tab the
// run's sources name (Google allows 60 reads a minute per user), and keeps
// the result for the rest of the run: sources that share a spreadsheet, and
// the nightly snapshot, cost no further request.
//
// Transient failures (HTTP 429, 500, 502, 503, 504, a connection reset, a
// request that timed out) are retried with jittered exponential backoff, at
// most MaxAttempts times and never past the context's deadline; 400, 401, 403
// and 404 are never retried.
type GSheets struct {
	// MaxAttempts is how many times a request is sent at most (default
	// DefaultGSheetsAttempts).
	MaxAttempts int
	// Backoff is the pause before the first retry (default
	// DefaultGSheetsBackoff).
	Backoff time.Duration
	// AttemptTimeout bounds one request (default
	// DefaultGSheetsAttemptTimeout).
	AttemptTimeout time.Duration

	logger *slog.Logger
	plan   map[string]map[string]bool // spreadsheet key → tabs; "" means all

	mu    gosync.Mutex
	cache map[string][]*fetch
	sent  int
}

// fetch is one grid-data read of a spreadsheet, shared by the sources that
// need it.
type fetch struct {
	all  bool
	tabs map[string]bool // the tab titles asked for, as configured
	done chan struct{}
	book *gsBook
	err  error
}

// covers reports whether the fetch holds every tab of tabs ("" for all
// tabs).
func (f *fetch) covers(tabs []string) bool {
	if f.all {
		return true
	}
	for _, t := range tabs {
		if t == "" || !f.tabs[t] {
			return false
		}
	}
	return true
}

// NewGSheets returns the Google Sheets client of a run that reads sources:
// knowing them all, it reads each spreadsheet with a single request. Sources
// of other kinds are ignored. A nil logger discards.
func NewGSheets(logger *slog.Logger, sources []Source) *GSheets {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	g := &GSheets{logger: logger, plan: map[string]map[string]bool{}, cache: map[string][]*fetch{}}
	for _, src := range sources {
		if src.Kind != "gsheets" {
			continue
		}
		k := sheetKey(src)
		if g.plan[k] == nil {
			g.plan[k] = map[string]bool{}
		}
		for _, t := range src.tabs() {
			g.plan[k][t] = true
		}
	}
	return g
}

// tabs returns the tab titles a source names, or [""] (every tab) when it
// names none or names them by patterns.
func (s Source) tabs() []string {
	sel := s.Selection()
	if len(sel.Sheets) == 0 {
		return []string{""}
	}
	for _, t := range sel.Sheets {
		if strings.ContainsAny(t, "*?[") {
			return []string{""}
		}
	}
	return sel.Sheets
}

type gsheetsKey struct{}

// WithGSheets returns a context that carries g, so that Read, ReadTable and
// Snapshot read Google Sheets sources through it (and its cache) rather than
// through a client of their own.
func WithGSheets(ctx context.Context, g *GSheets) context.Context {
	return context.WithValue(ctx, gsheetsKey{}, g)
}

// GSheetsFrom returns the client that ctx carries, if it carries one.
func GSheetsFrom(ctx context.Context) (*GSheets, bool) {
	g, ok := ctx.Value(gsheetsKey{}).(*GSheets)
	return g, ok && g != nil
}

// gsheetsFrom returns the client carried by ctx, or a new one.
func gsheetsFrom(ctx context.Context) *GSheets {
	if g, ok := ctx.Value(gsheetsKey{}).(*GSheets); ok && g != nil {
		return g
	}
	return NewGSheets(nil, nil)
}

// Requests returns how many requests g has sent to the Sheets API (retries
// included).
func (g *GSheets) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sent
}

func readGSheets(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	return gsheetsFrom(ctx).ReadSource(ctx, src, schema, sink)
}

// Read reads a Google Sheets source as Read does an .xlsx one, giving begin
// each table and its records.
func (g *GSheets) Read(ctx context.Context, src Source, schema validate.Schema, begin Begin) error {
	return g.ReadSource(ctx, src, schema, begin)
}

// ReadSource reads a Google Sheets source through the layout engine as
// ReadSource does an .xlsx one: the tabs it names (or every tab whose header
// row names its fields), their header blocks, the merges of the grid data,
// the rows set aside. The rows are the same, cell for cell, as those read
// from the same content saved as .xlsx; each cell's link is its Google
// Sheets URL.
func (g *GSheets) ReadSource(ctx context.Context, src Source, schema validate.Schema, sink validate.Sink) error {
	book, fail, err := g.book(ctx, src)
	if err != nil {
		return err
	}
	err = validate.ReadSource(ctx, &gsSource{b: book, src: src}, schema, src.Selection(), sink)
	if err == nil {
		return nil
	}
	var se *validate.SheetError
	var nh *validate.NoHeaderError
	switch {
	case errors.As(err, &nh):
		if len(nh.Sheets) == 0 {
			return fail(src.sheetLabel(), fmt.Errorf("%w: the spreadsheet has no sheets", ErrMalformed))
		}
		return fail(src.sheetLabel(), fmt.Errorf("%w: no sheet has a %s header row (expected a column such as %s; the spreadsheet has %s)",
			ErrHeaderNotFound, schema.Source, strings.Join(quoteStrings(nh.Want), " or "), quoteList(book.titles)))
	case errors.As(err, &se):
		return fail(se.Sheet, se.Err)
	}
	return fail(src.sheetLabel(), err)
}

// gsSource is a spreadsheet as one source reads it, for the layout engine.
type gsSource struct {
	b   *gsBook
	src Source
}

var _ validate.Book = (*gsSource)(nil)

// Sheets returns the spreadsheet's tabs (all of them when they are known).
func (s *gsSource) Sheets() []string {
	if len(s.b.titles) > 0 {
		return s.b.titles
	}
	out := make([]string, len(s.b.tabs))
	for i, t := range s.b.tabs {
		out[i] = t.title
	}
	return out
}

// Origin returns the spreadsheet's tab as a source's origin.
func (s *gsSource) Origin(sheet string) validate.Origin {
	o := validate.Origin{Source: s.src.Name, Kind: "gsheets", Path: SpreadsheetURL(s.b.id), Sheet: sheet, SpreadsheetID: s.b.id}
	if t := s.b.tab(sheet); t != nil {
		o.SheetID = t.id
	}
	return o
}

// Open opens a tab of the grid data read.
func (s *gsSource) Open(ctx context.Context, sheet string) (validate.SheetRows, error) {
	t := s.b.tab(sheet)
	if t == nil {
		return nil, fmt.Errorf("%w (the spreadsheet has %s)", ErrSheetNotFound, quoteList(s.Sheets()))
	}
	gs := &gsRows{ctx: ctx, t: t}
	for _, m := range t.merges {
		if m == nil || m.EndRowIndex <= m.StartRowIndex || m.EndColumnIndex <= m.StartColumnIndex {
			continue
		}
		gs.merges = append(gs.merges, validate.Merge{
			Top: int(m.StartRowIndex) + 1, Bottom: int(m.EndRowIndex),
			Left: int(m.StartColumnIndex), Right: int(m.EndColumnIndex) - 1,
		})
	}
	return gs, nil
}

// gsRows is a tab open for reading.
type gsRows struct {
	ctx    context.Context
	t      *gsTab
	merges []validate.Merge
	i      int
	err    error
}

// Merges returns the tab's merged ranges.
func (r *gsRows) Merges() []validate.Merge { return r.merges }

// Next returns the tab's next row that holds a value.
func (r *gsRows) Next() (validate.Row, bool) {
	if r.err != nil || r.i >= len(r.t.rows) {
		return validate.Row{}, false
	}
	if r.i%4096 == 4095 {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			return validate.Row{}, false
		}
	}
	row := r.t.rows[r.i].row()
	r.i++
	return row, true
}

// Err returns the error that ended Next.
func (r *gsRows) Err() error { return r.err }

// Close does nothing: the grid data stays with the run's client.
func (r *gsRows) Close() error { return nil }

// book returns the spreadsheet of src, read once per run, and the function
// that makes src's errors.
func (g *GSheets) book(ctx context.Context, src Source) (*gsBook, func(string, error) error, error) {
	file := src.SpreadsheetID
	id, err := SpreadsheetID(src.SpreadsheetID)
	if err == nil {
		file = SpreadsheetURL(id)
	}
	fail := func(sheet string, err error) error {
		return &SourceError{Source: src.Name, File: file, Sheet: sheet, Err: err}
	}
	if err != nil {
		return nil, fail, fail(src.sheetLabel(), err)
	}
	k := sheetKey(src)
	g.mu.Lock()
	var f *fetch
	for _, c := range g.cache[k] {
		if c.covers(src.tabs()) {
			f = c
			break
		}
	}
	if f == nil {
		f = &fetch{tabs: map[string]bool{}, done: make(chan struct{})}
		want := g.plan[k]
		if !(&fetch{tabs: want, all: want[""]}).covers(src.tabs()) {
			want = map[string]bool{}
			for _, t := range src.tabs() {
				want[t] = true
			}
		}
		f.all = want[""]
		for t := range want {
			f.tabs[t] = true
		}
		g.cache[k] = append(g.cache[k], f)
		g.mu.Unlock()
		f.book, f.err = g.load(ctx, src, id, f)
		close(f.done)
	} else {
		g.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fail, fail(src.sheetLabel(), ctx.Err())
		}
	}
	if f.err != nil {
		return nil, fail, fail(src.sheetLabel(), f.err)
	}
	return f.book, fail, nil
}

// sheetKey names a spreadsheet as reached by a source: the same id through
// another endpoint or with other credentials is another read.
func sheetKey(src Source) string {
	id, err := SpreadsheetID(src.SpreadsheetID)
	if err != nil {
		id = src.SpreadsheetID
	}
	return src.Endpoint + "\x00" + credentialsFile(src) + "\x00" + id
}

// load reads the grid data of the tabs f asks for (all of them when f.all).
func (g *GSheets) load(ctx context.Context, src Source, id string, f *fetch) (*gsBook, error) {
	svc, key, err := g.service(ctx, src)
	if err != nil {
		return nil, err
	}
	var ranges []string
	if !f.all {
		for t := range f.tabs {
			ranges = append(ranges, t)
		}
		sort.Strings(ranges)
	}
	ss, err := g.get(ctx, svc, id, ranges, true)
	var missing []string
	var titles []string
	if err != nil && len(ranges) > 0 && isRangeError(err) {
		// A tab named in the configuration does not exist, or differs in
		// case or spacing: list the tabs, then read those that match.
		meta, merr := g.get(ctx, svc, id, nil, false)
		if merr != nil {
			return nil, explain(merr, key)
		}
		for _, s := range meta.Sheets {
			if s.Properties != nil {
				titles = append(titles, s.Properties.Title)
			}
		}
		var found []string
		for _, r := range ranges {
			if t, ok := matchTitle(titles, r); ok {
				found = append(found, t)
			} else {
				missing = append(missing, r)
			}
		}
		if len(found) == 0 {
			ss, err = meta, nil
		} else {
			ss, err = g.get(ctx, svc, id, found, true)
		}
	}
	if err != nil {
		return nil, explain(err, key)
	}
	book := newBook(id, ss)
	book.missing = missing
	if titles != nil {
		book.titles = titles
	}
	g.logger.Debug("google sheets: spreadsheet read", "source", src.Name, "spreadsheet", id, "tabs", len(book.tabs))
	return book, nil
}

// matchTitle finds title among titles as the XLSX reader finds a sheet:
// exactly, else ignoring case and surrounding spaces.
func matchTitle(titles []string, title string) (string, bool) {
	for _, t := range titles {
		if t == title {
			return t, true
		}
	}
	for _, t := range titles {
		if strings.EqualFold(strings.TrimSpace(t), strings.TrimSpace(title)) {
			return t, true
		}
	}
	return "", false
}

// a1Range returns the A1-notation range of a whole tab.
func a1Range(title string) string {
	return "'" + strings.ReplaceAll(title, "'", "''") + "'"
}

// get sends one spreadsheets.get request, retrying what is transient.
func (g *GSheets) get(ctx context.Context, svc *sheets.Service, id string, tabs []string, grid bool) (*sheets.Spreadsheet, error) {
	var ss *sheets.Spreadsheet
	err := g.retry(ctx, func(ctx context.Context) error {
		g.mu.Lock()
		g.sent++
		g.mu.Unlock()
		call := svc.Spreadsheets.Get(id).Context(ctx)
		if grid {
			call = call.IncludeGridData(true).Fields(gridFields)
		} else {
			call = call.Fields(metaFields)
		}
		if len(tabs) > 0 {
			ranges := make([]string, len(tabs))
			for i, t := range tabs {
				ranges[i] = a1Range(t)
			}
			call = call.Ranges(ranges...)
		}
		var err error
		ss, err = call.Do()
		return err
	})
	return ss, err
}

// serviceKey is what copsync knows of the credentials in use, for messages.
type serviceKey struct {
	file        string
	clientEmail string
}

// credentialsFile returns the service-account key file of src: its
// credentials_file, else (unless an endpoint is set, which then means no
// authentication) GOOGLE_APPLICATION_CREDENTIALS.
func credentialsFile(src Source) string {
	if src.CredentialsFile != "" || src.Endpoint != "" {
		return src.CredentialsFile
	}
	return os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")
}

// service returns a Sheets client for src: authenticated with the
// service-account key (read-only scope) when there is one, without
// authentication when only an endpoint is set.
func (g *GSheets) service(ctx context.Context, src Source) (*sheets.Service, *serviceKey, error) {
	opts := []option.ClientOption{
		// The client library's own logging would print requests and
		// replies (cell contents among them): keep it off.
		option.WithLogger(slog.New(slog.DiscardHandler)),
		option.WithTelemetryDisabled(),
	}
	if src.Endpoint != "" {
		ep := src.Endpoint
		if u, err := url.Parse(ep); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return nil, nil, fmt.Errorf("%w: %q is not an http(s) URL such as https://sheets.googleapis.com/", ErrEndpoint, ep)
		}
		if !strings.HasSuffix(ep, "/") {
			ep += "/"
		}
		opts = append(opts, option.WithEndpoint(ep))
	}
	var key *serviceKey
	switch file := credentialsFile(src); {
	case file != "":
		email, err := readServiceAccountKey(file)
		if err != nil {
			return nil, nil, err
		}
		key = &serviceKey{file: file, clientEmail: email}
		opts = append(opts,
			option.WithAuthCredentialsFile(option.ServiceAccount, file),
			option.WithScopes(sheets.SpreadsheetsReadonlyScope))
	case src.Endpoint != "":
		opts = append(opts, option.WithoutAuthentication())
	default:
		return nil, nil, fmt.Errorf("%w: set credentials_file (or GOOGLE_APPLICATION_CREDENTIALS) to a service-account key file, and share the spreadsheet with the service account", ErrNoCredentials)
	}
	svc, err := sheets.NewService(ctx, opts...)
	if err != nil {
		if key != nil {
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrCredentials, key.file, oneLine(err.Error()))
		}
		return nil, nil, fmt.Errorf("create the Google Sheets client: %v", oneLine(err.Error()))
	}
	return svc, key, nil
}

// SpreadsheetURL returns the address of a spreadsheet in the browser.
func SpreadsheetURL(id string) string {
	return "https://docs.google.com/spreadsheets/d/" + id + "/edit"
}

var (
	spreadsheetIDRe  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	spreadsheetURLRe = regexp.MustCompile(`/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)`)
)

// SpreadsheetID returns the id of a spreadsheet given by its id or by the
// address a person copies from the browser
// (https://docs.google.com/spreadsheets/d/ID/edit#gid=0).
func SpreadsheetID(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("%w: it is empty", ErrSpreadsheetID)
	case spreadsheetIDRe.MatchString(s):
		return s, nil
	case strings.Contains(s, "/"):
		if m := spreadsheetURLRe.FindStringSubmatch(s); m != nil {
			return m[1], nil
		}
		return "", fmt.Errorf("%w: %q is not the address of a Google spreadsheet (https://docs.google.com/spreadsheets/d/ID/edit)", ErrSpreadsheetID, s)
	}
	return "", fmt.Errorf("%w: %q holds characters a spreadsheet id cannot hold", ErrSpreadsheetID, s)
}

// gsBook is a spreadsheet as read: its tabs in order.
type gsBook struct {
	id      string
	title   string
	tabs    []*gsTab
	titles  []string // every tab of the spreadsheet, when known
	missing []string // tabs asked for that do not exist
}

// gsTab is one tab: its rows that hold at least one value, in order.
type gsTab struct {
	id     int64
	title  string
	rows   []gsRow
	merges []*sheets.GridRange
}

// gsRow is one row of a tab; cells is indexed by 0-based column and ends at
// the last cell that holds a value.
type gsRow struct {
	num   int
	cells []*sheets.CellData
}

func newBook(id string, ss *sheets.Spreadsheet) *gsBook {
	b := &gsBook{id: id}
	if ss.Properties != nil {
		b.title = ss.Properties.Title
	}
	for _, s := range ss.Sheets {
		if s == nil || s.Properties == nil {
			continue
		}
		t := &gsTab{id: s.Properties.SheetId, title: s.Properties.Title, merges: s.Merges}
		t.rows = gridRows(s.Data)
		b.tabs = append(b.tabs, t)
		b.titles = append(b.titles, t.title)
	}
	return b
}

// gridRows gathers the rows of a tab's grid data (one block per range
// read), leaving out rows that hold no value.
func gridRows(data []*sheets.GridData) []gsRow {
	byRow := map[int][]*sheets.CellData{}
	for _, d := range data {
		if d == nil {
			continue
		}
		for i, rd := range d.RowData {
			if rd == nil {
				continue
			}
			num := int(d.StartRow) + i + 1
			cells := byRow[num]
			for j, c := range rd.Values {
				if !hasValue(c) {
					continue
				}
				col := int(d.StartColumn) + j
				for len(cells) <= col {
					cells = append(cells, nil)
				}
				cells[col] = c
			}
			if cells != nil {
				byRow[num] = cells
			}
		}
	}
	rows := make([]gsRow, 0, len(byRow))
	for num, cells := range byRow {
		rows = append(rows, gsRow{num: num, cells: cells})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].num < rows[j].num })
	return rows
}

// hasValue reports whether a cell holds a value (and not only a format).
func hasValue(c *sheets.CellData) bool {
	if c == nil || c.EffectiveValue == nil {
		return false
	}
	v := c.EffectiveValue
	return v.NumberValue != nil || v.BoolValue != nil || v.ErrorValue != nil || v.StringValue != nil && *v.StringValue != ""
}

// row returns the row in the table model; columns up to the last value are
// all present, empty ones blank, as the XLSX reader gives them.
func (r gsRow) row() validate.Row {
	out := validate.Row{Num: r.num, Cells: make([]validate.Cell, len(r.cells))}
	for i, c := range r.cells {
		out.Cells[i] = validate.Cell{Ref: validate.CellRef(i, r.num), Value: cellValue(c)}
	}
	return out
}

// cellValue types a cell as the Sheets API gives it: its effective value
// typed (a number, a boolean, text, an error), its text as the
// spreadsheet shows it (formattedValue: "007", "50%", "2022-03-15"), and a
// number in a date or time format (effectiveFormat.numberFormat.type) a
// date, as the XLSX reader types the same cell; an error is its text
// (#N/A).
func cellValue(c *sheets.CellData) validate.Value {
	if c == nil || c.EffectiveValue == nil {
		return validate.Value{}
	}
	v := c.EffectiveValue
	shown := c.FormattedValue
	switch {
	case v.ErrorValue != nil:
		if shown == "" {
			shown = errorText(v.ErrorValue.Type)
		}
		return validate.Value{Kind: validate.String, Text: shown} // as from .xlsx
	case v.BoolValue != nil:
		if shown == "" {
			shown = strings.ToUpper(strconv.FormatBool(*v.BoolValue))
		}
		return validate.Value{Kind: validate.Bool, Text: shown, Bool: *v.BoolValue}
	case v.NumberValue != nil:
		n := *v.NumberValue
		if shown == "" {
			shown = strconv.FormatFloat(n, 'f', -1, 64)
		}
		if c.EffectiveFormat != nil && c.EffectiveFormat.NumberFormat != nil {
			switch c.EffectiveFormat.NumberFormat.Type {
			case "DATE", "DATE_TIME", "TIME":
				// Google counts days from 1899-12-30, as a workbook of the
				// 1900 system does from March 1900 on.
				if t, ok := validate.SerialDate(n, false); ok {
					return validate.Value{Kind: validate.Date, Text: shown, Num: n, Time: t}
				}
			}
		}
		return validate.Value{Kind: validate.Number, Text: shown, Num: n}
	case v.StringValue != nil && *v.StringValue != "":
		if shown == "" {
			shown = *v.StringValue
		}
		return validate.Value{Kind: validate.String, Text: shown}
	}
	return validate.Value{}
}

// rawValue returns the text an .xlsx file stores for the cell's value, and
// the value for a spreadsheet writer (float64, bool or string; nil when
// empty).
func rawValue(c *sheets.CellData) (string, any) {
	if c == nil || c.EffectiveValue == nil {
		return "", nil
	}
	v := c.EffectiveValue
	switch {
	case v.NumberValue != nil:
		return strconv.FormatFloat(*v.NumberValue, 'f', -1, 64), *v.NumberValue
	case v.BoolValue != nil:
		if *v.BoolValue {
			return "1", true
		}
		return "0", false
	case v.ErrorValue != nil:
		s := c.FormattedValue
		if s == "" {
			s = errorText(v.ErrorValue.Type)
		}
		return s, s
	case v.StringValue != nil && *v.StringValue != "":
		return *v.StringValue, *v.StringValue
	}
	return "", nil
}

// errorText returns the text a spreadsheet shows for an error type.
func errorText(t string) string {
	switch t {
	case "NULL_VALUE":
		return "#NULL!"
	case "DIVIDE_BY_ZERO":
		return "#DIV/0!"
	case "VALUE":
		return "#VALUE!"
	case "REF":
		return "#REF!"
	case "NAME":
		return "#NAME?"
	case "NUM":
		return "#NUM!"
	case "N_A":
		return "#N/A"
	case "LOADING":
		return "#LOADING"
	}
	return "#ERROR!"
}

// tab returns the tab titled exactly title.
func (b *gsBook) tab(title string) *gsTab {
	for _, t := range b.tabs {
		if t.title == title {
			return t
		}
	}
	return nil
}

// find returns the tab titled sheet, found as the XLSX reader finds a
// sheet.
func (b *gsBook) find(sheet string) (*gsTab, error) {
	notFound := fmt.Errorf("%w (the spreadsheet has %s)", ErrSheetNotFound, quoteList(b.titles))
	for _, m := range b.missing {
		if m == sheet {
			return nil, notFound
		}
	}
	titles := make([]string, len(b.tabs))
	for i, t := range b.tabs {
		titles[i] = t.title
	}
	t, ok := matchTitle(titles, sheet)
	if !ok {
		return nil, notFound
	}
	return b.tab(t), nil
}
