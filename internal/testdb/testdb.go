// Package testdb gives each integration test a fresh, empty database on the real servers:
// PostgreSQL and MariaDB/MySQL on loopback, and an embedded SQLite file.
//
// The servers are found through FIXER_TEST_POSTGRES and FIXER_TEST_MYSQL (database URLs of an
// account allowed to create databases); the defaults are the local servers a developer machine
// and CI run. When a server does not answer, the test is skipped with a hint on how to start
// it, except under CI=true, where it fails: in CI a database test never skips.
package testdb

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fixer/internal/db"
)

// Default server URLs, used when the environment names none.
const (
	DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	DefaultMySQL    = "mysql://root@127.0.0.1:3306/test"
)

var counter atomic.Int64

// Dialects lists the dialects integration suites run on.
var Dialects = []db.Dialect{db.SQLite, db.Postgres, db.MySQL}

// New creates an empty database of the given dialect, dropped when the test ends, and returns its
// URL.
func New(t testing.TB, d db.Dialect) string {
	t.Helper()
	if d == db.SQLite {
		path := filepath.Join(t.TempDir(), "test.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil { // an empty file is an empty database
			t.Fatalf("create test database: %v", err)
		}
		return "sqlite:" + path
	}

	if testing.Short() {
		t.Skip("-short: no database server")
	}
	admin := serverURL(d)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := db.Open(ctx, admin, db.Options{MaxOpen: 1})
	if err != nil {
		unavailable(t, d, err)
	}
	defer conn.Close()

	// FIXER_TEST_DB_PREFIX names the test databases where a server has naming rules.
	prefix := cmp.Or(os.Getenv("FIXER_TEST_DB_PREFIX"), "fixer_t")
	name := fmt.Sprintf("%s%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := db.Open(ctx, admin, db.Options{MaxOpen: 1})
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close()
		stmt := "DROP DATABASE IF EXISTS " + name
		if d == db.Postgres {
			stmt += " WITH (FORCE)"
		}
		if _, err := c.ExecContext(ctx, stmt); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})

	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

// ServerURL returns the administrative URL of the server for dialect d.
func serverURL(d db.Dialect) string {
	env, def := "FIXER_TEST_POSTGRES", DefaultPostgres
	if d == db.MySQL {
		env, def = "FIXER_TEST_MYSQL", DefaultMySQL
	}
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
}

func unavailable(t testing.TB, d db.Dialect, err error) {
	t.Helper()
	hint := "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
	if d == db.MySQL {
		hint = "start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
	}
	msg := fmt.Sprintf("%s server not available (%v); %s, or run bash .ci/run which installs and starts both",
		d, err, hint)
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
