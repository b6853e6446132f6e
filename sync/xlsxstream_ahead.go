package sync

import (
	"runtime"

	"copsync/validate"
)

// rowsAhead tokenizes a sheet in a goroutine of its own, a few batches of
// rows ahead of its reader, so that reading the sheet and checking its rows
// run on two processors. The goroutine owns the streamSheet's reading state
// until it exits; the reader sees only the batches.
//
// Memory: at most aheadBatches+1 batches of aheadRows rows (those waiting,
// and the one being read), on top of what the reader keeps.
type rowsAhead struct {
	full   chan rowBatch
	free   chan []validate.Row
	stop   chan struct{}
	exited chan struct{}

	cur  []validate.Row // the batch being read
	at   int            // the next row of cur
	back []validate.Row // cur's buffer, to hand back
	end  bool           // the last batch was read
	err  error          // the reading's error, once end
	last int            // the number of the last row returned
}

// rowBatch is rows read ahead; the last batch has end set, with the
// reading's error.
type rowBatch struct {
	rows []validate.Row
	end  bool
	err  error
}

const (
	aheadBatches = 4
	aheadRows    = 256
	// aheadStopCheck is how many rows the goroutine reads between two
	// looks at whether the reader has closed the sheet.
	aheadStopCheck = 32
)

// readAhead returns the read-ahead of r's rows, or nil when only one
// processor runs Go code (reading ahead would only add hand-offs).
func readAhead(r *streamSheet) *rowsAhead {
	if runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	a := &rowsAhead{
		full:   make(chan rowBatch, aheadBatches),
		free:   make(chan []validate.Row, aheadBatches+1),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range aheadBatches + 1 {
		a.free <- make([]validate.Row, 0, aheadRows)
	}
	go a.run(r)
	return a
}

// run reads r's rows in batches until the sheet ends, fails, or the
// reader stops.
func (a *rowsAhead) run(r *streamSheet) {
	defer close(a.exited)
	for {
		var rows []validate.Row
		select {
		case rows = <-a.free:
		case <-a.stop:
			return
		}
		rows = rows[:0]
		b := rowBatch{}
		for len(rows) < cap(rows) {
			if len(rows)%aheadStopCheck == 0 {
				select {
				case <-a.stop: // the reader closed the sheet
					return
				default:
				}
			}
			row, ok := r.next()
			if !ok {
				b.end, b.err = true, r.err
				break
			}
			rows = append(rows, row)
		}
		b.rows = rows
		select {
		case a.full <- b:
		case <-a.stop:
			return
		}
		if b.end {
			return
		}
	}
}

// next returns the next row read ahead; ok is false at the end or on an
// error (see err).
func (a *rowsAhead) next() (validate.Row, bool) {
	for a.at >= len(a.cur) {
		if a.end {
			return validate.Row{}, false
		}
		if a.back != nil {
			clear(a.back) // the rows are the reader's now
			a.free <- a.back
			a.back = nil
		}
		b := <-a.full
		a.cur, a.at, a.back = b.rows, 0, b.rows
		a.end, a.err = b.end, b.err
	}
	row := a.cur[a.at]
	a.at++
	a.last = row.Num
	return row, true
}

// close stops the goroutine and waits for it to exit, so that the sheet's
// reading state is the caller's again.
func (a *rowsAhead) close() {
	select {
	case <-a.stop:
	default:
		close(a.stop)
	}
	<-a.exited
}
