// Types for the parts of test-bed.mjs that TypeScript (test support, benches) imports.
export declare const DEFAULT_BASE: number;
export declare function bedBase(env?: NodeJS.ProcessEnv): number;
export declare function bedDir(root: string, env?: NodeJS.ProcessEnv): string;
export declare function verifyBed(dir: string): Promise<string[]>;
