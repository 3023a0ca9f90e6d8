package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestMerchantTwilioAccountIsSealedAndGoneOnUninstall(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newShop(t, db, "a.myshopify.com")
		b := newShop(t, db, "b.myshopify.com")
		creds := storage.TwilioCredentials{AccountSID: "AC0b", AuthToken: "merchant-token", SMSFrom: "+4930123456789"}
		if err := db.SetTwilioAccount(ctx, a.ID, creds); err != nil {
			t.Fatal(err)
		}
		creds.WhatsAppFrom = "+4930123456780"
		if err := db.SetTwilioAccount(ctx, a.ID, creds); err != nil {
			t.Fatalf("replacing the account: %v", err)
		}
		var raw []byte
		if err := db.SQL.QueryRowContext(ctx, "SELECT auth_token FROM twilio_accounts WHERE shop_id = $1", a.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "merchant-token") {
			t.Fatal("Twilio auth token stored in plain text")
		}
		if got, ok, err := db.TwilioAccount(ctx, a.ID); err != nil || !ok || got != creds {
			t.Fatalf("account = %+v, %v, %v; want %+v", got, ok, err, creds)
		}
		if _, ok, err := db.TwilioAccount(ctx, b.ID); err != nil || ok {
			t.Fatalf("shop B's account: %v, %v; want none", ok, err)
		}
		if tokens, err := db.TwilioAccountShops(ctx, "AC0b"); err != nil || len(tokens) != 1 || tokens[a.ID] != "merchant-token" {
			t.Fatalf("tokens of AC0b = %v, %v", tokens, err)
		}
		if err := db.Uninstall(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.TwilioAccount(ctx, a.ID); err != nil || ok {
			t.Fatalf("after uninstall: %v, %v; want the account forgotten", ok, err)
		}
	})
}

func TestSenderOptOutIsKeyedBySenderChannelAndNumber(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for range 2 { // twice: a repeated STOP is no error
			if err := db.SetSenderOptOut(ctx, "+15550009999", "sms", "+14155550100", true); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			sender, channel, number string
			want                    bool
		}{
			{"+15550009999", "sms", "+14155550100", true},
			{"+15550009998", "sms", "+14155550100", false},
			{"+15550009999", "whatsapp", "+14155550100", false},
			{"+15550009999", "sms", "+14155550101", false},
		} {
			if got, err := db.SenderOptedOut(ctx, tc.sender, tc.channel, tc.number); err != nil || got != tc.want {
				t.Fatalf("%+v: opted out %v, %v; want %v", tc, got, err, tc.want)
			}
		}
		if err := db.SetSenderOptOut(ctx, "+15550009999", "sms", "+14155550100", false); err != nil {
			t.Fatal(err)
		}
		if got, err := db.SenderOptedOut(ctx, "+15550009999", "sms", "+14155550100"); err != nil || got {
			t.Fatalf("after START: opted out %v, %v; want false", got, err)
		}
	})
}
