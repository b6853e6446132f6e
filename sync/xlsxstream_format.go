package sync

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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
	// layout is the date format as dateLayout reads it, when dateLayout
	// can show it; "" shows the date by dateText's defaults.
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
	case 14, 15, 16, 17, 18, 19, 20, 21, 22, 45:
		// Dates and times whose look depends on the computer's language
		// (14 is its short date): shown as excelize shows them, in the
		// codes ECMA-376 lists for them (§18.8.30).
		return builtinDates[id-14]
	case 46, 47:
		return numFmt{kind: fmtDate, clock: true, seconds: true}
	}
	// 27–36 and 50–58 are dates in East Asian locales only; elsewhere
	// they show as General, as 0 and 49 (@) do.
	return numFmt{}
}

// builtinDates are the built-in date formats 14–22 and 45 (at index id-14),
// read once.
var builtinDates = func() (fs [45 - 14 + 1]numFmt) {
	for id, code := range map[int]string{14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
		18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "hh:mm", 21: "hh:mm:ss", 22: "m/d/yy hh:mm", 45: "mm:ss"} {
		fs[id-14] = parseNumFmt(code)
	}
	return fs
}()

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

// The operations of a date layout (numFmt.layout): each byte below 0x20 is
// one part of the date or time; every other byte is shown as it is.
const (
	opYear2        = iota + 1 // yy: 22
	opYear4                   // yyyy: 2022
	opMonth                   // m: 3
	opMonth2                  // mm: 03
	opMonthAbbr               // mmm: Mar
	opMonthName               // mmmm: March
	opMonthInitial            // mmmmm: M
	opDay                     // d: 5
	opDay2                    // dd: 05
	opWeekdayAbbr             // ddd: Sat
	opWeekdayName             // dddd: Saturday
	opHour                    // h: 0–23, or 1–12 with AM/PM
	opHour2                   // hh: 00–23, or 01–12 with AM/PM
	opHour12                  // h with AM/PM
	opHour12Pad               // hh with AM/PM
	opMinute                  // m after an hour or before seconds: 7
	opMinute2                 // mm after an hour or before seconds: 07
	opSecond                  // s: 9
	opSecond2                 // ss: 09
	opAMPM                    // AM/PM; the next four bytes are the letters as written (AMPM, ampm)
	opAP                      // A/P; the next two bytes are the letters as written (AP, ap)
)

// English month and weekday names, as Excel shows mmm, mmmm, ddd and dddd
// in an English locale.
var (
	monthNames   = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	weekdayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// unquotedLiterals are the characters a date format shows as they are
// without quotes or a backslash.
const unquotedLiterals = " /-.,:()$+!^&'~{}<>="

// dateLayout returns the layout of an Excel date or time format (its first
// section): days, months (by number, by English name or initial), years,
// hours (12-hour with AM/PM or A/P), minutes, seconds, quoted and escaped
// literals, colours and an English locale prefix ([$-409], [$-1009]). It
// returns "" for any other, which dateText shows by its defaults: another
// locale ([$-40C], whose month names are French), the system's long date
// or time ([$-F800], [$-F400]), elapsed times ([h]), fractions of a
// second, conditions, fills, digits or text placeholders.
func dateLayout(code string) string {
	code = strings.TrimSpace(code)
	var b []byte
	ampm := false
	prevHour := false // the last part was an hour: an m that follows is minutes
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == ';':
			i = len(code) // the first section shows dates
		case c == '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 || !printable(code[i+1:i+1+j]) {
				return ""
			}
			b = append(b, code[i+1:i+1+j]...)
			i += j + 2
		case c == '\\' || c == '_':
			_, n := utf8.DecodeRuneInString(code[i+1:])
			if n == 0 || !printable(code[i+1:i+1+n]) {
				return ""
			}
			if c == '_' {
				b = append(b, ' ') // a space as wide as the character
			} else {
				b = append(b, code[i+1:i+1+n]...)
			}
			i += 1 + n
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 || !englishBracket(code[i+1:i+j]) {
				return ""
			}
			i += j + 1
		case c == 'A' || c == 'a':
			switch {
			case len(code)-i >= 5 && strings.EqualFold(code[i:i+5], "AM/PM"):
				b = append(b, opAMPM, code[i], code[i+1], code[i+3], code[i+4])
				i += 5
			case len(code)-i >= 3 && strings.EqualFold(code[i:i+3], "A/P"):
				b = append(b, opAP, code[i], code[i+2])
				i += 3
			default:
				return ""
			}
			ampm = true
		case strings.IndexByte("yYmMdDhHsS", c) >= 0:
			lc := c | 0x20
			j := i
			for j < len(code) && code[j]|0x20 == lc {
				j++
			}
			op := datePart(lc, j-i, prevHour || nextIsSeconds(code[j:]))
			if op == 0 {
				return ""
			}
			b = append(b, op)
			prevHour = lc == 'h'
			i = j
		case strings.IndexByte(unquotedLiterals, c) >= 0:
			b = append(b, c)
			i++
		default:
			return ""
		}
	}
	if ampm {
		for k := 0; k < len(b); k++ {
			switch b[k] {
			case opHour:
				b[k] = opHour12
			case opHour2:
				b[k] = opHour12Pad
			case opAMPM:
				k += 4
			case opAP:
				k += 2
			}
		}
	}
	return string(b)
}

