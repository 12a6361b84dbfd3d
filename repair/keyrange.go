package repair

import "math/bits"

// keyPart is a contiguous part of an integer key range: the keys from First to Last, both
// included.
type keyPart struct {
	First, Last int64
}

// splitKeys splits the keys lo..hi (lo ≤ hi, both included) into at most n contiguous parts, in
// key order, that together cover the range; every part but the last has the same width. A
// range narrower than n keys gives fewer parts, none empty.
//
// The widths are computed in unsigned arithmetic: hi - lo exceeds the int64 range when the keys
// span zero widely (math.MinInt64 to math.MaxInt64), and a bound one below the smallest key or
// one above the largest does not exist at the ends of int64, so neither is ever formed.
func splitKeys(lo, hi int64, n int) []keyPart {
	if n < 1 {
		n = 1
	}
	width := uint64(hi) - uint64(lo) // number of keys less one; exact modulo 2^64
	span := width/uint64(n) + 1      // keys per part, rounded up: n parts cover width+1 keys
	var parts []keyPart
	first := lo
	for i := uint64(1); i < uint64(n); i++ {
		carry, offset := bits.Mul64(i, span)
		if carry != 0 || offset > width {
			break // this part and the next would start after hi
		}
		next := int64(uint64(lo) + offset) // lo < next ≤ hi: in range, so exact
		parts = append(parts, keyPart{First: first, Last: next - 1})
		first = next
	}
	return append(parts, keyPart{First: first, Last: hi})
}
