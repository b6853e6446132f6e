package sync

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func (c *fakeClock) report(p *ProgressPrinter, rows int, done bool, d time.Duration) {
	c.advance(d)
	p.Report(Progress{Source: "members", Sheet: "Membres", Rows: rows, Done: done})
}

func TestProgressPrinterSilentWhenNotATerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	// /dev/null is a character device and no terminal: a check of the
	// file mode alone took it for one.
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	var buf bytes.Buffer
	for _, out := range []io.Writer{&buf, file, w, devNull} {
		p := NewProgressPrinter(out, catalogue(t), "en")
		if p.tty {
			t.Fatalf("%T taken for a terminal", out)
		}
		clock := &fakeClock{t: time.Unix(0, 0)}
		p.now = clock.now
		clock.report(p, 0, false, 0)
		clock.report(p, 500_000, false, 10*time.Second)
		clock.report(p, 900_000, true, 10*time.Second)
	}
	if buf.Len() != 0 {
		t.Errorf("printed %q to a buffer", buf.String())
	}
	if st, _ := file.Stat(); st.Size() != 0 {
		t.Errorf("printed %d bytes to a file", st.Size())
	}
}

func TestProgressPrinterOnATerminal(t *testing.T) {
	tests := []struct {
		name, lang string
		want       []string // the writes, in order
	}{
		{"en", "en", []string{
			"\rmembership: reading sheet \"Membres\", 8192 rows so far…\x1b[K",
			"\rmembership: reading sheet \"Membres\", 16384 rows so far…\x1b[K",
			"\rmembership: 20000 rows read from sheet \"Membres\"\x1b[K\n",
		}},
		{"fr", "fr", []string{
			"\rmembres\u00a0: lecture de la feuille «\u00a0Membres\u00a0», 8192 lignes jusqu’ici…\x1b[K",
			"\rmembres\u00a0: lecture de la feuille «\u00a0Membres\u00a0», 16384 lignes jusqu’ici…\x1b[K",
			"\rmembres\u00a0: 20000 lignes lues dans la feuille «\u00a0Membres\u00a0»\x1b[K\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := NewProgressPrinter(&buf, catalogue(t), tt.lang)
			p.tty = true // as if buf were a terminal
			clock := &fakeClock{t: time.Unix(0, 0)}
			p.now = clock.now
			var writes []string
			step := func(rows int, done bool, d time.Duration) {
				clock.report(p, rows, done, d)
				if buf.Len() > 0 {
					writes = append(writes, buf.String())
					buf.Reset()
				}
			}
			step(0, false, 0)
			step(4096, false, 500*time.Millisecond)  // under a second: nothing
			step(8192, false, 600*time.Millisecond)  // 1.1 s: shown
			step(12288, false, 100*time.Millisecond) // too soon after: nothing
			step(16384, false, 200*time.Millisecond) // shown
			step(20000, true, 100*time.Millisecond)  // the end, on its own line
			if strings.Join(writes, "|") != strings.Join(tt.want, "|") {
				t.Errorf("writes\n%q\nwant\n%q", writes, tt.want)
			}
		})
	}
	t.Run("a short read shows nothing", func(t *testing.T) {
		var buf bytes.Buffer
		p := NewProgressPrinter(&buf, catalogue(t), "en")
		p.tty = true
		clock := &fakeClock{t: time.Unix(0, 0)}
		p.now = clock.now
		clock.report(p, 0, false, 0)
		clock.report(p, 4096, false, 900*time.Millisecond)
		clock.report(p, 5000, true, 50*time.Millisecond)
		if buf.Len() != 0 {
			t.Errorf("printed %q", buf.String())
		}
	})
}
