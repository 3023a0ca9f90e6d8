-- +goose Up
-- The analytics report reads rollups of each shop's shipments and messages
-- per local day instead of grouping a million rows per request.

-- Problem events per shipment, counted by a trigger wherever events are
-- stored, so the report reaches the few shipments with problems through a
-- partial index instead of joining every shipment of the period to events.
ALTER TABLE shipments ADD COLUMN problem_events INTEGER NOT NULL DEFAULT 0;
UPDATE shipments SET problem_events = (SELECT count(*) FROM tracking_events e WHERE e.shipment_id = shipments.id AND e.problem <> '')
WHERE id IN (SELECT shipment_id FROM tracking_events WHERE problem <> '');
CREATE INDEX shipments_shop_problems ON shipments (shop_id, created_at, carrier) WHERE problem_events > 0;
DROP INDEX tracking_events_shop_problem;
CREATE INDEX tracking_events_problems ON tracking_events (shop_id, shipment_id, problem, stage, code, description) WHERE problem <> '';

-- +goose StatementBegin
CREATE TRIGGER tracking_events_count_problem AFTER INSERT ON tracking_events WHEN NEW.problem <> '' BEGIN
    UPDATE shipments SET problem_events = problem_events + 1 WHERE id = NEW.shipment_id;
END;
-- +goose StatementEnd

-- analytics_builds names the zone (and its rules) a shop's rollups count
-- days in. A shop without a row, or whose zone changed, is rebuilt from its
-- rows: that is also how rows stored before this migration are backfilled,
-- by the periodic analytics job or the shop's first report.
CREATE TABLE analytics_builds (
    shop_id INTEGER PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    zone    TEXT NOT NULL
);

-- analytics_shipment_days counts a shop's shipments per local creation day,
-- lane, and local ship and delivery days (0 unless delivered), numbered from
-- 1970-01-01.
CREATE TABLE analytics_shipment_days (
    shop_id       INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    created_day   INTEGER NOT NULL,
    carrier       TEXT NOT NULL,
    service       TEXT NOT NULL,
    dest_country  TEXT NOT NULL,
    dest_region   TEXT NOT NULL,
    shipped_day   INTEGER NOT NULL,
    delivered_day INTEGER NOT NULL,
    shipments     INTEGER NOT NULL,
    delivered     INTEGER NOT NULL,
    promised      INTEGER NOT NULL,
    on_time       INTEGER NOT NULL,
    delayed       INTEGER NOT NULL,
    page_views    INTEGER NOT NULL,
    viewed        INTEGER NOT NULL,
    PRIMARY KEY (shop_id, created_day, carrier, service, dest_country, dest_region, shipped_day, delivered_day)
);

-- analytics_message_days counts a shop's messages per local creation day,
-- channel and status.
CREATE TABLE analytics_message_days (
    shop_id     INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    created_day INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    status      TEXT NOT NULL,
    messages    INTEGER NOT NULL,
    PRIMARY KEY (shop_id, created_day, channel, status)
);

-- The queues hold what the rollups have not counted yet: triggers append a
-- row as it was (sign -1) and as it is (+1) on every change a report can
-- see; they are folded in the shop's zone before a report and by a
-- periodic job. No foreign key: a deleted shop's last changes are dropped
-- by the job.
CREATE TABLE analytics_shipment_queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id      INTEGER NOT NULL,
    sign         INTEGER NOT NULL,
    carrier      TEXT NOT NULL,
    service      TEXT NOT NULL,
    dest_country TEXT NOT NULL,
    dest_region  TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    shipped_at   DATETIME,
    delivered_at DATETIME,
    eta_latest   DATETIME,
    delayed      INTEGER NOT NULL,
    page_views   INTEGER NOT NULL
);
CREATE INDEX analytics_shipment_queue_shop ON analytics_shipment_queue (shop_id);

