// Package db opens the databases fixer works on from a URL and knows the few ways their SQL
// dialects differ: placeholders, identifier quoting and session settings.
package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"    // PostgreSQL driver
	_ "modernc.org/sqlite" // embedded SQLite driver, pure Go
)

// Dialect names an SQL dialect fixer speaks.
type Dialect string

// The dialects fixer supports.
const (
	Postgres Dialect = "postgres"
	MySQL    Dialect = "mysql"
	SQLite   Dialect = "sqlite"
)

// ErrBadDSN is returned for a database URL fixer cannot use.
var ErrBadDSN = errors.New("invalid database URL")

// DB is an open database and its dialect.
type DB struct {
	*sqlx.DB
	Dialect Dialect
	// Name is the database URL with any password removed, safe to print.
	Name string
}

// Options tune the session fixer opens.
type Options struct {
	// Zone is the zone of timestamp columns without one; sessions are set to it so that columns
	// with a zone are read and written in it too. Nil means UTC offset +07:00.
	Zone *time.Location
	// MaxOpen caps the pool size; zero means 4.
	MaxOpen int
	// Create lets a sqlite: URL name a file that does not exist yet (fixer seed); otherwise a
	// missing file is an error, so that a typo never leaves an empty database behind.
	Create bool
}

// Open connects to the database named by dsn (postgres://, mysql://, sqlite:) and checks that it
// answers. Errors never contain the password.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	d, driver, source, err := parse(dsn, opts)
	if err != nil {
		return nil, err
	}
	x, err := sqlx.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
	}
	maxOpen := opts.MaxOpen
	if maxOpen <= 0 {
		maxOpen = 4
	}
	if d == SQLite {
		maxOpen = 1 // one writer; avoids SQLITE_BUSY between our own connections
	}
	x.SetMaxOpenConns(maxOpen)
	x.SetMaxIdleConns(maxOpen)
	x.SetConnMaxIdleTime(5 * time.Minute)

	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := x.PingContext(pingCtx); err != nil {
		x.Close()
		return nil, connectError(err, dsn)
	}
	return &DB{DB: x, Dialect: d, Name: Redact(dsn)}, nil
}

// connectError says why a connection failed and what to check. What the URL itself got wrong
// (a database that does not exist, a parameter the server refuses) is an [ErrBadDSN]: running
// again without fixing the URL cannot succeed.
func connectError(err error, dsn string) error {
	msg := scrub(err.Error(), dsn)
	var pqErr *pq.Error
	var myErr *mysql.MySQLError
	code := ""
	switch {
	case errors.As(err, &pqErr):
		code = "pg" + string(pqErr.Code)
	case errors.As(err, &myErr):
		code = fmt.Sprint("my", myErr.Number)
	}
	switch code {
	case "pg3D000", "my1049": // invalid_catalog_name; ER_BAD_DB_ERROR
		return fmt.Errorf("%w: %s: %s: check the database name at the end of the URL; the "+
			"database must exist (fixer seed fills an empty one)", ErrBadDSN, Redact(dsn), msg)
	case "pg42704", "pg22023", "my1193", "my1231", "my1232":
		// unrecognized or invalid run-time parameter; unknown system variable, wrong value or
		// type for it: the URL's query parameters are sent as session settings.
		return fmt.Errorf("%w: %s: %s: correct or remove that parameter of the URL", ErrBadDSN,
			Redact(dsn), msg)
	case "pg28000", "pg28P01", "my1045":
		return fmt.Errorf("cannot connect to %s: %s: check the user and the password", Redact(dsn), msg)
	}
	return fmt.Errorf("cannot connect to %s: %s: check the host, port, user and that the server runs",
		Redact(dsn), msg)
}

