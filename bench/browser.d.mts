// Types of bench/browser.mjs, for the tests.
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
export function pageQuery(options?: { quick?: boolean; trials?: number; filter?: string[] }): string;
export function runInPage(page: Page, url: string, options?: { quick?: boolean; trials?: number; filter?: string[] }, log?: (status: string) => void): Promise<unknown>;
