package testdb

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

func TestNewGivesAnEmptyWorkingDatabase(t *testing.T) {
	t.Parallel()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := New(t, d)
			conn, err := db.Open(context.Background(), dsn, db.Options{})
			require.NoError(t, err)
			defer conn.Close()
			_, err = conn.Exec("CREATE TABLE probe (id INT PRIMARY KEY)")
			require.NoError(t, err)
			var n int
			require.NoError(t, conn.Get(&n, "SELECT COUNT(*) FROM probe"))
			require.Equal(t, 0, n)
		})
	}
}
