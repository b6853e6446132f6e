package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Severity is how serious a finding is.
type Severity int

// The severities, from least to most serious.
const (
	Info Severity = iota
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses "info", "warning" or "error" (any case).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one thing wrong or missing in the sources. Its ID stays the
// same from one run to the next while the problem stays, so that runs can be
// compared. A finding holds no text: it carries its code, the catalogue key
// of its message and the message's parameters, and is worded where it is
// shown (Text), in the reader's language, with or without the values that
// are personal data.
type Finding struct {
	ID       string   `json:"id"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Source   string   `json:"source"`
	Sheet    string   `json:"sheet,omitempty"`
	Row      int      `json:"row,omitempty"`
	Cell     string   `json:"cell,omitempty"`
	Field    string   `json:"field,omitempty"`
	// Key is the value concerned: a province code, an order, the value
	// found in the cell.
	Key string `json:"key,omitempty"`
	// Suggestion is the closest valid value, for a value that is not valid.
	Suggestion string `json:"suggestion,omitempty"`
	// MessageKey is the catalogue key of the finding's message; empty
	// means "finding." + Code.
	MessageKey string `json:"-"`
	// Params are the message's parameters, by placeholder name. The row,
	// cell, sheet and field names are added when the finding is worded.
	Params map[string]string `json:"-"`
	// PersonalParams names the Params that hold personal data: the
	// values of a personal field (see Rules.PersonalFields).
	PersonalParams []string `json:"-"`
	// Link points at the cell in its source: a file link or a Google Sheets
	// URL.
	Link string `json:"link,omitempty"`
	// Personal reports whether Key holds personal data: the value of a
	// personal field (a member's name or e-mail address by default).
	Personal bool `json:"personal,omitempty"`
}

// Disclosure says whether a place that shows findings may show the values
// that are personal data.
type Disclosure int

const (
	// Withhold leaves personal values out, each replaced by a neutral
	// wording: the e-mail, its attachment and the state file.
	Withhold Disclosure = iota
	// Disclose shows them: the secretariat's own terminal and JSON
	// output, and the report kept on its disk.
	Disclose
)

// withheldSuffix ends the key of a message's variant for when its personal
// values are withheld ("finding.rule.value-invalid.withheld").
const withheldSuffix = ".withheld"

// Text words the finding in lang ("en" or "fr") from the catalogue. Under
// Withhold, a finding with personal values takes its message's ".withheld"
// variant when the catalogue has one, and each personal value is replaced
// by a neutral wording that names its field ("finding.withheld"); a
// personal value the finding no longer holds (a finding read back from
// the state) is withheld under Disclose too.
func (f Finding) Text(cat *Catalogue, lang string, d Disclosure) string {
	key := f.MessageKey
	if key == "" {
		key = "finding." + f.Code
	}
	p := make(map[string]string, len(f.Params)+6)
	for k, v := range f.Params {
		p[k] = v
	}
	if _, ok := p["row"]; !ok {
		p["row"] = strconv.Itoa(f.Row)
	}
	if _, ok := p["cell"]; !ok {
		p["cell"] = f.Cell
	}
	if _, ok := p["sheet"]; !ok {
		p["sheet"] = f.Sheet
	}
	if _, ok := p["field_en"]; !ok && f.Field != "" {
		p["field_en"], p["field_fr"] = fieldName(cat, f.Field)
	}
	withheld := false
	for _, name := range f.PersonalParams {
		if _, ok := f.Params[name]; d == Withhold || !ok {
			withheld = true
		}
	}
	if withheld {
		if cat.Has(key + withheldSuffix) {
			key += withheldSuffix
		}
		neutral := cat.T(lang, "finding.withheld", p)
		for _, name := range f.PersonalParams {
			if _, ok := f.Params[name]; d == Withhold || !ok {
				p[name] = neutral
			}
		}
	}
	return strings.TrimSpace(cat.T(lang, key, p))
}

// Value returns the value concerned (Key) as a place that shows findings
// may show it: "" when it is personal data and d withholds it.
func (f Finding) Value(d Disclosure) string {
	if f.Personal && d == Withhold {
		return ""
	}
	return f.Key
}

// Withheld returns the finding as it may be kept where personal data is
// not allowed (the state file): its personal values and its Key, when
// personal, removed. Text then words it with neutral wordings.
func (f Finding) Withheld() Finding {
	if f.Personal {
		f.Key = ""
	}
	if len(f.PersonalParams) > 0 {
		p := make(map[string]string, len(f.Params))
		for k, v := range f.Params {
			if !slices.Contains(f.PersonalParams, k) {
				p[k] = v
			}
		}
		f.Params = p
	}
	return f
}

// findingID returns a stable identifier from the parts that name a problem
// (its code, source and what it is about), never from its row number, which
// moves when people insert rows.
func findingID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:6])
}

// SortFindings orders findings by severity (most serious first), then
// source, row, cell and code.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Source != b.Source {
			return sourceRank(a.Source) < sourceRank(b.Source)
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if a.Cell != b.Cell {
			return cellLess(a.Cell, b.Cell)
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if ja, jb := jurisdictionIndex(a.Key), jurisdictionIndex(b.Key); ja != jb {
			return ja < jb
		}
		return a.Key < b.Key
	})
}

func sourceRank(s string) string {
	switch s {
	case SourceMembers:
		return "1"
	case SourceIssues:
		return "2"
	case SourceActivities:
		return "3"
	}
	return "9" + s
}

// cellLess orders A1 references by column width first, so B9 < AA9.
func cellLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// jurisdictionIndex returns the position of a province or territory code in
// Jurisdictions, or -1.
func jurisdictionIndex(code string) int {
	for i, j := range Jurisdictions {
		if j.Code == code {
			return i
		}
	}
	return -1
}
