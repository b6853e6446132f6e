package validate

import (
	"strings"
	"unicode/utf8"
)

// This file holds the small text helpers the packages share, so that each
// rule is written once.

// OneLine returns s on one line: its runs of white space, line breaks
// included, become one space, and the ends are trimmed. Errors and cell
// texts go through it before they reach a log line or an e-mail.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// OneLineMax is OneLine cut to at most n characters, with "…" when cut.
func OneLineMax(s string, n int) string {
	s = OneLine(s)
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

// Capitalize returns s with its first letter in upper case: a sentence
// never starts in lower case.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