// datePart returns the operation of a run of n letters lc (y, m, d, h, s,
// in lower case), m being minutes when minutes is set; 0 for a run Excel
// does not show as a date (mmmmmm).
func datePart(lc byte, n int, minutes bool) byte {
	switch lc {
	case 'y':
		if n <= 2 {
			return opYear2
		}
		return opYear4
	case 'd':
		return [...]byte{opDay, opDay2, opWeekdayAbbr, opWeekdayName}[min(n, 4)-1]
	case 'h':
		return [...]byte{opHour, opHour2}[min(n, 2)-1]
	case 's':
		return [...]byte{opSecond, opSecond2}[min(n, 2)-1]
	}
	if minutes {
		return [...]byte{opMinute, opMinute2}[min(n, 2)-1]
	}
	if n > 5 {
		return 0
	}
	return [...]byte{opMonth, opMonth2, opMonthAbbr, opMonthName, opMonthInitial}[n-1]
}

// nextIsSeconds reports whether the next date part of rest, past
// separators, is seconds: an m before it is minutes (mm:ss).
func nextIsSeconds(rest string) bool {
	rest = strings.TrimLeft(rest, unquotedLiterals)
	return rest != "" && rest[0]|0x20 == 's'
}

// englishBracket reports whether the inside of a bracket in a date format
// leaves the date as dateLayout shows it: a colour ([Red], [Color10]) or
// an English locale ([$-409], [$-1009], [$-en-CA]).
func englishBracket(inner string) bool {
	lower := strings.ToLower(inner)
	if rest, ok := strings.CutPrefix(lower, "$-"); ok {
		if lcid, err := strconv.ParseUint(rest, 16, 32); err == nil {
			return lcid&0x3ff == 0x09 // the primary language: English
		}
		return rest == "en" || strings.HasPrefix(rest, "en-")
	}
	switch lower {
	case "black", "blue", "cyan", "green", "magenta", "red", "white", "yellow":
		return true
	}
	if n, ok := strings.CutPrefix(lower, "color"); ok {
		_, err := strconv.Atoi(n)
		return err == nil
	}
	return false
}

// printable reports whether s holds no control character, so that it can
// stand in a layout beside its operations.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// appendLayout appends t as a date layout (see dateLayout) shows it.
func appendLayout(dst []byte, t time.Time, layout string) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	hour12 := hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	for i := 0; i < len(layout); i++ {
		switch c := layout[i]; c {
		case opYear2:
			dst = appendPadded(dst, year%100, 2)
		case opYear4:
			dst = appendPadded(dst, year, 4)
		case opMonth:
			dst = strconv.AppendInt(dst, int64(month), 10)
		case opMonth2:
			dst = appendPadded(dst, int(month), 2)
		case opMonthAbbr:
			dst = append(dst, monthNames[month-1][:3]...)
		case opMonthName:
			dst = append(dst, monthNames[month-1]...)
		case opMonthInitial:
			dst = append(dst, monthNames[month-1][0])
		case opDay:
			dst = strconv.AppendInt(dst, int64(day), 10)
		case opDay2:
			dst = appendPadded(dst, day, 2)
		case opWeekdayAbbr:
			dst = append(dst, weekdayNames[t.Weekday()][:3]...)
		case opWeekdayName:
			dst = append(dst, weekdayNames[t.Weekday()]...)
		case opHour:
			dst = strconv.AppendInt(dst, int64(hour), 10)
		case opHour2:
			dst = appendPadded(dst, hour, 2)
		case opHour12:
			dst = strconv.AppendInt(dst, int64(hour12), 10)
		case opHour12Pad:
			dst = appendPadded(dst, hour12, 2)
		case opMinute:
			dst = strconv.AppendInt(dst, int64(minute), 10)
		case opMinute2:
			dst = appendPadded(dst, minute, 2)
		case opSecond:
			dst = strconv.AppendInt(dst, int64(sec), 10)
		case opSecond2:
			dst = appendPadded(dst, sec, 2)
		case opAMPM:
			if hour < 12 {
				dst = append(dst, layout[i+1], layout[i+2])
			} else {
				dst = append(dst, layout[i+3], layout[i+4])
			}
			i += 4
		case opAP:
			if hour < 12 {
				dst = append(dst, layout[i+1])
			} else {
				dst = append(dst, layout[i+2])
			}
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendPadded appends n, not negative, with at least width digits.
func appendPadded(dst []byte, n, width int) []byte {
	for p := 10; width > 1; width-- {
		if n < p {
			dst = append(dst, '0')
		}
		p *= 10
	}
	return strconv.AppendInt(dst, int64(n), 10)
}

// dateText appends the text of a date or time as the spreadsheet shows
// it: in the workbook's own date format where it has a layout (see
// dateLayout), else 2006-01-02 for a date, 15:04 or 15:04:05 for a time of
// day, both for a date and time.
func dateText(dst []byte, t time.Time, f numFmt) []byte {
	if f.layout != "" {
		return appendLayout(dst, t, f.layout)
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

// timeOfDayFmt returns the format a time of day without a day (a serial
// below 1) shows in, in a cell of format f: f itself when it shows no date
// (h:mm AM/PM shows 0.5 as 12:00 PM), else the time alone by dateText's
// defaults, as the day zero of a date format means nothing.
func timeOfDayFmt(f numFmt) numFmt {
	if f.kind == fmtDate && !f.date && f.layout != "" {
		return f
	}
	return numFmt{kind: fmtDate, clock: true, seconds: f.seconds}
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
