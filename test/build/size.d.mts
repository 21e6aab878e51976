// Types of size.mjs, for the TypeScript benches that use it (test/bench/size.bench.ts).
export interface Size { min: number; gzip: number }
export interface Chunk extends Size { name: string; imports: string[] }
export declare const GOAL: { startup: number; firstMessage: number };
export declare const BUDGET: { startup: number; chunk: number; wasm: number; firstMessage: number };
export declare const FIRST_MESSAGE_CHUNKS: string[];
export declare const ON_DEMAND: string[];
export declare const RE_EXPORTS: string;
export declare function chunkIs(chunk: Chunk, name: string): boolean;
export declare function firstMessageChunks(m: { chunks: Chunk[] }): Chunk[];
export declare function measureEntry(runtime: 'browser' | 'workerd'): Promise<{ entry: string; startup: Size; chunks: Chunk[] }>;
export declare function measureWasm(): { raw: number; gzip: number };
