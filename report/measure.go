package report

import (
	"math"
	"strings"
	"unicode"
)

// The workbook's one font, its body size, and what a column width means.
// Spreadsheet programs neither fit column widths nor row heights to the
// text when they open a file, so the report measures its text itself, with
// the advance widths of Calibri (Carlito, which LibreOffice uses in its
// place, has the same metrics).
const (
	fontName = "Calibri"
	bodySize = 11.0
	// digitPx is the width in pixels (96 dpi) of a digit of the default
	// font, Calibri 11: a column width of w characters is w*digitPx+padPx
	// pixels.
	digitPx = 7.0
	padPx   = 5.0
	// minWidth and maxWidth bound a column's width, in characters.
	minWidth = 6.0
	maxWidth = 60.0
)

// calibri holds the advance widths of the printable ASCII characters of
// Calibri, in units of 1/2048 em, from the space (32) to the tilde (126).
var calibri = [...]uint16{
	463, 667, 821, 1019, 1039, 1465, 1400, 451, 621, 621, 1019, 1019, 511, 627, 517, 791, // space to /
	1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, // digits
	548, 548, 1019, 1019, 1019, 941, 1823, // : to @
	1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, // A to M
	1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, // N to Z
	628, 791, 628, 1019, 1019, 588, // [ to `
	981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, // a to m
	1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, // n to z
	714, 941, 714, 1019, // { to ~
}

// runeEm returns the advance width of r in em.
func runeEm(r rune) float64 {
	switch {
	case r >= 32 && r <= 126:
		return float64(calibri[r-32]) / 2048
	case r == '\u00a0' || r == '\u202f':
		return 463.0 / 2048
	case r == '’' || r == '‘':
		return 451.0 / 2048
	case r == '«' || r == '»' || r == '“' || r == '”':
		return 1019.0 / 2048
	case r == '–':
		return 1019.0 / 2048
	case r == '—':
		return 1.0
	case r == '…':
		return 1413.0 / 2048
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return 1.0
	case unicode.IsUpper(r):
		return 1200.0 / 2048 // accented capitals: a wide capital
	case unicode.IsLetter(r):
		return 1080.0 / 2048 // accented small letters: a wide small letter
	}
	return 1100.0 / 2048
}

// textPx returns the width in pixels (96 dpi) of one line of text in the
// workbook's font at size points; bold text is about 6 % wider.
func textPx(s string, size float64, bold bool) float64 {
	em := 0.0
	for _, r := range s {
		em += runeEm(r)
	}
	px := em * size * 96 / 72
	if bold {
		px *= 1.06
	}
	return px
}

// widthChars returns the column width, in characters, that shows px pixels
// of text on one line, with a margin for the differences between programs.
func widthChars(px float64) float64 {
	return math.Ceil((px*1.06+4)/digitPx*4) / 4
}

// colPx returns the width in pixels of a column w characters wide.
func colPx(w float64) float64 { return w*digitPx + padPx }

// lineHeight returns the height in points of one line of text at size
// points: 15 points for Calibri 11, the default row height.
func lineHeight(size float64) float64 { return math.Ceil(size*15/bodySize*4) / 4 }

// size returns the font size of a look.
func (l look) fontSize() float64 {
	if l.size > 0 {
		return l.size
	}
	return bodySize
}

// longestWord returns the width in pixels of the widest word of s: the
// least width at which s wraps without cutting a word.
func longestWord(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, f := range words(s) {
		w = max(w, textPx(f, size, bold))
	}
	return w
}

// words splits a line where a spreadsheet program may wrap it: at spaces,
// and after a hyphen inside a word ("Terre-Neuve-et-Labrador").
func words(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		for {
			i := strings.IndexByte(f, '-')
			if i <= 0 || i == len(f)-1 {
				break
			}
			out = append(out, f[:i+1])
			f = f[i+1:]
		}
		out = append(out, f)
	}
	return out
}

// widest returns the width in pixels of the widest line of s.
func widest(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, textPx(line, size, bold))
	}
	return w
}

// wrapLines returns the number of lines text takes when it wraps in px
// pixels, as a spreadsheet program wraps it: at spaces and after hyphens,
// a word too long for a line cut where the line ends.
func wrapLines(s string, size float64, bold bool, px float64) int {
	space := textPx(" ", size, bold)
	n := 0
	for _, para := range strings.Split(s, "\n") {
		lines, cur := 1, 0.0
		for _, f := range strings.Fields(para) {
			gap := space
			for _, piece := range words(f) {
				w := textPx(piece, size, bold)
				switch {
				case cur == 0 && w <= px:
					cur = w
				case cur > 0 && cur+gap+w <= px:
					cur += gap + w
				default:
					if cur > 0 {
						lines++
					}
					for w > px {
						lines++
						w -= px
					}
					cur = w
				}
				gap = 0 // the next piece of the word follows its hyphen
			}
		}
		n += lines
	}
	return n
}
