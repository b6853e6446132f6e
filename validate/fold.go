package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldRunes maps accented Latin letters (as written in English and French)
// to their base letters.
var foldRunes = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ý': "y",
	'ñ': "n",
	'œ': "oe", 'æ': "ae", 'ß': "ss",
}

// Fold returns s in lower case, without accents, with every run of white
// space, punctuation or symbols turned into one space, trimmed. "  Île-du-
// Prince-Édouard " folds to "ile du prince edouard".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else if r = unicode.ToLower(r); foldRunes[r] != "" {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(foldRunes[r])
			continue
		}
		if r == '&' {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		// Apostrophes join ("d'action" → "daction") rather than split, so
		// that "Plan d'action" and "Plan d’action" fold alike.
		if r == '\'' || r == '’' || r == '`' || r == '.' {
			continue
		}
		space = true
	}
	return b.String()
}

// Key returns s folded and without spaces: the form used to compare values
// that people write with or without punctuation and spacing ("P.E.I." and
// "PEI" both give "pei").
func Key(s string) string {
	// It is Fold without the spaces (TestKeyIsFoldWithoutSpaces), built
	// in one pass: s itself when it is a key already (lower-case ASCII
	// letters and digits, the common case of a code or a status), else
	// one allocation.
	i := 0
	for i < len(s) {
		if c := s[i]; 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			i++
			continue
		}
		break
	}
	if i == len(s) {
		return s
	}
	var stack [64]byte
	b := append(stack[:0], s[:i]...)
	for _, r := range s[i:] {
		if r < utf8.RuneSelf {
			switch {
			case 'A' <= r && r <= 'Z':
				b = append(b, byte(r+'a'-'A'))
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				b = append(b, byte(r))
			case r == '&':
				b = append(b, "and"...)
			}
			continue
		}
		r = unicode.ToLower(r)
		if f := foldRunes[r]; f != "" {
			b = append(b, f...)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// distance returns the Levenshtein distance between a and b, counted in
// runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
