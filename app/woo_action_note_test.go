package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// refuseWooNotes makes the database refuse every woo_note job, as a crash
// or a lost connection between storing a request and enqueueing its note
// would lose it; the returned func lifts the refusal.
func refuseWooNotes(t *testing.T, db *storage.DB) (lift func()) {
	t.Helper()
	create := []string{
		`CREATE FUNCTION refuse_woo_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'woo_note refused'; END $$`,
		`CREATE TRIGGER refuse_woo_note BEFORE INSERT ON river_job FOR EACH ROW WHEN (NEW.kind = 'woo_note') EXECUTE FUNCTION refuse_woo_note()`,
	}
	drop := []string{`DROP TRIGGER refuse_woo_note ON river_job`, `DROP FUNCTION refuse_woo_note()`}
	if db.Dialect == storage.SQLite {
		create = []string{`CREATE TRIGGER refuse_woo_note BEFORE INSERT ON river_job WHEN NEW.kind = 'woo_note' BEGIN SELECT RAISE(ABORT, 'woo_note refused'); END`}
		drop = []string{`DROP TRIGGER refuse_woo_note`}
	}
	exec := func(stmts []string) {
		for _, q := range stmts {
			if err := db.Gorm.Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	exec(create)
	return func() { exec(drop) }
}

// A WooCommerce shopper's request and the order note telling the merchant
// about it commit together: when the note cannot be enqueued the request is
// not stored either (the shopper sees an error and can send it again), so
// no stored request goes without its note.
func TestWooShopperActionNoteCommitsWithTheAction(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		order := astOrder(506, time.Now().UTC(), "ups", "1Z999AA10123456784")
		e.store.AddOrder(order)
		e.deliver(t, woocommerce.TopicOrderCreated, order.JSON())
		s := e.waitShipment(t, "1Z999AA10123456784")
		apptest.WaitUntil(t, "the shipped note enqueued", func() bool { return len(wooJobs(t, e.a, "woo_note")) == 1 })
		post := func() int {
			t.Helper()
			form := url.Values{
				trackpage.CSRFField: {e.a.shopper.CSRFToken(s.PublicToken)},
				trackpage.FieldKind: {string(trackpage.ActionContactSupport)},
				trackpage.FieldNote: {"Where is my mug?"},
			}
			res, _ := apptest.PostForm(t, e.base+"/t/"+s.PublicToken+"/actions", form)
			return res.StatusCode
		}
		actions := func() int64 {
			return storagetest.Count(t, e.a.db, "customer_actions", "shipment_id = ?", s.ID)
		}

		lift := refuseWooNotes(t, e.a.db)
		if code := post(); code == http.StatusSeeOther {
			t.Errorf("request whose note was refused: status %d; want an error the shopper can retry", code)
		}
		if n := actions(); n != 0 {
			t.Fatalf("%d requests stored without their order note; want none", n)
		}

		lift()
		if code := post(); code != http.StatusSeeOther {
			t.Fatalf("request sent again: status %d; want 303", code)
		}
		if n := actions(); n != 1 {
			t.Fatalf("%d requests stored; want the one sent again", n)
		}
		var notes []string
		for _, j := range wooJobs(t, e.a, "woo_note") {
			if strings.Contains(string(j.EncodedArgs), "Where is my mug?") {
				notes = append(notes, string(j.EncodedArgs))
			}
		}
		if len(notes) != 1 {
			t.Fatalf("%d order notes for the stored request; want 1", len(notes))
		}
	})
}
