// Package bench measures copsync's reading and validation of large
// membership workbooks against a bare excelize row scan of the same files.
//
// It holds the generator of the benchmark workbooks (WriteMembers), the
// go test benchmarks of the hot paths (go test -bench . ./bench/), the
// program that run.sh times (bench/cmd) and run.sh itself, which prints the
// comparison as a Markdown table. Generated workbooks go to bench/data/,
// which git ignores.
//
// It is a tool of the repository, not part of the copsync binary: nothing
// imports it.
package bench
