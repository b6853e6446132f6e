package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strconv"
	stdsync "sync"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// zipper is the zip writer the report is saved through. The spreadsheet
// library writes the parts of streamed sheets first, in the order of a Go
// map; zipper sets them aside and adds them in the order of their names,
// so that the same report is the same file byte for byte. It also adds to
// each streamed sheet the hyperlinks its rows gathered, and to its
// relationships those of its external links: the library's own hyperlink
// call scans every link of the sheet before adding one, which made links
// to 200,000 rows cost minutes.
type zipper struct {
	zw *zip.Writer
	// sheets and rels map the part names of the streamed sheets and of
	// their relationships to their streams.
	sheets, rels map[string]*stream
	aside        map[string]*spill // streamed sheets' parts, each a zip of one file
	cur          *part
	relsDone     map[string]bool
	seen         map[string]bool // the streamed sheets written
}

var _ excelize.ZipWriter = (*zipper)(nil)

// part is a part being written whose end is edited when it is complete.
type part struct {
	name  string
	st    *stream
	sheet bool
	// A sheet's content goes to out as it comes, up to </sheetData>,
	// whose end is kept in tail; a relationships part is kept whole.
	out   io.Writer
	zw    *zip.Writer // the one-file zip of a sheet set aside
	hold  []byte
	found bool
	tail  bytes.Buffer
}

// zipWriter returns the function that gives the library its zip writer.
// The library writes a workbook into a buffer of its own, the whole file in
// memory, before it copies it out; with b.out set, the package goes to
// b.out as it is made instead, and the library's buffer stays empty.
func (b *book) zipWriter() func(io.Writer) excelize.ZipWriter {
	sheets, rels := map[string]*stream{}, map[string]*stream{}
	for _, st := range b.streams {
		if st.sw == nil {
			continue
		}
		id := strconv.Itoa(st.sw.SheetID)
		sheets["xl/worksheets/sheet"+id+".xml"] = st
		if st.nrels > 0 {
			rels["xl/worksheets/_rels/sheet"+id+".xml.rels"] = st
		}
	}
	return func(w io.Writer) excelize.ZipWriter {
		if b.out != nil {
			w = b.out
		}
		return &zipper{zw: newZip(w), sheets: sheets, rels: rels,
			aside: map[string]*spill{}, relsDone: map[string]bool{}, seen: map[string]bool{}}
	}
}

// compression is the deflate level of the report's parts: a streamed
// sheet of 200,000 members is some 120 MB of XML, which level 2 compresses
// three times faster than the default level, to a file 15 % larger
// (klauspost/compress's flate, faster than the standard library's at
// the same level).
const compression = 2

// newZip returns a zip writer that compresses at the report's level.
func newZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newFlate)
	return zw
}

// flates keeps the compressors between parts, as the zip package's own
// does: each holds about a megabyte.
var flates stdsync.Pool

// newFlate returns a compressor writing to w.
func newFlate(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := flates.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return &pooledFlate{fw}, nil
	}
	fw, err := flate.NewWriter(w, compression)
	if err != nil {
		return nil, err
	}
	return &pooledFlate{fw}, nil
}

// pooledFlate is a compressor that goes back to the pool when closed.
type pooledFlate struct{ fw *flate.Writer }

func (p *pooledFlate) Write(b []byte) (int, error) {
	if p.fw == nil {
		return 0, errors.New("write to a closed compressor")
	}
	return p.fw.Write(b)
}

func (p *pooledFlate) Close() error {
	if p.fw == nil {
		return nil
	}
	err := p.fw.Close()
	flates.Put(p.fw)
	p.fw = nil
	return err
}

// Create begins a part.
func (z *zipper) Create(name string) (io.Writer, error) {
	if err := z.end(); err != nil {
		return nil, err
	}
	if st, ok := z.sheets[name]; ok {
		// Set aside in memory while small, in a temporary file (in the
		// run's temporary folder, TMPDIR) beyond: it is most of the report.
		tmp := &spill{limit: spillAt}
		z.aside[name] = tmp
		z.seen[name] = true
		zw := newZip(tmp)
		w, err := zw.Create(name)
		if err != nil {
			return nil, err
		}
		z.cur = &part{name: name, st: st, sheet: true, out: w, zw: zw}
		return z.cur, nil
	}
	if err := z.putAside(); err != nil {
		return nil, err
	}
	if st, ok := z.rels[name]; ok {
		z.cur = &part{name: name, st: st, found: true}
		return z.cur, nil
	}
	return z.zw.Create(name)
}

