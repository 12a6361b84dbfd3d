package repair

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"fixer/rules"
)

// Value is a column value as fixer reads, logs and writes it: the database's own text of it, or
// NULL. Timestamps are carried as text so that what was read is restored byte for byte.
type Value = sql.NullString

// Text returns a non-NULL [Value].
func Text(s string) Value { return Value{String: s, Valid: true} }

// Null is the NULL [Value].
var Null = Value{}

// Procedure is an administrative procedure (thủ tục hành chính) with its processing time.
type Procedure struct {
	Key      string
	Code     string
	AgencyID string
	// RawTime is the processing time as stored; Time is its parsed form, valid when TimeErr is nil.
	RawTime Value
	Time    rules.Duration
	TimeErr error
	// CutoffRaw is the cut-off as stored; Cutoff its parsed form (rules.NoCutoff for none).
	CutoffRaw Value
	Cutoff    rules.ClockTime
	// Profile holds the stored deadline configuration columns, by column name.
	Profile map[string]Value
	Steps   map[string]*Step
}

// Step is one step of a procedure's workflow with its own processing time.
type Step struct {
	Key     string
	RawTime Value
	Time    rules.Duration
	TimeErr error
}

// Dossier is one application (hồ sơ) as read from the database.
type Dossier struct {
	Key          string
	Code         string
	ProcedureKey string
	AgencyID     string
	Received     Value
	Appointment  Value
	Due          Value
	Completed    Value
	Status       string
	IsLate       Value
	Paused       bool
	Rescheduled  bool
	Extended     bool
	// Deleted marks a dossier the schema's deleted column says is soft-deleted.
	Deleted bool
	// Extra holds the current values of the schema's set_on_change columns.
	Extra map[string]Value
	// Watched holds the values, as read, of the other mapped columns the planner decides by
	// (status, paused, rescheduled, extended, deleted): a write is refused as a conflict when one of
	// them changed since.
	Watched []ColumnValue
	Steps   []DossierStep
}

// DossierStep is one step of a dossier's workflow.
type DossierStep struct {
	Key       string
	StepKey   string
	Started   Value
	Due       Value
	Completed Value
}

// Change is one column of one row that a run changes. Table and Column are the database's own
// names, as recorded in the audit.
type Change struct {
	Table  string
	Key    string
	Column string
	Old    Value
	New    Value
	Rule   string
	// Found is what the row holds now in Column, set only on the values of a row a rollback
	// left alone (nil when the row was not found); Unchanged says that it still holds New
	// as the store compares values. Neither is part of the JSON form.
	Found     *Value
	Unchanged bool
}

// changeJSON is the JSON form of a [Change]: snake_case names, values as strings or null.
type changeJSON struct {
	Table  string  `json:"table"`
	Key    string  `json:"key"`
	Column string  `json:"column"`
	Old    *string `json:"old"`
	New    *string `json:"new"`
	Rule   string  `json:"rule"`
}

func (c Change) toJSON() changeJSON {
	return changeJSON{Table: c.Table, Key: c.Key, Column: c.Column, Old: jsonValue(c.Old),
		New: jsonValue(c.New), Rule: c.Rule}
}

// MarshalJSON writes the change with snake_case names and its old and new values as strings,
// or null for NULL.
func (c Change) MarshalJSON() ([]byte, error) { return json.Marshal(c.toJSON()) }

// jsonValue is v as a JSON string, or nil (null) for NULL.
func jsonValue(v Value) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// RowChange groups the changes of one row, written together.
type RowChange struct {
	Table string
	Key   string
	// Code is the code of the dossier or procedure the row belongs to, for people to read.
	Code    string
	Changes []Change
	// Guard holds the values of other columns the changes were computed from (the receipt and
	// completion times, the procedure), by column. They are not written, but the row is left
	// alone as a conflict if they changed since they were read: a dossier completed meanwhile
	// must be judged by its completion.
	Guard []ColumnValue
	// Parent is, for a row of a dossier's steps, the key of its dossier, and ParentGuard the
	// dossier's columns the step's change was decided from, as read: when the dossier's row is
	// left alone as a conflict (paused, extended, completed meanwhile), or no longer holds those
	// values, its steps are left alone too.
	Parent      string
	ParentGuard []ColumnValue
}

