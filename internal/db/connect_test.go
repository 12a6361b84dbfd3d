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

// PAD_CHAR_TO_FULL_LENGTH, from the server or the URL, is taken out of fixer's sessions: a CHAR
// column must read as it compares, without the trailing spaces (a status would no longer equal
// its closed_statuses, nor a key the one the audit records).
func TestMySQLSessionsReadCharWithoutPadding(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testdb.New(t, db.MySQL))
	require.NoError(t, err)
	for _, mode := range []string{"'PAD_CHAR_TO_FULL_LENGTH'", "'ansi, pad_char_to_full_length,NO_BACKSLASH_ESCAPES'"} {
		withMode := *u
		q := withMode.Query()
		q.Set("sql_mode", mode)
		withMode.RawQuery = q.Encode()
		conn, err := db.Open(context.Background(), withMode.String(), db.Options{MaxOpen: 1})
		require.NoError(t, err, mode)
		_, err = conn.Exec("CREATE TABLE IF NOT EXISTS padded (id CHAR(10) PRIMARY KEY, status CHAR(16))")
		require.NoError(t, err)
		_, err = conn.Exec("REPLACE INTO padded VALUES ('D1', 'withdrawn')")
		require.NoError(t, err)
		var id, status, sqlMode string
		require.NoError(t, conn.QueryRow("SELECT id, status, @@sql_mode FROM padded").Scan(&id, &status, &sqlMode))
		require.Equal(t, "D1", id, mode)
		require.Equal(t, "withdrawn", status, mode)
		require.NotContains(t, sqlMode, "PAD_CHAR_TO_FULL_LENGTH")
		require.Contains(t, sqlMode, "STRICT_ALL_TABLES")
		conn.Close()
	}
}
