package repair

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A free-text processing time that names two durations is ambiguous: the procedure and its
// dossiers are skipped with a reason that says so, whichever duration comes first.
func TestAmbiguousTextDurationSkipsTheProcedure(t *testing.T) {
	t.Parallel()
	cfg := resolved(t, func(c *Config) {
		c.Schema.Procedures.TimeFormat = "text"
		c.Schema.Steps.TimeFormat = "text"
	})
	complex := &Procedure{Key: "1", Code: "1.000001",
		RawTime: Text("05 ngày làm việc kể từ ngày nhận đủ hồ sơ; trường hợp phức tạp 10 ngày làm việc")}
	priority := &Procedure{Key: "2", Code: "1.000002",
		RawTime: Text("02 ngày làm việc; 01 ngày đối với hồ sơ ưu tiên")}
	plain := &Procedure{Key: "3", Code: "1.000003", RawTime: Text("05 ngày làm việc"),
		Steps: map[string]*Step{"9": {Key: "9", RawTime: Text("04 giờ hoặc 08 giờ")}}}

	skips := resolveProcedures([]*Procedure{complex, priority, plain}, cfg.Schema)
	got := map[string]SkipReason{}
	for _, k := range skips {
		got[k.Table+" "+k.Key] = k.Reason
		require.Contains(t, k.Detail, "names 2 durations", k.Key)
	}
	require.Equal(t, map[string]SkipReason{
		"procedures 1":      SkipAmbiguousDuration,
		"procedures 2":      SkipAmbiguousDuration,
		"procedure_steps 9": SkipAmbiguousDuration,
	}, got)
	require.NoError(t, plain.TimeErr)
	require.Equal(t, "5d", plain.Time.String())

	p := NewPlanner(cfg, time.Now())
	d := Dossier{Key: "1", Code: "D01", ProcedureKey: "1", Received: Text("2021-03-08 10:15:42"),
		Due: Text("2021-03-15 10:15:42")}
	o := p.Dossier(&d, complex)
	require.NotNil(t, o.Skip)
	require.Equal(t, SkipAmbiguousDuration, o.Skip.Reason)
	require.True(t, strings.HasPrefix(o.Skip.Detail, "procedure 1.000001: "), o.Skip.Detail)
	require.Empty(t, o.Rows, "no deadline is computed from the first duration")
}
