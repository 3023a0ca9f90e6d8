package app

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// adminHooks hands app/admin what it uses from features still in app: the
// senders (messaging), the tracking page cache (shopper) and the admin
// session (install). The lead points admin.Deps at those packages once
// they have moved.
type adminHooks struct{ a *App }

func (h adminHooks) Deliver(ctx context.Context, n *storage.Notification, msg notify.Message) error {
	return h.a.deliver(ctx, n, msg)
}

func (h adminHooks) ForgetAll() { h.a.shopper.ForgetAll() }

func (h adminHooks) RenewSession(c echo.Context, shopID int64) error {
	return h.a.setAdminSession(c, shopID)
}

func (h adminHooks) EndSession(c echo.Context, notice string) error {
	c.SetCookie(&http.Cookie{Name: adminCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true})
	return h.a.renderLoginForm(c, http.StatusOK, notice, "")
}
