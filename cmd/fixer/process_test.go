package main

// Helpers for the tests that run the fixer binary as a separate process: to kill it, to run two
// at once, or to run it under another database account.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
	"fixer/internal/testdb"
	sqlfiles "fixer/sql"
)

// asOf is the present moment the process tests give every run: the date of the 2021 letter.
const asOf = "2021-12-09 17:00"

// fixerBinary is the fixer command built for one test.
type fixerBinary struct {
	path string
}

// buildFixerBinary builds the command into a temporary directory of the test. The build cache
// makes every build after the first one of a test run a link only.
func buildFixerBinary(t *testing.T) fixerBinary {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the fixer command and runs it against the database servers")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	path := filepath.Join(t.TempDir(), "fixer")
	out, err := exec.Command(goTool, "build", "-o", path, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return fixerBinary{path: path}
}

// fixerProcess is a running fixer.
type fixerProcess struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	waitErr        error
}

// start runs fixer with args; operator names the run in the lock and the audit.
func (b fixerBinary) start(t *testing.T, operator string, args ...string) *fixerProcess {
	t.Helper()
	p := &fixerProcess{done: make(chan struct{})}
	p.cmd = exec.Command(b.path, args...)
	p.cmd.Env = append(os.Environ(), "FIXER_DSN=", "FIXER_CONFIG=", "FIXER_OPERATOR="+operator)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	require.NoError(t, p.cmd.Start())
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// run runs fixer to its end and returns its exit code, standard output and standard error.
func (b fixerBinary) run(t *testing.T, operator string, args ...string) (int, string, string) {
	t.Helper()
	p := b.start(t, operator, args...)
	code := p.wait(t, 2*time.Minute)
	return code, p.stdout.String(), p.stderr.String()
}

// exited reports whether the process has ended.
func (p *fixerProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to end and returns its exit code; -1 when a signal ended it.
func (p *fixerProcess) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("fixer %v still running after %s; stderr:\n%s", p.cmd.Args[1:], limit, p.stderr.String())
	}
	var exit *exec.ExitError
	if errors.As(p.waitErr, &exit) {
		return exit.ExitCode()
	}
	require.NoError(t, p.waitErr)
	return 0
}

