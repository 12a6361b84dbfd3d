package sqlstore

import (
	"database/sql"
	"fmt"
	"testing"
)

// BenchmarkTextArray encodes an audit column of a batch: 3,000 short values.
func BenchmarkTextArray(b *testing.B) {
	a := make(textArray, 3000)
	for i := range a {
		a[i] = sql.NullString{String: fmt.Sprintf("2021-03-%02d 09:47:00", i%28+1), Valid: true}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Value(); err != nil {
			b.Fatal(err)
		}
	}
}
