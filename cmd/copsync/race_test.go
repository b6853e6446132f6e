//go:build race

package main

// bigRows is the membership of the process tests: under the race detector,
// which makes reading several times slower, a tenth of the 200,000 rows.
const bigRows = 20_000
