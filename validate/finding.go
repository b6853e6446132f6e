package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
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
// compared.
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
	Message    string `json:"message"`
	MessageFR  string `json:"message_fr"`
	// Link points at the cell in its source: a file link or a Google Sheets
	// URL.
	Link string `json:"link,omitempty"`
	// Personal reports whether Key holds a member's personal data (a name
	// or an e-mail address), which stays out of e-mails.
	Personal bool `json:"personal,omitempty"`
}

// Text returns the finding's message in lang ("fr" or "en").
func (f Finding) Text(lang string) string {
	if lang == "fr" {
		return f.MessageFR
	}
	return f.Message
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
