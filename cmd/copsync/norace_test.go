//go:build !race

package main

// bigRows is the membership of the process tests: 200,000 rows, the size
// at which the first release took 86 s to obey SIGTERM.
const bigRows = 200_000
