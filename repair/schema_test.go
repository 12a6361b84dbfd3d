package repair

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// set_on_change must name columns fixer neither reads nor writes: the key, a deadline or the
// receipt time set there would be written twice or change what the deadlines were computed from.
func TestSetOnChangeRefusesMappedColumns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		column, mappedAs string
	}{
		{"id", "key"},
		{"due_at", "due_at"},
		{"received_at", "received_at"},
		{"Appointment_At", "appointment_at"},
		{"is_late", "is_late"},
		{"status", "status"},
		{"paused_count", "paused"},
		{"procedure_id", "procedure"},
	} {
		c := DefaultConfig()
		c.Schema.Dossiers.SetOnChange = map[string]string{tc.column: "7", "sync_flag": "1"}
		_, err := c.Resolve()
		require.ErrorIs(t, err, ErrConfig, tc.column)
		require.Contains(t, err.Error(), `schema.dossiers.set_on_change "`+tc.column+`"`)
		require.Contains(t, err.Error(), "schema.dossiers."+tc.mappedAs)
		require.Contains(t, err.Error(), "must not name the key or a column fixer reads or writes")
		require.NotContains(t, err.Error(), "sync_flag", "only the offending column is named")
	}

	c := DefaultConfig()
	c.Schema.Dossiers.SetOnChange = map[string]string{"sync_flag": "1", "updated_at": "{now}"}
	_, err := c.Resolve()
	require.NoError(t, err, "columns fixer does not map are accepted")
}
