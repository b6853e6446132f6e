package sync

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"

	kflate "github.com/klauspost/compress/flate"

	"copsync/validate"
)

// This file is the streaming .xlsx reader: it opens a workbook's zip
// package once, reads its directory, relationships, workbook, styles and
// shared strings with the standard library and a purpose-built XML
// scanner, and delivers each worksheet as a validate.Book's rows, read as
// the part inflates. Memory is bounded by the shared strings plus one row.

// scanBufSize is the size of the scanner's read buffer.
const scanBufSize = 64 << 10

// streamBook is a workbook open for streaming its sheets.
type streamBook struct {
	closer io.Closer
	zr     *zip.Reader
	src    Source
	lim    Limits
	origin validate.Origin

	sheets []streamSheetPart
	styles []numFmt // by cellXfs index
	sstF   *zip.File

	sstOnce gosync.Once
	sstDone chan struct{}
	sst     *sharedStrings
	sstErr  error
}

// streamSheetPart is one worksheet of the book: its title and its part.
type streamSheetPart struct {
	name string
	part *zip.File
}

var _ validate.Book = (*streamBook)(nil)

// openStreamBook opens the workbook of src for streaming: it checks what
// kind of file it is (as sniff does), reads its zip directory once, refuses
// it when it would inflate beyond lim, and reads its workbook, styles and
// relationships. The shared strings are read when a sheet is first opened.
// Errors wrap the package's sentinel errors (ErrMalformed, ErrTooLarge…);
// the caller names the source, file and sheet (as readXLSX does with
// SourceError). The closer closes the file; close it after the sheets.
//
// lim.UnzipSize bounds the whole package, from its zip directory, and each
// part is checked against its directory entry (size and checksum) as it is
// read to its end. lim.UnzipXMLSize does not apply: nothing is spilled to
// a temporary file, and the shared strings are held in memory whatever
// their size (one string and a 4-byte offset each).
func openStreamBook(ctx context.Context, src Source, lim Limits) (_ validate.Book, _ io.Closer, err error) {
	lim = limitsOf(lim)
	if err := sniff(src.Path); err != nil {
		return nil, nil, err
	}
	zrc, err := zip.OpenReader(src.Path)
	if err != nil && zrc == nil {
		return nil, nil, fmt.Errorf("%w: the zip package is cut short or damaged (%v); copy or download it again", ErrDamaged, err)
	}
	// Parts inflate with klauspost/compress's flate, about a quarter
	// faster than the standard library's on a large sheet (the zip reader
	// still checks each part's size and checksum).
	zrc.RegisterDecompressor(zip.Deflate, kflate.NewReader)
	b := &streamBook{closer: zrc, zr: &zrc.Reader, src: src, lim: lim}
	defer func() {
		if err != nil {
			zrc.Close()
		}
	}()
	defer recoverMalformed(&err, "xl/workbook.xml")
	if err := b.load(ctx); err != nil {
		return nil, nil, err
	}
	return b, zrc, nil
}

// load reads the package's directory, relationships, workbook and styles.
func (b *streamBook) load(ctx context.Context) error {
	if len(b.zr.File) == 0 {
		return fmt.Errorf("%w: it is an empty zip archive", ErrNotXLSX)
	}
	var total uint64
	parts := make(map[string]*zip.File, len(b.zr.File))
	for _, f := range b.zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > uint64(b.lim.UnzipSize) || total > uint64(b.lim.UnzipSize) {
			total = 0
			for _, g := range b.zr.File {
				total += g.UncompressedSize64
			}
			return fmt.Errorf("%w: it would inflate to %s, more than the %s allowed",
				ErrTooLarge, byteSize(total), byteSize(uint64(b.lim.UnzipSize)))
		}
		parts[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	if err := packageKind(parts); err != nil {
		return err
	}
	buf := make([]byte, 16<<10)
	rels, err := readRels(ctx, parts["_rels/.rels"], "", buf)
	if err != nil {
		return err
	}
	wbName := ""
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbName = r.target
			break
		}
	}
	wbPart := parts[wbName]
	// packageKind made sure the workbook part and its relationships are
	// there.
	wbRels, err := readRels(ctx, parts[path.Join(path.Dir(wbName), "_rels", path.Base(wbName)+".rels")], path.Dir(wbName), buf)
	if err != nil {
		return err
	}
	overrides, err := readContentTypes(ctx, parts["[content_types].xml"], buf)
	if err != nil {
		return err
	}
	listed, date1904, err := readWorkbookPart(ctx, wbPart, buf)
	if err != nil {
		return err
	}
	byID := make(map[string]rel, len(wbRels))
	for _, r := range wbRels {
		byID[r.id] = r
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings") && b.sstF == nil:
			b.sstF = parts[r.target]
		case strings.HasSuffix(r.typ, "/styles") && b.styles == nil:
			if f := parts[r.target]; f != nil {
				if b.styles, err = readStyles(ctx, f, buf); err != nil {
					return err
				}
			}
		}
	}
	if b.sstF == nil {
		b.sstF = parts[path.Join(path.Dir(wbName), "sharedstrings.xml")]
	}
	names := make([]string, 0, len(listed))
	for _, s := range listed {
		names = append(names, s.name)
		r, ok := byID[s.rid]
		if !ok || !strings.HasSuffix(r.typ, "/worksheet") {
			continue // a chart sheet, a dialog sheet, or a sheet without a part
		}
		if ct := overrides["/"+r.target]; ct != "" && !strings.Contains(ct, "worksheet") && !strings.Contains(ct, "sheet.main") && !strings.Contains(ct, "template.main") {
			continue // a worksheet relationship to a part of another kind
		}
		f := parts[r.target]
		if f == nil {
			continue
		}
		b.sheets = append(b.sheets, streamSheetPart{name: s.name, part: f})
	}
	if len(listed) == 0 {
		return fmt.Errorf("%w: it has no sheets", ErrEmpty)
	}
	if len(b.sheets) == 0 {
		return fmt.Errorf("%w: the workbook lists %s but holds none of them", ErrMalformed, quoteList(names))
	}
	b.origin = validate.Origin{Source: b.src.Name, Kind: "xlsx", Path: absPath(b.src.Path), Date1904: date1904}
	return nil
}

