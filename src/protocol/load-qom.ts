import { onDemand } from '../platform/on-demand.ts';

/**
 * QoM evaluation (`protocol/qom.ts`, the `mpl-sdk/qom` entry), loaded when a reply carries a
 * QoM report to judge or read. A failed load is an `E-MODULE-LOAD`.
 */
export const loadQom = /* @__PURE__ */ onDemand('QoM evaluation', () => import('./qom.ts'));
