package validate

import (
	"hash/maphash"
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
	// Origins are the tables validated, by source.
	Origins map[string]Origin
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
	unique           map[string]map[string]int
	issuesIncomplete int
	// keysSeen counts the records of each key that is not a unique valid
	// e-mail address (see identity); keySource, keyRow and keyCached keep
	// the current row's key.
	keysSeen                       map[string]int
	keySource, keySheet, keyCached string
	keyRow                         int
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
	v.activeKeys, v.inactiveKeys = keySet(r.ActiveStatuses), keySet(r.InactiveStatuses)
	return v
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
		for _, row := range t.Rows {
			add(row)
		}
	}
	return v.Result()
}

// Table starts the validation of a table read from origin o with header h,
// and returns the function to call with each of its data rows, in order.
// Blank rows may be given; they are ignored.
func (v *Validator) Table(o Origin, h Header) func(Row) {
	v.origins[o.Source] = o
	t := &tableCheck{v: v, o: o, h: h}
	switch o.Source {
	case SourceMembers:
		v.sawMembers = true
		t.required = v.rules.MemberRequired
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

type tableCheck struct {
	v        *Validator
	o        Origin
	h        Header
	required []string
	rows     int
}

func (t *tableCheck) row(r Row) {
	if r.IsBlank() {
		return
	}
	t.rows++
	switch t.o.Source {
	case SourceMembers:
		t.v.member(t.o, t.h, r)
	case SourceIssues:
		t.v.issue(t.o, t.h, r)
	case SourceActivities:
		t.v.activity(t.o, t.h, r)
	}
	t.v.custom(t.o, t.h, r)
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
// and the parts that identify the problem across runs.
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
	if params == nil {
		params = map[string]string{}
	}
	params["row"] = strconv.Itoa(f.Row)
	params["cell"] = f.Cell
	params["sheet"] = o.Sheet
	if f.Field != "" {
		if _, ok := params["field_en"]; !ok {
			params["field_en"], params["field_fr"] = v.fieldName(f.Field)
		}
	}
	f.Message, f.MessageFR = v.cat.Both("finding."+code, params)
	f.Message, f.MessageFR = strings.TrimSpace(f.Message), strings.TrimSpace(f.MessageFR)
	f.ID = findingID(append([]string{code, o.Source}, idParts...)...)
	v.findings = append(v.findings, f)
	return &v.findings[len(v.findings)-1]
}

// fieldName returns a field's name in English and French.
func (v *Validator) fieldName(field string) (en, fr string) {
	if v.cat.Has("field." + field) {
		return v.cat.Both("field."+field, nil)
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
			if first, ok := v.emails[hash]; !ok || int(first) == r.Num {
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

func (v *Validator) member(o Origin, h Header, r Row) {
	v.total++
	id := v.identity(o, h, r)
	for _, f := range v.rules.MemberRequired {
		if h.Col(f) < 0 {
			continue
		}
		if s, c := text(h, r, f); s == "" {
			v.add(o, CodeMemberFieldMissing, Finding{Row: r.Num, Cell: c.Ref, Field: f}, nil, id, f)
		}
	}

	email, ec := text(h, r, FieldEmail)
	if email != "" {
		if !ValidEmail(email) {
			v.add(o, CodeMemberEmailInvalid, Finding{Row: r.Num, Cell: ec.Ref, Field: FieldEmail, Key: email, Personal: true}, nil, id)
		} else {
			k := strings.ToLower(email)
			h := maphash.String(v.emailSeed, k)
			if first, ok := v.emails[h]; ok {
				v.add(o, CodeMemberEmailDuplicate, Finding{Row: r.Num, Cell: ec.Ref, Field: FieldEmail, Key: email, Personal: true},
					map[string]string{"other_row": strconv.Itoa(int(first))}, id)
			} else {
				v.emails[h] = int32(r.Num)
			}
		}
	}

	orderText, oc := text(h, r, FieldOrder)
	order, orderOK := v.orders.Lookup(orderText)
	if orderText != "" && !orderOK {
		s := v.orders.Suggest(orderText)
		v.add(o, CodeMemberOrderUnknown, Finding{Row: r.Num, Cell: oc.Ref, Field: FieldOrder, Key: orderText, Suggestion: s.EN},
			map[string]string{"value": orderText, "suggestion_en": s.EN, "suggestion_fr": s.FR}, id, Key(orderText))
	}

	jText, jc := text(h, r, FieldJurisdiction)
	j, jOK := LookupJurisdiction(jText)
	if jText != "" && !jOK {
		s := SuggestJurisdiction(jText)
		v.add(o, CodeMemberJurisdictionUnknown, Finding{Row: r.Num, Cell: jc.Ref, Field: FieldJurisdiction, Key: jText, Suggestion: s.EN},
			map[string]string{"value": jText, "suggestion_en": s.EN, "suggestion_fr": s.FR}, id, Key(jText))
	}
	if jText == "" && orderOK && slices.Contains(v.rules.JurisdictionRequiredFor, order.Code) && h.Col(FieldJurisdiction) >= 0 {
		v.add(o, CodeMemberJurisdictionMissing, Finding{Row: r.Num, Cell: jc.Ref, Field: FieldJurisdiction, Key: order.Code},
			map[string]string{"order_en": strings.ToLower(order.EN), "order_fr": strings.ToLower(order.FR)}, id)
	}

	statusText, sc := text(h, r, FieldStatus)
	active := false
	switch {
	case h.Col(FieldStatus) < 0:
		active = true // without a status column, every member counts as active
	case statusText == "":
	case v.activeKeys[Key(statusText)]:
		active = true
	case v.inactiveKeys[Key(statusText)]:
	default:
		v.add(o, CodeMemberStatusUnknown, Finding{Row: r.Num, Cell: sc.Ref, Field: FieldStatus, Key: statusText},
			map[string]string{"value": statusText}, id, Key(statusText))
	}
	if !active || !orderOK {
		return
	}
	v.active++
	v.byOrder[order.Code]++
	if org, _ := text(h, r, FieldOrganization); org != "" {
		k := Key(org)
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
	var missing, cells []string
	for _, f := range v.rules.IssueRequired {
		if h.Col(f) < 0 {
			continue
		}
		if s, c := text(h, r, f); s == "" {
			missing = append(missing, f)
			cells = append(cells, c.Ref)
		}
	}
	if len(missing) == 0 {
		return
	}
	v.issuesIncomplete++
	en, fr := v.fieldNames(missing)
	v.add(o, CodeIssueIncomplete, Finding{Row: r.Num, Cell: cells[0], Field: strings.Join(missing, ","), Key: strings.Join(cells, ",")},
		map[string]string{"fields_en": en, "fields_fr": fr, "cells": strings.Join(cells, ", ")}, id)
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
		f := Finding{Row: r.Num, Cell: c.Ref, Field: rule.Field, Personal: rule.Source == SourceMembers}
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
	res := &Result{Issues: v.issues, Activities: v.activities, Origins: v.origins}
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
					map[string]string{"code": j.Code, "name_en": j.EN, "name_fr": j.FR, "name_fr_subject": capitalize(j.FRArticle), "name_fr_de": FrenchOf(j)},
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
	SortFindings(v.findings)
	res.Findings = v.findings
	for _, f := range v.findings {
		switch f.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		default:
			s.Infos++
		}
	}
	return res
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
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