func parse(dsn string, opts Options) (Dialect, string, string, error) {
	offset := "+07:00"
	zoneName := "Asia/Ho_Chi_Minh"
	if opts.Zone != nil {
		zoneName = opts.Zone.String()
		_, off := time.Now().In(opts.Zone).Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		offset = fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
	}

	switch {
	case dsn == "":
		return "", "", "", fmt.Errorf("%w: no database given: pass --dsn or set FIXER_DSN", ErrBadDSN)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return "", "", "", fmt.Errorf("%w: sqlite: needs a file path, e.g. sqlite:fixer-demo.db", ErrBadDSN)
		}
		q := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)&_txlock=immediate"
		path, params, _ := strings.Cut(path, "?")
		// sqlite:file:NAME (or file:///NAME) is SQLite's URI form of the same name.
		if rest, ok := strings.CutPrefix(path, "file:"); ok {
			path = strings.TrimPrefix(rest, "//")
		}
		values, err := url.ParseQuery(params)
		if err != nil {
			return "", "", "", fmt.Errorf("%w: sqlite:%s: the parameters after ? do not parse: %v", ErrBadDSN, path, err)
		}
		for k := range values {
			if !slices.Contains(sqliteParams, k) {
				return "", "", "", fmt.Errorf("%w: sqlite:%s: unknown parameter %q: fixer passes only %s "+
					"to SQLite (e.g. sqlite:%s?mode=ro for a dry run that cannot write)", ErrBadDSN, path, k,
					strings.Join(sqliteParams, ", "), path)
			}
		}
		memory := strings.HasPrefix(path, ":memory:") || values.Get("mode") == "memory"
		if !opts.Create && !memory {
			if _, err := os.Stat(path); err != nil {
				return "", "", "", fmt.Errorf("%w: sqlite file %s: %v (fixer seed creates a new one)", ErrBadDSN, path, err)
			}
		}
		// The file: form hands SQLite its own URI parameters (mode=ro...); a plain name would
		// have them dropped by the driver.
		if params != "" {
			q = params + "&" + q
		}
		return SQLite, "sqlite", "file:" + path + "?" + q, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", "", errUnparsable("postgres")
		}
		q := u.Query()
		if q.Get("sslmode") == "" {
			q.Set("sslmode", "disable")
		}
		// The server takes parameter names without regard to case: a TimeZone=UTC left beside
		// fixer's timezone would be applied after it and shift every instant of the run.
		for k := range q {
			if strings.EqualFold(k, "timezone") {
				q.Del(k)
			}
		}
		q.Set("timezone", zoneName)
		u.RawQuery = q.Encode()
		// The driver reads its own parameters (sslmode, connect_timeout, ...) only when it
		// connects: a bad value is found here instead, as a mistake in the URL.
		if _, err := pq.NewConfig(u.String()); err != nil {
			return "", "", "", fmt.Errorf("%w: %s: %s: correct that parameter of the URL", ErrBadDSN,
				Redact(dsn), scrub(err.Error(), dsn))
		}
		return Postgres, "postgres", u.String(), nil
	case strings.HasPrefix(dsn, "mysql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", "", errUnparsable("mysql")
		}
		addr := u.Host
		if u.Port() == "" {
			addr = u.Host + ":3306"
		}
		name := strings.TrimPrefix(u.Path, "/")
		if name == "" {
			return "", "", "", fmt.Errorf("%w: %s names no database: add /DBNAME", ErrBadDSN, Redact(dsn))
		}
		// The driver's own options (tls, timeout...) come from the URL's query.
		cfg, err := mysql.ParseDSN(fmt.Sprintf("tcp(%s)/%s?%s", addr, name, u.RawQuery))
		if err != nil {
			return "", "", "", fmt.Errorf("%w: %s: %s", ErrBadDSN, Redact(dsn), scrub(err.Error(), dsn))
		}
		// Text is read, compared, written and audited as UTF-8, byte for byte: a connection in
		// another character set (latin1, utf8mb3) turns Vietnamese letters or emoji into '?' on
		// the way in and into mojibake on the way out, and the audit could not restore them.
		// The connection is always utf8mb4, set after login so that a server's init_connect
		// (SET NAMES latin1) does not apply either.
		collation := ""
		for k, vs := range u.Query() {
			for _, v := range vs {
				switch {
				case k == "charset" && !strings.EqualFold(v, "utf8mb4"):
					return "", "", "", fmt.Errorf("%w: %s: charset=%s: fixer reads and writes text as utf8mb4 "+
						"and would change Vietnamese text in another character set; remove the parameter",
						ErrBadDSN, Redact(dsn), v)
				case k == "collation" && !strings.HasPrefix(strings.ToLower(v), "utf8mb4_"):
					return "", "", "", fmt.Errorf("%w: %s: collation=%s: fixer reads and writes text as "+
						"utf8mb4; remove the parameter or name a utf8mb4_ collation", ErrBadDSN, Redact(dsn), v)
				case k == "collation":
					collation = v
				}
			}
		}
		if err := cfg.Apply(mysql.Charset("utf8mb4", collation)); err != nil {
			return "", "", "", fmt.Errorf("%w: %s: %s", ErrBadDSN, Redact(dsn), scrub(err.Error(), dsn))
		}
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		// Timestamps are read as text and interpreted by fixer in the configured zone; a
		// TIMESTAMP column is rendered by the server in the session zone, which is always the
		// configured one, whatever zone the URL names.
		cfg.ParseTime = false
		cfg.MultiStatements = true
		// Arguments are escaped by the driver instead of a server-side prepare per statement:
		// one round trip instead of three. Safe with the utf8mb4 connection character set.
		cfg.InterpolateParams = true
		// RowsAffected counts the rows matched, not only those whose value changed: a lease
		// renewed within the same second still counts as renewed.
		cfg.ClientFoundRows = true
		if cfg.Params == nil {
			cfg.Params = map[string]string{}
		}
		for k := range cfg.Params {
			if strings.EqualFold(k, "time_zone") {
				delete(cfg.Params, k)
			}
		}
		cfg.Params["time_zone"] = "'" + offset + "'"
		// Strict mode, whatever the server's default or the URL says: a value too long for its
		// column is an error that stops the batch, never a silent truncation.
		mode := "@@sql_mode"
		for k, v := range cfg.Params {
			if strings.EqualFold(k, "sql_mode") {
				mode = v
				delete(cfg.Params, k)
			}
		}
		// PAD_CHAR_TO_FULL_LENGTH is taken out: with it a CHAR column reads with trailing spaces,
		// so that a status no longer equals its closed_statuses, a text date no longer parses, a
		// profile value never equals the one written, and the keys recorded in the audit are not
		// those a session without the mode reads.
		mode = "REPLACE(REPLACE(UPPER(CONCAT(',', " + mode + ", ',')), ' ', ''), ',PAD_CHAR_TO_FULL_LENGTH,', ',')"
		mode = "NULLIF(TRIM(BOTH ',' FROM " + mode + "), '')"
		cfg.Params["sql_mode"] = "CONCAT_WS(',', " + mode + ", 'STRICT_ALL_TABLES')"
		return MySQL, "mysql", cfg.FormatDSN(), nil
	}
	// The URL is not echoed: a string in another form (key=value pairs, a driver DSN) may hold
	// a password where Redact cannot find it.
	return "", "", "", fmt.Errorf("%w: it must start with postgres://, mysql:// or sqlite: (e.g. mysql://user:pass@host:3306/db)", ErrBadDSN)
}

