package app

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/ordertrack/ordertrack/app/secure"
	shopperpkg "github.com/ordertrack/ordertrack/app/shopper"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/templates"
)

// newEcho builds the server with the middleware every route shares.
func (a *App) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// Fly's proxy puts the client in X-Forwarded-For; without this every
	// visitor would share the proxy's rate-limit bucket.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	e.HTTPErrorHandler = a.httpError
	e.Use(middleware.RequestID())
	e.Use(a.requestLog)
	e.Use(middleware.Recover())
	e.Use(middleware.BodyLimit("2M"))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:      "0",
		ContentTypeNosniff: "nosniff",
		ReferrerPolicy:     "strict-origin-when-cross-origin",
		// X-Frame-Options is left unset: the embedded admin sets a per-shop
		// frame-ancestors CSP instead.
	}))
	e.Use(secure.HSTS(a.cfg.AppURL))
	a.routes(e)
	return e
}

func (a *App) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		res := c.Response()
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		a.metrics.Requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(res.Status)).Observe(time.Since(start).Seconds())
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		a.log.LogAttrs(c.Request().Context(), level, "http",
			slog.String("id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", c.Request().Method),
			slog.String("path", c.Path()),
			slog.Int("status", res.Status),
			slog.Duration("took", time.Since(start)),
			slog.String("ip", c.RealIP()),
		)
		return nil
	}
}

// httpError is the one place errors become HTTP responses: domain code
// returns storage.ErrNotFound and friends, never HTTP errors.
func (a *App) httpError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		code = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(code)
		}
	case errors.Is(err, storage.ErrNotFound):
		code, msg = http.StatusNotFound, "not found"
	default:
		a.log.Error("request failed", "path", c.Path(), "err", err, "id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(code)
		return
	}
	if shopperpkg.ServesErrorPage(c.Request()) {
		if err := a.shopper.ErrorPage(c, code, msg); err != nil {
			a.log.Error("error page", "err", err)
		}
		return
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMETextHTML) {
		// A browser (a shopper's form on the tracking page): a page that
		// says what went wrong and leads back, not JSON.
		page := struct{ Message, Back string }{Message: msg}
		if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host == c.Request().Host && ref.Path != "" {
			page.Back = (&url.URL{Path: ref.Path, RawQuery: ref.RawQuery}).String()
		}
		secure.ErrorPage(c.Response().Header())
		var b bytes.Buffer
		if err := errorPage.Execute(&b, page); err != nil {
			a.log.Error("render error page", "err", err)
		}
		c.HTMLBlob(code, b.Bytes())
		return
	}
	c.JSON(code, map[string]string{"error": msg})
}

// errorPage is what a browser gets when a request fails.
var errorPage = template.Must(template.ParseFS(templates.Errors, "errors/error.html"))

func (a *App) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// readyz answers 200 only when the database answers, its schema is current
// and it takes a write, so Fly routes no traffic to a machine on an old
// schema or one that could not store what it accepts.
func (a *App) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := a.db.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unreachable", "error": err.Error()})
	}
	ok, err := a.db.MigrationsCurrent(ctx)
	if err != nil || !ok {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "migrations pending: run `ordertrack migrate`"})
	}
	if err := a.db.Heartbeat(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database cannot write", "error": err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
