package validate

import (
	"encoding/binary"
	"iter"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// storeBlock is the largest size of the blocks a RowStore encodes its rows
// into; the first is firstBlock, and each next one twice the one before,
// so that a store of a few rows costs a few kilobytes, and a large one
// wastes at most the end of each block, never a copy of what it holds.
const (
	firstBlock = 4 << 10
	storeBlock = 1 << 20
)

// The flags of a stored cell, after its kind (the low three bits).
const (
	cellText = 1 << 3   // a text follows
	cellRef  = 1 << 4   // an address other than the cell's own follows (a merge's top-left cell)
	cellNum  = 1 << 5   // a number follows
	cellBool = 1 << 6   // the value is true
	cellTime = 1 << 7   // a time follows
	cellKind = 1<<3 - 1 // the kinds fit in three bits
)

// The texts a RowStore keeps once and refers to: short ones, in a column
// that repeats its values (an organization, an order of government, a
// status), up to maxShared of them.
const (
	maxSharedLen = 64
	maxShared    = 1 << 16
	// A column whose first sharedTrial texts are mostly new (names,
	// e-mail addresses) stops looking its texts up.
	sharedTrial = 1024
)

// RowStore keeps the data rows of a table compactly, for a table kept after
// it is read (the report lists every row of the membership). A Row as read
// costs some 80 bytes a cell, its address and its text aside; stored, a
// cell costs one byte of kind and flags, its text (or, for a short text its
// column repeats, a reference to the one copy kept), and a few bytes for a
// number or a date. Rows are encoded one after the other into blocks of a
// mebibyte that are never moved, and decoded one at a time, in the order
// added. The zero RowStore is empty and ready to use.
type RowStore struct {
	blocks  [][]byte
	scratch []byte
	n       int
	last    int
	width   int
	unorder bool
	// The texts kept once, their indexes, and by column how many texts
	// were looked up and found.
	shared  []string
	index   map[string]uint32
	tried   []int
	found   []int
	sharing int // bytes of the texts kept once
}

// Add appends a row to the store.
func (s *RowStore) Add(r Row) {
	if s.n > 0 && r.Num < s.last {
		s.unorder = true
	}
	s.n++
	s.last = r.Num
	b := s.scratch[:0]
	b = binary.AppendUvarint(b, uint64(r.Num))
	b = binary.AppendUvarint(b, uint64(len(r.Cells)))
	for col, c := range r.Cells {
		v := c.Value
		if !v.IsBlank() {
			s.width = max(s.width, col+1)
		}
		flags := byte(v.Kind) & cellKind
		if v.Text != "" {
			flags |= cellText
		}
		if c.Ref != "" && !ownRef(c.Ref, col, r.Num) {
			flags |= cellRef
		}
		if v.Num != 0 || math.Signbit(v.Num) {
			flags |= cellNum
		}
		if v.Bool {
			flags |= cellBool
		}
		if !v.Time.IsZero() {
			flags |= cellTime
		}
		b = append(b, flags)
		if flags&cellRef != 0 {
			b = appendString(b, c.Ref, 0)
		}
		if flags&cellText != 0 {
			b = s.appendText(b, col, v.Text)
		}
		if flags&cellNum != 0 {
			// A whole number, a serial date, has its low bytes zero:
			// reversed, it takes a few bytes as a varint.
			b = binary.AppendUvarint(b, bits.ReverseBytes64(math.Float64bits(v.Num)))
		}
		if flags&cellTime != 0 {
			b = appendTime(b, v.Time)
		}
	}
	s.scratch = b
	last := len(s.blocks) - 1
	if last < 0 || cap(s.blocks[last])-len(s.blocks[last]) < len(b) {
		size := firstBlock
		if last >= 0 {
			size = min(storeBlock, 2*cap(s.blocks[last]))
		}
		s.blocks = append(s.blocks, make([]byte, 0, max(size, len(b))))
		last++
	}
	s.blocks[last] = append(s.blocks[last], b...)
}

// ownRef reports whether ref is the A1 address of 0-based column col in
// row, without building the address.
func ownRef(ref string, col, row int) bool {
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], int64(row), 10)
	n := len(b)
	// The column's letters, written backwards after the row's digits.
	for c := col + 1; c > 0; c = (c - 1) / 26 {
		b = append(b, byte('A'+(c-1)%26))
	}
	if len(ref) != len(b) {
		return false
	}
	letters := len(b) - n
	for i := range letters {
		if ref[i] != b[len(b)-1-i] {
			return false
		}
	}
	return ref[letters:] == string(b[:n])
}

