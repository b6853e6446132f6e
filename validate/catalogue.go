package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Languages are the languages every message exists in.
var Languages = []string{"en", "fr"}

// Catalogue holds every text that a person reads, in English and French,
// keyed by a namespaced name ("finding.issue.incomplete", "report.heading.
// coverage"). Texts may hold {placeholders}. French texts are set in French
// typography (see French) when the catalogue is parsed.
type Catalogue struct {
	texts map[string]map[string]message
}

// message is one text in one language: a single form, or the singular and
// plural forms chosen by the parameter "count".
type message struct {
	one, other string
	plural     bool
}

// UnmarshalJSON reads a string or an object {"one": "…", "other": "…"}.
func (t *message) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var forms map[string]string
		if err := json.Unmarshal(b, &forms); err != nil {
			return err
		}
		for k := range forms {
			if k != "one" && k != "other" {
				return fmt.Errorf("unknown plural form %q (want \"one\" and \"other\")", k)
			}
		}
		t.one, t.other, t.plural = forms["one"], forms["other"], true
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t.one, t.other = s, s
	return nil
}

// ParseCatalogue parses a JSON object of the form
// {"key": {"en": "…", "fr": "…"}}. A text may instead be an object of plural
// forms, {"one": "…", "other": "…"}, chosen by the parameter "count": in
// English "one" is for 1 only, in French for 0 and 1. Every entry must have
// a non-empty text, and every form of it, in every language of Languages;
// a text may not write a plural as "(s)".
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var m map[string]map[string]message
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parse message catalogue: %w", err)
	}
	var missing []string
	for k, t := range m {
		for _, l := range Languages {
			tx, ok := t[l]
			switch {
			case !ok || strings.TrimSpace(tx.one) == "" && strings.TrimSpace(tx.other) == "":
				missing = append(missing, k+" ("+l+")")
			case tx.plural && strings.TrimSpace(tx.one) == "":
				missing = append(missing, k+" ("+l+", form one)")
			case tx.plural && strings.TrimSpace(tx.other) == "":
				missing = append(missing, k+" ("+l+", form other)")
			case strings.Contains(tx.one, "(s)") || strings.Contains(tx.other, "(s)"):
				missing = append(missing, k+" ("+l+": a plural written \"(s)\")")
			}
			if l == "fr" && ok {
				tx.one, tx.other = French(tx.one), French(tx.other)
				t[l] = tx
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("message catalogue lacks translations: %s", strings.Join(missing, ", "))
	}
	return &Catalogue{texts: m}, nil
}

// Has reports whether key is in the catalogue.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.texts[key]
	return ok
}

// Plural reports whether key's texts have singular and plural forms.
func (c *Catalogue) Plural(key string) bool {
	for _, t := range c.texts[key] {
		if t.plural {
			return true
		}
	}
	return false
}

// Keys returns every key, sorted.
func (c *Catalogue) Keys() []string {
	keys := make([]string, 0, len(c.texts))
	for k := range c.texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Forms returns the texts of key in lang, before their placeholders are
// replaced: one form, or the singular and the plural.
func (c *Catalogue) Forms(lang, key string) []string {
	t, ok := c.texts[key][lang]
	if !ok {
		return nil
	}
	if t.plural {
		return []string{t.one, t.other}
	}
	return []string{t.one}
}

// singular reports whether count takes the singular form in lang: 1 in
// English, 0 and 1 in French.
func singular(lang, count string) bool {
	n, err := strconv.ParseFloat(strings.TrimSpace(count), 64)
	if err != nil {
		return false
	}
	if lang == "fr" {
		return n >= 0 && n < 2
	}
	return n == 1
}

// T returns the text of key in lang with its {placeholders} replaced by
// params; for a text with plural forms, params["count"] chooses the form. A
// missing key returns "!key!", so that the omission shows and a test can
// catch it.
func (c *Catalogue) T(lang, key string, params map[string]string) string {
	t, ok := c.texts[key]
	if !ok {
		return "!" + key + "!"
	}
	tx, ok := t[lang]
	if !ok {
		tx = t["en"]
	}
	s := tx.other
	if tx.plural {
		if singular(lang, params["count"]) {
			s = tx.one
		}
	}
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := params[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}

// Both returns the text of key in English and in French.
func (c *Catalogue) Both(key string, params map[string]string) (en, fr string) {
	return c.T("en", key, params), c.T("fr", key, params)
}

// NBSP is the non-breaking space French typography puts before a colon,
// semicolon, question or exclamation mark, and inside guillemets.
const NBSP = '\u00a0'

// French sets s in French typography: a non-breaking space before : ; ? !
// and inside « », in place of an ordinary space or where there is none, and
// the typographic apostrophe ’ between letters. It leaves alone what is not
// prose: a colon between digits (10:30) or before "//" (https://), a mark
// directly after another mark (?!), and an exclamation mark directly before
// a cell reference's letter ('Feuille'!A1). It is idempotent.
func French(s string) string {
	if !strings.ContainsAny(s, ":;?!«»'") {
		return s
	}
	r := []rune(s)
	out := make([]rune, 0, len(r)+8)
	for i, c := range r {
		prev := rune(0)
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		next := rune(0)
		if i+1 < len(r) {
			next = r[i+1]
		}
		switch c {
		case ':', ';', '?', '!':
			if frenchSpaceBefore(c, prev, next) {
				if prev == ' ' || prev == '\u202f' {
					out[len(out)-1] = NBSP
				} else if prev != NBSP {
					out = append(out, NBSP)
				}
			}
			out = append(out, c)
		case '«':
			out = append(out, c, NBSP)
		case '»':
			if prev == ' ' || prev == '\u202f' {
				out[len(out)-1] = NBSP
			} else if prev != NBSP {
				out = append(out, NBSP)
			}
			out = append(out, c)
		case ' ', NBSP, '\u202f':
			if prev == NBSP && len(out) > 1 && out[len(out)-2] == '«' {
				continue // the space inside « is already there
			}
			out = append(out, c)
		case '\'':
			if unicode.IsLetter(prev) && unicode.IsLetter(next) {
				out = append(out, '’')
			} else {
				out = append(out, c)
			}
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// frenchSpaceBefore reports whether the mark c, between prev and next,
// is prose punctuation that takes a non-breaking space before it.
func frenchSpaceBefore(c, prev, next rune) bool {
	if prev == 0 || prev == '\n' || strings.ContainsRune(":;?!", prev) {
		return false
	}
	if c == ':' && (unicode.IsDigit(prev) && unicode.IsDigit(next) || next == '/') {
		return false
	}
	if c == '!' && prev == '\'' {
		return false // 'Feuille'!A1
	}
	if next != 0 && !unicode.IsSpace(next) && !strings.ContainsRune(")»\"’.,…", next) {
		// Not at the end of a word: part of a reference, a URL or code.
		return false
	}
	return true
}
