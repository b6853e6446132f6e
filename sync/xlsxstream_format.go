package sync

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// This file turns a number and its cell's number format into the text a
// spreadsheet shows. The reader needs the formats that change what a value
// is (dates and times) or how a person reads it (percentages, fixed
// decimals, thousands separators); other formats (currencies, fractions,
// scientific, conditional sections) show the number as the General format
// does.

// fmtKind is what a number format does to a number.
type fmtKind uint8

const (
	fmtGeneral fmtKind = iota // General, text (@), and formats shown as General
	fmtFixed                  // 0, 0.00, #,##0, #,##0.00…
	fmtPercent                // 0%, 0.00%…
	fmtDate                   // a date, a time or both
)

// numFmt is a cell style's number format, as the reader uses it.
type numFmt struct {
	kind     fmtKind
	decimals uint8 // fmtFixed, fmtPercent
	lead     uint8 // fmtFixed, fmtPercent: the least integer digits, zero-padded (000 shows 7 as 007)
	group    bool  // fmtFixed: thousands separators
	date     bool  // fmtDate: shows the day
	clock    bool  // fmtDate: shows the time of day
	seconds  bool  // fmtDate: shows seconds
	// layout is a custom date format as a Go time layout (dd/mm/yyyy →
	// 02/01/2006), when every part of it has one; "" shows the date as
	// dateText's defaults.
	layout string
}

// builtinNumFmt returns the number format of a built-in format id.
func builtinNumFmt(id int) numFmt {
	switch id {
	case 1:
		return numFmt{kind: fmtFixed}
	case 2:
		return numFmt{kind: fmtFixed, decimals: 2}
	case 3, 37, 38:
		return numFmt{kind: fmtFixed, group: true}
	case 4, 39, 40:
		return numFmt{kind: fmtFixed, group: true, decimals: 2}
	case 9:
		return numFmt{kind: fmtPercent}
	case 10:
		return numFmt{kind: fmtPercent, decimals: 2}
	case 14, 15, 16, 17:
		return numFmt{kind: fmtDate, date: true}
	case 18, 20:
		return numFmt{kind: fmtDate, clock: true}
	case 19, 21, 45, 46, 47:
		return numFmt{kind: fmtDate, clock: true, seconds: true}
	case 22:
		return numFmt{kind: fmtDate, date: true, clock: true}
	}
	// 27–36 and 50–58 are dates in East Asian locales only; elsewhere
	// they show as General, as 0 and 49 (@) do.
	return numFmt{}
}

// parseNumFmt classifies a custom format code by its first section.
func parseNumFmt(code string) numFmt {
	if strings.EqualFold(strings.TrimSpace(code), "general") {
		return numFmt{}
	}
	var f numFmt
	var hasY, hasD, hasH, hasS, hasM, digits, percent, other bool
	decimals, lead, inFrac := 0, 0, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch c {
		case ';':
			i = len(code) // only the first section
			continue
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
			other = true
			continue
		case '\\', '_', '*':
			i++ // an escaped character, a space as wide as, a fill
			continue
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				i = len(code)
				continue
			}
			inner := strings.ToLower(code[i+1 : i+1+j])
			switch {
			case len(inner) > 1 && inner[0] == '$' && inner[1] != '-':
				other = true // a currency symbol
			case strings.Trim(inner, "h") == "":
				hasH = true
			case strings.Trim(inner, "m") == "":
				hasM, hasH = true, true // elapsed minutes
			case strings.Trim(inner, "s") == "":
				hasS = true
			}
			i += j + 1
			continue
		case 'y', 'Y', 'e':
			hasY = true
		case 'd', 'D':
			hasD = true
		case 'h', 'H':
			hasH = true
		case 's', 'S':
			hasS = true
		case 'm', 'M':
			hasM = true
		case 'a', 'A':
			if strings.HasPrefix(strings.ToUpper(code[i:]), "AM/PM") || strings.HasPrefix(strings.ToUpper(code[i:]), "A/P") {
				hasH = true
			}
		case '0', '#', '?':
			digits = true
			if inFrac {
				decimals++
			} else if c == '0' {
				lead++
			}
		case '.':
			inFrac = true
		case '%':
			percent = true
		case ',', ' ', '-', '+', '(', ')', '$', ':', '/':
		case '@':
			other = true
		default:
			if c < 0x80 {
				other = true
			}
		}
	}
	switch {
	case hasY || hasD || hasH || hasS || hasM && !digits:
		f.kind = fmtDate
		f.date = hasY || hasD || hasM && !hasH && !hasS
		f.clock = hasH || hasS
		f.seconds = hasS
		f.layout = dateLayout(code)
	case !digits || other:
		// Text, currencies and the like: shown as General.
	case percent:
		f.kind, f.decimals, f.lead = fmtPercent, uint8(min(decimals, 30)), uint8(min(lead, 30))
	default:
		f.kind, f.decimals, f.lead = fmtFixed, uint8(min(decimals, 30)), uint8(min(lead, 30))
		f.group = strings.Contains(strings.SplitN(code, ".", 2)[0], ",")
	}
	return f
}

