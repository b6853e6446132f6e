package sync

import (
	"io"
	"runtime"
)

// inflater reads a zip entry in a goroutine of its own, a few chunks ahead
// of its reader, so that inflating the part and tokenizing it run on two
// processors. Memory: pipeChunks chunks of pipeChunkSize bytes.
type inflater struct {
	full   chan pipeChunk
	free   chan []byte
	stop   chan struct{}
	exited chan struct{}
	cur    []byte // unread bytes of the chunk being read
	buf    []byte // that chunk's buffer, to hand back
	err    error
}

type pipeChunk struct {
	b   []byte
	err error
}

const (
	pipeChunks    = 4
	pipeChunkSize = 128 << 10
)

// newPipe returns a reader of r: r itself when only one processor runs
// Go code, an inflater otherwise, whose chunks are sized for a part of
// size bytes (see bufSize). The closer stops the inflater (it must be
// called before r is closed).
func newPipe(r io.Reader, size uint64) (io.Reader, func()) {
	if runtime.GOMAXPROCS(0) < 2 {
		return r, func() {}
	}
	p := &inflater{
		full:   make(chan pipeChunk, pipeChunks),
		free:   make(chan []byte, pipeChunks),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range pipeChunks {
		p.free <- make([]byte, bufSize(size, pipeChunkSize))
	}
	go p.run(r)
	return p, p.close
}

func (p *inflater) run(r io.Reader) {
	defer close(p.exited)
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		n, err := 0, error(nil)
		for n < len(buf) && err == nil {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		select {
		case p.full <- pipeChunk{b: buf[:n], err: err}:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read reads the inflated bytes in order; it returns the entry's error
// (io.EOF at its end, a checksum error…) after its last bytes.
func (p *inflater) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		if p.buf != nil {
			p.free <- p.buf[:cap(p.buf)]
			p.buf = nil
		}
		c := <-p.full
		p.cur, p.buf, p.err = c.b, c.b, c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

func (p *inflater) close() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.exited
}

// minBuf is the smallest read buffer bufSize gives.
const minBuf = 4 << 10

// bufSize returns the size of a buffer for reading a part of size bytes
// (the size its zip entry states) that needs at most limit: one byte more
// than the part, so that its end is found in the same read, between minBuf
// and limit. The stated size only saves memory on small parts: the zip
// reader refuses a part longer than it states.
func bufSize(size uint64, limit int) int {
	if size >= uint64(limit) {
		return limit
	}
	return max(minBuf, int(size)+1)
}