CREATE TABLE analytics_message_queue (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id    INTEGER NOT NULL,
    sign       INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX analytics_message_queue_shop ON analytics_message_queue (shop_id);

-- +goose StatementBegin
CREATE TRIGGER shipments_analytics_insert AFTER INSERT ON shipments BEGIN
    INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
        created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
    VALUES (NEW.shop_id, 1, NEW.carrier, NEW.service, NEW.dest_country, NEW.dest_region,
        NEW.created_at, NEW.shipped_at, NEW.delivered_at, NEW.eta_latest, NEW.problem = 'delayed', NEW.page_views);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER shipments_analytics_delete AFTER DELETE ON shipments BEGIN
    INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
        created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
    VALUES (OLD.shop_id, -1, OLD.carrier, OLD.service, OLD.dest_country, OLD.dest_region,
        OLD.created_at, OLD.shipped_at, OLD.delivered_at, OLD.eta_latest, OLD.problem = 'delayed', OLD.page_views);
END;
-- +goose StatementEnd
-- Polls save every column; only changes a report can see are queued.
-- +goose StatementBegin
CREATE TRIGGER shipments_analytics_update AFTER UPDATE ON shipments
WHEN OLD.shop_id IS NOT NEW.shop_id OR OLD.carrier IS NOT NEW.carrier OR OLD.service IS NOT NEW.service
    OR OLD.dest_country IS NOT NEW.dest_country OR OLD.dest_region IS NOT NEW.dest_region
    OR OLD.created_at IS NOT NEW.created_at OR OLD.shipped_at IS NOT NEW.shipped_at
    OR OLD.delivered_at IS NOT NEW.delivered_at OR OLD.eta_latest IS NOT NEW.eta_latest
    OR (OLD.problem = 'delayed') IS NOT (NEW.problem = 'delayed') OR OLD.page_views IS NOT NEW.page_views
BEGIN
    INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
        created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
    VALUES (OLD.shop_id, -1, OLD.carrier, OLD.service, OLD.dest_country, OLD.dest_region,
        OLD.created_at, OLD.shipped_at, OLD.delivered_at, OLD.eta_latest, OLD.problem = 'delayed', OLD.page_views);
    INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
        created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
    VALUES (NEW.shop_id, 1, NEW.carrier, NEW.service, NEW.dest_country, NEW.dest_region,
        NEW.created_at, NEW.shipped_at, NEW.delivered_at, NEW.eta_latest, NEW.problem = 'delayed', NEW.page_views);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER notifications_analytics_insert AFTER INSERT ON notifications BEGIN
    INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
    VALUES (NEW.shop_id, 1, NEW.channel, NEW.status, NEW.created_at);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notifications_analytics_delete AFTER DELETE ON notifications BEGIN
    INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
    VALUES (OLD.shop_id, -1, OLD.channel, OLD.status, OLD.created_at);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notifications_analytics_update AFTER UPDATE ON notifications
WHEN OLD.shop_id IS NOT NEW.shop_id OR OLD.channel IS NOT NEW.channel OR OLD.status IS NOT NEW.status
    OR OLD.created_at IS NOT NEW.created_at
BEGIN
    INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
    VALUES (OLD.shop_id, -1, OLD.channel, OLD.status, OLD.created_at);
    INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
    VALUES (NEW.shop_id, 1, NEW.channel, NEW.status, NEW.created_at);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER notifications_analytics_update;
DROP TRIGGER notifications_analytics_delete;
DROP TRIGGER notifications_analytics_insert;
DROP TRIGGER shipments_analytics_update;
DROP TRIGGER shipments_analytics_delete;
DROP TRIGGER shipments_analytics_insert;
DROP TABLE analytics_message_queue;
DROP TABLE analytics_shipment_queue;
DROP TABLE analytics_message_days;
DROP TABLE analytics_shipment_days;
DROP TABLE analytics_builds;
DROP TRIGGER tracking_events_count_problem;
DROP INDEX tracking_events_problems;
CREATE INDEX tracking_events_shop_problem ON tracking_events (shop_id, problem, shipment_id) WHERE problem <> '';
DROP INDEX shipments_shop_problems;
ALTER TABLE shipments DROP COLUMN problem_events;