// generalText appends the text the General format shows for n: up to 15
// significant digits, in plain notation from 1E-9 up to 1E+15 and in
// scientific notation beyond.
func generalText(dst []byte, n float64) []byte {
	if n == 0 {
		return append(dst, '0')
	}
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return append(dst, "#NUM!"...)
	}
	r := round15(n)
	if a := math.Abs(r); a >= 1e-9 && a < 1e15 {
		return strconv.AppendFloat(dst, r, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, r, 'E', -1, 64)
}

// round15 rounds n to 15 significant digits, as a spreadsheet keeps them.
func round15(n float64) float64 {
	var buf [32]byte
	r, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], n, 'g', 15, 64)), 64)
	if err != nil {
		return n
	}
	return r
}

// canonicalNumber reports whether raw, a cell's stored number, is already
// the text the General format shows: an optional minus, digits without a
// leading zero, an optional fraction without a trailing zero, at most 15
// significant digits, not below 1E-9.
func canonicalNumber(raw []byte) bool {
	b := raw
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 17 {
		return false
	}
	dot, sig, lead := -1, 0, true
	for i, c := range b {
		switch {
		case c == '.':
			if dot >= 0 || i == 0 || i == len(b)-1 {
				return false
			}
			dot = i
		case c >= '0' && c <= '9':
			if c == '0' && lead {
				if i == 0 && len(b) > 1 && b[1] != '.' {
					return false // a leading zero
				}
				if dot >= 0 && i-dot > 8 {
					return false // below 1E-9
				}
				continue
			}
			lead = false
			sig++
		default:
			return false
		}
	}
	if sig == 0 {
		return len(raw) == 1 // "0" only, not "-0" or "0.0"
	}
	if dot >= 0 && b[len(b)-1] == '0' {
		return false
	}
	return sig <= 15
}

// roundHalfAway rounds n to d decimals, halves away from zero, as a
// spreadsheet does.
func roundHalfAway(n float64, d int) float64 {
	p := math.Pow(10, float64(d))
	r := math.Round(round15(n*p)) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return n
	}
	return r
}

// fixedText appends n with d decimals and at least lead integer digits
// (zero-padded), with thousands separators when group is set.
func fixedText(dst []byte, n float64, d, lead int, group bool) []byte {
	if math.Abs(n) >= 1e15 || math.IsNaN(n) {
		return generalText(dst, n)
	}
	r := roundHalfAway(n, d)
	if r == 0 {
		r = 0 // no "-0"
	}
	var buf [64]byte
	s := strconv.AppendFloat(buf[:0], r, 'f', d, 64)
	if lead > 1 {
		s = padInteger(s, lead)
	}
	if !group {
		return append(dst, s...)
	}
	if s[0] == '-' {
		dst = append(dst, '-')
		s = s[1:]
	}
	intLen := len(s)
	if i := strings.IndexByte(string(s), '.'); i >= 0 {
		intLen = i
	}
	for i := 0; i < intLen; i++ {
		if i > 0 && (intLen-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, s[i])
	}
	return append(dst, s[intLen:]...)
}

