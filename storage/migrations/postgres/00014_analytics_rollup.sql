-- +goose Up
-- The analytics report reads rollups of each shop's shipments and messages
-- per local day instead of grouping a million rows per request.

-- Problem events per shipment, counted by a trigger wherever events are
-- stored, so the report reaches the few shipments with problems through a
-- partial index instead of joining every shipment of the period to events.
ALTER TABLE shipments ADD COLUMN problem_events INTEGER NOT NULL DEFAULT 0;
UPDATE shipments SET problem_events = p.n
FROM (SELECT shipment_id, count(*) AS n FROM tracking_events WHERE problem <> '' GROUP BY shipment_id) p
WHERE p.shipment_id = shipments.id;
CREATE INDEX shipments_shop_problems ON shipments (shop_id, created_at) INCLUDE (id, carrier) WHERE problem_events > 0;
DROP INDEX tracking_events_shop_problem;
CREATE INDEX tracking_events_problems ON tracking_events (shop_id, shipment_id) INCLUDE (problem, stage, code, description) WHERE problem <> '';

-- +goose StatementBegin
CREATE FUNCTION count_problem_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shipments SET problem_events = problem_events + 1 WHERE id = NEW.shipment_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER tracking_events_count_problem AFTER INSERT ON tracking_events
FOR EACH ROW WHEN (NEW.problem <> '') EXECUTE FUNCTION count_problem_event();

-- analytics_builds names the zone (and its rules) a shop's rollups count
-- days in. A shop without a row, or whose zone changed, is rebuilt from its
-- rows: that is also how rows stored before this migration are backfilled,
-- by the periodic analytics job or the shop's first report.
CREATE TABLE analytics_builds (
    shop_id BIGINT PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    zone    TEXT NOT NULL
);

-- analytics_shipment_days counts a shop's shipments per local creation day,
-- lane, and local ship and delivery days (0 unless delivered), numbered from
-- 1970-01-01.
CREATE TABLE analytics_shipment_days (
    shop_id       BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
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
    shop_id     BIGINT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    created_day INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    status      TEXT NOT NULL,
    messages    INTEGER NOT NULL,
    PRIMARY KEY (shop_id, created_day, channel, status)
);

-- The queues hold what the rollups have not counted yet: triggers append a
-- row as it was (sign -1) and as it is (+1) on every change a report can
-- see. Appending never waits on a hot rollup row; the queues are folded in
-- the shop's zone before a report and by a periodic job. No foreign key: a
-- deleted shop's last changes are dropped by the job.
CREATE TABLE analytics_shipment_queue (
    id           BIGSERIAL PRIMARY KEY,
    shop_id      BIGINT NOT NULL,
    sign         INTEGER NOT NULL,
    carrier      TEXT NOT NULL,
    service      TEXT NOT NULL,
    dest_country TEXT NOT NULL,
    dest_region  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    shipped_at   TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    eta_latest   TIMESTAMPTZ,
    delayed      INTEGER NOT NULL,
    page_views   INTEGER NOT NULL
);
CREATE INDEX analytics_shipment_queue_shop ON analytics_shipment_queue (shop_id);

CREATE TABLE analytics_message_queue (
    id         BIGSERIAL PRIMARY KEY,
    shop_id    BIGINT NOT NULL,
    sign       INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX analytics_message_queue_shop ON analytics_message_queue (shop_id);

-- +goose StatementBegin
CREATE FUNCTION queue_shipment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
            created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
        VALUES (OLD.shop_id, -1, OLD.carrier, OLD.service, OLD.dest_country, OLD.dest_region,
            OLD.created_at, OLD.shipped_at, OLD.delivered_at, OLD.eta_latest, (OLD.problem = 'delayed')::int, OLD.page_views);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_shipment_queue (shop_id, sign, carrier, service, dest_country, dest_region,
            created_at, shipped_at, delivered_at, eta_latest, delayed, page_views)
        VALUES (NEW.shop_id, 1, NEW.carrier, NEW.service, NEW.dest_country, NEW.dest_region,
            NEW.created_at, NEW.shipped_at, NEW.delivered_at, NEW.eta_latest, (NEW.problem = 'delayed')::int, NEW.page_views);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER shipments_analytics_insert_delete AFTER INSERT OR DELETE ON shipments
FOR EACH ROW EXECUTE FUNCTION queue_shipment_change();
-- Polls save every column; only changes a report can see are queued.
CREATE TRIGGER shipments_analytics_update AFTER UPDATE ON shipments
FOR EACH ROW WHEN (OLD.shop_id <> NEW.shop_id OR OLD.carrier <> NEW.carrier OR OLD.service <> NEW.service
    OR OLD.dest_country <> NEW.dest_country OR OLD.dest_region <> NEW.dest_region
    OR OLD.created_at <> NEW.created_at OR OLD.shipped_at IS DISTINCT FROM NEW.shipped_at
    OR OLD.delivered_at IS DISTINCT FROM NEW.delivered_at OR OLD.eta_latest IS DISTINCT FROM NEW.eta_latest
    OR (OLD.problem = 'delayed') <> (NEW.problem = 'delayed') OR OLD.page_views <> NEW.page_views)
EXECUTE FUNCTION queue_shipment_change();

-- +goose StatementBegin
CREATE FUNCTION queue_message_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
        VALUES (OLD.shop_id, -1, OLD.channel, OLD.status, OLD.created_at);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_message_queue (shop_id, sign, channel, status, created_at)
        VALUES (NEW.shop_id, 1, NEW.channel, NEW.status, NEW.created_at);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER notifications_analytics_insert_delete AFTER INSERT OR DELETE ON notifications
FOR EACH ROW EXECUTE FUNCTION queue_message_change();
CREATE TRIGGER notifications_analytics_update AFTER UPDATE ON notifications
FOR EACH ROW WHEN (OLD.shop_id <> NEW.shop_id OR OLD.channel <> NEW.channel OR OLD.status <> NEW.status
    OR OLD.created_at <> NEW.created_at)
EXECUTE FUNCTION queue_message_change();

-- +goose Down
DROP TRIGGER notifications_analytics_update ON notifications;
DROP TRIGGER notifications_analytics_insert_delete ON notifications;
DROP FUNCTION queue_message_change();
DROP TRIGGER shipments_analytics_update ON shipments;
DROP TRIGGER shipments_analytics_insert_delete ON shipments;
DROP FUNCTION queue_shipment_change();
DROP TABLE analytics_message_queue;
DROP TABLE analytics_shipment_queue;
DROP TABLE analytics_message_days;
DROP TABLE analytics_shipment_days;
DROP TABLE analytics_builds;
DROP TRIGGER tracking_events_count_problem ON tracking_events;
DROP FUNCTION count_problem_event();
DROP INDEX tracking_events_problems;
CREATE INDEX tracking_events_shop_problem ON tracking_events (shop_id, problem, shipment_id) WHERE problem <> '';
DROP INDEX shipments_shop_problems;
ALTER TABLE shipments DROP COLUMN problem_events;
