package repair

import (
	"fmt"
	"strings"
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

// A text date layout must hold a timestamp to the minute. One in another notation writes
// itself literally, and every row would then be skipped as unreadable.
func TestTimeLayoutMustRoundTrip(t *testing.T) {
	t.Parallel()
	for layout, ok := range map[string]bool{
		"02/01/2006 15:04:05":     true,
		"2006-01-02T15:04:05":     true,
		"02/01/2006 3:04:05 PM":   true,
		"02-01-2006 15:04:05.000": true,
		"dd/mm/yyyy":              false,
		"dd/MM/yyyy HH:mm:ss":     false,
		"02/01/2006":              false, // no time: a deadline at 11:30 would be written as the day
		"02/01/2006 15":           false, // no minutes
		"02/01/2006 15:04":        true,  // minutes: a time with seconds is written rounded up
		"02/01/2006 03:04:05":     false, // 12-hour clock without AM/PM
		"01/02/2006 15:04:05":     true,  // month first is a layout too
	} {
		for _, table := range []string{"dossiers", "dossier_steps"} {
			c := DefaultConfig()
			if table == "dossiers" {
				c.Schema.Dossiers.TimeLayout = layout
			} else {
				c.Schema.DossierSteps.TimeLayout = layout
			}
			_, err := c.Resolve()
			if ok {
				require.NoError(t, err, layout)
				continue
			}
			require.ErrorIs(t, err, ErrConfig, layout)
			require.Contains(t, err.Error(), "schema."+table+`.time_layout "`+layout+`"`)
			require.Contains(t, err.Error(), `e.g. "02/01/2006 15:04:05"`)
		}
	}
}

// A bad time_format names its setting, so that the procedures' and the steps' are told apart.
func TestTimeFormatNamesItsSetting(t *testing.T) {
	t.Parallel()
	c := DefaultConfig()
	c.Schema.Procedures.TimeFormat = "texte"
	c.Schema.Steps.TimeFormat = "free"
	_, err := c.Resolve()
	require.ErrorIs(t, err, ErrConfig)
	require.Contains(t, err.Error(), `schema.procedures.time_format "texte": use fixer`)
	require.Contains(t, err.Error(), `schema.procedure_steps.time_format "free": use fixer`)
}

// hours_per_day must be a working day's length: zero is refused rather than read as 8, and
// more than the sessions hold (8 h by default) too: 1d counted in hours would end a day later.
func TestHoursPerDay(t *testing.T) {
	t.Parallel()
	for _, hours := range []float64{8.5, 24} {
		c := DefaultConfig()
		c.Calendar.HoursPerDay = hours
		_, err := c.Resolve()
		require.ErrorIs(t, err, ErrConfig, hours)
		require.Contains(t, err.Error(), fmt.Sprintf("hours per day %v is more than the 8 h the sessions hold "+
			"(07:30-11:30,13:00-17:00)", hours))
	}
	c := DefaultConfig()
	c.Calendar.Sessions = "07:30-11:30"
	c.Calendar.HoursPerDay = 4
	_, err := c.Resolve()
	require.NoError(t, err, "a half-day office with a day of 4 hours")

	for hours, ok := range map[float64]bool{8: true, 6.5: true, 0: false, -1: false, 25: false} {
		c := DefaultConfig()
		c.Calendar.HoursPerDay = hours
		_, err := c.Resolve()
		if ok {
			require.NoError(t, err, hours)
			continue
		}
		require.ErrorIs(t, err, ErrConfig, hours)
		require.Contains(t, err.Error(), "calendar.hours_per_day")
		require.Contains(t, err.Error(), "want more than 0 and at most 24")
	}
}

// Names of the user's schema may be Vietnamese and hold spaces, since fixer always quotes them;
// a quote, a ? (a parameter to the MySQL driver) or a statement is refused with the setting.
func TestSchemaNames(t *testing.T) {
	t.Parallel()
	c := DefaultConfig()
	c.Schema.Dossiers.Table, c.Schema.Dossiers.Completed, c.Schema.Dossiers.Due = "hồ_sơ", "Ngày Xong", "hạn_xử_lý$1"
	_, err := c.Resolve()
	require.NoError(t, err)

	for _, name := range []string{"x`y", `x"y`, "x?y", "dossiers; DROP TABLE x", " leading", "1st",
		strings.Repeat("a", 65)} {
		c := DefaultConfig()
		c.Schema.Dossiers.Completed = name
		_, err := c.Resolve()
		require.ErrorIs(t, err, ErrConfig, "%q", name)
		require.Contains(t, err.Error(), "schema.dossiers.completed_at", "%q", name)
		require.Contains(t, err.Error(), "not a name fixer can use", "%q", name)
	}
}

// A column fixer writes may not be mapped to another role of its table as well: it would
// overwrite what that role reads (a deadline over the status) or be written twice.
func TestWrittenColumnMappedTwiceIsRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		set  func(*Schema)
		want string
	}{
		{func(s *Schema) { s.Dossiers.Due = "status" },
			`schema.dossiers.due_at "status" is also mapped as schema.dossiers.status`},
		{func(s *Schema) { s.Dossiers.Appointment = "due_at" },
			`schema.dossiers.appointment_at "due_at" is also mapped as schema.dossiers.due_at`},
		{func(s *Schema) { s.Dossiers.IsLate = "Paused_Count" },
			`schema.dossiers.is_late "Paused_Count" is also mapped as schema.dossiers.paused`},
		{func(s *Schema) { s.DossierSteps.Due = "started_at" },
			`schema.dossier_steps.due_at "started_at" is also mapped as schema.dossier_steps.started_at`},
		{func(s *Schema) { s.Procedures.DeadlineSnap = "processing_time" },
			`schema.procedures.deadline_snap "processing_time" is also mapped as schema.procedures.processing_time`},
	} {
		c := DefaultConfig()
		tc.set(&c.Schema)
		_, err := c.Resolve()
		require.ErrorIs(t, err, ErrConfig, tc.want)
		require.Contains(t, err.Error(), tc.want)
		require.Equal(t, 1, strings.Count(err.Error(), "is also mapped"), "told once: %s", err)
	}
}