// AddFS adds the files of fsys.
func (z *zipper) AddFS(fsys fs.FS) error {
	if err := z.end(); err != nil {
		return err
	}
	if err := z.putAside(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

// Close ends the archive, adding the relationships of a streamed sheet
// that had none of its own. It removes the parts set aside, whatever
// happens.
func (z *zipper) Close() error {
	defer z.removeAside()
	if err := z.end(); err != nil {
		return err
	}
	if err := z.putAside(); err != nil {
		return err
	}
	for name, st := range z.sheets {
		if !z.seen[name] && st.links.Len() > 0 {
			return fmt.Errorf("write %s: the streamed sheet's part was not written, nor its links", name)
		}
	}
	names := make([]string, 0, len(z.rels))
	for name := range z.rels {
		if !z.relsDone[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := z.zw.Create(name)
		if err != nil {
			return err
		}
		doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			z.rels[name].rels.String() + `</Relationships>`
		if _, err := io.WriteString(w, doc); err != nil {
			return err
		}
	}
	return z.zw.Close()
}

// putAside adds the streamed sheets set aside, in the order of their names.
func (z *zipper) putAside() error {
	names := make([]string, 0, len(z.aside))
	for name := range z.aside {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tmp := z.aside[name]
		if tmp.err != nil {
			return fmt.Errorf("set %s aside: %w", name, tmp.err)
		}
		r, size, err := tmp.reader()
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		zr, err := zip.NewReader(r, size)
		if err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		for _, f := range zr.File {
			if err := z.zw.Copy(f); err != nil {
				return fmt.Errorf("copy %s: %w", name, err)
			}
		}
		tmp.remove()
		delete(z.aside, name)
	}
	return nil
}

// removeAside removes the temporary files of the parts set aside and not
// copied (after a failure).
func (z *zipper) removeAside() {
	for name, tmp := range z.aside {
		tmp.remove()
		delete(z.aside, name)
	}
}

// spillAt is the size above which a part set aside goes to a temporary
// file: a seed-sized report's parts stay in memory, a membership of
// 200,000 (some 13 MB) goes to disk.
const spillAt = 1 << 20

// spill holds what is written to it in memory up to limit bytes, and in a
// temporary file from then on. A failure to create or write the file is
// kept in err, and later writes are refused.
type spill struct {
	limit int
	buf   bytes.Buffer
	file  *os.File
	err   error
}

func (s *spill) Write(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.buf.Len()+len(b) > s.limit {
		f, err := os.CreateTemp("", "copsync-part-")
		if err != nil {
			s.err = err
			return 0, err
		}
		s.file = f
		if _, err := f.Write(s.buf.Bytes()); err != nil {
			s.err = err
			return 0, err
		}
		s.buf = bytes.Buffer{}
	}
	if s.file != nil {
		n, err := s.file.Write(b)
		if err != nil {
			s.err = err
		}
		return n, err
	}
	return s.buf.Write(b)
}

// reader returns what was written, to be read at any offset, and its size.
func (s *spill) reader() (io.ReaderAt, int64, error) {
	if s.file == nil {
		return bytes.NewReader(s.buf.Bytes()), int64(s.buf.Len()), nil
	}
	size, err := s.file.Seek(0, io.SeekEnd)
	return s.file, size, err
}

// remove lets go of the memory, or closes and removes the file.
func (s *spill) remove() {
	s.buf = bytes.Buffer{}
	if s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.file.Name())
		s.file = nil
	}
}

// sheetDataEnd ends the rows of a worksheet: what follows is short.
var sheetDataEnd = []byte("</sheetData>")

// Write passes a sheet's rows through and keeps what follows them.
func (p *part) Write(b []byte) (int, error) {
	if p.found {
		return p.tail.Write(b)
	}
	p.hold = append(p.hold, b...)
	if i := bytes.Index(p.hold, sheetDataEnd); i >= 0 {
		i += len(sheetDataEnd)
		if _, err := p.out.Write(p.hold[:i]); err != nil {
			return 0, err
		}
		p.tail.Write(p.hold[i:])
		p.found, p.hold = true, nil
		return len(b), nil
	}
	if keep := len(sheetDataEnd) - 1; len(p.hold) > keep {
		k := len(p.hold) - keep
		if _, err := p.out.Write(p.hold[:k]); err != nil {
			return 0, err
		}
		p.hold = append(p.hold[:0], p.hold[k:]...)
	}
	return len(b), nil
}

// afterHyperlinks are the elements of a worksheet that come after
// <hyperlinks>, in the schema's order.
var afterHyperlinks = regexp.MustCompile(`<(printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)[ />]|</worksheet>`)

// relsEnd ends a relationships part.
var relsEnd = []byte("</Relationships>")

// end completes the part being written: a sheet gets its hyperlinks, a
// relationships part those of the sheet's external links.
func (z *zipper) end() error {
	p := z.cur
	if p == nil {
		return nil
	}
	z.cur = nil
	if !p.sheet {
		z.relsDone[p.name] = true
		doc := p.tail.Bytes()
		i := bytes.LastIndex(doc, relsEnd)
		if i < 0 {
			return fmt.Errorf("write %s: no end of relationships", p.name)
		}
		w, err := z.zw.Create(p.name)
		if err != nil {
			return err
		}
		for _, s := range [][]byte{doc[:i], p.st.rels.Bytes(), doc[i:]} {
			if _, err := w.Write(s); err != nil {
				return err
			}
		}
		return nil
	}
	if !p.found {
		return fmt.Errorf("write %s: no end of the rows", p.name)
	}
	tail := p.tail.Bytes()
	if p.st.links.Len() > 0 {
		if bytes.Contains(tail, []byte("<hyperlinks")) {
			return fmt.Errorf("write %s: hyperlinks written twice", p.name)
		}
		loc := afterHyperlinks.FindIndex(tail)
		if loc == nil {
			return fmt.Errorf("write %s: no end of the worksheet", p.name)
		}
		out := make([]byte, 0, len(tail)+p.st.links.Len()+32)
		out = append(out, tail[:loc[0]]...)
		out = append(out, "<hyperlinks>"...)
		out = append(out, p.st.links.Bytes()...)
		out = append(out, "</hyperlinks>"...)
		tail = append(out, tail[loc[0]:]...)
	}
	if _, err := p.out.Write(tail); err != nil {
		return err
	}
	return p.zw.Close()
}
