package validate

import (
	"strconv"
	"testing"
)

// benchMembers returns n member rows, each with three findings: an address
// that is not valid (personal), an unknown province and an unknown status.
func benchMembers(n int) Table {
	rows := make([][]string, n)
	for i := range rows {
		s := strconv.Itoa(i)
		rows[i] = []string{"Person " + s, "person" + s + "@@example", "Ministry " + s, "Provincial", "Ontaro", "Maybe"}
	}
	return table(SourceMembers, 1, memberHeader, rows...)
}

// BenchmarkCheckFindings measures validating rows that each give three
// findings: the findings are made, not worded.
func BenchmarkCheckFindings(b *testing.B) {
	cat := testCatalogue(b)
	t := benchMembers(10000)
	b.ReportAllocs()
	for b.Loop() {
		Check(DefaultRules(), cat, t)
	}
}

// BenchmarkWordFindings measures wording every finding of those rows in
// both languages, as the e-mail and the report do.
func BenchmarkWordFindings(b *testing.B) {
	cat := testCatalogue(b)
	res := Check(DefaultRules(), cat, benchMembers(10000))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range res.Findings {
			f.Text(cat, "en", Withhold)
			f.Text(cat, "fr", Withhold)
		}
	}
}
