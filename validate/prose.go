package validate

import (
	"strconv"
	"strings"
	"time"
)

// ProseDate returns a date as a sentence writes it in lang, from the
// catalogue's "date.prose" ("{day} {month} {year}"), "date.months" (the
// twelve month names, separated by spaces) and "date.first" (how the first
// day of a month is written: "1", « 1er »): "3 December 2026",
// « 3 décembre 2026 ».
func ProseDate(cat *Catalogue, lang string, t time.Time) string {
	months := strings.Fields(cat.T(lang, "date.months", nil))
	month := t.Month().String()
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = cat.T(lang, "date.first", nil)
	}
	return cat.T(lang, "date.prose", map[string]string{"day": day, "month": month, "year": strconv.Itoa(t.Year())})
}
