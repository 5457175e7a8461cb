import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Environment's decorators need reflect-metadata loaded first (main.ts imports it too).
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { Environment } from './environment';

/**
 * docs/configuration.md is the reference of every environment variable: this keeps its table and
 * the Environment class in step (names, defaults, and the bounds the decorators enforce).
 */

const DOC = join(__dirname, '..', '..', 'docs', 'configuration.md');

interface Row {
  variables: string[];
  /** One default cell per variable (`1000` / `60000` splits in two; one `-` serves them all). */
  defaults: string[];
  accepted: string;
  line: string;
}

/** Splits a markdown table line into trimmed cells, honouring `\|` escapes. */
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** The rows of the table whose header starts with `Variable`. */
function docRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const headerAt = lines.findIndex((l) => /^\|\s*Variable\s*\|/.test(l));
  if (headerAt < 0) throw new Error(`${DOC}: no table with a "Variable" column`);
  const header = cells(lines[headerAt]);
  const column = (name: string) => {
    const i = header.findIndex((h) => h.toLowerCase().startsWith(name));
    if (i < 0) throw new Error(`${DOC}: the table has no "${name}" column`);
    return i;
  };
  const [variableCol, defaultCol, acceptedCol] = [column('variable'), column('default'), column('accepted')];
  const rows: Row[] = [];
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    const variables = row[variableCol].split(' / ').map((v) => v.trim().replace(/^`|`$/g, ''));
    const split = variables.length > 1 ? row[defaultCol].split(' / ').map((d) => d.trim()) : [row[defaultCol]];
    const defaults = split.length === 1 ? variables.map(() => split[0]) : split;
    rows.push({ variables, defaults, accepted: row[acceptedCol], line });
  }
  return rows;
}

/** What a default cell says: no default, a literal value, or a computed default described in prose. */
type DocDefault = { none: true } | { value: string | number | boolean } | { prose: string };

function readDefault(cell: string): DocDefault {
  if (cell === '' || cell === '-') return { none: true };
  if (cell === 'empty' || cell === '``') return { value: '' };
  const literal = /^`([^`]*)`$/.exec(cell)?.[1] ?? (/^[\d_,]+$|^(true|false)$/.test(cell) ? cell : undefined);
  if (literal === undefined) return { prose: cell };
  if (literal === 'true' || literal === 'false') return { value: literal === 'true' };
  if (/^-?[\d_,]+(\.\d+)?$/.test(literal)) return { value: Number(literal.replace(/[_,]/g, '')) };
  return { value: literal };
}

/** Every property Environment declares: the validated ones (optional included) and the defaulted ones. */
function declaredVariables(): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(Environment, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set([...validated, ...Object.keys(new Environment())])].sort();
}

describe('docs/configuration.md', () => {
  const rows = docRows(readFileSync(DOC, 'utf8'));
  const documented = rows.flatMap((r) => r.variables);
  const declared = declaredVariables();
  const defaults = new Environment() as unknown as Record<string, unknown>;

  it('reads the class and the table (neither list is empty)', () => {
    // Guards the checks below: an empty list on either side would make them pass vacuously.
    expect(declared).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'JWT_SECRET', 'REDIS_URL', 'METRICS_PORT']));
    expect(rows.length).toBeGreaterThan(10);
  });

  it('has a row for every variable Environment declares', () => {
    expect(declared.filter((v) => !documented.includes(v))).toEqual([]);
  });

  it('names only variables Environment declares, each once', () => {
    expect(documented.filter((v) => !declared.includes(v))).toEqual([]);
    expect(documented.filter((v, i) => documented.indexOf(v) !== i)).toEqual([]);
  });

  it("gives each variable the class's default", () => {
    const wrong: string[] = [];
    for (const row of rows) {
      if (row.defaults.length !== row.variables.length) {
        wrong.push(`${row.variables.join(' / ')}: ${row.variables.length} variables but ${row.defaults.length} defaults`);
        continue;
      }
      row.variables.forEach((variable, i) => {
        const doc = readDefault(row.defaults[i]);
        const code = defaults[variable];
        // A variable without a class default is `-`, or a default computed at start described in prose (NODE_ID: hostname-pid).
        const ok = code === undefined ? !('value' in doc) : 'value' in doc && doc.value === code;
        if (!ok) wrong.push(`${variable}: doc "${row.defaults[i]}", code ${JSON.stringify(code)}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  it('states the bounds and the values the decorators accept', () => {
    const missing: string[] = [];
    for (const m of getMetadataStorage().getTargetValidationMetadatas(Environment, '', true, false)) {
      const row = rows.find((r) => r.variables.includes(m.propertyName));
      if (!row) continue; // reported by the row test
      const expected: unknown[] = m.name === 'min' || m.name === 'max' || m.name === 'minLength' ? [m.constraints[0]] : m.name === 'isIn' ? m.constraints[0] : [];
      for (const value of expected) {
        const word = new RegExp(`(^|[^\\w])${String(value)}($|[^\\w])`);
        if (!word.test(row.accepted)) missing.push(`${m.propertyName}: ${m.name} ${String(value)} not in "${row.accepted}"`);
      }
    }
    expect(missing).toEqual([]);
  });
});
