import type { GatewayConfig } from '../config/GatewayConfig.js';
import { limitHeapGrowth } from './limitHeapGrowth.js';

/**
 * What a gateway process does once it serves (a single gateway, or a worker): first `onServing`
 * (the bundle's loader writes its code cache, which V8 refuses under other flags), then the
 * heap's growth limit (a V8 flag). A start's garbage grows under V8's own factor until then.
 */
export function serving(config: GatewayConfig, onServing: (() => void) | undefined): void {
  onServing?.();
  limitHeapGrowth(config.server.heapGrowthPercent);
}