// Sheets returns the titles of the book's worksheets, in order.
func (b *streamBook) Sheets() []string {
	out := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		out[i] = s.name
	}
	return out
}

// Origin returns where sheet was read from.
func (b *streamBook) Origin(sheet string) validate.Origin {
	o := b.origin
	o.Sheet = sheet
	return o
}

// sharedStrings starts reading the shared strings, once: in a goroutine
// when more than one processor may run Go code, so that they are read
// while the sheet's merged cells are looked for; otherwise in place.
func (b *streamBook) startSharedStrings(ctx context.Context) {
	b.sstOnce.Do(func() {
		b.sstDone = make(chan struct{})
		if b.sstF == nil {
			b.sst = &sharedStrings{}
			close(b.sstDone)
			return
		}
		read := func() {
			defer close(b.sstDone)
			b.sst, b.sstErr = parseSharedStrings(ctx, b.sstF, make([]byte, scanBufSize))
		}
		if runtime.GOMAXPROCS(0) > 1 {
			go read()
		} else {
			read()
		}
	})
}

// sharedStrings waits for the shared strings.
func (b *streamBook) sharedStrings(ctx context.Context) (*sharedStrings, error) {
	select {
	case <-b.sstDone:
		return b.sst, b.sstErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Open opens sheet: it finds the sheet's merged cells in a first pass over
// its part (the <mergeCells> element follows the rows), then returns the
// reader of its rows.
func (b *streamBook) Open(ctx context.Context, sheet string) (_ validate.SheetRows, err error) {
	var part *zip.File
	for _, s := range b.sheets {
		if s.name == sheet {
			part = s.part
			break
		}
	}
	if part == nil {
		return nil, fmt.Errorf("%w (the workbook has %s)", ErrSheetNotFound, quoteList(b.Sheets()))
	}
	defer recoverMalformed(&err, part.Name)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.startSharedStrings(context.WithoutCancel(ctx))
	merges, err := streamMerges(ctx, part)
	if err != nil {
		return nil, err
	}
	rc, err := part.Open()
	if err != nil {
		return nil, damagedPart(part, err)
	}
	return newStreamSheet(ctx, b, part, rc, merges), nil
}

// rel is one relationship of a part.
type rel struct {
	id, typ, target string
}

// readRels reads a relationships part; targets are resolved against dir
// and lower-cased, as the package's part names are looked up.
func readRels(ctx context.Context, f *zip.File, dir string, buf []byte) (out []rel, err error) {
	if f == nil {
		return nil, nil
	}
	err = readSmallPart(ctx, f, buf, "Relationships", func(s *xmlScanner) error {
		if string(s.name) != "Relationship" {
			return nil
		}
		if mode, _ := s.attrString("TargetMode"); strings.EqualFold(mode, "External") {
			return nil
		}
		id, err := s.attrString("Id")
		if err != nil {
			return err
		}
		typ, err := s.attrString("Type")
		if err != nil {
			return err
		}
		target, err := s.attrString("Target")
		if err != nil {
			return err
		}
		target = strings.ReplaceAll(target, "\\", "/")
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target)[1:]
		} else {
			target = strings.TrimPrefix(path.Clean("/"+path.Join(dir, target)), "/")
		}
		out = append(out, rel{id: id, typ: typ, target: strings.ToLower(target)})
		return nil
	})
	return out, err
}

