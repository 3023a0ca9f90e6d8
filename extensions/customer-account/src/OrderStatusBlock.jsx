// SPDX-License-Identifier: Apache-2.0
//
// Order tracking card for the order status page (Preact, Polaris web
// components, API 2026-07).
//
// It asks ordertrack for the order's tracking summary and shows, per package,
// the plain-language headline, the delivery estimate (and what changed), the
// next step for the shopper, and links to the full tracking page and the
// carrier. All wording comes from the server in the shopper's language, so
// this card never disagrees with the tracking page or the notifications.
//
// Contract with ordertrack (trackpage.Summary, snake_case JSON):
//
//   GET {app_url}/api/track/orders/{numeric order id}?locale={iso}
//   Authorization: Bearer {session token}
//
//   200 {"order", "locale", "headline", "next_step", "page_url"?,
//        "shipments": [{"carrier", "carrier_name", "number", "tracking_url"?,
//          "stage", "stage_label", "problem"?, "headline", "next_step",
//          "eta"?, "eta_source"?, "eta_changed"?, "delivered"?,
//          "last_event"?: {"time", "when", "description", "location"?}}],
//        "opt_in"?: {"heading", "phone_label", "phone"?, "channel_label",
//          "wording", "voice_wording", "submit", "done", "pending"}}
//   404 when ordertrack has no such order for the shop: the card hides.
//
//   POST {app_url}/api/track/orders/{numeric order id}/consent
//   Authorization: Bearer {session token}
//   {"phone", "channel": "sms"|"whatsapp", "calls": bool, "locale"}
//
//   200 {"status": "confirmed"|"pending"}: the shopper's opt-in, stored
//   with the words opt_in gave (so the form shows them verbatim), the time
//   and the shopper's IP; "pending" waits for their YES to our text.
//
// The session token is an HS256 JWT signed with the app's client secret;
// `dest` names the shop and, once the customer is logged in, `sub` is the
// customer's GID. The server must check both against the order.
import '@shopify/ui-extensions/preact';
import {render} from 'preact';
import {useEffect, useState} from 'preact/hooks';

export default async () => {
  render(<OrderStatusBlock />, document.body);
};

/** @typedef {{when: string, description?: string, location?: string}} LastEvent */
/**
 * @typedef {{carrier_name?: string, number?: string, tracking_url?: string, stage_label?: string,
 *   problem?: string, headline?: string, next_step?: string, eta?: string, eta_source?: string,
 *   eta_changed?: string, delivered?: string, last_event?: LastEvent}} Shipment
 */
/**
 * @typedef {{heading: string, phone_label: string, phone?: string, channel_label: string, wording: string,
 *   voice_wording: string, submit: string, done: string, pending: string}} OptIn
 */
/**
 * @typedef {{locale?: string, headline?: string, next_step?: string, page_url?: string, shipments?: Shipment[],
 *   opt_in?: OptIn}} Summary
 */
/** @typedef {{status: 'loading' | 'hidden' | 'error'} | {status: 'ready', summary: Summary}} State */

