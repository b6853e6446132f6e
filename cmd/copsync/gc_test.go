package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gcSettings reads the collector's percent (GOGC) and memory limit.
func gcSettings(t *testing.T) (percent, limit int64) {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// restoreGC puts back the test binary's collector settings.
func restoreGC(t *testing.T) {
	percent, limit := gcSettings(t)
	t.Cleanup(func() {
		debug.SetGCPercent(int(percent))
		debug.SetMemoryLimit(limit)
	})
}

func TestDeferFirstCollectionRestoresAfterTheFirst(t *testing.T) {
	restoreGC(t)
	debug.SetGCPercent(100)
	percent, limit := gcSettings(t)
	deferFirstCollection(func(string) string { return "" }, 256<<20)
	if p, l := gcSettings(t); p != -1 || l != 256<<20 {
		t.Fatalf("before the first collection: GOGC %d and limit %d, want off (-1) and %d", p, l, 256<<20)
	}
	// The collection stands for the first one, started by the limit in a
	// real run; its cleanup then runs on the runtime's own goroutine.
	for wait := time.Now().Add(30 * time.Second); ; {
		runtime.GC()
		if p, l := gcSettings(t); p == percent && l == limit {
			break
		}
		if time.Now().After(wait) {
			p, l := gcSettings(t)
			t.Fatalf("after a collection: GOGC %d and limit %d, want %d and %d back", p, l, percent, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDeferFirstCollectionLeavesTheOperatorsSettings(t *testing.T) {
	restoreGC(t)
	debug.SetGCPercent(150)
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		getenv := func(k string) string {
			if k == name {
				return "150"
			}
			return ""
		}
		percent, limit := gcSettings(t)
		deferFirstCollection(getenv, 256<<20)
		if p, l := gcSettings(t); p != percent || l != limit {
			t.Errorf("with %s set: GOGC %d and limit %d, want %d and %d unchanged", name, p, l, percent, limit)
		}
	}
}
