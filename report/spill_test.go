package report

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// readAll reads back what a spill holds.
func readAll(t *testing.T, s *spill) string {
	t.Helper()
	r, size, err := s.reader()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(io.NewSectionReader(r, 0, size))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSpillKeepsSmallPartsInMemoryAndLargeOnesOnDisk(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	small := &spill{limit: 64}
	for _, b := range []string{"<row>", "one", "</row>"} {
		if _, err := small.Write([]byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if small.file != nil {
		t.Errorf("14 bytes under a limit of 64 went to %s", small.file.Name())
	}
	if got := readAll(t, small); got != "<row>one</row>" {
		t.Errorf("in memory: %q", got)
	}

	large := &spill{limit: 8}
	for _, b := range []string{"<row>", "one", "</row>", "<row>two</row>"} {
		if _, err := large.Write([]byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if large.file == nil {
		t.Fatal("28 bytes over a limit of 8 stayed in memory")
	}
	name := large.file.Name()
	if large.buf.Len() != 0 {
		t.Errorf("the memory still holds %d bytes after the spill", large.buf.Len())
	}
	if got := readAll(t, large); got != "<row>one</row><row>two</row>" {
		t.Errorf("on disk: %q", got)
	}
	large.remove()
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s is still there after remove: %v", name, err)
	}
}

func TestSpillRefusesWritesOnceTheFileFails(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	s := &spill{limit: 4}
	if _, err := s.Write([]byte("ab")); err != nil {
		t.Fatalf("in memory: %v", err)
	}
	if _, err := s.Write([]byte("cdef")); err == nil {
		t.Fatal("no error when the temporary file cannot be created")
	}
	if _, err := s.Write([]byte("g")); err == nil || s.err == nil {
		t.Errorf("a write after the failure was taken: %v", err)
	}
}
