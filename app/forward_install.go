package app

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// Forwarders to package install for code still in app.

const adminCookie = install.AdminCookie

func adminShop(c echo.Context) *storage.Shop { return install.Shop(c) }

func (a *App) setAdminSession(c echo.Context, shopID int64) error {
	return a.install.SetAdminSession(c, shopID)
}

func (a *App) renderLoginForm(c echo.Context, status int, message, store string) error {
	return a.install.RenderLoginForm(c, status, message, store)
}

// loginEmailJob is registered before a.install exists (the job client
// needs its workers, the Installer the job client).
func (a *App) loginEmailJob(ctx context.Context, job *river.Job[jobs.LoginEmailArgs]) error {
	return a.install.LoginEmailJob(ctx, job)
}

// deliverNow is install.Deps.Deliver: deliver, with the outcome a job returns.
func (a *App) deliverNow(ctx context.Context, n *storage.Notification, msg notify.Message) error {
	return jobOutcome(a.deliver(ctx, n, msg))
}
