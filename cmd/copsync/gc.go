package main

import (
	"runtime"
	"runtime/debug"
)

// firstCollection is the heap size at which the first garbage collection
// starts (see deferFirstCollection).
const firstCollection = 64 << 20

// deferFirstCollection lets the heap grow to limit bytes before the first
// garbage collection, then hands the collector back its usual pace. The Go
// runtime starts collecting at 4 MiB and collects again each time the heap
// doubles: a seed-sized run, which never holds more than a few megabytes,
// would collect seven times, for a quarter of its CPU time. With this, it
// collects never; a large run collects first at limit, then as usual, and
// peaks about as high (a run of 200,000 members some 12 MiB higher). A GOGC or GOMEMLIMIT set in the
// environment is the operator's choice and is left alone.
func deferFirstCollection(getenv func(string) string, limit int64) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	percent := debug.SetGCPercent(-1)
	memLimit := debug.SetMemoryLimit(limit)
	// The first collection, whatever starts it, frees the sentinel and
	// runs the cleanup, which restores the settings.
	sentinel := new(gcSentinel)
	runtime.AddCleanup(sentinel, func(struct{}) {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(memLimit)
	}, struct{}{})
}

// gcSentinel is large enough and holds a pointer, so that it is allocated
// on its own and not in a block shared with other tiny objects, whose
// cleanup would wait for all of them.
type gcSentinel struct {
	_ *int
	_ [2]int64
}
