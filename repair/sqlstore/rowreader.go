package sqlstore

import (
	"database/sql"
	"strings"

	"fixer/internal/db"
)

// rowReader scans rows of text values. The MySQL driver hands out each value as bytes of its
// read buffer: there one string holds a whole row and the values are cut from it, one
// allocation per row instead of one per value. The other drivers give strings, kept as given.
type rowReader struct {
	bytes bool
	raw   []sql.RawBytes
	vals  []sql.NullString
	dest  []any
}

func newRowReader(d db.Dialect, columns int) *rowReader {
	r := &rowReader{bytes: d == db.MySQL, vals: make([]sql.NullString, columns), dest: make([]any, columns)}
	if r.bytes {
		r.raw = make([]sql.RawBytes, columns)
	}
	for i := range r.dest {
		if r.bytes {
			r.dest[i] = &r.raw[i]
		} else {
			r.dest[i] = &r.vals[i]
		}
	}
	return r
}

// scan reads the current row. The values returned are overwritten by the next scan; the
// strings they hold are not.
func (r *rowReader) scan(rows *sql.Rows) ([]sql.NullString, error) {
	if err := rows.Scan(r.dest...); err != nil {
		return nil, err
	}
	if !r.bytes {
		return r.vals, nil
	}
	n := 0
	for _, b := range r.raw {
		n += len(b)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, b := range r.raw {
		sb.Write(b)
	}
	row := sb.String()
	at := 0
	for i, b := range r.raw {
		r.vals[i] = sql.NullString{String: row[at : at+len(b)], Valid: b != nil}
		at += len(b)
	}
	return r.vals, nil
}
