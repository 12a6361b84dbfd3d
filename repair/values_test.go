package repair

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A value read, logged and written back must compare equal to the second.
func TestStampRoundTrip(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	for _, tc := range []struct {
		in, layout, want string
		missing          bool
	}{
		{in: "2021-03-08 10:15:42", want: "2021-03-08 10:15:42"},
		{in: "2021-03-08 10:15:42.999999", want: "2021-03-08 10:15:42"},
		{in: "2021-03-08 10:15:42+07", want: "2021-03-08 10:15:42"},
		{in: "2021-03-08 03:15:42+00", want: "2021-03-08 10:15:42"},
		{in: "2021-03-08T03:15:42Z", want: "2021-03-08 10:15:42"},
		{in: "08/03/2021 10:15:42", layout: "02/01/2006 15:04:05", want: "08/03/2021 10:15:42"},
		{in: "0000-00-00 00:00:00", missing: true},
		{in: "", missing: true},
	} {
		v, ok, err := parseStamp(Text(tc.in), tc.layout, loc)
		require.NoError(t, err, tc.in)
		if tc.missing {
			require.False(t, ok, tc.in)
			continue
		}
		require.True(t, ok)
		out := formatStamp(v, tc.layout, loc)
		require.Equal(t, tc.want, out, tc.in)
		back, _, err := parseStamp(Text(out), tc.layout, loc)
		require.NoError(t, err)
		require.True(t, back.Equal(v), "round trip of %s", tc.in)
	}
	_, ok, err := parseStamp(Null, "", loc)
	require.NoError(t, err)
	require.False(t, ok, "NULL stays missing")
	_, _, err = parseStamp(Text("31/02/2021"), "", loc)
	require.Error(t, err)
}

func TestLoadConfigIsStrict(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dir + "/c.yaml"
	require.NoError(t, writeFile(path, "table_prefix: ops_\nguards:\n  paused: skip\n  sleep: 3\n"))
	_, err := LoadConfig(path)
	require.ErrorIs(t, err, ErrConfig)
	require.Contains(t, err.Error(), "line 4")
	require.Contains(t, err.Error(), "sleep")
	require.Contains(t, err.Error(), "unknown setting sleep")
	require.NotContains(t, err.Error(), "repair.", "the message names the setting, not a type of the program")

	require.NoError(t, writeFile(path, "table_prefix: ops_\nprofile:\n  deadline: {count: minute, snap: session}\n"))
	cfg, err := LoadConfig(path)
	require.NoError(t, err)
	require.Equal(t, "ops_", cfg.TablePrefix)
	_, err = cfg.Resolve()
	require.ErrorIs(t, err, ErrConfig)
	require.Contains(t, err.Error(), "profile.deadline.count")
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }

// A table prefix with capitals is refused before anything runs: PostgreSQL would create the
// audit tables in lower case and then not find them under the prefix as written. An empty one
// is refused too: the tables would be plain "changes", "locks", "migrations".
func TestTablePrefixIsLowerCase(t *testing.T) {
	t.Parallel()
	for prefix, ok := range map[string]bool{"fixer_": true, "ops2_": true, "": false, "Fx_": false, "OPS_": false, "a-b_": false} {
		c := DefaultConfig()
		c.TablePrefix = prefix
		_, err := c.Resolve()
		if ok {
			require.NoError(t, err, prefix)
			continue
		}
		require.ErrorIs(t, err, ErrConfig, prefix)
		require.Contains(t, err.Error(), "table_prefix")
	}
}

// Changes, skips and audit rows are written to JSON with snake_case names and their values as
// strings, NULL as null.
func TestChangeJSON(t *testing.T) {
	t.Parallel()
	c := Change{Table: "dossiers", Key: "5", Column: "due_at", Old: Null,
		New: Text("2021-05-04 17:00:00"), Rule: "deadline"}
	data, err := json.Marshal(c)
	require.NoError(t, err)
	require.JSONEq(t, `{"table":"dossiers","key":"5","column":"due_at","old":null,`+
		`"new":"2021-05-04 17:00:00","rule":"deadline"}`, string(data))

	data, err = json.Marshal(AuditRow{ID: 9, ChangesetID: 2, Change: c})
	require.NoError(t, err)
	require.JSONEq(t, `{"id":9,"changeset_id":2,"table":"dossiers","key":"5","column":"due_at",`+
		`"old":null,"new":"2021-05-04 17:00:00","rule":"deadline"}`, string(data))

	data, err = json.Marshal(Skip{Table: "dossiers", Key: "7", Code: "D07", Reason: SkipNoReceipt,
		Detail: "no receipt time"})
	require.NoError(t, err)
	require.JSONEq(t, `{"table":"dossiers","key":"7","code":"D07","reason":"no_receipt_time",`+
		`"detail":"no receipt time"}`, string(data))
}

// A lock taken by a run that has not yet written its lease names no made-up times.
func TestLockedErrorWithoutLease(t *testing.T) {
	t.Parallel()
	err := error(&LockedError{Holder: "another run that is starting"})
	require.ErrorIs(t, err, ErrLocked)
	require.Equal(t, ErrLocked.Error()+": held by another run that is starting", err.Error())
}

// A season written across New Year is refused with the way to write it.
func TestSeasonAcrossNewYear(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Calendar.Seasons = []SeasonConfig{{From: "10-15", To: "04-14", Sessions: "07:30-11:30,13:30-17:00"}}
	_, err := cfg.Resolve()
	require.ErrorIs(t, err, ErrConfig)
	require.Contains(t, err.Error(), "two seasons, one to 12-31 and one from 01-01")
}
