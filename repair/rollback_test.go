package repair

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A full page of audit rows never ends in the middle of a row: the last row's values wait for
// the next page, unless the page holds that row alone.
func TestWholeRows(t *testing.T) {
	row := func(id int64, key string) AuditRow {
		return AuditRow{ID: id, Change: Change{Table: "dossiers", Key: key}}
	}
	page := []AuditRow{row(1, "1"), row(2, "1"), row(3, "2"), row(4, "3"), row(5, "3")}
	require.Equal(t, page[:3], wholeRows(page, 5), "full page: row 3 goes to the next page")
	require.Equal(t, page, wholeRows(page, 6), "last page: kept whole")
	one := []AuditRow{row(1, "9"), row(2, "9"), row(3, "9")}
	require.Equal(t, one, wholeRows(one, 3), "one row only")
	other := []AuditRow{row(1, "1"), {ID: 2, Change: Change{Table: "dossier_steps", Key: "1"}}}
	require.Equal(t, other[:1], wholeRows(other, 2), "same key, other table")
}
