package report

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"copsync/validate"
)

// membersInput returns the example input with a membership of n rows,
// kept in a validate.RowStore as the job keeps them.
func membersInput(b *testing.B, n int) Input {
	in := exampleInput(b, "both")
	rows := memberRows()
	var big [][]validate.Value
	for i := 0; len(big) < n; i++ {
		r := append([]validate.Value(nil), rows[i%len(rows)]...)
		r[1] = str(fmt.Sprintf("member%d@example.ca", i))
		big = append(big, r)
	}
	members := table(validate.SourceMembers, "/srv/secretariat/members.xlsx", "Members", memberTitles, big)
	members.Store = &validate.RowStore{}
	for _, r := range members.Rows {
		members.Store.Add(r)
	}
	members.Rows = nil
	in.Members = []validate.Table{members}
	return in
}

// BenchmarkBuildMembers builds a report whose membership list has 20,000
// rows: the cost of measuring every cell for the column widths and row
// heights, beside the spreadsheet library's own.
func BenchmarkBuildMembers(b *testing.B) {
	in := membersInput(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Build(in)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkWriteMembers builds and writes the report file of a membership
// of 20,000, 200,000 and 600,000 rows: the Members and Findings sheets go
// through the stream writer, so the time grows with the rows and the
// memory does not. "extra-live-MiB" is the most the live heap (as the
// last collection found it) grew above the input's while the report was
// written, sampled every 5 ms.
func BenchmarkWriteMembers(b *testing.B) {
	for _, n := range []int{20000, 200000, 600000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			in := membersInput(b, n)
			path := filepath.Join(b.TempDir(), "report.xlsx")
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			runtime.GC()
			metrics.Read(live)
			base := live[0].Value.Uint64()
			peak := base
			done := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				for {
					select {
					case <-done:
						return
					case <-time.After(5 * time.Millisecond):
						metrics.Read(s)
						peak = max(peak, s[0].Value.Uint64())
					}
				}
			}()
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(context.Background(), path, in); err != nil {
					b.Fatal(err)
				}
			}
			close(done)
			<-sampled
			b.ReportMetric(float64(peak-base)/(1<<20), "extra-live-MiB")
		})
	}
}

// BenchmarkWriteSeed builds and writes the report of the seed-sized example
// (84 members, one issue, six activities) in both languages: the report's
// share of a nightly run.
func BenchmarkWriteSeed(b *testing.B) {
	in := exampleInput(b, "both")
	path := filepath.Join(b.TempDir(), "report.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(context.Background(), path, in); err != nil {
			b.Fatal(err)
		}
	}
}
