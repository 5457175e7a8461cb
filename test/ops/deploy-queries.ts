import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus');
export const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'realtime-gateway.json');

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects: what is left once strings, label matchers, ranges,
 * grouping clauses, numbers and durations are gone, minus function names and keywords.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![\w:])\d[\d.]*(?:e[+-]?\d+)?(?:ms|[smhdwy])?/gi, ' ');
  const names = [...bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)].filter((m) => !m[2] && !KEYWORDS.has(m[1].toLowerCase())).map((m) => m[1]);
  return [...new Set(names)];
}

/** Every `expr` of the alert rules, by alert name (a plain reading of the YAML's `expr:` lines). */
export function ruleExpressions(): Map<string, string> {
  const exprs = new Map<string, string>();
  for (const file of readdirSync(join(PROMETHEUS_DIR, 'rules'))) {
    let alert = '';
    for (const line of readFileSync(join(PROMETHEUS_DIR, 'rules', file), 'utf8').split('\n')) {
      const name = /^\s*- alert: (\S+)/.exec(line);
      if (name) alert = name[1];
      const expr = /^\s*expr: (.+)$/.exec(line);
      if (expr) exprs.set(alert, expr[1]);
    }
  }
  return exprs;
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every panel query of the Grafana dashboard, and the template variables' queries. */
export function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { definition: string }[] } };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const variables = dashboard.templating.list.map((v) => /label_values\((\w+)/.exec(v.definition)![1]);
  return [...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...variables];
}

/** The metric names the rules and the dashboard use. */
export function usedMetricNames(): string[] {
  return [...new Set([...ruleExpressions().values(), ...dashboardExpressions()].flatMap(metricNames))].sort();
}
