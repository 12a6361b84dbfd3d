package repair

import (
	"context"
	"errors"
	"sync"
)

// flight is one planned batch on its way to the database.
type flight struct {
	b batchPlan
	// before is the pending progress before this batch; after, the pending progress once it
	// has committed.
	before, after Progress
	// began is closed when the batch holds its transaction (or is done); retrying when an
	// attempt to write it failed and it will be retried; done when it has committed or failed
	// for good (err).
	began, retrying, done chan struct{}
	beganOnce, retryOnce  sync.Once
	err                   error
}

func newFlight(b batchPlan, before Progress) *flight {
	return &flight{b: b, before: before,
		began: make(chan struct{}), retrying: make(chan struct{}), done: make(chan struct{})}
}

// finish records the outcome of the batch.
func (f *flight) finish(err error) {
	f.err = err
	f.beganOnce.Do(func() { close(f.began) })
	close(f.done)
}

func finished(f *flight) bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// writing counts the batches still being written.
func writing(queue []*flight) int {
	n := 0
	for _, f := range queue {
		if !finished(f) {
			n++
		}
	}
	return n
}

var (
	// errYield asks a batch to roll back and wait: the batch before it is being retried, and a
	// batch must not hold its rows meanwhile.
	errYield = errors.New("the batch before is being retried")
	// errBeforeFailed rolls a batch back because the batch before it failed.
	errBeforeFailed = errors.New("the batch before failed")
)

// Turn keeps the batches a worker writes at once in key order, so that the committed batches
// are always the first ones and the resume point stays exact. A store writing a batch calls
// Open before it opens the batch's transaction, Opened once it holds it, and Commit after its
// rows are written and before it records the batch's counts. A nil *Turn lets a batch go at
// once.
//
// A batch opens its transaction only once the batch before it holds one, so the one before
// never waits for a connection that a later batch holds while waiting for it.
type Turn struct {
	self, prev *flight
}

// Open returns when the batch may open its transaction: when the batch before holds its own
// or is done.
func (t *Turn) Open(ctx context.Context) error {
	if t == nil || t.prev == nil {
		return nil
	}
	select {
	case <-t.prev.began:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Opened records that the batch holds its transaction.
func (t *Turn) Opened() {
	if t != nil && t.self != nil {
		t.self.beganOnce.Do(func() { close(t.self.began) })
	}
}

// Commit returns when the batch may commit: when the batch before has committed. It fails when
// the batch before failed, and asks the batch to yield (roll back, then be written again once
// the batch before is done) when the batch before is being retried. Its error must roll the
// batch back.
func (t *Turn) Commit(ctx context.Context) error {
	if t == nil || t.prev == nil {
		return nil
	}
	prev := t.prev
	result := func() error {
		if prev.err != nil {
			return errBeforeFailed
		}
		return nil
	}
	select {
	case <-prev.done:
		return result()
	default:
	}
	select {
	case <-prev.done:
		return result()
	case <-prev.retrying:
		return errYield
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retrying tells the batch after this one that this one will be written again.
func (t *Turn) retrying() {
	if t != nil && t.self != nil {
		t.self.retryOnce.Do(func() { close(t.self.retrying) })
	}
}

// awaitBefore returns when the batch before is done: nil when it committed, errBeforeFailed
// when it failed.
func (t *Turn) awaitBefore(ctx context.Context) error {
	if t == nil || t.prev == nil {
		return nil
	}
	select {
	case <-t.prev.done:
		if t.prev.err != nil {
			return errBeforeFailed
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
