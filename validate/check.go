package validate

import (
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The codes of the findings copsync produces. Each has a message in the
// catalogue under "finding." + code.
const (
	CodeJurisdictionMissing = "coverage.jurisdiction-missing"
	CodeOrderMissing        = "coverage.order-missing"
	CodeColumnMissing       = "sheet.column-missing"
	CodeSheetEmpty          = "sheet.empty"

	CodeMemberFieldMissing        = "member.field-missing"
	CodeMemberEmailInvalid        = "member.email-invalid"
	CodeMemberEmailDuplicate      = "member.email-duplicate"
	CodeMemberJurisdictionUnknown = "member.jurisdiction-unknown"
	CodeMemberJurisdictionMissing = "member.jurisdiction-missing"
	CodeMemberOrderUnknown        = "member.order-unknown"
	CodeMemberStatusUnknown       = "member.status-unknown"

	CodeIssueIncomplete   = "issue.incomplete"
	CodeIssueTextMissing  = "issue.text-missing"
	CodeIssueValueInvalid = "issue.value-invalid"
	CodeIssueOverdue      = "issue.overdue"
	CodeIssueDateInvalid  = "issue.date-invalid"

	CodeActivityDateInvalid = "activity.date-invalid"
	CodeActivityTypeUnknown = "activity.type-unknown"

	CodeRuleRequired     = "rule.required"
	CodeRuleValueInvalid = "rule.value-invalid"
	CodeRulePattern      = "rule.pattern"
	CodeRuleEmailInvalid = "rule.email-invalid"
	CodeRuleDuplicate    = "rule.duplicate"
	CodeRuleDateInvalid  = "rule.date-invalid"
)

// Codes lists every finding code with its default severity.
var Codes = map[string]Severity{
	CodeJurisdictionMissing:       Warning,
	CodeOrderMissing:              Warning,
	CodeColumnMissing:             Error,
	CodeSheetEmpty:                Warning,
	CodeMemberFieldMissing:        Error,
	CodeMemberEmailInvalid:        Error,
	CodeMemberEmailDuplicate:      Error,
	CodeMemberJurisdictionUnknown: Error,
	CodeMemberJurisdictionMissing: Error,
	CodeMemberOrderUnknown:        Error,
	CodeMemberStatusUnknown:       Warning,
	CodeIssueIncomplete:           Warning,
	CodeIssueTextMissing:          Error,
	CodeIssueValueInvalid:         Error,
	CodeIssueOverdue:              Warning,
	CodeIssueDateInvalid:          Warning,
	CodeActivityDateInvalid:       Warning,
	CodeActivityTypeUnknown:       Warning,
	CodeRuleRequired:              Error,
	CodeRuleValueInvalid:          Error,
	CodeRulePattern:               Error,
	CodeRuleEmailInvalid:          Error,
	CodeRuleDuplicate:             Error,
	CodeRuleDateInvalid:           Error,
}

// Issue is one row of the issues register, as the report shows it.
type Issue struct {
	Row         int
	Issue       string
	Criticality string
	Incidence   string
	ActionPlan  string
	Owner       string
	Status      string
	TargetDate  time.Time // zero when absent or unreadable
	TargetText  string
}

// Activity is one row of the activities sheet.
type Activity struct {
	Row         int
	Date        time.Time // zero when absent or unreadable
	DateText    string
	Planned     bool
	Theme       string
	Description string
}

// JurisdictionCount is the membership of one province or territory.
type JurisdictionCount struct {
	Code string `json:"code"`
	// Coverage counts the active members of the coverage orders
	// (provincial/territorial by default); Other the other active members.
	Coverage    int  `json:"coverage_members"`
	Other       int  `json:"other_members"`
	Represented bool `json:"represented"`
}

// Summary is the membership summary of the seed report, plus counts of the
// findings.
type Summary struct {
	MembersTotal           int                 `json:"members_total"`
	MembersActive          int                 `json:"members_active"`
	FederalOrganizations   int                 `json:"federal_organizations"`
	PTOrganizations        int                 `json:"pt_organizations"`
	MunicipalOrganizations int                 `json:"municipal_organizations"`
	Organizations          map[string]int      `json:"organizations_by_order"`
	MembersByOrder         map[string]int      `json:"members_by_order"`
	Jurisdictions          []JurisdictionCount `json:"jurisdictions"`
	JurisdictionsMissing   []string            `json:"jurisdictions_missing"`
	OrdersMissing          []string            `json:"orders_missing"`
	IssuesTotal            int                 `json:"issues_total"`
	IssuesIncomplete       int                 `json:"issues_incomplete"`
	Errors                 int                 `json:"errors"`
	Warnings               int                 `json:"warnings"`
	Infos                  int                 `json:"infos"`
}

// Result is what a validation found.
type Result struct {
	Summary    Summary
	Findings   []Finding
	Issues     []Issue
	Activities []Activity
	// Origins are the tables validated, by source: the first sheet read
	// of each.
	Origins map[string]Origin
	// Sheets are every sheet read, in the order read, with the rows set
	// aside under each table.
	Sheets []SheetRead
}

// SheetRead is one sheet read as a table of a source.
type SheetRead struct {
	Origin Origin `json:"-"`
	Source string `json:"source"`
	Sheet  string `json:"sheet"`
	// HeaderFirst and HeaderRow are the first and last rows of the header
	// block.
	HeaderFirst int `json:"header_first"`
	HeaderRow   int `json:"header_row"`
	// Records counts the rows checked (blank rows aside).
	Records  int        `json:"records"`
	SetAside []SetAside `json:"set_aside"`
}

// SheetsOf returns the titles of the sheets read of source, in order.
func (r *Result) SheetsOf(source string) []string {
	var out []string
	for _, s := range r.Sheets {
		if s.Source == source {
			out = append(out, s.Sheet)
		}
	}
	return out
}

// Max returns the most serious severity among the findings, and false when
// there are none.
func (r *Result) Max() (Severity, bool) {
	if len(r.Findings) == 0 {
		return Info, false
	}
	m := Info
	for _, f := range r.Findings {
		m = max(m, f.Severity)
	}
	return m, true
}

// Validator runs the checks over tables given row by row, so that a sheet of
// any size is validated without being held in memory. Use New, then Table
// for each source read, then Result.
type Validator struct {
	rules   Rules
	cat     *Catalogue
	orders  *Orders
	schemas map[string]Schema

	findings   []Finding
	issues     []Issue
	activities []Activity
	origins    map[string]Origin
	sheets     []SheetRead
	// placeholders are the Keys of the texts that mean "not yet given";
	// marks those that are only punctuation (?, -, —), compared as
	// written.
	placeholders map[string]bool
	marks        map[string]bool
	longest      int
	seen         memo[bool] // short values and whether each is a placeholder
	leads        [256]bool  // the first bytes (| 0x20) placeholders begin with
	// written holds, for the row being checked, the placeholder each field
	// held (the field then counts as blank).
	written []fieldText

	// membership state
	sawMembers bool
	total      int
	active     int
	orgs       map[string]map[string]bool // order code → distinct organization keys
	byOrder    map[string]int
	coverage   map[string]int
	other      map[string]int
	// emails maps the hash of each lower-cased e-mail address to the row
	// it was first seen on: 12 bytes a member, not the address itself, so
	// that a large sheet is checked for duplicates in little memory (two of
	// 600,000 addresses share a 64-bit hash about once in 10^8 runs).
	emails           map[uint64]int32
	emailSeed        maphash.Seed
	activeKeys       map[string]bool // Key of each active status
	inactiveKeys     map[string]bool // Key of each inactive status
	statuses         memo[int8]      // what each status text seen means
	orderOf          memo[orderHit]  // the order each text seen names
	placeOf          memo[placeHit]  // the province or territory each text seen names
	orgKeys          memo[string]    // the Key of each organization seen
	unique           map[string]map[string]int
	issuesIncomplete int
	// keysSeen counts the records of each key that is not a unique valid
	// e-mail address (see identity); keySource, keyRow and keyCached keep
	// the current row's key.
	keysSeen                       map[string]int
	keySource, keySheet, keyCached string
	keyRow                         int
	table                          int // the index in sheets of the table being checked
	// personal holds source + "\x00" + field for each personal field.
	personal map[string]bool
}

// New returns a validator for the rules, with messages from cat.
func New(r Rules, cat *Catalogue) *Validator {
	v := &Validator{
		rules:    r,
		cat:      cat,
		orders:   NewOrders(r.ExtraOrders),
		schemas:  map[string]Schema{},
		origins:  map[string]Origin{},
		orgs:     map[string]map[string]bool{},
		byOrder:  map[string]int{},
		coverage: map[string]int{},
		other:    map[string]int{},
		emails:   map[uint64]int32{},
		unique:   map[string]map[string]int{},
	}
	for name, s := range DefaultSchemas() {
		v.schemas[name] = s.WithAliases(r.Fields[name])
	}
	v.emailSeed = maphash.MakeSeed()
	pf := r.PersonalFields
	if pf == nil {
		pf = DefaultPersonalFields()
	}
	v.personal = map[string]bool{}
	for src, fields := range pf {
		for _, f := range fields {
			v.personal[src+"\x00"+f] = true
		}
	}
	for _, c := range r.Custom {
		if c.Personal {
			v.personal[c.Source+"\x00"+c.Field] = true
		}
	}
	v.activeKeys, v.inactiveKeys = keySet(r.ActiveStatuses), keySet(r.InactiveStatuses)
	v.placeholders, v.marks = map[string]bool{}, map[string]bool{}
	for _, p := range r.Placeholders {
		p = strings.TrimSpace(p)
		if k := Key(p); k != "" {
			v.placeholders[k] = true
		} else if p != "" {
			v.marks[p] = true
		}
		v.longest = max(v.longest, len(p))
		if p != "" {
			v.leads[p[0]|0x20] = true
			if k := Key(p); k != "" {
				v.leads[k[0]|0x20] = true // "À venir" may be written "A venir"
			}
		}
	}
	return v
}

// fieldText is a field and the text written in it.
type fieldText struct{ field, text string }

// isPlaceholder reports whether s (trimmed) says a value is not given yet.
// Answers are remembered (see memo).
func (v *Validator) isPlaceholder(s string) bool {
	if s == "" || len(s) > v.longest+2 || !v.leads[s[0]|0x20] {
		return false
	}
	return v.seen.get(s, func(s string) bool {
		if v.marks[s] {
			return true
		}
		k := Key(s)
		return k != "" && v.placeholders[k]
	})
}

// fieldPlaceholder reports whether s is one of the placeholders declared
// for this field only.
func (v *Validator) fieldPlaceholder(source, field, s string) bool {
	list := v.rules.FieldPlaceholders[source][field]
	if len(list) == 0 || s == "" {
		return false
	}
	k := Key(s)
	for _, p := range list {
		if strings.TrimSpace(p) == s || k != "" && Key(p) == k {
			return true
		}
	}
	return false
}

// placeholder returns the placeholder written in field of the row being
// checked, or "".
func (v *Validator) placeholder(field string) string {
	for _, w := range v.written {
		if w.field == field {
			return w.text
		}
	}
	return ""
}

// blankPlaceholders returns r with the cells that hold a placeholder made
// blank (a copy when there is one), and notes what they held.
func (v *Validator) blankPlaceholders(source string, h Header, r Row) Row {
	v.written = v.written[:0]
	if v.longest == 0 && len(v.rules.FieldPlaceholders) == 0 {
		return r
	}
	copied := false
	for _, c := range h.Columns {
		if c.Field == "" || c.Index >= len(r.Cells) {
			continue
		}
		s := r.Cells[c.Index].Value.Trimmed()
		if !v.isPlaceholder(s) && !v.fieldPlaceholder(source, c.Field, s) || v.allowedValue(source, c.Field, s) {
			continue
		}
		if !copied {
			r.Cells = append([]Cell(nil), r.Cells...)
			copied = true
		}
		v.written = append(v.written, fieldText{c.Field, s})
		r.Cells[c.Index].Value = Value{}
		if r.Cells[c.Index].Ref == "" {
			r.Cells[c.Index].Ref = CellRef(c.Index, r.Num)
		}
	}
	return r
}

// allowedValue reports whether s is an allowed value of a field that has a
// list of them, so that a placeholder spelling that is also a value ("À
// venir", a planned activity) keeps its meaning.
func (v *Validator) allowedValue(source, field, s string) bool {
	switch {
	case source == SourceActivities && field == FieldType:
		_, ok := v.rules.ActivityTypes.Lookup(s)
		return ok
	case source == SourceIssues && (field == FieldCriticality || field == FieldIncidence):
		_, ok := v.rules.Levels.Lookup(s)
		return ok
	}
	return false
}

// keySet returns the Keys of the values.
func keySet(values []string) map[string]bool {
	m := make(map[string]bool, len(values))
	for _, s := range values {
		m[Key(s)] = true
	}
	return m
}

// Schema returns the fields of a source with the configured aliases, for
// readers to detect its header row.
func (v *Validator) Schema(source string) Schema { return v.schemas[source] }

// Orders returns the orders of government the validator knows.
func (v *Validator) Orders() *Orders { return v.orders }

// Check validates whole tables at once.
func Check(r Rules, cat *Catalogue, tables ...Table) *Result {
	v := New(r, cat)
	for _, t := range tables {
		add := v.Table(t.Origin, t.Header)
		for row := range t.All() {
			add(row)
		}
	}
	return v.Result()
}

// Table starts the validation of a table read from origin o with header h,
// and returns the function to call with each of its data rows, in order.
// Blank rows may be given; they are ignored.
func (v *Validator) Table(o Origin, h Header) func(Row) {
	if _, ok := v.origins[o.Source]; !ok {
		v.origins[o.Source] = o
	}
	first, last := h.Rows()
	v.sheets = append(v.sheets, SheetRead{Origin: o, Source: o.Source, Sheet: o.Sheet, HeaderFirst: first, HeaderRow: last, SetAside: []SetAside{}})
	t := &tableCheck{v: v, o: o, h: h, index: len(v.sheets) - 1}
	switch o.Source {
	case SourceMembers:
		v.sawMembers = true
		t.required = v.rules.MemberRequired
		t.members = memberColumns(h, t.required)
	case SourceIssues:
		t.required = append([]string{FieldIssue}, v.rules.IssueRequired...)
	case SourceActivities:
		t.required = nil
	}
	for _, f := range t.required {
		if h.Col(f) < 0 {
			v.add(o, CodeColumnMissing, Finding{Row: h.Row, Field: f, Key: f}, map[string]string{},
				o.Source, "column", f)
		}
	}
	for _, r := range v.rules.Custom {
		if r.Source == o.Source && h.Col(r.Field) < 0 && r.Required {
			v.add(o, CodeColumnMissing, Finding{Row: h.Row, Field: r.Field, Key: r.Field}, nil,
				o.Source, "column", r.Field)
		}
	}
	return t.row
}

// SetAside notes rows of the table read from o that are not records (notes,
// totals under the table), so that what was not checked is said.
func (v *Validator) SetAside(o Origin, s SetAside) {
	for i := len(v.sheets) - 1; i >= 0; i-- {
		if v.sheets[i].Source == o.Source && v.sheets[i].Sheet == o.Sheet {
			v.sheets[i].SetAside = append(v.sheets[i].SetAside, s)
			return
		}
	}
}

var _ Sink = (*Validator)(nil)

type tableCheck struct {
	v        *Validator
	o        Origin
	h        Header
	members  memberCols // a membership's columns
	required []string
	rows     int
	index    int // in v.sheets
}

func (t *tableCheck) row(r Row) {
	if r.IsBlank() {
		return
	}
	t.rows++
	t.v.sheets[t.index].Records++
	t.v.table = t.index
	r = t.v.blankPlaceholders(t.o.Source, t.h, r)
	switch t.o.Source {
	case SourceMembers:
		t.v.member(t, r)
	case SourceIssues:
		t.v.issue(t.o, t.h, r)
	case SourceActivities:
		t.v.activity(t.o, t.h, r)
	}
	t.v.custom(t.o, t.h, r)
}

// memberCols are the sheet columns of a membership's fields (-1 when the
// header has none), found once for all its rows.
type memberCols struct {
	email, org, order, place, status int
	required                         []fieldCol // the required fields the header has
}

// fieldCol is a field and its sheet column.
type fieldCol struct {
	field string
	col   int
}

func memberColumns(h Header, required []string) memberCols {
	mc := memberCols{email: h.Col(FieldEmail), org: h.Col(FieldOrganization),
		order: h.Col(FieldOrder), place: h.Col(FieldJurisdiction), status: h.Col(FieldStatus)}
	for _, f := range required {
		if col := h.Col(f); col >= 0 {
			mc.required = append(mc.required, fieldCol{f, col})
		}
	}
	return mc
}

// at returns the trimmed text of column col (0-based) of row r, "" when
// col is -1 or the row holds nothing there.
func at(r Row, col int) string {
	if col < 0 || col >= len(r.Cells) {
		return ""
	}
	return r.Cells[col].Value.Trimmed()
}

// ref returns the address of column col of row r, "" when col is -1.
func ref(r Row, col int) string {
	if col < 0 {
		return ""
	}
	return r.Cell(col).Ref
}

// text returns the trimmed text of field in row r, and its cell.
func text(h Header, r Row, field string) (string, Cell) {
	col := h.Col(field)
	if col < 0 {
		return "", Cell{}
	}
	c := r.Cell(col)
	return c.Value.Trimmed(), c
}

// severity returns the configured severity of code.
func (v *Validator) severity(code string) Severity {
	if s, ok := v.rules.Severity[code]; ok {
		return s
	}
	return Codes[code]
}

// add records a finding: code, location in origin o, the message params,
// and the parts that identify the problem across runs. A finding about a
// personal field has its value ("value" and Key) marked personal.
func (v *Validator) add(o Origin, code string, f Finding, params map[string]string, idParts ...string) *Finding {
	f.Code = code
	f.Severity = v.severity(code)
	f.Source = o.Source
	f.Sheet = o.Sheet
	if f.Cell != "" {
		f.Link = o.Link(f.Cell)
	} else if f.Row > 0 {
		f.Link = o.Link(CellRef(0, f.Row))
	}
	if len(params) > 0 {
		f.Params = maps.Clone(params)
	}
	if f.Field != "" && v.personal[o.Source+"\x00"+f.Field] {
		f.Personal = f.Key != ""
		if _, ok := params["value"]; ok {
			f.PersonalParams = []string{"value"}
		}
	}
	f.ID = findingID(append([]string{code, o.Source}, idParts...)...)
	v.findings = append(v.findings, f)
	return &v.findings[len(v.findings)-1]
}

// fieldName returns a field's name in English and French.
func (v *Validator) fieldName(field string) (en, fr string) { return fieldName(v.cat, field) }

// fieldName returns a field's name in English and French from cat: its
// catalogue text, or the field itself for a field declared in the
// configuration.
func fieldName(cat *Catalogue, field string) (en, fr string) {
	if cat != nil && cat.Has("field."+field) {
		return cat.Both("field."+field, nil)
	}
	return field, field
}

func (v *Validator) fieldNames(fields []string) (en, fr string) {
	var e, f []string
	for _, x := range fields {
		a, b := v.fieldName(x)
		e, f = append(e, a), append(f, b)
	}
	return joinAnd(e, " and "), joinAnd(f, " et ")
}

func joinAnd(s []string, and string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + and + s[len(s)-1]
}

// identity names a record across runs, for the ids of its findings: what
// identifies it — a member by a valid e-mail address, else by name; an
// issue by its text; an activity by its theme and description — or, when
// it has none of these, the row's content. Never the row number (rows move)
// nor a bad value alone (rows share bad values). Two records with the same
// key in one source take #2, #3… in the order they are read, so that
// distinct records always have distinct ids.
func (v *Validator) identity(o Origin, h Header, r Row) string {
	if v.keyRow == r.Num && v.keySource == o.Source && v.keySheet == o.Sheet && r.Num > 0 {
		return v.keyCached
	}
	key := ""
	switch o.Source {
	case SourceMembers:
		if s, _ := text(h, r, FieldEmail); s != "" && ValidEmail(s) {
			key = FieldEmail + ":" + Key(s)
			// Most rows end here: their address is unique, which the
			// duplicate check already knows, so nothing more is kept.
			hash := maphash.String(v.emailSeed, strings.ToLower(s))
			if seen, ok := v.emails[hash]; !ok || seen == int32(v.table<<rowBits|r.Num) {
				return v.cacheKey(o, r, key)
			}
		} else if s, _ := text(h, r, FieldName); s != "" {
			key = FieldName + ":" + Key(s)
		}
	case SourceIssues:
		if s, _ := text(h, r, FieldIssue); s != "" {
			key = "issue:" + Key(s)
		}
	case SourceActivities:
		theme, _ := text(h, r, FieldTheme)
		desc, _ := text(h, r, FieldDescription)
		if theme != "" || desc != "" {
			key = "activity:" + Key(theme+" "+desc)
		}
	}
	if key == "" {
		var b strings.Builder
		for _, c := range r.Cells {
			b.WriteString(Key(c.Value.Trimmed()))
			b.WriteByte(0)
		}
		key = "row:" + findingID(b.String())
	}
	if v.keysSeen == nil {
		v.keysSeen = map[string]int{}
	}
	k := o.Source + "\x00" + key
	if v.keysSeen[k] == 0 && strings.HasPrefix(key, FieldEmail+":") {
		v.keysSeen[k] = 1 // a duplicate address: its first row took the plain key
	}
	v.keysSeen[k]++
	if n := v.keysSeen[k]; n > 1 {
		key += "#" + strconv.Itoa(n)
	}
	return v.cacheKey(o, r, key)
}

func (v *Validator) cacheKey(o Origin, r Row, key string) string {
	v.keySource, v.keySheet, v.keyRow, v.keyCached = o.Source, o.Sheet, r.Num, key
	return key
}

func (v *Validator) member(t *tableCheck, r Row) {
	o, h, mc := t.o, t.h, &t.members
	v.total++
	email, ec := at(r, mc.email), mc.email
	valid := email != "" && ValidEmail(email)
	var (
		hash uint64
		seen int32
		dup  bool
	)
	if valid {
		hash = maphash.String(v.emailSeed, strings.ToLower(email))
		seen, dup = v.emails[hash]
	}
	// The row's id is worded only for a finding when the row has a unique
	// valid address (identity's fast path, which counts nothing); any other
	// row is counted by identity now, in reading order.
	var id string
	ident := func() string {
		if id == "" {
			id = v.identity(o, h, r)
		}
		return id
	}
	if !valid || dup && seen != int32(v.table<<rowBits|r.Num) {
		ident()
	}
	for _, fc := range mc.required {
		f := fc.field
		if at(r, fc.col) == "" {
			fd := v.add(o, CodeMemberFieldMissing, Finding{Row: r.Num, Cell: ref(r, fc.col), Field: f}, nil, ident(), f)
			if w := v.placeholder(f); w != "" {
				// A placeholder is one of the configured texts that mean
				// "not given yet": never personal data, whatever the field.
				fd.Key = w
				fd.MessageKey = "finding.member.field-placeholder"
				fd.Params = map[string]string{"value": w}
			}
		}
	}

	switch {
	case email == "":
	case !valid:
		v.add(o, CodeMemberEmailInvalid, Finding{Row: r.Num, Cell: ref(r, ec), Field: FieldEmail, Key: email}, nil, ident())
	case dup:
		first, table := int32(seen&rowMask), int(seen>>rowBits)
		p := map[string]string{"other_row": strconv.Itoa(int(first))}
		fd := v.add(o, CodeMemberEmailDuplicate, Finding{Row: r.Num, Cell: ref(r, ec), Field: FieldEmail, Key: email},
			p, ident())
		if table != v.table && table < len(v.sheets) {
			fd.Params["other_sheet"] = v.sheets[table].Sheet
			fd.MessageKey = "finding.member.email-duplicate-sheet"
		}
	case r.Num <= rowMask && v.table < 1<<(31-rowBits):
		v.emails[hash] = int32(v.table<<rowBits | r.Num)
	}

	orderText, oc := at(r, mc.order), mc.order
	oh := v.orderOf.get(orderText, func(s string) orderHit {
		o, ok := v.orders.Lookup(s)
		return orderHit{o, ok}
	})
	order, orderOK := oh.order, oh.ok
	if orderText != "" && !orderOK {
		s := v.orders.Suggest(orderText)
		v.add(o, CodeMemberOrderUnknown, Finding{Row: r.Num, Cell: ref(r, oc), Field: FieldOrder, Key: orderText, Suggestion: s.EN},
			map[string]string{"value": orderText, "suggestion_en": s.EN, "suggestion_fr": s.FR}, ident(), Key(orderText))
	}

	jText, jc := at(r, mc.place), mc.place
	jh := v.placeOf.get(jText, func(s string) placeHit {
		j, ok := LookupJurisdiction(s)
		return placeHit{j, ok}
	})
	j, jOK := jh.place, jh.ok
	if jText != "" && !jOK {
		s := SuggestJurisdiction(jText)
		v.add(o, CodeMemberJurisdictionUnknown, Finding{Row: r.Num, Cell: ref(r, jc), Field: FieldJurisdiction, Key: jText, Suggestion: s.EN},
			map[string]string{"value": jText, "suggestion_en": s.EN, "suggestion_fr": s.FR}, ident(), Key(jText))
	}
	if jText == "" && orderOK && slices.Contains(v.rules.JurisdictionRequiredFor, order.Code) && mc.place >= 0 {
		v.add(o, CodeMemberJurisdictionMissing, Finding{Row: r.Num, Cell: ref(r, jc), Field: FieldJurisdiction, Key: order.Code},
			map[string]string{"order_en": strings.ToLower(order.EN), "order_fr": strings.ToLower(order.FR)}, ident())
	}

	statusText, sc := at(r, mc.status), mc.status
	active := false
	switch {
	case sc < 0:
		active = true // without a status column, every member counts as active
	case statusText == "":
	case v.statusOf(statusText) == statusActive:
		active = true
	case v.statusOf(statusText) == statusInactive:
	default:
		v.add(o, CodeMemberStatusUnknown, Finding{Row: r.Num, Cell: ref(r, sc), Field: FieldStatus, Key: statusText},
			map[string]string{"value": statusText}, ident(), Key(statusText))
	}
	if !active || !orderOK {
		return
	}
	v.active++
	v.byOrder[order.Code]++
	if org := at(r, mc.org); org != "" {
		k := v.orgKeys.get(org, Key)
		if order.Code != OrderFederal && jOK {
			k = j.Code + ":" + k
		}
		if v.orgs[order.Code] == nil {
			v.orgs[order.Code] = map[string]bool{}
		}
		v.orgs[order.Code][k] = true
	}
	if jOK {
		if slices.Contains(v.rules.CoverageOrders, order.Code) {
			v.coverage[j.Code]++
		} else {
			v.other[j.Code]++
		}
	}
}

// orderHit is what Orders.Lookup answers.
type orderHit struct {
	order Order
	ok    bool
}

// placeHit is what LookupJurisdiction answers.
type placeHit struct {
	place Jurisdiction
	ok    bool
}

// The meanings of a member's status.
const (
	statusUnknown int8 = iota
	statusActive
	statusInactive
)

// statusOf returns what status s (trimmed) means.
func (v *Validator) statusOf(s string) int8 {
	return v.statuses.get(s, func(s string) int8 {
		k := Key(s)
		switch {
		case v.activeKeys[k]:
			return statusActive
		case v.inactiveKeys[k]:
			return statusInactive
		}
		return statusUnknown
	})
}

func matchAny(s string, list []string) bool {
	k := Key(s)
	for _, x := range list {
		if Key(x) == k {
			return true
		}
	}
	return false
}

func (v *Validator) issue(o Origin, h Header, r Row) {
	text0, ic := text(h, r, FieldIssue)
	is := Issue{Row: r.Num, Issue: text0}
	is.Criticality, _ = text(h, r, FieldCriticality)
	is.Incidence, _ = text(h, r, FieldIncidence)
	is.ActionPlan, _ = text(h, r, FieldActionPlan)
	is.Owner, _ = text(h, r, FieldOwner)
	is.Status, _ = text(h, r, FieldStatus)
	id := v.identity(o, h, r)
	if text0 == "" {
		if h.Col(FieldIssue) >= 0 {
			v.add(o, CodeIssueTextMissing, Finding{Row: r.Num, Cell: ic.Ref, Field: FieldIssue}, nil, id)
		}
	} else {
		v.issuesIncomplete0(o, h, r, id)
	}
	for _, f := range []string{FieldCriticality, FieldIncidence} {
		s, c := text(h, r, f)
		if s == "" {
			continue
		}
		if _, ok := v.rules.Levels.Lookup(s); ok {
			continue
		}
		p := map[string]string{"value": s, "allowed_en": v.rules.Levels.Labels("en"), "allowed_fr": v.rules.Levels.Labels("fr")}
		fd := Finding{Row: r.Num, Cell: c.Ref, Field: f, Key: s}
		if sg, ok := v.rules.Levels.Suggest(s); ok {
			fd.Suggestion = sg.EN
		}
		v.add(o, CodeIssueValueInvalid, fd, p, id, f)
	}
	if col := h.Col(FieldTargetDate); col >= 0 {
		c := r.Cell(col)
		is.TargetText = c.Value.Trimmed()
		if !c.Value.IsBlank() {
			d, ok := ParseDate(c.Value, o.Date1904)
			if !ok {
				v.add(o, CodeIssueDateInvalid, Finding{Row: r.Num, Cell: c.Ref, Field: FieldTargetDate, Key: c.Value.Trimmed()},
					map[string]string{"value": c.Value.Trimmed()}, id)
			} else {
				is.TargetDate = d
				closed := is.Status != "" && matchAny(is.Status, v.rules.ClosedStatuses)
				if !closed && text0 != "" && !v.rules.Today.IsZero() && d.Before(dayOf(v.rules.Today)) {
					v.add(o, CodeIssueOverdue, Finding{Row: r.Num, Cell: c.Ref, Field: FieldTargetDate, Key: d.Format("2006-01-02")},
						map[string]string{"date": d.Format("2006-01-02"), "date_en": ProseDate(v.cat, "en", d), "date_fr": ProseDate(v.cat, "fr", d)}, id)
				}
			}
		}
	}
	v.issues = append(v.issues, is)
}

func (v *Validator) issuesIncomplete0(o Origin, h Header, r Row, id string) {
	var missing, cells, wroteEN, wroteFR []string
	for _, f := range v.rules.IssueRequired {
		if h.Col(f) < 0 {
			continue
		}
		if s, c := text(h, r, f); s == "" {
			missing = append(missing, f)
			cells = append(cells, c.Ref)
			if w := v.placeholder(f); w != "" {
				en, fr := v.fieldName(f)
				wroteEN = append(wroteEN, en+` is "`+w+`"`)
				wroteFR = append(wroteFR, fr+"\u00a0: «\u00a0"+w+"\u00a0»")
			}
		}
	}
	if len(missing) == 0 {
		return
	}
	v.issuesIncomplete++
	en, fr := v.fieldNames(missing)
	p := map[string]string{"fields_en": en, "fields_fr": fr, "cells": strings.Join(cells, ", ")}
	fd := v.add(o, CodeIssueIncomplete, Finding{Row: r.Num, Cell: cells[0], Field: strings.Join(missing, ","), Key: strings.Join(cells, ",")},
		p, id)
	if len(wroteEN) > 0 {
		fd.Params["written_en"], fd.Params["written_fr"] = strings.Join(wroteEN, "; "), strings.Join(wroteFR, "\u00a0; ")
		fd.MessageKey = "finding.issue.incomplete-placeholder"
	}
}

func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (v *Validator) activity(o Origin, h Header, r Row) {
	a := Activity{Row: r.Num}
	a.Theme, _ = text(h, r, FieldTheme)
	a.Description, _ = text(h, r, FieldDescription)
	id := v.identity(o, h, r)
	if col := h.Col(FieldDate); col >= 0 {
		c := r.Cell(col)
		a.DateText = c.Value.Trimmed()
		if !c.Value.IsBlank() {
			if d, ok := ParseDate(c.Value, o.Date1904); ok {
				a.Date = d
			} else {
				v.add(o, CodeActivityDateInvalid, Finding{Row: r.Num, Cell: c.Ref, Field: FieldDate, Key: a.DateText},
					map[string]string{"value": a.DateText}, id)
			}
		}
	}
	typ, tc := text(h, r, FieldType)
	switch ch, ok := v.rules.ActivityTypes.Lookup(typ); {
	case ok:
		a.Planned = ch.Value == "planned"
	case typ == "":
		a.Planned = !a.Date.IsZero() && !v.rules.Today.IsZero() && !a.Date.Before(dayOf(v.rules.Today))
	default:
		v.add(o, CodeActivityTypeUnknown, Finding{Row: r.Num, Cell: tc.Ref, Field: FieldType, Key: typ},
			map[string]string{"value": typ, "allowed_en": v.rules.ActivityTypes.Labels("en"), "allowed_fr": v.rules.ActivityTypes.Labels("fr")}, id)
		a.Planned = !a.Date.IsZero() && !v.rules.Today.IsZero() && !a.Date.Before(dayOf(v.rules.Today))
	}
	v.activities = append(v.activities, a)
}

func (v *Validator) custom(o Origin, h Header, r Row) {
	for _, rule := range v.rules.Custom {
		if rule.Source != o.Source {
			continue
		}
		col := h.Col(rule.Field)
		if col < 0 {
			continue
		}
		c := r.Cell(col)
		s := c.Value.Trimmed()
		id := v.identity(o, h, r)
		f := Finding{Row: r.Num, Cell: c.Ref, Field: rule.Field}
		p := map[string]string{"rule": rule.Name, "value": s, "description_en": rule.DescriptionEN, "description_fr": rule.DescriptionFR}
		if p["description_fr"] == "" {
			p["description_fr"] = p["description_en"]
		}
		if c.Value.IsBlank() {
			if rule.Required {
				v.add(o, CodeRuleRequired, f, p, rule.Name, id).Severity = rule.Severity
			}
			continue
		}
		f.Key = s
		switch {
		case len(rule.Allowed) > 0:
			if _, ok := rule.Allowed.Lookup(s); !ok {
				if sg, ok := rule.Allowed.Suggest(s); ok {
					f.Suggestion = sg.Label("en")
				}
				p["allowed_en"], p["allowed_fr"] = rule.Allowed.Labels("en"), rule.Allowed.Labels("fr")
				v.add(o, CodeRuleValueInvalid, f, p, rule.Name, id).Severity = rule.Severity
			}
		}
		if rule.Pattern != nil && !rule.Pattern.MatchString(s) {
			p["pattern"] = rule.Pattern.String()
			v.add(o, CodeRulePattern, f, p, rule.Name, id).Severity = rule.Severity
		}
		if rule.Email && !ValidEmail(s) {
			v.add(o, CodeRuleEmailInvalid, f, p, rule.Name, id).Severity = rule.Severity
		}
		if rule.Date {
			if _, ok := ParseDate(c.Value, o.Date1904); !ok {
				v.add(o, CodeRuleDateInvalid, f, p, rule.Name, id).Severity = rule.Severity
			}
		}
		if rule.Unique {
			m := v.unique[rule.Name]
			if m == nil {
				m = map[string]int{}
				v.unique[rule.Name] = m
			}
			k := Key(s)
			if first, ok := m[k]; ok {
				p["other_row"] = strconv.Itoa(first)
				v.add(o, CodeRuleDuplicate, f, p, rule.Name, k, strconv.Itoa(r.Num-first)).Severity = rule.Severity
			} else {
				m[k] = r.Num
			}
		}
	}
}

// Result finishes the validation: it adds the coverage findings (when the
// membership was read), counts, sorts and returns everything found.
func (v *Validator) Result() *Result {
	res := &Result{Issues: v.issues, Activities: v.activities, Origins: v.origins, Sheets: v.sheets}
	s := &res.Summary
	s.IssuesTotal = 0
	for _, is := range v.issues {
		if is.Issue != "" {
			s.IssuesTotal++
		}
	}
	s.IssuesIncomplete = v.issuesIncomplete
	s.JurisdictionsMissing = []string{}
	s.OrdersMissing = []string{}
	if v.sawMembers {
		o := v.origins[SourceMembers]
		if sheets := res.SheetsOf(SourceMembers); len(sheets) > 1 {
			// Coverage is about every sheet of the membership.
			o.Sheet = strings.Join(sheets, ", ")
		}
		s.MembersTotal = v.total
		s.MembersActive = v.active
		s.Organizations = map[string]int{}
		s.MembersByOrder = map[string]int{}
		for _, ord := range v.orders.All() {
			s.Organizations[ord.Code] = len(v.orgs[ord.Code])
			s.MembersByOrder[ord.Code] = v.byOrder[ord.Code]
		}
		s.FederalOrganizations = len(v.orgs[OrderFederal])
		s.PTOrganizations = len(v.orgs[OrderPT])
		s.MunicipalOrganizations = len(v.orgs[OrderMunicipal])
		for _, j := range Jurisdictions {
			jc := JurisdictionCount{Code: j.Code, Coverage: v.coverage[j.Code], Other: v.other[j.Code], Represented: v.coverage[j.Code] > 0}
			s.Jurisdictions = append(s.Jurisdictions, jc)
			if !jc.Represented {
				s.JurisdictionsMissing = append(s.JurisdictionsMissing, j.Code)
				v.add(Origin{Source: SourceMembers, Sheet: o.Sheet, Kind: o.Kind, Path: o.Path, SpreadsheetID: o.SpreadsheetID, SheetID: o.SheetID},
					CodeJurisdictionMissing, Finding{Key: j.Code},
					map[string]string{"code": j.Code, "name_en": j.EN, "name_fr": j.FR, "name_fr_subject": Capitalize(j.FRArticle), "name_fr_de": FrenchOf(j)},
					j.Code)
			}
		}
		for _, code := range v.rules.RequiredOrders {
			if v.byOrder[code] > 0 {
				continue
			}
			ord, _ := v.orders.ByCode(code)
			s.OrdersMissing = append(s.OrdersMissing, code)
			v.add(o, CodeOrderMissing, Finding{Key: code},
				map[string]string{"order_en": strings.ToLower(ord.EN), "order_fr": strings.ToLower(ord.FR)}, code)
		}
	}
	v.findings = dropMergedRepeats(v.findings)
	detach(v.findings)
	SortFindings(v.findings)
	res.Findings = v.findings
	res.count()
	return res
}

// count sets the summary's counts of findings by severity.
func (r *Result) count() {
	s := &r.Summary
	s.Errors, s.Warnings, s.Infos = 0, 0, 0
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		default:
			s.Infos++
		}
	}
}

