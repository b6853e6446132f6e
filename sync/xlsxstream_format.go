package sync

import (
	"math"
	"strconv"
	"strings"
	"time"

	"copsync/sync/internal/numfmt"
)

// This file turns a number and its cell's number format into the text a
// spreadsheet shows. The reader needs the formats that change what a value
// is (dates and times) or how a person reads it (percentages, fixed
// decimals, thousands separators); other formats (currencies, fractions,
// scientific, conditional sections) show the number as the General format
// does.

// What a number format does to a number (numfmt.Kind).
const (
	fmtGeneral = numfmt.General // General, text (@), and formats shown as General
	fmtFixed   = numfmt.Fixed   // 0, 0.00, #,##0, #,##0.00…
	fmtPercent = numfmt.Percent // 0%, 0.00%…
	fmtDate    = numfmt.Date    // a date, a time or both
)

// numFmt is a cell style's number format.
type numFmt = numfmt.Format

// builtinNumFmt returns the number format of a built-in format id.
func builtinNumFmt(id int) numFmt { return numfmt.Builtin(id) }

// parseNumFmt reads a custom format code (its first section).
func parseNumFmt(code string) numFmt { return numfmt.Parse(code) }

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

// dateText appends the text of a date or time as the spreadsheet shows
// it: in the workbook's own date format where it has a layout (see
// numfmt.Format.Layout), else 2006-01-02 for a date, 15:04 or 15:04:05 for a time of
// day, both for a date and time.
func dateText(dst []byte, t time.Time, f numFmt) []byte {
	if f.Layout != "" {
		return numfmt.AppendDate(dst, t, f.Layout)
	}
	switch {
	case f.Date && f.Clock:
		if f.Seconds {
			return t.AppendFormat(dst, "2006-01-02 15:04:05")
		}
		return t.AppendFormat(dst, "2006-01-02 15:04")
	case f.Clock:
		if f.Seconds {
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
	if f.Kind == fmtDate && !f.Date && f.Layout != "" {
		return f
	}
	return numFmt{Kind: fmtDate, Clock: true, Seconds: f.Seconds}
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
