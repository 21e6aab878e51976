// Types of registry/embed.mjs, for the tests that import it.
/** A schema without its annotations (title, description, $comment, examples). */
export declare function stripAnnotations<T>(schema: T): T;
/** The generated files' contents by repository-relative path, and the registry files read. */
export declare function generateRegistryFiles(root?: string): Promise<{ files: Record<string, string>; sources: string[] }>;
/** Rollup plugin regenerating the embedded registry before each build. */
export declare function embedRegistry(): { name: string; buildStart(): Promise<void> };
