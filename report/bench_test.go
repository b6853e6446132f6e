package report

import (
	"fmt"
	"testing"

	"copsync/validate"
)

// BenchmarkBuildMembers builds a report whose membership list has 20,000
// rows: the cost of measuring every cell for the column widths and row
// heights, beside the spreadsheet library's own.
func BenchmarkBuildMembers(b *testing.B) {
	in := exampleInput(b, "both")
	rows := memberRows()
	var big [][]validate.Value
	for i := 0; len(big) < 20000; i++ {
		r := append([]validate.Value(nil), rows[i%len(rows)]...)
		r[1] = str(fmt.Sprintf("member%d@example.ca", i))
		big = append(big, r)
	}
	members := table(validate.SourceMembers, "/srv/secretariat/members.xlsx", "Members", memberTitles, big)
	in.Members = &members
	b.ReportAllocs()
	for b.Loop() {
		f, err := Build(in)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
