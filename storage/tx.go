package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// queries are the statements that run the same on the database and inside a
// transaction: DB and Tx both embed them, so a caller inside InTx reads and
// writes through its Tx (on SQLite the transaction holds the only
// connection: a DB call there would wait for it forever).
type queries struct{ g *gorm.DB }

// Tx is one database transaction, open for the duration of the function
// given to DB.InTx. A job enqueued with River's InsertTx on Tx.SQL commits
// or rolls back with the rows that caused it.
type Tx struct {
	queries
	db  *DB
	sql *sql.Tx
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled
// back when it returns an error (which InTx returns) or panics.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	return db.Gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		sqlTx, ok := g.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return errors.New("storage: transaction without a *sql.Tx")
		}
		return fn(&Tx{queries: queries{g: g}, db: db, sql: sqlTx})
	})
}

// SQL is the transaction's *sql.Tx, for River's InsertTx: a job enqueued on
// it commits with the transaction. Use it for nothing else.
func (tx *Tx) SQL() *sql.Tx { return tx.sql }

// Shop returns the queries of one shop, run inside the transaction.
func (tx *Tx) Shop(shopID int64) ShopScope { return ShopScope{db: tx.db, g: tx.g, id: shopID} }

// Ping checks the database answers, for the readiness probe.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", db.Dialect, err)
	}
	return nil
}
