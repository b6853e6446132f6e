package validate

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// localForbidden are the ASCII characters an address's local part may not
// hold: controls, space, DEL and the specials of RFC 5322.
var localForbidden = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c <= ' ' || c == 0x7f || strings.IndexByte("@<>()[]\\,;:\"", byte(c)) >= 0
	}
	return t
}()

// ValidEmail reports whether s is one plain e-mail address (local@domain.tld,
// no display name, no spaces).
func ValidEmail(s string) bool {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); {
		if c := local[i]; c < utf8.RuneSelf {
			if localForbidden[c] {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(local[i:])
		if r < 0xa0 { // a C1 control character
			return false
		}
		i += n
	}
	// The domain's labels, without splitting it: at least two, none
	// empty, none longer than 63 bytes, none starting or ending with a
	// hyphen, letters, digits and hyphens only (non-ASCII letters too),
	// and the last one at least two characters without a digit.
	if strings.IndexByte(domain, '.') < 0 {
		return false
	}
	for rest := domain; ; {
		l, more, found := strings.Cut(rest, ".")
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf) {
				return false
			}
			if !found && c >= '0' && c <= '9' {
				return false
			}
		}
		if !found {
			return len(l) >= 2
		}
		rest = more
	}
}

var frMonths = map[string]time.Month{
	"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
	"janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var enMonths = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// SerialDate converts a spreadsheet serial day number to a date, in the 1900
// date system (with its phantom 29 February 1900) or the 1904 one.
func SerialDate(serial float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(serial) || math.IsInf(serial, 0) || serial < 1 || serial > 2958465 {
		return time.Time{}, false
	}
	days := math.Floor(serial)
	frac := serial - days
	var base time.Time
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else {
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
		if days >= 60 {
			days-- // Lotus 1-2-3's 29 February 1900 never existed
		}
	}
	t := base.AddDate(0, 0, int(days))
	t = t.Add(time.Duration(math.Round(frac*86400)) * time.Second)
	if t.Year() > 9999 {
		return time.Time{}, false // past the last day a spreadsheet knows
	}
	return t, true
}

// ParseDate reads a date from a cell: a date value, a serial number, or text
// written as 2022-10-15, 2022/10/15, 15 October 2022, October 15, 2022 or
// 15 octobre 2022 (with or without "le" and "1er"). Day-first or month-first
// numeric text such as 10/11/2022 is ambiguous and is not accepted.
func ParseDate(v Value, date1904 bool) (time.Time, bool) {
	switch v.Kind {
	case Date:
		return v.Time, !v.Time.IsZero()
	case Number:
		return SerialDate(v.Num, date1904)
	case String:
		return parseDateText(v.Trimmed())
	}
	return time.Time{}, false
}

func parseDateText(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006-1-2", "2006/1/2", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", "2006.01.02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 {
				return time.Time{}, false // as for dates written in words
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	f := strings.Fields(Fold(s))
	if len(f) > 0 && f[0] == "le" {
		f = f[1:]
	}
	var day, year int
	var month time.Month
	for _, w := range f {
		if w == "1er" {
			w = "1"
		}
		if n, err := strconv.Atoi(w); err == nil {
			switch {
			case n > 31 && year == 0:
				year = n
			case day == 0 && n >= 1 && n <= 31:
				day = n
			case year == 0:
				year = n
			default:
				return time.Time{}, false
			}
			continue
		}
		if m, ok := enMonths[w]; ok && month == 0 {
			month = m
			continue
		}
		if m, ok := frMonths[w]; ok && month == 0 {
			month = m
			continue
		}
		return time.Time{}, false
	}
	if month == 0 || day == 0 || year < 1900 || year > 9999 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}
