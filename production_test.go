package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mainCmd is the ordertrack binary (this test binary, see TestMain) run
// with args and a production-like environment plus env, in a temporary
// directory (so an embedded database would land there).
func mainCmd(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append([]string{
		"OT_RUN_MAIN=1", "PATH=" + os.Getenv("PATH"), "APP_URL=https://ordertrack.example.com",
		"ENCRYPTION_KEY=" + strings.Repeat("ab", 32), "METRICS_PORT=0",
	}, env...)
	return cmd
}

func TestServeAndWorkerRefuseTheEmbeddedSQLiteUnlessAsked(t *testing.T) {
	for _, command := range []string{"serve", "worker"} {
		t.Run(command, func(t *testing.T) {
			cmd := mainCmd(t, nil, command)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("%s without DATABASE_URL: %v; want exit status 1", command, err)
			}
			if msg := stderr.String(); !strings.Contains(msg, "DATABASE_URL is not set") || !strings.Contains(msg, "DATABASE_URL=sqlite:") {
				t.Fatalf("stderr = %q; want why and how to choose SQLite", msg)
			}
			if _, err := os.Stat(filepath.Join(cmd.Dir, "data")); !os.IsNotExist(err) {
				t.Fatalf("a refused %s created ./data (%v)", command, err)
			}
		})
	}
}

// TestServeDrainsInFlightRequestsOnSIGTERM starts `ordertrack serve` on an
// explicit SQLite file, begins a webhook request, sends SIGTERM (what Fly
// sends first) while its body is still arriving, and checks that new
// connections are refused, the request in flight still gets its answer and
// the process exits 0. The drain it logs is what fly.toml's kill_timeout
// must cover (see TestFlyTomlKillTimeoutCoversTheDrain).
func TestServeDrainsInFlightRequestsOnSIGTERM(t *testing.T) {
	port := freePort(t)
	env := []string{"DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "ot.db"), fmt.Sprintf("PORT=%d", port)}
	if out, err := mainCmd(t, env, "migrate").CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	cmd := mainCmd(t, env, "serve")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	started := make(chan struct{})
	var logs lockedBuffer
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), `"msg":"started"`) {
				close(started)
			}
		}
	}()
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", logs.String())
	}

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The request is in its handler before the signal: with Expect:
	// 100-continue the server says "100 Continue" only once the handler
	// reads the body, which the client then sends after SIGTERM.
	body := `{"id":1,"name":"#1"}`
	fmt.Fprintf(conn, "POST /webhooks/shopify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n"+
		"X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: a.myshopify.com\r\nX-Shopify-Hmac-Sha256: bad\r\n\r\n", addr, len(body))
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(conn)
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
		t.Fatalf("before SIGTERM: got %q, %v; want 100 Continue", line, err)
	}
	if _, err := r.ReadString('\n'); err != nil { // the blank line ending the interim response
		t.Fatal(err)
	}

	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break // the listener is closed: draining
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 10 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	io.WriteString(conn, body)
	status, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 401") {
		t.Fatalf("the request in flight got %q, %v; want its answer (401: bad signature) after SIGTERM", status, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM; want 0\n%s", err, logs.String())
	}
	t.Logf("drain: SIGTERM to exit in %s with one request in flight", time.Since(signalled).Round(time.Millisecond))
}

// lockedBuffer collects a process's log lines from its reader goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// --help prints a command's usage and succeeds: scripts and people check
// the exit status.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"track", "--help"}, {"detect", "--help"}} {
		out, err := mainCmd(t, nil, args...).CombinedOutput()
		if err != nil {
			t.Errorf("ordertrack %s: %v; want exit 0\n%s", strings.Join(args, " "), err, out)
		}
		if !strings.Contains(string(out), "usage: ordertrack "+args[0]) {
			t.Errorf("ordertrack %s printed no usage:\n%s", strings.Join(args, " "), out)
		}
	}
}