// readContentTypes reads the content types of the parts named in
// [Content_Types].xml, by lower-cased part name.
func readContentTypes(ctx context.Context, f *zip.File, buf []byte) (map[string]string, error) {
	out := map[string]string{}
	if f == nil {
		return out, nil
	}
	err := readSmallPart(ctx, f, buf, "Types", func(s *xmlScanner) error {
		if string(s.name) != "Override" {
			return nil
		}
		name, err := s.attrString("PartName")
		if err != nil {
			return err
		}
		ct, err := s.attrString("ContentType")
		if err != nil {
			return err
		}
		out[strings.ToLower(strings.ReplaceAll(name, "\\", "/"))] = ct
		return nil
	})
	return out, err
}

// listedSheet is a sheet as workbook.xml lists it.
type listedSheet struct {
	name, rid string
}

// readWorkbookPart reads the sheets the workbook lists and its date system.
func readWorkbookPart(ctx context.Context, f *zip.File, buf []byte) (sheets []listedSheet, date1904 bool, err error) {
	err = readSmallPart(ctx, f, buf, "workbook", func(s *xmlScanner) error {
		switch string(s.name) {
		case "workbookPr":
			// Only the element that says it sets the date system: an
			// extension's <x14:workbookPr> after it says nothing of it.
			if _, ok := s.attr("date1904"); ok {
				v, _ := s.attrString("date1904")
				date1904 = v == "1" || strings.EqualFold(v, "true")
			}
		case "sheet":
			name, err := s.attrString("name")
			if err != nil {
				return err
			}
			rid, err := s.attrString("id")
			if err != nil {
				return err
			}
			sheets = append(sheets, listedSheet{name: name, rid: rid})
		}
		return nil
	})
	return sheets, date1904, err
}

// readStyles reads the number format of each cell format (cellXfs).
func readStyles(ctx context.Context, f *zip.File, buf []byte) ([]numFmt, error) {
	custom := map[int]numFmt{}
	var ids []int
	inXfs := false
	err := readSmallPart(ctx, f, buf, "styleSheet", func(s *xmlScanner) error {
		switch string(s.name) {
		case "numFmt":
			id, err := strconv.Atoi(string(attrOr(s, "numFmtId")))
			if err != nil {
				return nil // as Excel, a format without an id is ignored
			}
			code, err := s.attrString("formatCode")
			if err != nil {
				return err
			}
			custom[id] = parseNumFmt(code)
		case "cellXfs":
			inXfs = !s.selfClose
		case "cellStyleXfs", "dxfs":
			inXfs = false
		case "xf":
			if inXfs {
				id, _ := strconv.Atoi(string(attrOr(s, "numFmtId")))
				ids = append(ids, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]numFmt, len(ids))
	for i, id := range ids {
		if nf, ok := custom[id]; ok {
			out[i] = nf
		} else {
			out[i] = builtinNumFmt(id)
		}
	}
	return out, nil
}

func attrOr(s *xmlScanner, name string) []byte {
	v, _ := s.attr(name)
	return v
}

// maxSmallPart is the most a workbook, styles, relationships or content
// types part may inflate to.
const maxSmallPart = 64 << 20

// readSmallPart scans a part whose root element is root, calling start for
// each start tag below it, and reads the part to its end so that its
// checksum is verified.
func readSmallPart(ctx context.Context, f *zip.File, buf []byte, root string, start func(*xmlScanner) error) (err error) {
	defer recoverMalformed(&err, f.Name)
	if f.UncompressedSize64 > maxSmallPart {
		return fmt.Errorf("%w: part %q inflates to %s, too large for its kind", ErrTooLarge, f.Name, byteSize(f.UncompressedSize64))
	}
	rc, err := f.Open()
	if err != nil {
		return damagedPart(f, err)
	}
	defer rc.Close()
	s := newXMLScanner(rc, len(buf))
	s.buf = buf
	depth, seen := 0, false
	for n := 0; ; n++ {
		if n&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tok := s.next()
		if tok == tokEOF {
			break
		}
		if depth == 0 {
			if tok != tokStart || string(s.name) != root {
				return malformedPart(f.Name, fmt.Errorf("holds <%s>, not <%s>", s.name, root))
			}
			seen = true
		} else if tok == tokStart {
			if err := start(s); err != nil {
				return malformedPart(f.Name, err)
			}
		}
		switch {
		case tok == tokStart && !s.selfClose:
			depth++
		case tok == tokEnd:
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if s.err != nil {
		return scanError(f, s)
	}
	if !seen {
		return malformedPart(f.Name, errors.New("it is empty"))
	}
	if depth != 0 {
		return malformedPart(f.Name, fmt.Errorf("it ends before </%s>", root))
	}
	if err := drain(rc, buf); err != nil {
		return damagedPart(f, err)
	}
	return nil
}
