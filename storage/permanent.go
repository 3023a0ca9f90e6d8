package storage

import (
	"errors"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// SQLite result codes (https://sqlite.org/rescode.html); the driver reports
// extended codes, whose low byte is the primary code.
const (
	sqliteTooBig           = 18
	sqliteConstraint       = 19
	sqliteMismatch         = 20
	sqliteConstraintPK     = 1555
	sqliteConstraintUnique = 2067
)

// Permanent reports whether err is the database refusing the data itself,
// so running the same statement again cannot succeed: a Postgres data
// exception (SQLSTATE class 22, e.g. a NUL byte in text) or integrity
// violation (class 23), and their SQLite counterparts. A duplicate key is
// not permanent: it means a concurrent writer got there first, and a retry
// finds its row.
func Permanent(err error) bool {
	if err == nil || errors.Is(err, gorm.ErrDuplicatedKey) {
		return false
	}
	if errors.Is(err, gorm.ErrForeignKeyViolated) || errors.Is(err, gorm.ErrCheckConstraintViolated) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		class := pgErr.Code[:min(2, len(pgErr.Code))]
		return (class == "22" || class == "23") && pgErr.Code != "23505"
	}
	var liteErr *gosqlite.Error
	if errors.As(err, &liteErr) {
		code := liteErr.Code()
		switch code & 0xff {
		case sqliteTooBig, sqliteMismatch:
			return true
		case sqliteConstraint:
			return code != sqliteConstraintUnique && code != sqliteConstraintPK
		}
	}
	return false
}
