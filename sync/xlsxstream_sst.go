package sync

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// sharedStrings is a workbook's shared-strings table, compact: every
// string in one buffer, each string an end offset into it.
type sharedStrings struct {
	all  string
	ends []uint32
}

// len returns the number of strings.
func (t *sharedStrings) len() int { return len(t.ends) }

// get returns string i; i is in range.
func (t *sharedStrings) get(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.all[start:t.ends[i]]
}

// parseSharedStrings reads a shared-strings part: each <si> is the
// concatenation of its text, rich text runs included and phonetic runs
// (<rPh>) left out, with Excel's _xHHHH_ escapes replaced.
func parseSharedStrings(ctx context.Context, f *zip.File, buf []byte) (_ *sharedStrings, err error) {
	defer recoverMalformed(&err, f.Name)
	rc, err := f.Open()
	if err != nil {
		return nil, damagedPart(f, err)
	}
	defer rc.Close()
	s := newXMLScanner(rc, len(buf))
	s.buf = buf

	if f.UncompressedSize64 > math.MaxUint32 {
		return nil, fmt.Errorf("%w: part %q inflates to %s, more than a shared-strings table can hold",
			ErrTooLarge, f.Name, byteSize(f.UncompressedSize64))
	}
	var all strings.Builder
	// The strings take about half the part (markup takes the rest).
	all.Grow(int(f.UncompressedSize64 / 2))
	t := &sharedStrings{}
	var item []byte
	depth, inSI, inRPh, root := 0, false, 0, false
	for n := 0; ; n++ {
		if n&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tok := s.next()
		if tok == tokEOF {
			break
		}
		if !root {
			if tok != tokStart || string(s.name) != "sst" {
				return nil, malformedPart(f.Name, fmt.Errorf("holds <%s>, not <sst>", s.name))
			}
			root = true
			if c, ok := s.attr("uniqueCount"); ok {
				if n, err := strconv.Atoi(string(c)); err == nil && n > 0 {
					t.ends = make([]uint32, 0, min(n, int(f.UncompressedSize64/12)+1))
				}
			}
			if s.selfClose {
				break
			}
			depth = 1
			continue
		}
		if tok == tokStart {
			if !s.selfClose {
				depth++
			}
			switch string(s.name) {
			case "si":
				if s.selfClose {
					t.ends = append(t.ends, uint32(all.Len()))
					continue
				}
				inSI, inRPh = true, 0
				s.text = s.text[:0]
			case "rPh":
				if inSI && !s.selfClose {
					inRPh++
				}
			case "t":
				if inSI && inRPh == 0 && !s.selfClose {
					s.capture = true
				}
			}
			continue
		}
		depth--
		switch string(s.name) {
		case "t":
			s.capture = false
		case "rPh":
			if inRPh > 0 {
				inRPh--
			}
		case "si":
			if inSI {
				item = unescapeOOXML(item[:0], s.text)
				all.Write(item)
				if all.Len() > math.MaxUint32 {
					return nil, fmt.Errorf("%w: part %q holds more than 4 GiB of text", ErrTooLarge, f.Name)
				}
				t.ends = append(t.ends, uint32(all.Len()))
				inSI = false
				s.text = s.text[:0]
			}
		}
		if depth == 0 {
			break
		}
	}
	if s.err != nil {
		return nil, scanError(f, s)
	}
	if !root {
		return nil, malformedPart(f.Name, errors.New("it is empty"))
	}
	if depth != 0 {
		return nil, malformedPart(f.Name, errors.New("it ends before </sst>"))
	}
	if err := drain(rc, buf); err != nil {
		return nil, damagedPart(f, err)
	}
	t.all = all.String()
	return t, nil
}

// drain reads r to its end, so that the zip reader checks the part's
// size and checksum.
func drain(r io.Reader, buf []byte) error {
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// scanError is the error of a part the scanner failed on: a damaged zip
// entry, or malformed XML.
func scanError(f *zip.File, s *xmlScanner) error {
	if s.rerr != nil {
		if errors.Is(s.rerr, zip.ErrChecksum) || errors.Is(s.rerr, zip.ErrFormat) || errors.Is(s.rerr, io.ErrUnexpectedEOF) || errors.Is(s.rerr, zip.ErrAlgorithm) {
			return damagedPart(f, s.rerr)
		}
		return fmt.Errorf("read part %q: %w", f.Name, s.rerr)
	}
	return malformedPart(f.Name, s.err)
}

// malformedPart is the error of a part whose XML is not what it should be.
func malformedPart(name string, err error) error {
	return fmt.Errorf("%w: part %q: %s", ErrMalformed, name, oneLine(err.Error()))
}

// recoverMalformed turns a panic into ErrMalformed naming the part.
func recoverMalformed(err *error, part string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: part %q: %s", ErrMalformed, part, oneLine(fmt.Sprint(r)))
	}
}
