/**
 * Command-line parsing for the `minframe` commands. A usage error (unknown option,
 * missing or malformed value) is an OptionRangeError raised while parsing, which the
 * command turns into exit status 2; errors met while running exit with 1.
 */
import { optionRangeError } from '../errors.js';

export interface Parsed {
  /** Options with values, by flag ('--group' → 'SO(3)'). */
  values: Map<string, string>;
  /** Options without values that were given. */
  flags: Set<string>;
  positionals: string[];
}

/**
 * Parse `argv` (after the command): `--flag value` or `--flag=value` for the flags
 * in `values`, bare flags in `flags`, positionals when allowed. `--help` is left to
 * the caller (it is in `flags` when given).
 */
export function parseOptions(argv: readonly string[], command: string, spec: { values: readonly string[]; flags: readonly string[]; positionals?: boolean }): Parsed {
  const out: Parsed = { values: new Map(), flags: new Set(), positionals: [] };
  const hint = `; see minframe ${command} --help`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      if (!spec.positionals) throw optionRangeError(`unexpected argument '${arg}'${hint}`);
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (flag === '--help' || spec.flags.includes(flag)) {
      if (eq >= 0) throw optionRangeError(`option ${flag} takes no value${hint}`);
      out.flags.add(flag);
    } else if (spec.values.includes(flag)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw optionRangeError(`option ${flag} needs a value${hint}`);
      if (out.values.has(flag)) throw optionRangeError(`option ${flag} is given twice${hint}`);
      out.values.set(flag, value);
    } else throw optionRangeError(`unknown option '${flag}'${hint}`);
  }
  return out;
}

/** The value of a required option. */
export function required(p: Parsed, flag: string, command: string): string {
  const v = p.values.get(flag);
  if (v === undefined) throw optionRangeError(`minframe ${command} needs ${flag}; see minframe ${command} --help`);
  return v;
}

/** A whole-number option at least `min`, or `fallback` when absent. */
export function wholeNumber(p: Parsed, flag: string, min: number, fallback: number): number;
export function wholeNumber(p: Parsed, flag: string, min: number, fallback?: number): number | undefined;
export function wholeNumber(p: Parsed, flag: string, min: number, fallback?: number): number | undefined {
  const v = p.values.get(flag);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw optionRangeError(`option ${flag} must be a whole number >= ${min}, got '${v}'`);
  return n;
}

/** One of `choices`, or `fallback` when absent. */
export function choice<T extends string>(p: Parsed, flag: string, choices: readonly T[], fallback?: T): T | undefined {
  const v = p.values.get(flag);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) throw optionRangeError(`option ${flag} must be ${choices.join(' or ')}, got '${v}'`);
  return v as T;
}
