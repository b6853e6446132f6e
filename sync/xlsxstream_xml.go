package sync

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// This file is the XML scanner of the streaming reader: a pull tokenizer
// over a part as it inflates, purpose-built for the few elements a
// spreadsheet part holds. It yields start and end tags with their local
// names (any namespace prefix dropped) and raw attributes, and appends the
// character data of the elements its caller captures, decoded (entities,
// character references, CDATA sections, line ends). Comments and
// processing instructions are skipped; a DOCTYPE is refused. Nothing is
// allocated per token: names, attributes and text are slices into its
// buffer, valid until the next call.

// The tokens of xmlScanner.next.
const (
	tokEOF = iota
	tokStart
	tokEnd
)

// maxToken is the most bytes one tag, or the text of one captured element,
// may take: far more than a cell of MaxCellChars characters written with
// entities.
const maxToken = 1 << 20

// maxAttrs is the most attributes a tag may have.
const maxAttrs = 64

// errTokenTooLarge is the scanner's error for a tag or captured text
// larger than maxToken.
var errTokenTooLarge = errors.New("an element is larger than 1 MiB")

// xmlAttr is one attribute of a tag: its local name and its raw value.
type xmlAttr struct {
	name, value []byte
}

// xmlScanner tokenizes one XML part.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	rerr     error // the reader's error other than io.EOF
	consumed int64 // bytes dropped from the front of buf so far

	// The current token.
	name      []byte // local name
	selfClose bool   // a start tag that is also its end
	attrs     []xmlAttr

	// capture, when set, makes next append the character data it passes
	// over to text, decoded.
	capture bool
	text    []byte

	err error
}

func newXMLScanner(r io.Reader, size int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, size), attrs: make([]xmlAttr, 0, 8)}
}

// offset returns the position of the scanner in the part, for messages.
func (s *xmlScanner) offset() int64 { return s.consumed + int64(s.pos) }

// fill moves the unread bytes to the front of the buffer and reads more.
// It grows the buffer, up to maxToken, when the unread bytes fill it. It
// returns false at the end of the input or on an error (s.err set for an
// error).
func (s *xmlScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.consumed += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxToken {
			s.err = errTokenTooLarge
			return false
		}
		nb := make([]byte, min(2*len(s.buf), maxToken))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// drop discards the unread bytes but the last keep.
func (s *xmlScanner) drop(keep int) {
	if s.end-s.pos > keep {
		s.pos = s.end - keep
	}
}

// skipPast discards input up to and including pattern; it returns false
// when the input ends first.
func (s *xmlScanner) skipPast(pattern string) bool {
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte(pattern)); i >= 0 {
			s.pos += i + len(pattern)
			return true
		}
		s.drop(len(pattern) - 1)
		if !s.fill() {
			return false
		}
	}
}

// fail sets the scanner's error, once.
func (s *xmlScanner) fail(format string, args ...any) int {
	if s.err == nil {
		s.err = fmt.Errorf(format+" (at byte %d)", append(args, s.offset())...)
	}
	return tokEOF
}

// next returns the next tag: tokStart (s.name, s.attrs, s.selfClose),
// tokEnd (s.name), or tokEOF at the end of the input or on an error
// (s.err).
func (s *xmlScanner) next() int {
	if s.err != nil {
		return tokEOF
	}
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			if s.capture {
				if s.end-s.pos >= maxToken {
					return s.fail("%v", errTokenTooLarge)
				}
				// Keep the text until its end is in the buffer, so that
				// an entity is never cut in two.
			} else {
				s.pos = s.end
			}
			if !s.fill() {
				if s.err != nil {
					return tokEOF
				}
				if s.capture && s.end > s.pos {
					return s.fail("the part ends inside an element")
				}
				return tokEOF
			}
			continue
		}
		if s.capture && i > 0 {
			if !s.appendText(s.buf[s.pos : s.pos+i]) {
				return tokEOF
			}
		}
		s.pos += i
		tok, again := s.tag()
		if !again {
			return tok
		}
	}
}

