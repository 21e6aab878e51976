// Types of peer-shapes.mjs, for the Node tests written in TypeScript.
export declare function assertFields(actual: object, expect: Record<string, unknown>, what: string): void;
export declare function assertShapeError(sdk: object, error: unknown, shape: { name: string; expect: object }): void;
export declare function assertRefusal(sdk: object, error: unknown, shape: { name: string; expect: object }, offer: readonly string[]): void;