// appendText appends the text of a cell of column col: a reference to the
// one copy kept of it (its index, times two, plus one) or its length
// (times two) and itself.
func (s *RowStore) appendText(b []byte, col int, t string) []byte {
	if len(t) > maxSharedLen {
		return appendString(b, t, 1)
	}
	for len(s.tried) <= col {
		s.tried, s.found = append(s.tried, 0), append(s.found, 0)
	}
	if s.tried[col] >= sharedTrial && s.found[col]*2 < s.tried[col] {
		return appendString(b, t, 1)
	}
	s.tried[col]++
	i, ok := s.index[t]
	if ok {
		s.found[col]++
		return binary.AppendUvarint(b, uint64(i)<<1|1)
	}
	if len(s.shared) >= maxShared {
		return appendString(b, t, 1)
	}
	if s.index == nil {
		s.index = map[string]uint32{}
	}
	// A copy: the text may point into a buffer of the reader.
	t = strings.Clone(t)
	i = uint32(len(s.shared))
	s.shared = append(s.shared, t)
	s.index[t] = i
	s.sharing += len(t)
	return binary.AppendUvarint(b, uint64(i)<<1|1)
}

// appendTime appends a time: a zero byte and its seconds and nanoseconds
// for a time in UTC (a date read from a sheet), else the length and bytes
// of its binary form, which keep its zone's offset.
func appendTime(b []byte, t time.Time) []byte {
	if t.Location() == time.UTC {
		b = append(b, 0)
		b = binary.AppendVarint(b, t.Unix())
		return binary.AppendUvarint(b, uint64(t.Nanosecond()))
	}
	at := len(b)
	b = append(b, 0)
	m, err := t.AppendBinary(b)
	if err != nil {
		// A zone offset that is not a whole minute: kept in UTC, the same
		// instant.
		return appendTime(b[:at], t.UTC())
	}
	m[at] = byte(len(m) - at - 1)
	return m
}

// appendString appends a string and its length, times shift.
func appendString(b []byte, s string, shift uint) []byte {
	b = binary.AppendUvarint(b, uint64(len(s))<<shift)
	return append(b, s...)
}

// Len returns the number of rows stored.
func (s *RowStore) Len() int { return s.n }

// Size returns the bytes the store's rows cost: what its blocks hold (the
// unused end of the last aside) and the texts it keeps once, with what
// finding them costs (about 48 bytes each).
func (s *RowStore) Size() int {
	n := s.sharing + len(s.shared)*48
	for _, b := range s.blocks {
		n += len(b)
	}
	return n
}

// Sorted reports whether the rows were added in the order of their
// numbers, as a sheet is read.
func (s *RowStore) Sorted() bool { return !s.unorder }

// Width returns the number of columns up to the last one holding a
// non-blank value in any row.
func (s *RowStore) Width() int { return s.width }

// All returns the rows in the order added. The Cells of a row given are
// reused for the next one: a caller that keeps a row copies its Cells
// (the texts may be kept, they never change). A cell whose address is its
// own comes back with an empty Ref, which Row.Cell fills in.
func (s *RowStore) All() iter.Seq[Row] {
	return func(yield func(Row) bool) {
		var cells []Cell // reused from row to row
		for _, block := range s.blocks {
			for p := 0; p < len(block); {
				var r Row
				r, p = s.decodeRow(block, p, cells[:0])
				cells = r.Cells
				if !yield(r) {
					return
				}
			}
		}
	}
}

// decodeRow decodes the row at p of block, its cells appended to cells,
// and returns it and where the next one starts.
func (s *RowStore) decodeRow(block []byte, p int, cells []Cell) (Row, int) {
	uvarint := func() uint64 {
		v, n := binary.Uvarint(block[p:])
		p += n
		return v
	}
	str := func(n int) string {
		if n == 0 {
			return ""
		}
		// The blocks are never written again where they hold a row: a
		// string may point into them, as strings.Builder's does.
		t := unsafe.String(&block[p], n)
		p += n
		return t
	}
	num := int(uvarint())
	n := int(uvarint())
	for range n {
		flags := block[p]
		p++
		var c Cell
		c.Value.Kind = Kind(flags & cellKind)
		if flags&cellRef != 0 {
			c.Ref = str(int(uvarint()))
		}
		if flags&cellText != 0 {
			if x := uvarint(); x&1 == 1 {
				c.Value.Text = s.shared[x>>1]
			} else {
				c.Value.Text = str(int(x >> 1))
			}
		}
		if flags&cellNum != 0 {
			c.Value.Num = math.Float64frombits(bits.ReverseBytes64(uvarint()))
		}
		c.Value.Bool = flags&cellBool != 0
		if flags&cellTime != 0 {
			l := int(block[p])
			p++
			if l == 0 {
				sec, n := binary.Varint(block[p:])
				p += n
				c.Value.Time = time.Unix(sec, int64(uvarint())).UTC()
			} else {
				var t time.Time
				_ = t.UnmarshalBinary(block[p : p+l]) // written by AppendBinary
				c.Value.Time = t
				p += l
			}
		}
		cells = append(cells, c)
	}
	return Row{Num: num, Cells: cells}, p
}