// ColumnValue is the value of one column.
type ColumnValue struct {
	Column string
	Value  Value
}

// SkipReason says why a dossier or procedure was left alone.
type SkipReason string

// Reasons a row is skipped and reported rather than changed.
const (
	SkipNoReceipt        SkipReason = "no_receipt_time"
	SkipBadReceipt       SkipReason = "unreadable_receipt_time"
	SkipCompletedEarly   SkipReason = "completed_before_receipt"
	SkipBadTimestamp     SkipReason = "unreadable_timestamp"
	SkipUnknownProcedure SkipReason = "unknown_procedure"
	SkipBadDuration      SkipReason = "unreadable_processing_time"
	// SkipAmbiguousDuration: the processing time names more than one duration ("05 ngày làm
	// việc; trường hợp phức tạp 10 ngày làm việc"); fixer does not choose between them.
	SkipAmbiguousDuration SkipReason = "ambiguous_processing_time"
	SkipPaused            SkipReason = "clock_stopped"
	SkipRescheduled       SkipReason = "appointment_reset"
	SkipExtended          SkipReason = "deadline_extended"
	SkipOutOfRange        SkipReason = "outside_calendar_range"
	SkipConflict          SkipReason = "changed_by_another_writer"
	SkipRefused           SkipReason = "refused_by_database"
	// Reasons of a dossier's workflow step.
	SkipNoStart         SkipReason = "no_step_start_time"
	SkipBadStart        SkipReason = "unreadable_step_start_time"
	SkipCompletedBefore SkipReason = "step_completed_before_start"
	SkipUnknownStep     SkipReason = "unknown_step"
)

// Skip is one row left alone, with its reason.
type Skip struct {
	Table  string     `json:"table"`
	Key    string     `json:"key"`
	Code   string     `json:"code"`
	Reason SkipReason `json:"reason"`
	Detail string     `json:"detail"`
}

// parseStamp reads a stored timestamp value in loc. It accepts the texts the supported databases
// give for timestamp columns (with or without fractional seconds and zone offset) and returns
// ok=false for NULL and for MySQL's zero date, which fixer treats as missing.
//
// The common zone-less forms are read by [parseStampFast]; everything else, including every
// error, comes from [parseStampSlow], whose results the fast path reproduces exactly.
func parseStamp(v Value, layout string, loc *time.Location) (t time.Time, ok bool, err error) {
	if v.Valid {
		if t, ok := parseStampFast(v.String, layout, loc); ok {
			return t, true, nil
		}
	}
	return parseStampSlow(v, layout, loc)
}

// parseStampSlow is the general reader behind [parseStamp]: it tries the layout given, or each
// of stampLayouts in turn, with time.ParseInLocation.
func parseStampSlow(v Value, layout string, loc *time.Location) (t time.Time, ok bool, err error) {
	if !v.Valid || v.String == "" || isZeroDate(v.String) {
		return time.Time{}, false, nil
	}
	if layout != "" {
		t, err = time.ParseInLocation(layout, v.String, loc)
		if err != nil {
			return time.Time{}, false, err
		}
		return t.Truncate(time.Second), true, nil
	}
	for _, l := range stampLayouts {
		if t, err = time.ParseInLocation(l, v.String, loc); err == nil {
			return t.In(loc).Truncate(time.Second), true, nil
		}
	}
	return time.Time{}, false, err
}

var stampLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func isZeroDate(s string) bool {
	return len(s) >= 10 && s[:10] == "0000-00-00"
}

