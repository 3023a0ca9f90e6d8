package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestSaveTemplatesNumbersVersionsPerPart(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		scope := db.Scope(newShop(t, db, "tpl.myshopify.com").ID)
		for _, bodies := range []map[string]string{
			{"email.subject": "S1", "email.html": "H1"},
			{"email.subject": "S2"},
			{"email.subject": "S3", "email.html": "H2"},
		} {
			if _, err := scope.SaveTemplates(ctx, "shipped", "en", bodies); err != nil {
				t.Fatal(err)
			}
		}
		subject, err := scope.TemplateVersions(ctx, storage.TemplateKey{Trigger: "shipped", Part: "email.subject", Locale: "en"})
		if err != nil {
			t.Fatal(err)
		}
		html, err := scope.TemplateVersions(ctx, storage.TemplateKey{Trigger: "shipped", Part: "email.html", Locale: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(subject) != 3 || subject[0].Version != 3 || subject[0].Body != "S3" || subject[2].Version != 1 {
			t.Errorf("subject versions = %+v; want 3, 2, 1 with S3 newest", subject)
		}
		if len(html) != 2 || html[0].Version != 2 || html[0].Body != "H2" {
			t.Errorf("html versions = %+v; want 2, 1 with H2 newest", html)
		}
	})
}

func TestEmptyLatestVersionMeansDefault(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "reset.myshopify.com")
		scope := db.Scope(shop.ID)
		if _, err := scope.SaveTemplates(ctx, "shipped", "en", map[string]string{"sms": "custom"}); err != nil {
			t.Fatal(err)
		}
		if _, err := scope.SaveTemplates(ctx, "shipped", "en", map[string]string{"sms": ""}); err != nil {
			t.Fatal(err)
		}
		live, err := db.TemplateOverrides(ctx, shop.ID, "shipped", "en")
		if err != nil {
			t.Fatal(err)
		}
		if body, ok := live["sms"]; ok && body != "" {
			t.Errorf("override after reset = %q; want empty (the default)", body)
		}
		all, err := scope.LiveTemplates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := all[storage.TemplateKey{Trigger: "shipped", Part: "sms", Locale: "en"}]
		if got.Version != 2 || got.Body != "" {
			t.Errorf("live template = v%d %q; want v2 with an empty body", got.Version, got.Body)
		}
	})
}

func TestTemplateVersionIsScopedToShop(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := db.Scope(newShop(t, db, "a.myshopify.com").ID)
		b := db.Scope(newShop(t, db, "b.myshopify.com").ID)
		saved, err := a.SaveTemplates(ctx, "delivered", "fr", map[string]string{"sms": "à bientôt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.TemplateVersion(ctx, saved[0].ID); err != nil {
			t.Errorf("own version: %v", err)
		}
		if _, err := b.TemplateVersion(ctx, saved[0].ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("other shop's version: err = %v; want ErrNotFound", err)
		}
		if live, _ := b.LiveTemplates(ctx); len(live) != 0 {
			t.Errorf("other shop sees %d templates; want 0", len(live))
		}
	})
}
