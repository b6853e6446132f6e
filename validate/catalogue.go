package validate

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Languages are the languages every message exists in.
var Languages = []string{"en", "fr"}

// Catalogue holds every text that a person reads, in English and French,
// keyed by a namespaced name ("finding.issue.incomplete", "report.heading.
// coverage"). Texts may hold {placeholders}.
type Catalogue struct {
	texts map[string]map[string]string
}

// ParseCatalogue parses a JSON object of the form
// {"key": {"en": "…", "fr": "…"}}. Every entry must have a non-empty text in
// every language of Languages.
func ParseCatalogue(data []byte) (*Catalogue, error) {
	var m map[string]map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parse message catalogue: %w", err)
	}
	var missing []string
	for k, t := range m {
		for _, l := range Languages {
			if strings.TrimSpace(t[l]) == "" {
				missing = append(missing, k+" ("+l+")")
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

// Keys returns every key, sorted.
func (c *Catalogue) Keys() []string {
	keys := make([]string, 0, len(c.texts))
	for k := range c.texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T returns the text of key in lang with its {placeholders} replaced by
// params. A missing key returns "!key!", so that the omission shows and a
// test can catch it.
func (c *Catalogue) T(lang, key string, params map[string]string) string {
	t, ok := c.texts[key]
	if !ok {
		return "!" + key + "!"
	}
	s, ok := t[lang]
	if !ok {
		s = t["en"]
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