// padInteger pads the integer part of a formatted number with zeros to
// lead digits ("7" → "007"; "-7.5" → "-007.5").
func padInteger(s []byte, lead int) []byte {
	sign := 0
	if len(s) > 0 && s[0] == '-' {
		sign = 1
	}
	intLen := len(s) - sign
	if i := strings.IndexByte(string(s), '.'); i >= 0 {
		intLen = i - sign
	}
	if intLen >= lead {
		return s
	}
	out := make([]byte, 0, len(s)+lead-intLen)
	out = append(out, s[:sign]...)
	for range lead - intLen {
		out = append(out, '0')
	}
	return append(out, s[sign:]...)
}

// dateLayout returns the Go time layout of an Excel date format made of
// days, months, years, hours, minutes, seconds and separators (dd/mm/yyyy,
// d-mmm-yy, yyyy-mm-dd hh:mm), or "" for any other: text, locale or
// colour prefixes other than a bare locale, AM/PM, elapsed times,
// fractions of a second, several sections.
func dateLayout(code string) string {
	code = strings.TrimSpace(code)
	if strings.HasPrefix(code, "[$-") {
		// A locale prefix such as [$-409] or [$-F800]: the system
		// long date, shown by the defaults.
		return ""
	}
	if strings.ContainsAny(code, ";[\"*_@0#?") || strings.Contains(strings.ToUpper(code), "A/P") || strings.Contains(strings.ToUpper(code), "AM/PM") {
		return ""
	}
	var b strings.Builder
	lower := strings.ToLower(code)
	lastClock := false // the last token was an hour: a following m is minutes
	for i := 0; i < len(lower); {
		c := lower[i]
		j := i
		for j < len(lower) && lower[j] == c {
			j++
		}
		n := j - i
		switch c {
		case 'y':
			if n <= 2 {
				b.WriteString("06")
			} else {
				b.WriteString("2006")
			}
			lastClock = false
		case 'd':
			switch n {
			case 1:
				b.WriteString("2")
			case 2:
				b.WriteString("02")
			case 3:
				b.WriteString("Mon")
			default:
				b.WriteString("Monday")
			}
			lastClock = false
		case 'm':
			minutes := lastClock || strings.HasPrefix(strings.TrimLeft(lower[j:], ":"), "s") && j < len(lower) && lower[j] == ':'
			switch {
			case minutes && n == 1:
				b.WriteString("4")
			case minutes:
				b.WriteString("04")
			case n == 1:
				b.WriteString("1")
			case n == 2:
				b.WriteString("01")
			case n == 3:
				b.WriteString("Jan")
			case n == 4:
				b.WriteString("January")
			default:
				return "" // mmmmm: the month's initial
			}
			lastClock = false
		case 'h':
			b.WriteString("15")
			lastClock = true
		case 's':
			if n == 1 {
				b.WriteString("5")
			} else {
				b.WriteString("05")
			}
			lastClock = false
		case '/', '-', '.', ' ', ',', ':':
			b.WriteString(code[i:j])
		default:
			return ""
		}
		i = j
	}
	return b.String()
}

// dateText appends the text of a date or time as the spreadsheet shows
// it: in the workbook's own date format where it has a layout (see
// dateLayout), else 2006-01-02 for a date, 15:04 or 15:04:05 for a time of
// day, both for a date and time.
func dateText(dst []byte, t time.Time, f numFmt) []byte {
	if f.layout != "" {
		return t.AppendFormat(dst, f.layout)
	}
	switch {
	case f.date && f.clock:
		if f.seconds {
			return t.AppendFormat(dst, "2006-01-02 15:04:05")
		}
		return t.AppendFormat(dst, "2006-01-02 15:04")
	case f.clock:
		if f.seconds {
			return t.AppendFormat(dst, "15:04:05")
		}
		return t.AppendFormat(dst, "15:04")
	}
	return t.AppendFormat(dst, "2006-01-02")
}

// timeOfDay returns the time of a serial below 1 (a time without a day),
// on the spreadsheet's day zero.
func timeOfDay(serial float64, date1904 bool) time.Time {
	base := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return base.Add(time.Duration(math.Round(serial*86400)) * time.Second)
}
