/**
 * Checks a parsed frame before anything else reads it: nesting deeper than `maxDepth` (the
 * envelope object itself is depth 1) and `__proto__` keys (which class-transformer would turn
 * into a prototype swap) are refused. Stops at the first problem, so its cost is bounded.
 */
export type JsonProblem = 'too-deep' | 'forbidden-key' | null;

export function inspectJson(value: unknown, maxDepth: number): JsonProblem {
  return walk(value, 1, maxDepth);
}

function walk(value: unknown, depth: number, maxDepth: number): JsonProblem {
  if (value === null || typeof value !== 'object') return null;
  if (depth > maxDepth) return 'too-deep';
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = walk(item, depth + 1, maxDepth);
      if (problem) return problem;
    }
    return null;
  }
  for (const key in value) {
    if (key === '__proto__') return 'forbidden-key';
    const problem = walk((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (problem) return problem;
  }
  return null;
}