// sqliteParams are the parameters a sqlite: URL may carry: SQLite's own URI parameters that do
// not change how fixer reads and writes. fixer sets the driver's (busy timeout, transaction
// locking) itself.
var sqliteParams = []string{"mode", "cache", "immutable"}

// errUnparsable reports a URL that does not parse, without echoing it: the password in it
// cannot be located reliably.
func errUnparsable(scheme string) error {
	return fmt.Errorf("%w: the %s:// URL does not parse; percent-encode special characters in the user and password (@ is %%40, / is %%2F, # is %%23, %% is %%25)",
		ErrBadDSN, scheme)
}

// Redact returns dsn with any password replaced by "xxxxx". A string that is not a URL it can
// parse is replaced whole, since a password in it cannot be found reliably.
func Redact(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "(database URL not shown)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "(database URL not shown)"
		}
		for name := range q {
			if secretParam(name) {
				q.Set(name, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// secretParam reports whether a URL parameter holds a secret (password=, sslpassword=, ...).
func secretParam(name string) bool {
	name = strings.ToLower(name)
	return strings.Contains(name, "pass") || strings.Contains(name, "secret") || strings.Contains(name, "token")
}

// scrub removes the passwords of dsn, in its user part or its parameters, from a driver
// message.
func scrub(msg, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return msg
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	if q, err := url.ParseQuery(u.RawQuery); err == nil {
		for name, values := range q {
			for _, v := range values {
				if secretParam(name) && v != "" {
					msg = strings.ReplaceAll(msg, v, "xxxxx")
				}
			}
		}
	}
	return msg
}

// Quote returns the identifier quoted for the dialect. Names are validated before they get here.
func (d Dialect) Quote(ident string) string {
	if d == MySQL {
		return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns the n-th (1-based) bind parameter marker.
func (d Dialect) Placeholder(n int) string {
	if d == Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// MaxParams is the largest number of bind parameters one statement may carry.
func (d Dialect) MaxParams() int {
	if d == SQLite {
		return 32766
	}
	return 65535
}
