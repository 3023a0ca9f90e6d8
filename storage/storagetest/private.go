package storagetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// PrivatePostgres is a Postgres server of one test's own, for tests that stop
// and start the database under a running app: the shared test server must
// never go down under the packages testing beside them.
type PrivatePostgres struct {
	// URL reaches the cluster's "postgres" database as the superuser.
	URL string

	bin, dir string
	as       []string // runs a command as the postgres user when we are root
}

// StartPrivatePostgres initializes a throwaway cluster (trust auth, no fsync,
// no Unix socket) on a free loopback port and starts it; it is stopped and
// removed when the test ends. It skips when the PostgreSQL server binaries
// (/usr/lib/postgresql/*/bin) are missing or cannot run, except in CI (CI
// set), where it fails. Postgres refuses to run as root, so as root it runs
// as the postgres system user.
func StartPrivatePostgres(t testing.TB) *PrivatePostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		unavailable(t, "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
	}
	slices.SortFunc(bins, func(a, b string) int { return version(a) - version(b) })
	p := &PrivatePostgres{bin: filepath.Dir(bins[len(bins)-1])}

	dir, err := os.MkdirTemp("", "ordertrack-pg-")
	if err != nil {
		t.Fatalf("private postgres dir: %v", err)
	}
	p.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			unavailable(t, "running as root and no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatalf("private postgres dir: %v", err)
		}
		p.as = []string{"runuser", "-u", "postgres", "--"}
	}

	if out, err := p.run("initdb", "-D", p.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		unavailable(t, "initdb: %v\n%s", err, out)
	}
	// A free port may be taken by a parallel test before the server binds
	// it: try another. postgresql.conf's last setting of a name wins.
	for attempt := 1; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\nfsync = off\n", port)
		f, err := os.OpenFile(filepath.Join(p.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString(conf)
			f.Close()
		}
		if err != nil {
			t.Fatalf("configure private postgres: %v", err)
		}
		p.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		out, err := p.run("pg_ctl", "-D", p.data(), "-l", p.log(), "-w", "start")
		if err == nil {
			break
		}
		if tail := p.logTail(); attempt < 5 && strings.Contains(tail, "Address already in use") {
			continue
		} else {
			unavailable(t, "start private postgres: %v\n%s\n%s", err, out, tail)
		}
	}
	t.Cleanup(func() { p.run("pg_ctl", "-D", p.data(), "-m", "immediate", "-w", "stop") })
	return p
}

// Stop stops the server at once, like a crash (pg_ctl -m immediate): open
// connections break, and committed transactions are kept (the OS still holds
// what fsync=off did not flush).
func (p *PrivatePostgres) Stop(t testing.TB) {
	t.Helper()
	if out, err := p.run("pg_ctl", "-D", p.data(), "-m", "immediate", "-w", "stop"); err != nil {
		t.Fatalf("stop private postgres: %v\n%s", err, out)
	}
}

// Start starts the stopped server again (recovering from its WAL) and waits
// until it accepts connections.
func (p *PrivatePostgres) Start(t testing.TB) {
	t.Helper()
	if out, err := p.run("pg_ctl", "-D", p.data(), "-l", p.log(), "-w", "start"); err != nil {
		t.Fatalf("start private postgres: %v\n%s\n%s", err, out, p.logTail())
	}
}

func (p *PrivatePostgres) data() string { return filepath.Join(p.dir, "data") }
func (p *PrivatePostgres) log() string  { return filepath.Join(p.dir, "postgres.log") }

// run runs one of the server binaries from the cluster's folder (which the
// postgres user can enter, unlike the test's working directory).
func (p *PrivatePostgres) run(name string, args ...string) ([]byte, error) {
	argv := append(append(slices.Clone(p.as), filepath.Join(p.bin, name)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = p.dir
	return cmd.CombinedOutput()
}

func (p *PrivatePostgres) logTail() string {
	b, _ := os.ReadFile(p.log())
	return string(b[max(0, len(b)-2000):])
}

// version is the major version in /usr/lib/postgresql/VERSION/bin/pg_ctl.
func version(pgctl string) int {
	v, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(filepath.Dir(pgctl))), ".")[0])
	return v
}

// unavailable skips a test that needs something this machine lacks, or fails
// it in CI, which must prove the test runs.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("required in CI: "+format, args...)
	}
	t.Skipf(format, args...)
}
