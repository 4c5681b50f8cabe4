/**
 * The results schema (results.schema.json, JSON Schema 2020-12) and a validator
 * for the keywords it uses: type, enum, const, required, properties,
 * additionalProperties: false, items, anyOf, minimum and pattern. Used by the
 * tests, by `minframe bench --compare` and by the benchmark page on an uploaded file.
 */
import schema from './results.schema.json';
import type { Results } from './suite.js';

export { schema };

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  anyOf?: Schema[];
  minimum?: number;
  pattern?: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Whether value v has JSON Schema type t ('number' takes integers too). */
function hasType(v: unknown, t: string): boolean {
  const got = typeOf(v);
  return got === t || (t === 'number' && got === 'integer');
}

/** Every way `value` breaks `s`, as "path: rule" lines (empty when it conforms). */
export function check(value: unknown, s: Schema, path = '$'): string[] {
  const errors: string[] = [];
  if (s.anyOf) {
    if (!s.anyOf.some((alt) => check(value, alt, path).length === 0)) errors.push(`${path}: matches none of ${s.anyOf.length} alternatives`);
    return errors;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && value !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push(`${path}: ${value} is not a finite number`);
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: ${value} < ${s.minimum}`);
  }
  if (typeof value === 'string' && s.pattern && !new RegExp(s.pattern).test(value)) errors.push(`${path}: '${value}' does not match ${s.pattern}`);
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...check(v, s.items!, `${path}[${i}]`)));
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) errors.push(`${path}: missing '${k}'`);
    for (const [k, v] of Object.entries(o)) {
      const p = s.properties?.[k];
      if (p) errors.push(...check(v, p, `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected '${k}'`);
    }
  }
  return errors;
}

/** The ways a parsed results file breaks the schema (empty when it conforms). */
export function validateResults(value: unknown): string[] {
  return check(value, schema as Schema);
}

/** `value` as Results, or an Error listing the first few ways it breaks the schema. */
export function asResults(value: unknown, name = 'results'): Results {
  const errors = validateResults(value);
  if (errors.length > 0) throw new Error(`${name} does not follow the benchmark results schema:\n  ${errors.slice(0, 8).join('\n  ')}${errors.length > 8 ? `\n  … and ${errors.length - 8} more` : ''}`);
  return value as Results;
}