// tag reads the markup at s.pos (a '<'). It returns again when the markup
// was a comment, a processing instruction or a CDATA section, after which
// next goes on.
func (s *xmlScanner) tag() (tok int, again bool) {
	for {
		for s.end-s.pos < 9 && !s.eof {
			if !s.fill() {
				break
			}
		}
		if s.err != nil {
			return tokEOF, false
		}
		b := s.buf[s.pos:s.end]
		if len(b) < 2 {
			return s.fail("the part ends inside a tag"), false
		}
		switch b[1] {
		case '?':
			s.pos += 2
			if !s.skipPast("?>") {
				return s.fail("the part ends inside a processing instruction"), false
			}
			return tokEOF, true
		case '!':
			switch {
			case bytes.HasPrefix(b, []byte("<!--")):
				s.pos += 4
				if !s.skipPast("-->") {
					return s.fail("the part ends inside a comment"), false
				}
				return tokEOF, true
			case bytes.HasPrefix(b, []byte("<![CDATA[")):
				s.pos += 9
				return s.cdata(), true
			case bytes.HasPrefix(b, []byte("<!DOCTYPE")), bytes.HasPrefix(b, []byte("<!doctype")):
				return s.fail("a DOCTYPE is declared, which spreadsheet programs never write (an XML entity bomb?)"), false
			}
			return s.fail("unexpected markup %q", b[:min(len(b), 9)]), false
		}
		tok, complete := s.parseTag()
		if complete || s.err != nil {
			return tok, false
		}
		// The tag runs past the buffer: read more and parse it again.
		if s.end-s.pos >= maxToken {
			return s.fail("%v", errTokenTooLarge), false
		}
		if !s.fill() {
			if s.err == nil {
				s.fail("the part ends inside a tag")
			}
			return tokEOF, false
		}
	}
}

// cdata reads a CDATA section's content (after "<![CDATA["), captured
// as is but for line ends.
func (s *xmlScanner) cdata() int {
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], []byte("]]>")); i >= 0 {
			if s.capture {
				s.appendRaw(s.buf[s.pos : s.pos+i])
			}
			s.pos += i + 3
			return tokEOF
		}
		if !s.capture {
			s.drop(2)
		} else if s.end-s.pos >= maxToken {
			return s.fail("%v", errTokenTooLarge)
		}
		if !s.fill() {
			return s.fail("the part ends inside a CDATA section")
		}
	}
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// localName returns name without its namespace prefix.
func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// parseTag parses the tag at s.pos. complete is false when the buffer
// ends before the tag does.
func (s *xmlScanner) parseTag() (tok int, complete bool) {
	b := s.buf[s.pos:s.end]
	i := 1
	end := false
	if b[1] == '/' {
		end = true
		i = 2
	}
	start := i
	for i < len(b) && !isNameEnd(b[i]) {
		i++
	}
	if i == len(b) {
		return tokEOF, false
	}
	if i == start {
		return s.fail("a tag has no name"), true
	}
	s.name = localName(b[start:i])
	if end {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return tokEOF, false
		}
		if b[i] != '>' {
			return s.fail("malformed end tag </%s>", s.name), true
		}
		s.pos += i + 1
		return tokEnd, true
	}
	s.attrs = s.attrs[:0]
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return tokEOF, false
		}
		switch b[i] {
		case '>':
			s.selfClose = false
			s.pos += i + 1
			return tokStart, true
		case '/':
			if i+1 == len(b) {
				return tokEOF, false
			}
			if b[i+1] != '>' {
				return s.fail("malformed tag <%s>", s.name), true
			}
			s.selfClose = true
			s.pos += i + 2
			return tokStart, true
		}
		ns := i
		for i < len(b) && b[i] != '=' && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
			i++
		}
		ne := i
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return tokEOF, false
		}
		if b[i] != '=' || ne == ns {
			return s.fail("malformed attribute in tag <%s>", s.name), true
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return tokEOF, false
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return s.fail("unquoted attribute in tag <%s>", s.name), true
		}
		j := bytes.IndexByte(b[i+1:], q)
		if j < 0 {
			return tokEOF, false
		}
		if len(s.attrs) == maxAttrs {
			return s.fail("tag <%s> has more than %d attributes", s.name, maxAttrs), true
		}
		s.attrs = append(s.attrs, xmlAttr{name: localName(b[ns:ne]), value: b[i+1 : i+1+j]})
		i += j + 2
	}
}