// kill sends SIGKILL and waits until the process is gone. It fails the test if the process had
// already ended on its own, since then nothing was interrupted.
func (p *fixerProcess) kill(t *testing.T) {
	t.Helper()
	if p.exited() {
		t.Fatalf("fixer ended before it could be killed; stderr:\n%s", p.stderr.String())
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	<-p.done
	var exit *exec.ExitError
	require.ErrorAs(t, p.waitErr, &exit)
	status, ok := exit.Sys().(syscall.WaitStatus)
	require.True(t, ok && status.Signaled() && status.Signal() == syscall.SIGKILL,
		"fixer was not killed but ended with %v; stderr:\n%s", p.waitErr, p.stderr.String())
}

// freshDB creates an empty database of dialect d and returns a connection to it and its URL.
func freshDB(t *testing.T, d db.Dialect) (*db.DB, string) {
	t.Helper()
	dsn := testdb.New(t, d)
	conn, err := db.Open(context.Background(), dsn, db.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn, dsn
}

// createReferenceSchema creates the reference one-stop-shop tables.
func createReferenceSchema(t *testing.T, conn *db.DB) {
	t.Helper()
	schema, err := sqlfiles.FS.ReadFile("reference/" + string(conn.Dialect) + ".sql")
	require.NoError(t, err)
	for _, stmt := range strings.Split(string(schema), ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "--") {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			_, err := conn.Exec(strings.TrimSuffix(strings.Join(lines, "\n"), ";"))
			require.NoError(t, err)
		}
	}
}

// Values of the dossiers insertOpenDossiers writes: received Monday 2021-03-08 at 10:00 under a
// procedure of one working day that already has the 2021 profile. A wrong dossier holds what the
// legacy system computed (8 working hours later, Tuesday 10:00); the 2021 profile puts the
// appointment at the end of Tuesday and the deadline at the end of its morning session.
const (
	legacyValue  = "2021-03-09 10:00:00"
	repairedAppt = "2021-03-09 17:00:00"
	repairedDue  = "2021-03-09 11:30:00"
)

// insertOpenDossiers creates the reference schema and writes dossiers 1..n, open, with plain
// INSERTs; wrong selects those that still hold the legacy values.
func insertOpenDossiers(t *testing.T, conn *db.DB, n int, wrong func(id int) bool) {
	t.Helper()
	createReferenceSchema(t, conn)
	stmts := []string{
		"INSERT INTO agencies (id, code, name, kind) VALUES (1, 'STP', 'Sở Tư pháp', 'department')",
		"INSERT INTO procedures VALUES (1, '1.000001', 'Cấp Phiếu lý lịch tư pháp', 1, '1d', NULL, " +
			"'day', 'none', 'hour', 'session')",
	}
	var rows []string
	for id := 1; id <= n; id++ {
		appt, due := repairedAppt, repairedDue
		if wrong(id) {
			appt, due = legacyValue, legacyValue
		}
		rows = append(rows, fmt.Sprintf("(%d, 'D%05d', 1, 1, '2021-03-08 10:00:00', '%s', '%s', NULL, "+
			"'processing', NULL, 0, NULL, NULL)", id, id, appt, due))
		if len(rows) == 500 || id == n {
			stmts = append(stmts, "INSERT INTO dossiers VALUES "+strings.Join(rows, ", "))
			rows = nil
		}
	}
	for _, s := range stmts {
		_, err := conn.Exec(s)
		require.NoError(t, err)
	}
}

// seedProvince fills the database at dsn with fixer seed.
func seedProvince(t *testing.T, bin fixerBinary, dsn string, dossiers int) {
	t.Helper()
	code, _, errOut := bin.run(t, "seeder", "seed", "--dsn", dsn, "--dossiers", fmt.Sprint(dossiers))
	require.Equal(t, 0, code, "fixer seed: %s", errOut)
}

// referenceChecksums hashes every row of every reference table.
func referenceChecksums(t *testing.T, conn *db.DB) map[string]string {
	t.Helper()
	return testdb.Checksums(t, conn, testdb.ReferenceTables...)
}

// tableList lists the tables of the database, sorted.
func tableList(t *testing.T, conn *db.DB) []string {
	t.Helper()
	return testdb.Tables(t, conn)
}

// textOf reads one column of one row as text (NULL as "NULL").
func textOf(t *testing.T, conn *db.DB, table, col string, id int) string {
	t.Helper()
	return testdb.Column(t, conn, table, col, id)
}

// eventually polls cond every few milliseconds until it holds, and fails the test with what
// after limit. It stops early, failing, when the process p (if any) ends first.
func eventually(t *testing.T, limit time.Duration, p *fixerProcess, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if p != nil && p.exited() {
			t.Fatalf("fixer ended before %s; stderr:\n%s", what, p.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s", what, limit)
		}
		time.Sleep(3 * time.Millisecond)
	}
}

// leaseHolder returns the operator named in the run lock's lease row, or "".
func leaseHolder(conn *db.DB) string {
	var op string
	if err := conn.Get(&op, "SELECT operator FROM fixer_locks WHERE name = 'run'"); err != nil {
		return ""
	}
	return op
}

// waitSessionLockFree waits until the server has noticed that the killed holder of the run
// lock is gone and has released its session lock. SQLite has none: its lease must expire.
func waitSessionLockFree(t *testing.T, conn *db.DB) {
	t.Helper()
	var q string
	switch conn.Dialect {
	case db.Postgres:
		q = "SELECT COUNT(*) = 0 FROM pg_locks WHERE locktype = 'advisory' AND database = " +
			"(SELECT oid FROM pg_database WHERE datname = current_database())"
	case db.MySQL:
		// The name repair/sqlstore gives the lock of this database (MySQL's are server-wide).
		q = "SELECT COALESCE(IS_FREE_LOCK(CONCAT('fixer:', SHA1(CONCAT(DATABASE(), '/fixer_run')))), 1) = 1"
	default:
		return
	}
	eventually(t, 30*time.Second, nil, "release of the killed run's session lock", func() bool {
		var free bool
		return conn.Get(&free, q) == nil && free
	})
}

// expireLease moves the lease of the run lock into the past, as the passing of LeaseTTL would.
func expireLease(t *testing.T, conn *db.DB) {
	t.Helper()
	_, err := conn.Exec("UPDATE fixer_locks SET expires_at = '2001-01-01T00:00:00Z' WHERE name = 'run'")
	require.NoError(t, err)
}

// changesetRow is one row of fixer_changesets.
type changesetRow struct {
	ID            int64  `db:"id"`
	Status        string `db:"status"`
	Operator      string `db:"operator"`
	RowsChanged   int64  `db:"rows_changed"`
	ValuesChanged int64  `db:"values_changed"`
	Conflicts     int64  `db:"conflicts"`
}

// changesetRows lists the changesets of the database, oldest first; nil before fixer's tables
// exist.
func changesetRows(conn *db.DB) []changesetRow {
	var out []changesetRow
	if err := conn.Select(&out, "SELECT id, status, operator, rows_changed, values_changed, conflicts "+
		"FROM fixer_changesets ORDER BY id"); err != nil {
		return nil
	}
	return out
}

// newestRowsChanged returns rows_changed of the newest changeset, or -1 when there is none.
func newestRowsChanged(conn *db.DB) int64 {
	list := changesetRows(conn)
	if len(list) == 0 {
		return -1
	}
	return list[len(list)-1].RowsChanged
}

var hostnameOnce = sync.OnceValue(func() string { h, _ := os.Hostname(); return h })
