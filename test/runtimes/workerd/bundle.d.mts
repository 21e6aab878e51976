// Types of bundle.mjs, for the TypeScript tests that run a Worker in miniflare (test/server/durable-object.test.ts).
import type { ModuleDefinition } from 'miniflare';

export declare const workerConditions: string[];
export declare function bundleWorker(entry: string, outDir: string, options?: { outName?: string; external?: string[]; stdin?: string }): Promise<{ outfile: string; nodeImports: string[]; packageFiles: string[] }>;
export declare function workerdOptions(outDir: string, main?: string): Promise<{ modules: ModuleDefinition[]; modulesRoot: string; compatibilityDate: string }>;