// attr returns the raw value of the current tag's attribute name (local
// name, so "r:id" is "id"), and whether it is there.
func (s *xmlScanner) attr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return a.value, true
		}
	}
	return nil, false
}

// attrString returns an attribute's value decoded, or "".
func (s *xmlScanner) attrString(name string) (string, error) {
	v, ok := s.attr(name)
	if !ok {
		return "", nil
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v), nil
	}
	out, err := decodeEntities(nil, v)
	return string(out), err
}

// simpleValue reads, at the scanner's position, the rest of the commonest
// cell: "<v>TEXT</v></c>" whose TEXT holds no markup, entity or carriage
// return, so that it reads as written. It returns TEXT (valid until the
// scanner reads on) and moves past "</c>"; for anything else, or a cell
// that runs past the buffer, ok is false and nothing is read, and the cell
// is tokenized as any other.
func (s *xmlScanner) simpleValue() (text []byte, ok bool) {
	b := s.buf[s.pos:s.end]
	if len(b) < 3 || b[0] != '<' || b[1] != 'v' || b[2] != '>' {
		return nil, false
	}
	i := bytes.IndexByte(b[3:], '<')
	if i < 0 {
		return nil, false
	}
	text = b[3 : 3+i]
	if !bytes.HasPrefix(b[3+i:], []byte("</v></c>")) || bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '\r') >= 0 {
		return nil, false
	}
	s.pos += 3 + i + len("</v></c>")
	return text, true
}

// appendText appends character data, decoded, to s.text.
func (s *xmlScanner) appendText(b []byte) bool {
	if bytes.IndexByte(b, '&') < 0 {
		s.appendRaw(b)
		return true
	}
	var err error
	n := len(s.text)
	s.text, err = decodeEntities(s.text, b)
	if err != nil {
		s.fail("%v", err)
		return false
	}
	if bytes.IndexByte(s.text[n:], '\r') >= 0 {
		s.text = append(s.text[:n], normalizeNewlines(s.text[n:])...)
	}
	return true
}

// appendRaw appends b to s.text with its line ends normalized.
func (s *xmlScanner) appendRaw(b []byte) {
	if bytes.IndexByte(b, '\r') < 0 {
		s.text = append(s.text, b...)
		return
	}
	s.text = append(s.text, normalizeNewlines(b)...)
}

// normalizeNewlines turns "\r\n" and a lone "\r" into "\n", as an XML
// processor does.
func normalizeNewlines(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// decodeEntities appends b to dst with its entity and character
// references replaced.
func decodeEntities(dst, b []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return append(dst, b...), nil
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 || j > 12 {
			return dst, errors.New("an unterminated entity reference")
		}
		ref := b[1:j]
		switch string(ref) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ref) < 2 || ref[0] != '#' {
				return dst, fmt.Errorf("an unknown entity &%s;", ref)
			}
			var n uint64
			var err error
			if ref[1] == 'x' {
				n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
			}
			if err != nil || !xmlChar(rune(n)) {
				return dst, fmt.Errorf("an invalid character reference &%s;", ref)
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
		b = b[j+1:]
	}
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// unescapeOOXML replaces the _xHHHH_ escapes Excel writes for characters
// XML cannot hold (and _x005F_ for a literal underscore before one), as
// Excel and openpyxl read them. It returns b itself when there is none.
func unescapeOOXML(dst, b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return append(dst, b...)
	}
	for i >= 0 {
		if i+7 <= len(b) && b[i+6] == '_' && isHex4(b[i+2:i+6]) {
			dst = append(dst, b[:i]...)
			n, _ := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
			if r := rune(n); utf8.ValidRune(r) {
				dst = utf8.AppendRune(dst, r)
			}
			// A surrogate half is dropped, as excelize does.
			b = b[i+7:]
			i = bytes.Index(b, []byte("_x"))
			continue
		}
		k := bytes.Index(b[i+2:], []byte("_x"))
		if k < 0 {
			break
		}
		dst = append(dst, b[:i+2+k]...)
		b = b[i+2+k:]
		i = 0
	}
	return append(dst, b...)
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
