package validate

import (
	"fmt"
	"strings"
)

// Lang is a language copsync speaks to people: English or French. Its
// value is the catalogue's language code.
type Lang string

// The languages of every text (Languages lists their codes).
const (
	LangEN Lang = "en"
	LangFR Lang = "fr"
)

// ParseLang reads one language: en or fr, in any case.
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case LangEN, LangFR:
		return l, nil
	}
	return "", fmt.Errorf("want en or fr, not %q", s)
}

// ParseLangs reads a setting that names the languages of a message or a
// workbook, in order: "en" or "fr" alone, "both" or "en-fr" (English then
// French), "fr-en" (French then English); an empty setting is both.
func ParseLangs(s string) ([]Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "both", "en-fr":
		return []Lang{LangEN, LangFR}, nil
	case "fr-en":
		return []Lang{LangFR, LangEN}, nil
	}
	l, err := ParseLang(s)
	if err != nil {
		return nil, fmt.Errorf("want en, fr, both or en-fr (English first) or fr-en (French first), not %q", s)
	}
	return []Lang{l}, nil
}

// LangCodes returns the codes of langs, as the catalogue takes them.
func LangCodes(langs []Lang) []string {
	out := make([]string, len(langs))
	for i, l := range langs {
		out[i] = string(l)
	}
	return out
}
