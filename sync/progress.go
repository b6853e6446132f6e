package sync

import (
	"fmt"
	"io"
	"os"
	"strconv"
	gosync "sync"
	"time"

	"golang.org/x/term"

	"copsync/validate"
)

// Progress is how far the reading of one sheet of a source has come.
type Progress struct {
	Source string // the configured source: members, issues, activities
	Sheet  string // the sheet being read
	Rows   int    // sheet rows read so far (blank rows included)
	Done   bool   // the reading of the sheet has ended (at its end or at an error)
}

// ProgressDelay is how long a sheet must take to read before its progress
// is shown; shorter reads show nothing.
const ProgressDelay = time.Second

// progressInterval is the least time between two updates of the line.
const progressInterval = 200 * time.Millisecond

// ProgressPrinter shows on a terminal how far a long read has come: once a
// sheet has taken more than ProgressDelay, one line per sheet, rewritten in
// place ("members: reading sheet "Membres", 120000 rows so far…"), ended by
// the number of rows read. It prints nothing when its writer is not a
// terminal, so logs and cron mail stay clean. Its texts come from the
// catalogue (keys progress.reading and progress.done). It is safe for
// concurrent use.
type ProgressPrinter struct {
	w    io.Writer
	cat  *validate.Catalogue
	lang string
	tty  bool
	now  func() time.Time

	mu    gosync.Mutex
	start map[string]time.Time // when each source's sheet started
	last  time.Time            // when the line was last written
	shown bool                 // a line is on screen, not yet ended
}

// NewProgressPrinter returns a printer writing to w (typically os.Stderr)
// in lang ("fr" for French, English otherwise); it is silent unless w is a
// terminal.
func NewProgressPrinter(w io.Writer, cat *validate.Catalogue, lang string) *ProgressPrinter {
	return &ProgressPrinter{w: w, cat: cat, lang: lang, tty: IsTerminal(w), now: time.Now, start: map[string]time.Time{}}
}

// IsTerminal reports whether w is a terminal (golang.org/x/term): a
// console is, a file, a pipe or /dev/null is not.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// Report takes one progress report; use it as Source.Progress.
func (p *ProgressPrinter) Report(pr Progress) {
	if !p.tty || p.cat == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	key := pr.Source + "\x00" + pr.Sheet
	start, ok := p.start[key]
	if !ok {
		start = now
		p.start[key] = start
	}
	if pr.Done {
		delete(p.start, key)
		if p.shown {
			p.write(pr, "progress.done", "\n")
			p.shown = false
		}
		return
	}
	if now.Sub(start) < ProgressDelay || p.shown && now.Sub(p.last) < progressInterval {
		return
	}
	p.write(pr, "progress.reading", "")
	p.shown, p.last = true, now
}

// write rewrites the line: carriage return, text, erase to end of line.
func (p *ProgressPrinter) write(pr Progress, key, end string) {
	lang := "en"
	if p.lang == "fr" {
		lang = "fr"
	}
	source := pr.Source
	if p.cat.Has("source." + pr.Source) {
		source = p.cat.T(lang, "source."+pr.Source, nil)
	}
	msg := p.cat.T(lang, key, map[string]string{"source": source, "sheet": pr.Sheet, "rows": strconv.Itoa(pr.Rows)})
	fmt.Fprint(p.w, "\r"+msg+"\x1b[K"+end)
}
