package seed

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// The expectations below were worked out by hand from the 2021 calendar, with the default
// sessions 07:30–11:30 and 13:00–17:00, for dossiers of the small province (smallOpts). The
// receipt time and the processing time are checked too, so that a change to the generator
// shows up as a changed case rather than as a wrong deadline.

type handCase struct {
	name     string
	id       int64
	received string
	time     string // the procedure's processing time, or the step's
	cutoff   string // "" for none
	want     string // the legacy deadline: hour counting, no rounding
}

var handDossiers = []handCase{
	// 2h48m38s left on Friday; Monday gives the other 5h11m22s: 07:30–11:30, 13:00–14:11:22.
	{"Friday afternoon, 1d", 1775, "2021-08-13 14:11:22", "1d", "", "2021-08-16 14:11:22"},
	// After the sessions: the clock starts Monday 07:30; 8 hours end exactly at 17:00, which stays.
	{"Friday evening, 1d", 2150, "2021-10-01 20:09:55", "1d", "", "2021-10-04 17:00:00"},
	// Before the sessions: the clock starts at 07:30 the same day.
	{"Friday before dawn, 1d", 1419, "2021-07-02 03:53:49", "1d", "", "2021-07-02 17:00:00"},
	// Saturday 1 Jan 2022 is New Year's Day, Monday 3 Jan its compensatory day off: the two
	// working days after Friday 31 Dec are Tuesday 4 and Wednesday 5 Jan.
	{"New Year's Eve, 2d", 2991, "2021-12-31 08:51:38", "2d", "", "2022-01-05 08:51:38"},
	// Lunch: the clock starts at 13:00; 4 hours on Thursday, 8 on Friday, 8 on Monday, then 4
	// on Tuesday morning.
	{"Thursday lunch, 3d", 1050, "2021-05-20 12:34:20", "3d", "", "2021-05-25 11:30:00"},
	// Saturday: from Monday 07:30, 8 hours end at 17:00; 4 hours at 11:30.
	{"Saturday, 8h", 1066, "2021-05-22 09:29:00", "8h", "", "2021-05-24 17:00:00"},
	{"Saturday, 4h", 2793, "2021-12-11 13:32:50", "4h", "", "2021-12-13 11:30:00"},
	// Working days after Tuesday 27 Apr: Wed 28, Thu 29, then 30 Apr and 1 May are holidays and
	// Monday 3 May is the compensatory day: Tuesday 4 May, same clock time.
	{"before 30 April, 3d", 878, "2021-04-27 16:46:12", "3d", "", "2021-05-04 16:46:12"},
	// After the 15:00 cut-off on a Friday: deemed Monday 07:30; 0d ends with that day, 4h at 11:30.
	{"after the cut-off, 0d", 1120, "2021-05-28 15:24:20", "0d", "15:00", "2021-05-31 17:00:00"},
	{"after the cut-off, 4h", 1184, "2021-06-04 15:04:12", "4h", "15:00", "2021-06-07 11:30:00"},
	// Before the cut-off: 3h28m57s on Wednesday, 31m03s from Thursday 07:30.
	{"before the cut-off, 4h", 888, "2021-04-28 13:31:03", "4h", "15:00", "2021-04-29 08:01:03"},
	// Tết: 10–16 Feb off. From Tuesday 9 Feb the next three working days are 17, 18, 19 Feb;
	// received on 10 Feb the clock starts 17 Feb 07:30 and 24 hours fill 17, 18 and 19 Feb.
	{"the eve of Tết, 3d", 303, "2021-02-09 08:22:21", "3d", "", "2021-02-19 08:22:21"},
	{"during Tết, 3d", 311, "2021-02-10 09:34:01", "3d", "", "2021-02-19 17:00:00"},
	// 4 Feb + 15 days is Friday 19 Feb, a working day: its end.
	{"15 calendar days", 274, "2021-02-04 10:07:10", "15cd", "", "2021-02-19 17:00:00"},
	// 5 Feb + 15 days is Saturday 20 Feb: the end of Monday 22 Feb.
	{"15 calendar days onto a Saturday", 285, "2021-02-05 08:39:14", "15cd", "", "2021-02-22 17:00:00"},
	// 12 Mar + 30 days is Sunday 11 Apr: the end of Monday 12 Apr.
	{"30 calendar days onto a Sunday", 508, "2021-03-12 14:34:40", "30cd", "", "2021-04-12 17:00:00"},
	// Received after the sessions on Wednesday 10 Mar: calendar days count from the receipt day
	// itself, not the deemed Thursday: + 30 days is Friday 9 Apr, a working day, so its end
	// (counting from Thursday 11 Mar would give Saturday 10 Apr, so Monday 12 Apr).
	{"30 calendar days from the evening", 487, "2021-03-10 18:04:56", "30cd", "", "2021-04-09 17:00:00"},
	// Wed 1 Sep, then 2 and 3 Sep (National Day) off: Mon 6, Tue 7.
	{"across National Day, 3d", 1908, "2021-08-31 08:57:34", "3d", "", "2021-09-07 08:57:34"},
	// 23m17s before lunch, then 3h36m43s from 13:00.
	{"across lunch, 4h", 299, "2021-02-08 11:06:43", "4h", "", "2021-02-08 16:36:43"},
	// 38m28s on Monday, then 3h21m32s from Tuesday 07:30 (9 Feb still a working day).
	{"overnight, 4h", 301, "2021-02-08 16:21:32", "4h", "", "2021-02-09 10:51:32"},
	// Received in the evening: from Wednesday 07:30, half a day is 4 hours.
	{"evening, 0.5d", 881, "2021-04-27 20:59:40", "0.5d", "", "2021-04-28 11:30:00"},
}