/** @returns {import('preact').JSX.Element | null} */
function OrderStatusBlock() {
  const t = shopify.i18n.translate;
  const order = shopify.order.value;
  const settings = shopify.settings.value;
  const language = shopify.localization.language.value?.isoCode ?? '';
  const [state, setState] = useState(/** @type {State} */ ({status: 'loading'}));

  const orderId = order?.id ? String(order.id).split('/').pop() : '';
  const appURL = typeof settings.app_url === 'string' ? settings.app_url.trim().replace(/\/+$/, '') : '';

  useEffect(() => {
    if (!orderId || !appURL) {
      setState({status: 'hidden'});
      return undefined;
    }
    let cancelled = false;
    (async () => {
      try {
        const token = await shopify.sessionToken.get();
        const url = `${appURL}/api/track/orders/${encodeURIComponent(orderId)}?locale=${encodeURIComponent(language)}`;
        const res = await fetch(url, {
          headers: {Authorization: `Bearer ${token}`, Accept: 'application/json'},
        });
        if (res.status === 404) {
          if (!cancelled) setState({status: 'hidden'});
          return;
        }
        if (!res.ok) throw new Error(`ordertrack answered ${res.status}`);
        /** @type {Summary} */
        const summary = await res.json();
        if (!cancelled) setState({status: 'ready', summary});
      } catch {
        if (!cancelled) setState({status: 'error'});
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [orderId, appURL, language]);

  if (state.status === 'hidden') return null;

  if (state.status === 'loading') {
    return (
      <s-section heading={t('title')}>
        <s-skeleton-paragraph />
      </s-section>
    );
  }

  if (state.status === 'error' || !('summary' in state)) {
    return (
      <s-banner tone="warning" heading={t('title')}>
        {t('unavailable')}
      </s-banner>
    );
  }

  const {summary} = state;
  const shipments = Array.isArray(summary.shipments) ? summary.shipments : [];

  return (
    <s-section heading={t('title')}>
      <s-stack gap="base">
        {shipments.length === 0 ? (
          <s-stack gap="small-200">
            <s-text type="strong">{summary.headline}</s-text>
            <s-paragraph>{summary.next_step}</s-paragraph>
          </s-stack>
        ) : (
          shipments.map((shipment, i) => (
            <s-stack gap="small" key={shipment.number || String(i)}>
              {i > 0 ? <s-divider /> : null}
              {shipments.length > 1 ? (
                <s-text color="subdued">{t('package', {n: i + 1, total: shipments.length})}</s-text>
              ) : null}
              <ShipmentView shipment={shipment} />
            </s-stack>
          ))
        )}
        {summary.page_url ? (
          <s-link href={summary.page_url} target="_blank">
            {t('details')}
          </s-link>
        ) : null}
        {summary.opt_in ? (
          <OptInForm
            optIn={summary.opt_in}
            url={`${appURL}/api/track/orders/${encodeURIComponent(orderId ?? '')}/consent`}
            locale={summary.locale ?? language}
          />
        ) : null}
      </s-stack>
    </s-section>
  );
}

/** @param {Event} event */
function fieldValue(event) {
  return /** @type {HTMLInputElement} */ (event.currentTarget).value;
}

/**
 * The "text me shipping updates" opt-in, in the server's words (they are
 * what ordertrack stores as proof of the shopper's consent).
 *
 * @param {{optIn: OptIn, url: string, locale: string}} props
 */
function OptInForm({optIn, url, locale}) {
  const t = shopify.i18n.translate;
  const [phone, setPhone] = useState(optIn.phone ?? '');
  const [channel, setChannel] = useState('sms');
  const [calls, setCalls] = useState(false);
  const [state, setState] = useState(/** @type {'idle' | 'sending' | 'confirmed' | 'pending' | 'error'} */ ('idle'));

  if (state === 'confirmed' || state === 'pending') {
    return (
      <s-banner tone="success" heading={optIn.heading}>
        {state === 'pending' ? optIn.pending : optIn.done}
      </s-banner>
    );
  }

  async function submit() {
    setState('sending');
    try {
      const token = await shopify.sessionToken.get();
      const res = await fetch(url, {
        method: 'POST',
        headers: {Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json'},
        body: JSON.stringify({phone, channel, calls, locale}),
      });
      if (!res.ok) throw new Error(`ordertrack answered ${res.status}`);
      /** @type {{status?: string}} */
      const out = await res.json();
      setState(out.status === 'pending' ? 'pending' : 'confirmed');
    } catch {
      setState('error');
    }
  }

  return (
    <s-stack gap="small">
      <s-divider />
      <s-heading>{optIn.heading}</s-heading>
      {state === 'error' ? <s-banner tone="critical">{t('optin_failed')}</s-banner> : null}
      <s-phone-field label={optIn.phone_label} value={phone} autocomplete="tel" onInput={(e) => setPhone(fieldValue(e))} />
      <s-choice-list
        label={optIn.channel_label}
        values={[channel]}
        onChange={(e) => {
          const values = /** @type {{values?: string[]}} */ (/** @type {unknown} */ (e.currentTarget)).values;
          setChannel(values?.[0] === 'whatsapp' ? 'whatsapp' : 'sms');
        }}
      >
        <s-choice value="sms">SMS</s-choice>
        <s-choice value="whatsapp">WhatsApp</s-choice>
      </s-choice-list>
      <s-text color="subdued">{optIn.wording}</s-text>
      <s-checkbox
        label={optIn.voice_wording}
        checked={calls}
        onChange={(e) => setCalls(/** @type {HTMLInputElement} */ (e.currentTarget).checked)}
      />
      <s-button variant="secondary" loading={state === 'sending'} disabled={!phone.trim()} onClick={submit}>
        {optIn.submit}
      </s-button>
    </s-stack>
  );
}

/** @param {{shipment: Shipment}} props */
function ShipmentView({shipment}) {
  const t = shopify.i18n.translate;
  const problem = Boolean(shipment.problem);
  return (
    <s-stack gap="small">
      <s-text type="strong" tone={problem ? 'warning' : 'auto'}>
        {shipment.stage_label}
      </s-text>
      <s-heading>{shipment.headline}</s-heading>
      {shipment.delivered ? (
        <s-paragraph>
          {t('delivered')}: <s-text type="strong">{shipment.delivered}</s-text>
        </s-paragraph>
      ) : null}
      {shipment.eta ? (
        <s-stack gap="none">
          <s-paragraph>
            {t('eta')}: <s-text type="strong">{shipment.eta}</s-text>
          </s-paragraph>
          {shipment.eta_changed ? <s-text tone="warning">{shipment.eta_changed}</s-text> : null}
          {shipment.eta_source ? <s-text color="subdued">{shipment.eta_source}</s-text> : null}
        </s-stack>
      ) : null}
      <s-paragraph>
        <s-text type="strong">{t('next')}:</s-text> {shipment.next_step}
      </s-paragraph>
      {shipment.last_event ? (
        <s-paragraph color="subdued">
          {shipment.last_event.when}
          {shipment.last_event.location ? ` · ${shipment.last_event.location}` : ''}
          {shipment.last_event.description ? ` · ${shipment.last_event.description}` : ''}
        </s-paragraph>
      ) : null}
      {shipment.number ? (
        <s-paragraph color="subdued">
          {shipment.carrier_name} {shipment.number}
          {shipment.tracking_url ? ' · ' : ''}
          {shipment.tracking_url ? (
            <s-link href={shipment.tracking_url} target="_blank">
              {t('carrier', {carrier: shipment.carrier_name ?? ''})}
            </s-link>
          ) : null}
        </s-paragraph>
      ) : null}
    </s-stack>
  );
}
