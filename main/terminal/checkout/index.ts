export { createCheckoutService } from './service';
export type { CardSource, CheckoutDeps, CheckoutService, SaleResult, SaleView } from './service';
export type { StartSale } from './validate';
export type * from './events';