// formatLike renders t for writing over the value old: when old is ISO text that carries a zone
// (2021-03-11T02:47:00Z, 2021-03-11 09:47:00+07), in the same form and offset, so that an
// application storing UTC text keeps reading UTC; otherwise as formatStamp does.
func formatLike(t time.Time, old Value, layout string, loc *time.Location) string {
	if layout == "" && hasZone(old) {
		for _, l := range zonedLayouts {
			if o, err := time.Parse(l, old.String); err == nil {
				// The offset as written, fixed: time.Parse gives the host's own zone, with its
				// daylight saving rules, when the offset happens to match it.
				_, offset := o.Zone()
				return t.In(time.FixedZone("", offset)).Format(l)
			}
		}
	}
	out := formatStamp(t, layout, loc)
	if layout == "" && isoDateTime(old.String) && len(out) == 19 {
		// ISO text keeps its spelling: the T between date and time, the digits of a fraction.
		if old.String[10] == 'T' {
			out = out[:10] + "T" + out[11:]
		}
		if digits := len(old.String) - 20; digits > 0 && old.String[19] == '.' {
			frac := fmt.Sprintf("%09d", t.Nanosecond())
			if digits > 9 {
				frac += strings.Repeat("0", digits-9)
			}
			out += "." + frac[:digits]
		}
	}
	return out
}

// isoDateTime reports whether s is an ISO date and time without a zone, 2006-01-02 15:04:05 or
// with a T, with a fraction of the second or not.
func isoDateTime(s string) bool {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return false
	}
	if len(s) == 19 {
		return true
	}
	if s[19] != '.' || len(s) == 20 {
		return false
	}
	for i := 20; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hasZone reports, cheaply, whether ISO text ends with a zone: Z or an offset after the time.
func hasZone(v Value) bool {
	s := v.String
	return v.Valid && len(s) > 19 && (s[len(s)-1] == 'Z' || strings.ContainsAny(s[19:], "+-"))
}

var zonedLayouts = []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05Z07"}

// formatStamp renders t for writing: local wall-clock time in loc, whole seconds. A layout
// without seconds gets a time with seconds rounded up to the next minute: written down, it
// would end the deadline up to a minute early and make a result on time by seconds late.
func formatStamp(t time.Time, layout string, loc *time.Location) string {
	if layout == "" {
		return formatDateTime(t.In(loc))
	}
	if t.Truncate(time.Minute) != t && !holdsSeconds(layout) {
		t = t.Truncate(time.Minute).Add(time.Minute)
	}
	return t.In(loc).Format(layout)
}

// layoutSeconds caches, by layout, whether a layout holds the seconds of a time.
var layoutSeconds sync.Map

// holdsSeconds reports whether a time written in layout reads back with its seconds.
func holdsSeconds(layout string) bool {
	if v, ok := layoutSeconds.Load(layout); ok {
		return v.(bool)
	}
	sample := time.Date(2021, time.March, 8, 17, 45, 42, 0, time.UTC)
	back, err := time.Parse(layout, sample.Format(layout))
	holds := err == nil && back.Second() == 42
	layoutSeconds.Store(layout, holds)
	return holds
}

// Flag reads a flag column: numbers other than zero and the usual spellings of true, as
// databases render a boolean or a flag as text. Zero in any spelling (0.0 from a DECIMAL,
// 0000 from a PostgreSQL bit(4)) is not set, nor is a MySQL zero date, which stands for no
// date (a deleted_at column NOT NULL DEFAULT '0000-00-00 00:00:00').
func Flag(v Value) bool {
	if !v.Valid {
		return false
	}
	s := strings.ToLower(strings.TrimSpace(v.String))
	switch s {
	case "", "0", "false", "f", "n", "no", "off", "không", "khong", "k":
		return false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == 0 {
		return false
	}
	return !strings.HasPrefix(s, "0000-00-00")
}
