package app

import (
	"context"
	"testing"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// A merchant who turns COD reminders off (every channel unchecked) still
// sees in the log that the reminder was skipped, under its own trigger: the
// skipped decision has no dedupe key to read the trigger from.
func TestCODReminderTurnedOffIsLoggedAsACODReminder(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _ := startApp(t, dbURL, Config{})
		ctx := context.Background()
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		if err := a.db.Gorm.Model(fx.order).Update("cod", true).Error; err != nil {
			t.Fatal(err)
		}
		st := fx.shop.Settings.V
		st.Channels = map[string][]string{string(tracking.TriggerCODReminder): {}}
		if err := a.db.SaveSettings(ctx, fx.shop.ID, st); err != nil {
			t.Fatal(err)
		}
		args := jobs.NotifyArgs{ShipmentID: fx.ships[0].ID, Trigger: string(tracking.TriggerOutForDelivery), Key: "out_for_delivery:2026-11-27"}
		if err := a.messaging.NotifyJob(ctx, &river.Job[jobs.NotifyArgs]{Args: args}); err != nil {
			t.Fatal(err)
		}
		var logged []storage.Notification
		if err := a.db.Gorm.Where("shipment_id = ?", fx.ships[0].ID).Order("id").Find(&logged).Error; err != nil {
			t.Fatal(err)
		}
		byReason := map[string][]string{}
		var log []string
		for _, n := range logged {
			byReason[n.Error] = append(byReason[n.Error], n.Trigger)
			log = append(log, n.Trigger+"/"+n.Channel+": "+n.Status+" "+n.Error)
		}
		if got := byReason[notify.ReasonNoRoute]; len(got) != 1 || got[0] != string(tracking.TriggerCODReminder) {
			t.Errorf("unrouted decisions logged as %v; want one, as %s (log: %q)", got, tracking.TriggerCODReminder, log)
		}
		if got := byReason[""]; len(got) == 0 || got[0] != string(tracking.TriggerOutForDelivery) {
			t.Errorf("sent decisions logged as %v; want the out-for-delivery message (log: %q)", got, log)
		}
	})
}