// DropSource removes the findings of source, one that could not be read
// whole, and counts the findings left: the summary's totals stay true.
func (r *Result) DropSource(source string) {
	r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool { return f.Source == source })
	r.count()
}

// FrenchOf returns "de" joined to the jurisdiction's French name with its
// article, as in "aucun représentant du Nunavut": de + le → du, de + les →
// des, de la, de l’, or plain de.
func FrenchOf(j Jurisdiction) string {
	a := j.FRArticle
	switch {
	case strings.HasPrefix(a, "le "):
		return "du " + a[3:]
	case strings.HasPrefix(a, "les "):
		return "des " + a[4:]
	case strings.HasPrefix(a, "la "), strings.HasPrefix(a, "l’"), strings.HasPrefix(a, "l'"):
		return "de " + a
	}
	return "de " + a
}

// rowBits is how many bits of an e-mail's entry hold its row; the bits
// above hold the table it was seen in.
const (
	rowBits = 21
	rowMask = 1<<rowBits - 1
)

// rowCodes are the codes about a row rather than about the value of a
// cell: each row of a merge keeps its own.
var rowCodes = map[string]bool{
	CodeMemberFieldMissing: true, CodeMemberJurisdictionMissing: true, CodeMemberEmailDuplicate: true,
	CodeIssueIncomplete: true, CodeIssueTextMissing: true, CodeRuleRequired: true, CodeRuleDuplicate: true,
}

// detach gives the findings copies of the texts they quote. A reader cuts
// cell texts and addresses from larger strings (a workbook's shared
// strings are one string, a row's texts another), and a finding that keeps
// a piece keeps the whole: the findings of a large sheet would hold the
// workbook's text in memory for as long as they live.
func detach(fs []Finding) {
	for i := range fs {
		f := &fs[i]
		f.Key, f.Cell = strings.Clone(f.Key), strings.Clone(f.Cell)
		for k, p := range f.Params {
			f.Params[k] = strings.Clone(p)
		}
	}
}

// dropMergedRepeats keeps one finding about the value of a merged cell: a
// value merged down over several rows is checked in each, but a person
// corrects it once, in the merge's top-left cell.
func dropMergedRepeats(fs []Finding) []Finding {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if f.Cell != "" && !rowCodes[f.Code] {
			k := f.Code + "\x00" + f.Source + "\x00" + f.Sheet + "\x00" + f.Cell + "\x00" + f.Key
			if cellRow(f.Cell) != f.Row && seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, f)
	}
	return out
}

// cellRow returns the row number of an A1 address.
func cellRow(ref string) int {
	i := strings.IndexAny(ref, "0123456789")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(ref[i:])
	return n
}
