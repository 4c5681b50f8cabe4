// Types of bench/serve.mjs, for the tests.
import type { Server } from 'node:http';

export function buildPage(): Promise<string>;
export function startServer(options?: { port?: number; host?: string }): Promise<{ server: Server; url: string; close(): Promise<void> }>;
