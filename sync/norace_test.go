//go:build !race

package sync

// raceDetector reports whether the tests run under the race detector,
// which makes parsing a sheet several times slower.
const raceDetector = false
