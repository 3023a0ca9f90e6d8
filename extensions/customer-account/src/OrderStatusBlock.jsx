// Order tracking card for the order status page.
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
//          "last_event"?: {"time", "when", "description", "location"?}}]}
//   404 when ordertrack has no such order for the shop: the card hides.
//
// The session token is an HS256 JWT signed with the app's client secret;
// `dest` names the shop and, once the customer is logged in, `sub` is the
// customer's GID. The server must check both against the order.
import {useEffect, useState} from 'react';
import {
  reactExtension,
  useApi,
  useOrder,
  useSettings,
  useLanguage,
  useTranslate,
  Banner,
  BlockStack,
  Card,
  Divider,
  Heading,
  InlineStack,
  Link,
  SkeletonTextBlock,
  Text,
  TextBlock,
} from '@shopify/ui-extensions-react/customer-account';

export default reactExtension('customer-account.order-status.block.render', () => <OrderStatusBlock />);

function OrderStatusBlock() {
  const {sessionToken} = useApi();
  const order = useOrder();
  const settings = useSettings();
  const language = useLanguage();
  const translate = useTranslate();
  const [state, setState] = useState({status: 'loading'});

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
        const token = await sessionToken.get();
        const url = `${appURL}/api/track/orders/${encodeURIComponent(orderId)}?locale=${encodeURIComponent(language?.isoCode ?? '')}`;
        const res = await fetch(url, {
          headers: {Authorization: `Bearer ${token}`, Accept: 'application/json'},
        });
        if (res.status === 404) {
          if (!cancelled) setState({status: 'hidden'});
          return;
        }
        if (!res.ok) throw new Error(`ordertrack answered ${res.status}`);
        const summary = await res.json();
        if (!cancelled) setState({status: 'ready', summary});
      } catch (err) {
        if (!cancelled) setState({status: 'error'});
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [orderId, appURL, language?.isoCode, sessionToken]);

  if (state.status === 'hidden') return null;

  if (state.status === 'loading') {
    return (
      <Card padding>
        <BlockStack spacing="tight">
          <Heading level={2}>{translate('title')}</Heading>
          <SkeletonTextBlock lines={3} />
        </BlockStack>
      </Card>
    );
  }

  if (state.status === 'error') {
    return (
      <Banner status="warning" title={translate('title')}>
        {translate('unavailable')}
      </Banner>
    );
  }

  const {summary} = state;
  const shipments = Array.isArray(summary.shipments) ? summary.shipments : [];

  return (
    <Card padding>
      <BlockStack spacing="base">
        <Heading level={2}>{translate('title')}</Heading>
        {shipments.length === 0 ? (
          <BlockStack spacing="extraTight">
            <Text emphasis="bold">{summary.headline}</Text>
            <TextBlock>{summary.next_step}</TextBlock>
          </BlockStack>
        ) : (
          shipments.map((shipment, i) => (
            <BlockStack spacing="tight" key={shipment.number || i}>
              {i > 0 ? <Divider /> : null}
              {shipments.length > 1 ? (
                <Text appearance="subdued">
                  {translate('package', {n: i + 1, total: shipments.length})}
                </Text>
              ) : null}
              <Shipment shipment={shipment} translate={translate} />
            </BlockStack>
          ))
        )}
        {summary.page_url ? (
          <Link to={summary.page_url} external>
            {translate('details')}
          </Link>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function Shipment({shipment, translate}) {
  const problem = Boolean(shipment.problem);
  return (
    <BlockStack spacing="tight">
      <InlineStack spacing="tight" blockAlignment="center">
        <Text emphasis="bold" appearance={problem ? 'warning' : undefined}>
          {shipment.stage_label}
        </Text>
      </InlineStack>
      <Text size="large" emphasis="bold">
        {shipment.headline}
      </Text>
      {shipment.delivered ? (
        <TextBlock>
          {translate('delivered')}: <Text emphasis="bold">{shipment.delivered}</Text>
        </TextBlock>
      ) : null}
      {shipment.eta ? (
        <BlockStack spacing="none">
          <TextBlock>
            {translate('eta')}: <Text emphasis="bold">{shipment.eta}</Text>
          </TextBlock>
          {shipment.eta_changed ? <Text appearance="warning">{shipment.eta_changed}</Text> : null}
          {shipment.eta_source ? <Text appearance="subdued">{shipment.eta_source}</Text> : null}
        </BlockStack>
      ) : null}
      <TextBlock>
        <Text emphasis="bold">{translate('next')}:</Text> {shipment.next_step}
      </TextBlock>
      {shipment.last_event ? (
        <TextBlock appearance="subdued">
          {shipment.last_event.when}
          {shipment.last_event.location ? ` · ${shipment.last_event.location}` : ''}
          {shipment.last_event.description ? ` · ${shipment.last_event.description}` : ''}
        </TextBlock>
      ) : null}
      {shipment.number ? (
        <TextBlock appearance="subdued">
          {shipment.carrier_name} {shipment.number}
          {shipment.tracking_url ? ' · ' : ''}
          {shipment.tracking_url ? (
            <Link to={shipment.tracking_url} external>
              {translate('carrier', {carrier: shipment.carrier_name})}
            </Link>
          ) : null}
        </TextBlock>
      ) : null}
    </BlockStack>
  );
}
