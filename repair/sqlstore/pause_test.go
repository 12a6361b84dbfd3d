package sqlstore_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"fixer/internal/db"
)

// lockedBuffer is a log destination several goroutines may write while a test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// While the pause file exists the run writes nothing and says, once, that it is paused and how
// to go on; when the file is removed it says so and finishes the run.
func TestPauseFileHoldsTheRunAndSaysSo(t *testing.T) {
	t.Parallel()
	conn := open(t, db.SQLite)
	loadFixture(t, conn)
	seeded := checksums(t, conn)
	pause := filepath.Join(t.TempDir(), "pause.flag")
	require.NoError(t, os.WriteFile(pause, nil, 0o600))

	var log lockedBuffer
	r := runner(t, conn)
	r.PauseFile, r.Log = pause, slog.New(slog.NewTextHandler(&log, nil))
	done := make(chan error, 1)
	go func() {
		_, err := r.Apply(context.Background(), "CV 1503/STTTT paused")
		done <- err
	}()

	require.Eventually(t, func() bool { return strings.Contains(log.String(), "paused after the last committed batch") },
		10*time.Second, 20*time.Millisecond)
	time.Sleep(1500 * time.Millisecond) // more than one look at the file
	require.Equal(t, 1, strings.Count(log.String(), "msg=\"paused"), "the pause is told once")
	require.Contains(t, log.String(), "remove the pause file to go on")
	require.Contains(t, log.String(), "pause_file="+pause)
	require.Equal(t, seeded, checksums(t, conn), "nothing is written while paused")

	require.NoError(t, os.Remove(pause))
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not go on after the pause file was removed")
	}
	require.Contains(t, log.String(), "pause file gone: going on")
	require.NotEqual(t, seeded, checksums(t, conn))
}
