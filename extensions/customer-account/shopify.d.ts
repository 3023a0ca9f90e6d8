// SPDX-License-Identifier: Apache-2.0
// Types the `shopify` global for the module below, as `shopify app dev`
// writes it: the API of the target it renders.
import '@shopify/ui-extensions';

//@ts-ignore
declare module './src/OrderStatusBlock.jsx' {
  const shopify: import('@shopify/ui-extensions/customer-account.order-status.block.render').Api;
  const globalThis: { shopify: typeof shopify };
}
