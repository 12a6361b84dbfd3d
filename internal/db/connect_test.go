package db_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
)

// A database name or a URL parameter the server refuses is a mistake in the URL (ErrBadDSN,
// exit 2), and the message says which part to fix rather than to check the host.
func TestConnectErrorsNameThePartOfTheURL(t *testing.T) {
	t.Parallel()
	for _, d := range []db.Dialect{db.Postgres, db.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(testdb.New(t, d))
			require.NoError(t, err)

			missing := *u
			missing.Path += "_missing"
			_, err = db.Open(context.Background(), missing.String(), db.Options{})
			require.ErrorIs(t, err, db.ErrBadDSN)
			require.ErrorContains(t, err, u.Path[1:]+"_missing")
			require.ErrorContains(t, err, "check the database name at the end of the URL")
			require.NotContains(t, err.Error(), "check the host")

			param := *u
			q := param.Query()
			q.Set("fixer_no_such_setting", "1")
			param.RawQuery = q.Encode()
			_, err = db.Open(context.Background(), param.String(), db.Options{})
			require.ErrorIs(t, err, db.ErrBadDSN)
			require.ErrorContains(t, err, "fixer_no_such_setting")
			require.ErrorContains(t, err, "correct or remove that parameter of the URL")

			down := *u
			down.Host = "127.0.0.1:1"
			_, err = db.Open(context.Background(), down.String(), db.Options{})
			require.Error(t, err)
			require.NotErrorIs(t, err, db.ErrBadDSN, "a server that does not answer is not a usage error")
			require.ErrorContains(t, err, "check the host, port, user and that the server runs")
		})
	}
}
