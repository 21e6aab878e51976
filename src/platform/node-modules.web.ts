// The browser and Worker builds' stand-in for node-modules.ts: no Node modules at all.
import type { NodeModules } from './node-modules.ts';

export const nodeModules: NodeModules | undefined = undefined;
