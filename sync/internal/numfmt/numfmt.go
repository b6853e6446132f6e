// Package numfmt reads the number format codes of spreadsheets (0.00%,
// dd/mm/yyyy, h:mm AM/PM): what a format does to a number (a fixed number
// of decimals, a percentage, a date or a time), and for dates and times the
// layout that shows them as the spreadsheet does in English. The .xlsx
// readers of package sync and the fake Google Sheets server of
// sync/sheetstest classify formats with it, so that they agree.
package numfmt

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what a number format does to a number.
type Kind uint8

// The kinds of formats.
const (
	General Kind = iota // General, text (@), and formats shown as General (currencies, fractions, scientific)
	Fixed               // 0, 0.00, #,##0, #,##0.00…
	Percent             // 0%, 0.00%…
	Date                // a date, a time or both
)

// Format is a number format as Parse reads it.
type Format struct {
	Kind     Kind
	Decimals uint8 // Fixed, Percent
	Lead     uint8 // Fixed, Percent: the least integer digits, zero-padded (000 shows 7 as 007)
	Group    bool  // Fixed: thousands separators
	Date     bool  // Date: shows the day
	Clock    bool  // Date: shows the time of day
	Seconds  bool  // Date: shows seconds
	// Layout is the date format for AppendDate, when Parse can show it as
	// the spreadsheet does; "" when the reader shows the date by its own
	// defaults.
	Layout string
}

// Builtin returns the format of a built-in format id (ECMA-376 §18.8.30).
func Builtin(id int) Format {
	switch id {
	case 1:
		return Format{Kind: Fixed}
	case 2:
		return Format{Kind: Fixed, Decimals: 2}
	case 3, 37, 38:
		return Format{Kind: Fixed, Group: true}
	case 4, 39, 40:
		return Format{Kind: Fixed, Group: true, Decimals: 2}
	case 9:
		return Format{Kind: Percent}
	case 10:
		return Format{Kind: Percent, Decimals: 2}
	case 14, 15, 16, 17, 18, 19, 20, 21, 22, 45:
		// Dates and times whose look depends on the computer's language.
		// 14 is its short date, and 22 that date with the time: shown as
		// Canada's short date in English and French, 2022-10-15 (ISO
		// 8601), which no reader takes for another day — where excelize
		// shows the codes ECMA-376 lists (mm-dd-yy: 10-15-22). The others
		// are shown in those codes, as excelize shows them.
		return builtinDates[id-14]
	case 46, 47:
		return Format{Kind: Date, Clock: true, Seconds: true}
	}
	// 27–36 and 50–58 are dates in East Asian locales only; elsewhere
	// they show as General, as 0 and 49 (@) do.
	return Format{}
}

// builtinDates are the built-in date formats 14–22 and 45 (at index id-14),
// read once.
var builtinDates = func() (fs [45 - 14 + 1]Format) {
	for id, code := range map[int]string{14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
		18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "hh:mm", 21: "hh:mm:ss", 22: "yyyy-mm-dd hh:mm", 45: "mm:ss"} {
		fs[id-14] = Parse(code)
	}
	return fs
}()

// Parse reads a format code (its first section, which shows positive
// numbers and dates).
func Parse(code string) Format {
	if strings.EqualFold(strings.TrimSpace(code), "general") {
		return Format{}
	}
	var f Format
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
		case 'y', 'Y':
			hasY = true
		case 'e':
			// A year (an era's, in some locales), unless it is the
			// exponent of a scientific format (0.00e+00).
			if i+1 >= len(code) || code[i+1] != '+' && code[i+1] != '-' {
				hasY = true
			} else {
				other = true // shown as General, as 0.00E+00 is
			}
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
		f.Kind = Date
		f.Date = hasY || hasD || hasM && !hasH && !hasS
		f.Clock = hasH || hasS
		f.Seconds = hasS
		f.Layout = dateLayout(code)
	case !digits || other:
		// Text, currencies and the like: shown as General.
	case percent:
		f.Kind, f.Decimals, f.Lead = Percent, uint8(min(decimals, 30)), uint8(min(lead, 30))
	default:
		f.Kind, f.Decimals, f.Lead = Fixed, uint8(min(decimals, 30)), uint8(min(lead, 30))
		f.Group = strings.Contains(strings.SplitN(code, ".", 2)[0], ",")
	}
	return f
}

// The operations of a date layout (Format.Layout): each byte below 0x20 is
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
// returns "" for any other, which the reader shows by its defaults: another
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

// AppendDate appends t as a date layout (Format.Layout) shows it. It
// allocates nothing.
func AppendDate(dst []byte, t time.Time, layout string) []byte {
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