// Steps: (dossier id, step number) in id, the step's start in received.
var handSteps = []struct {
	handCase
	stepNo int
}{
	// 15m57s on Friday, 3h44m03s from Monday 07:30.
	{handCase{"Friday, 4h", 1775, "2021-08-13 16:44:03", "4h", "", "2021-08-16 11:14:03"}, 2},
	// 23m17s before lunch, 1h36m43s after.
	{handCase{"before lunch, 2h", 299, "2021-02-08 11:06:43", "2h", "", "2021-02-08 14:36:43"}, 1},
	// Started on a Tết holiday: 8 hours from Wednesday 17 Feb 07:30.
	{handCase{"during Tết, 1d", 311, "2021-02-10 09:34:01", "1d", "", "2021-02-17 17:00:00"}, 1},
	// 3h08m14s on Friday 31 Dec; Monday 3 Jan off; 4h50m46s on Tuesday 4 Jan: 4 hours in the
	// morning, 51m46s from 13:00.
	{handCase{"across New Year, 8h", 2991, "2021-12-31 13:51:46", "8h", "", "2022-01-04 13:51:46"}, 2},
	// Saturday: from Monday 07:30.
	{handCase{"Saturday, 0.5h", 1066, "2021-05-22 09:29:00", "0.5h", "", "2021-05-24 08:00:00"}, 1},
}

func TestSeedStoresHandCheckedLegacyDeadlines(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			conn, _ := seeded(t, d, smallOpts)

			for _, c := range handDossiers {
				rows := readRows(t, conn, conn.Rebind(`SELECT d.received_at, p.processing_time,
					p.cutoff_time, d.appointment_at, d.due_at FROM dossiers d
					JOIN procedures p ON p.id = d.procedure_id WHERE d.id = ?`), c.id)
				require.Len(t, rows, 1, c.name)
				cutoff := c.cutoff
				if cutoff == "" {
					cutoff = "NULL"
				}
				require.Equal(t, []string{c.received, c.time, cutoff, c.want, c.want}, rows[0], c.name)
			}

			for _, c := range handSteps {
				rows := readRows(t, conn, conn.Rebind(`SELECT s.started_at, p.processing_time, s.due_at
					FROM dossier_steps s JOIN procedure_steps p ON p.id = s.step_id
					WHERE s.dossier_id = ? AND s.step_no = ?`), c.id, c.stepNo)
				require.Len(t, rows, 1, c.name)
				require.Equal(t, []string{c.received, c.time, c.want}, rows[0], c.name)
			}

			checkWholeDays(t, conn)
		})
	}
}

// daysOff2021 are the official weekday days off of 2021, and the first of 2022, from the
// government's notices: the calendar the rule below counts with, kept apart from the engine's.
var daysOff2021 = map[string]bool{
	"2021-01-01": true, "2021-02-10": true, "2021-02-11": true, "2021-02-12": true,
	"2021-02-15": true, "2021-02-16": true, "2021-04-21": true, "2021-04-30": true,
	"2021-05-03": true, "2021-09-02": true, "2021-09-03": true, "2022-01-03": true,
}

// handCalendarEnd is the first day the list above no longer covers (Tết 2022).
const handCalendarEnd = "2022-01-28"

func workingDay(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !daysOff2021[d.Format(time.DateOnly)]
}

// checkWholeDays applies the rule worked out by hand for hour counting to every dossier it
// covers: received inside a session of a working day, a limit of N whole working days and no
// cut-off, the deadline is the N-th working day after the receipt, at the receipt's clock time.
func checkWholeDays(t *testing.T, conn *db.DB) {
	t.Helper()
	whole := regexp.MustCompile(`^([1-9][0-9]*)d$`)
	rows := readRows(t, conn, `SELECT d.id, d.received_at, p.processing_time, d.due_at
		FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
		WHERE d.received_at IS NOT NULL AND p.cutoff_time IS NULL ORDER BY d.id`)

	checked := 0
	for _, r := range rows {
		m := whole.FindStringSubmatch(r[2])
		if m == nil {
			continue
		}
		received, err := time.Parse(timeLayout, r[1])
		require.NoError(t, err)
		clock := received.Hour()*60 + received.Minute()
		inSession := clock >= 7*60+30 && clock < 11*60+30 || clock >= 13*60 && clock < 17*60
		if !workingDay(received) || !inSession {
			continue
		}

		n, _ := strconv.Atoi(m[1])
		want := received
		for n > 0 {
			want = want.AddDate(0, 0, 1)
			if workingDay(want) {
				n--
			}
		}
		if want.Format(time.DateOnly) >= handCalendarEnd {
			continue
		}
		require.Equal(t, want.Format(timeLayout), r[3], "dossier %s received %s, %s", r[0], r[1], r[2])
		checked++
	}
	require.Greater(t, checked, 1000, "the rule covers most dossiers")
}
