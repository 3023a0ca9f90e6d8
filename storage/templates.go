package storage

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// TemplateKey names one editable template: a trigger's part (the notify
// Part name, e.g. "email.subject", kept in the channel column) in a locale.
type TemplateKey struct {
	Trigger, Part, Locale string
}

// LiveTemplates returns the latest stored version of every template the shop
// has touched, keyed by trigger, part and locale. A latest version with an
// empty body means the merchant reset it to the default.
func (s ShopScope) LiveTemplates(ctx context.Context) (map[TemplateKey]MessageTemplate, error) {
	var rows []MessageTemplate
	if err := s.q(ctx).Order("version").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	out := make(map[TemplateKey]MessageTemplate, len(rows))
	for _, r := range rows {
		out[TemplateKey{r.Trigger, r.Channel, r.Locale}] = r // later versions win
	}
	return out, nil
}

// TemplateVersions lists every stored version of one template, newest first.
func (s ShopScope) TemplateVersions(ctx context.Context, k TemplateKey) ([]MessageTemplate, error) {
	var out []MessageTemplate
	err := s.q(ctx).Where("trigger = ? AND channel = ? AND locale = ?", k.Trigger, k.Part, k.Locale).
		Order("version DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("versions of %s %s %s: %w", k.Trigger, k.Part, k.Locale, err)
	}
	return out, nil
}

// TemplateVersion loads one of the shop's stored versions by id.
func (s ShopScope) TemplateVersion(ctx context.Context, id int64) (*MessageTemplate, error) {
	var t MessageTemplate
	if err := s.q(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, notFound(err, "template version %d", id)
	}
	return &t, nil
}

// SaveTemplates stores a new version (the highest so far plus one) of each
// part in bodies, all in one transaction so a message never goes out with
// half of an edit. An empty body stores "use the default".
func (s ShopScope) SaveTemplates(ctx context.Context, trigger, locale string, bodies map[string]string) ([]MessageTemplate, error) {
	var saved []MessageTemplate
	err := s.g.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for part, body := range bodies {
			var max int
			err := tx.Model(&MessageTemplate{}).Select("COALESCE(MAX(version), 0)").
				Where("shop_id = ? AND trigger = ? AND channel = ? AND locale = ?", s.id, trigger, part, locale).Scan(&max).Error
			if err != nil {
				return fmt.Errorf("latest version of %s %s: %w", trigger, part, err)
			}
			t := MessageTemplate{ShopID: s.id, Trigger: trigger, Channel: part, Locale: locale, Version: max + 1, Body: body, CreatedAt: s.db.now()}
			if err := tx.Create(&t).Error; err != nil {
				return fmt.Errorf("store %s %s version %d: %w", trigger, part, t.Version, err)
			}
			saved = append(saved, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save templates: %w", err)
	}
	return saved, nil
}
