package db

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"
)

func TestParseMySQLKeepsTheSessionZone(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	require.NoError(t, err)
	for _, dsn := range []string{
		"mysql://u:p%40ss%2Fw@h:3307/motcua",
		"mysql://u:p%40ss%2Fw@h:3307/motcua?time_zone=%27%2B00%3A00%27&parseTime=true&loc=UTC",
		"mysql://u:p%40ss%2Fw@h:3307/motcua?timeout=5s&charset=utf8mb4",
	} {
		d, driver, source, err := parse(dsn, Options{Zone: loc})
		require.NoError(t, err, dsn)
		require.Equal(t, MySQL, d)
		require.Equal(t, "mysql", driver)
		cfg, err := mysql.ParseDSN(source)
		require.NoError(t, err)
		require.Equal(t, "'+07:00'", cfg.Params["time_zone"], dsn)
		require.Contains(t, cfg.Params["sql_mode"], "STRICT_ALL_TABLES", dsn)
		require.False(t, cfg.ParseTime)
		require.Equal(t, "p@ss/w", cfg.Passwd)
		require.Equal(t, "h:3307", cfg.Addr)
		require.Equal(t, "motcua", cfg.DBName)
	}
}

func TestParsePostgresForcesTheZone(t *testing.T) {
	t.Parallel()
	_, _, source, err := parse("postgres://u@h/db?timezone=UTC&sslmode=require", Options{})
	require.NoError(t, err)
	require.Contains(t, source, "timezone=Asia%2FHo_Chi_Minh")
	require.Contains(t, source, "sslmode=require")
}

func TestRedact(t *testing.T) {
	t.Parallel()
	require.Equal(t, "mysql://u:xxxxx@h:3306/db", Redact("mysql://u:secret@h:3306/db"))
	require.Equal(t, "postgres://u@h/db", Redact("postgres://u@h/db"))
	require.Equal(t, "sqlite:file.db", Redact("sqlite:file.db"))
	require.NotContains(t, Redact("oracle://u:secret@h/db"), "secret")
	require.Equal(t, "postgres://u@h/db?password=xxxxx&sslmode=disable",
		Redact("postgres://u@h/db?sslmode=disable&password=S3cretPW"))
	require.Equal(t, "mysql://u@h:3306/db?password=xxxxx", Redact("mysql://u@h:3306/db?password=S3cretPW"))
	require.Equal(t, "cannot connect: password xxxxx refused",
		scrub("cannot connect: password S3cretPW refused", "postgres://u@h/db?password=S3cretPW"))
}

// No form of a database string puts its password in an error.
func TestBadURLsDoNotLeakThePassword(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"mysql://root:S3cretPW@tcp(127.0.0.1:3306)/db",
		"mysql://root:S3cret/PW@127.0.0.1:3306/db",
		"postgres://postgres:S3cret#PW@127.0.0.1:5432/db",
		"postgres://postgres:S3cret%zzPW@127.0.0.1:5432/db",
		"host=127.0.0.1 user=postgres password=S3cretPW dbname=db",
		"root:S3cretPW@tcp(127.0.0.1:3306)/db",
		"postgres://postgres@127.0.0.1:5432/db?password=S3cretPW",
		"postgres://postgres@127.0.0.1:5432/db?sslmode=disable&sslpassword=S3cretPW",
		"mysql://root@127.0.0.1:3306/db?password=S3cretPW",
	} {
		_, _, _, err := parse(dsn, Options{})
		if err != nil {
			require.NotContains(t, err.Error(), "S3cret", dsn)
			require.ErrorIs(t, err, ErrBadDSN)
		}
		require.NotContains(t, Redact(dsn), "S3cret", dsn)
	}
}

// SQLite's own URI parameters reach SQLite; any other parameter is refused, never dropped.
func TestParseSQLiteParameters(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "m.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))

	d, driver, source, err := parse("sqlite:"+path+"?mode=ro", Options{})
	require.NoError(t, err)
	require.Equal(t, SQLite, d)
	require.Equal(t, "sqlite", driver)
	require.True(t, strings.HasPrefix(source, "file:"+path+"?mode=ro&"),
		"the file: form, in which SQLite applies mode: %s", source)

	for _, form := range []string{"sqlite:file:" + path + "?mode=ro", "sqlite:file://" + path + "?mode=ro"} {
		_, _, source, err = parse(form, Options{})
		require.NoError(t, err, form)
		require.True(t, strings.HasPrefix(source, "file:"+path+"?mode=ro&"), "%s gives %s", form, source)
	}

	for _, param := range []string{"foo=1", "_pragma=foreign_keys(1)", "mode=ro&_txlock=deferred"} {
		_, _, _, err = parse("sqlite:"+path+"?"+param, Options{})
		require.ErrorIs(t, err, ErrBadDSN, param)
		require.ErrorContains(t, err, "unknown parameter", param)
		require.ErrorContains(t, err, "mode, cache, immutable", param)
	}

	_, _, _, err = parse("sqlite:"+filepath.Join(filepath.Dir(path), "typo.db")+"?mode=ro", Options{})
	require.ErrorIs(t, err, ErrBadDSN)
	require.ErrorContains(t, err, "typo.db", "a missing file is found with parameters too")
}

// A PostgreSQL URL parameter the driver cannot use is a mistake in the URL, found before any
// connection is tried.
func TestParsePostgresRefusesBadParameters(t *testing.T) {
	t.Parallel()
	for dsn, param := range map[string]string{
		"postgres://u:S3cret@h/db?sslmode=bogus":       "sslmode",
		"postgres://u:S3cret@h/db?connect_timeout=abc": "connect_timeout",
	} {
		_, _, _, err := parse(dsn, Options{})
		require.ErrorIs(t, err, ErrBadDSN, dsn)
		require.ErrorContains(t, err, `"`+param+`"`)
		require.ErrorContains(t, err, "correct that parameter of the URL")
		require.NotContains(t, err.Error(), "S3cret")
	}
}

// A connection character set other than utf8mb4 would turn Vietnamese text into '?' on reading
// and into mojibake on writing: the URL is refused, and utf8mb4 is always set after login.
func TestParseMySQLRefusesAnotherCharset(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"charset=latin1", "charset=utf8", "charset=utf8mb4,latin1", "collation=latin1_swedish_ci"} {
		_, _, _, err := parse("mysql://u:secret@h/db?"+q, Options{})
		require.ErrorIs(t, err, ErrBadDSN, q)
		require.ErrorContains(t, err, q, "the message names the parameter")
		require.NotContains(t, err.Error(), "secret")
	}
	for _, q := range []string{"", "?charset=utf8mb4", "?collation=utf8mb4_unicode_ci"} {
		_, _, source, err := parse("mysql://u@h/db"+q, Options{})
		require.NoError(t, err, q)
		require.Contains(t, source, "charset=utf8mb4", q)
	}
}

// The server takes TimeZone, timezone and TIMEZONE as one parameter: none of them in the URL
// may replace the configured zone.
func TestParsePostgresForcesTheZoneWhateverTheCase(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"TimeZone", "TIMEZONE", "timeZone"} {
		_, _, source, err := parse("postgres://u@h/db?"+k+"=UTC", Options{})
		require.NoError(t, err)
		require.NotContains(t, source, "UTC", k)
		require.Contains(t, source, "timezone=Asia%2FHo_Chi_Minh", k)
	}
}
