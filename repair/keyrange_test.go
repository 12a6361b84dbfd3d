package repair

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The parts of a key range, worked out by hand: n parts of ceil(keys/n) keys each, the last
// holding the rest.
func TestSplitKeys(t *testing.T) {
	t.Parallel()
	const (
		minKey = math.MinInt64
		maxKey = math.MaxInt64
		// 2^62: half of the 2^63 keys 0..MaxInt64.
		quarter = 4611686018427387904
		// ceil(2^64 / 3) = 6148914691236517206 keys in each of the first two thirds of int64.
		third = 6148914691236517206
	)
	for _, tc := range []struct {
		lo, hi int64
		n      int
		want   []keyPart
	}{
		{1, 10, 2, []keyPart{{1, 5}, {6, 10}}},
		{1, 10, 3, []keyPart{{1, 4}, {5, 8}, {9, 10}}},
		{7, 7, 1, []keyPart{{7, 7}}},
		{5, 7, 5, []keyPart{{5, 5}, {6, 6}, {7, 7}}},
		// 2^63 + 6 keys: the first half is 2^62 + 3 keys, up to MinInt64 + 2^62 + 2.
		{minKey, 5, 2, []keyPart{{minKey, minKey + quarter + 2}, {minKey + quarter + 3, 5}}},
		{0, maxKey, 2, []keyPart{{0, quarter - 1}, {quarter, maxKey}}},
		{minKey, maxKey, 2, []keyPart{{minKey, -1}, {0, maxKey}}},
		{minKey, maxKey, 3, []keyPart{{minKey, minKey + third - 1}, {minKey + third, minKey + 2*third - 1},
			{minKey + 2*third, maxKey}}},
		{minKey, minKey, 2, []keyPart{{minKey, minKey}}},
		{maxKey, maxKey, 4, []keyPart{{maxKey, maxKey}}},
		{maxKey - 1, maxKey, 4, []keyPart{{maxKey - 1, maxKey - 1}, {maxKey, maxKey}}},
		{minKey, minKey + 1, 64, []keyPart{{minKey, minKey}, {minKey + 1, minKey + 1}}},
	} {
		t.Run(fmt.Sprintf("%d..%d/%d", tc.lo, tc.hi, tc.n), func(t *testing.T) {
			require.Equal(t, tc.want, splitKeys(tc.lo, tc.hi, tc.n))
		})
	}
}

// Whatever the range and the number of workers, the parts cover it exactly, in order, none
// empty, at most n of them, with equal widths but for the last, which is not wider.
func TestSplitKeysCoversTheRange(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	edges := []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64 - 1, math.MaxInt64}
	key := func() int64 {
		if rng.IntN(2) == 0 {
			return edges[rng.IntN(len(edges))]
		}
		return int64(rng.Uint64())
	}
	for range 5000 {
		lo, hi, n := key(), key(), 1+rng.IntN(64)
		if lo > hi {
			lo, hi = hi, lo
		}
		parts := splitKeys(lo, hi, n)
		require.NotEmpty(t, parts)
		require.LessOrEqual(t, len(parts), n)
		require.Equal(t, lo, parts[0].First)
		require.Equal(t, hi, parts[len(parts)-1].Last)
		width := func(p keyPart) *big.Int {
			w := new(big.Int).Sub(big.NewInt(p.Last), big.NewInt(p.First))
			return w.Add(w, big.NewInt(1))
		}
		for i, p := range parts {
			require.LessOrEqual(t, p.First, p.Last, "part %d of %d..%d/%d is empty", i, lo, hi, n)
			if i > 0 {
				require.Equal(t, parts[i-1].Last+1, p.First, "gap or overlap before part %d of %d..%d/%d", i, lo, hi, n)
				require.LessOrEqual(t, width(p).Cmp(width(parts[0])), 0)
			}
			if i > 0 && i < len(parts)-1 {
				require.Zero(t, width(p).Cmp(width(parts[0])))
			}
		}
	}
}
