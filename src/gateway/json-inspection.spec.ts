import { inspectJson, JsonProblem } from './json-inspection';

/** `levels` nested objects: nestedObject(1) is {}, nestedObject(2) is {"a":{}}, ... */
const nestedObject = (levels: number): unknown => (levels === 1 ? {} : { a: nestedObject(levels - 1) });
/** `levels` nested arrays: nestedArray(1) is [], nestedArray(2) is [[]], ... */
const nestedArray = (levels: number): unknown => (levels === 1 ? [] : [nestedArray(levels - 1)]);

describe('inspectJson', () => {
  describe('depth: the outermost object or array is depth 1', () => {
    it.each<{ name: string; value: unknown; maxDepth: number; problem: JsonProblem }>([
      { name: 'objects exactly at the max', value: nestedObject(4), maxDepth: 4, problem: null },
      { name: 'objects one past the max', value: nestedObject(5), maxDepth: 4, problem: 'too-deep' },
      { name: 'arrays exactly at the max', value: nestedArray(4), maxDepth: 4, problem: null },
      { name: 'arrays one past the max', value: nestedArray(5), maxDepth: 4, problem: 'too-deep' },
      { name: 'mixed exactly at the max', value: { a: [{ b: [] }] }, maxDepth: 4, problem: null },
      { name: 'mixed one past the max', value: { a: [{ b: [{}] }] }, maxDepth: 4, problem: 'too-deep' },
      { name: 'the default max of 32, at it', value: nestedObject(32), maxDepth: 32, problem: null },
      { name: 'the default max of 32, one past', value: nestedArray(33), maxDepth: 32, problem: 'too-deep' },
      // scalars add no level: only objects and arrays count
      { name: 'a scalar inside the deepest allowed object', value: { a: { b: 'x' } }, maxDepth: 2, problem: null },
      { name: 'null inside the deepest allowed array', value: [[null, 1, true, 's']], maxDepth: 2, problem: null },
      // an empty container past the max is still a level
      { name: 'an empty object one level too deep', value: { a: { b: {} } }, maxDepth: 2, problem: 'too-deep' },
      { name: 'an empty array one level too deep', value: { a: { b: [] } }, maxDepth: 2, problem: 'too-deep' },
      { name: 'the deep branch is the last of many siblings', value: { a: 1, b: {}, c: [1, 2], d: { e: { f: {} } } }, maxDepth: 3, problem: 'too-deep' },
      { name: 'the deep element is the last in an array', value: [1, {}, [], [[[]]]], maxDepth: 3, problem: 'too-deep' },
      { name: 'wide but shallow', value: { a: {}, b: {}, c: [1, 2, 3], d: 'x' }, maxDepth: 2, problem: null },
      { name: 'maxDepth 1 allows a flat object', value: { a: 1, b: 'x' }, maxDepth: 1, problem: null },
      { name: 'maxDepth 1 refuses any nesting', value: { a: [] }, maxDepth: 1, problem: 'too-deep' },
    ])('$name -> $problem', ({ value, maxDepth, problem }) => {
      expect(inspectJson(value, maxDepth)).toBe(problem);
    });

    it('stops at the first too-deep level of a very deep value (no stack overflow)', () => {
      const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
      expect(inspectJson(deep, 32)).toBe('too-deep');
    });
  });

  describe('__proto__ keys (parsed from JSON text, so they are own properties)', () => {
    it.each<{ name: string; json: string; problem: JsonProblem }>([
      { name: 'at the top level', json: '{"__proto__":{"isAdmin":true}}', problem: 'forbidden-key' },
      { name: 'with a scalar value', json: '{"type":"x","__proto__":1}', problem: 'forbidden-key' },
      { name: 'inside data', json: '{"type":"x","data":{"__proto__":{"polluted":true}}}', problem: 'forbidden-key' },
      { name: 'deep inside data', json: '{"data":{"a":{"b":{"__proto__":null}}}}', problem: 'forbidden-key' },
      { name: 'inside an object in an array', json: '{"data":{"list":[1,{"__proto__":{}}]}}', problem: 'forbidden-key' },
      { name: 'inside a top-level array', json: '[{"__proto__":{}}]', problem: 'forbidden-key' },
      { name: 'as a value, not a key', json: '{"data":{"key":"__proto__"}}', problem: null },
      { name: 'as a look-alike key', json: '{"data":{"__proto":1,"proto":2,"__PROTO__":3}}', problem: null },
      { name: 'constructor and prototype keys are not refused here', json: '{"data":{"constructor":{"prototype":{}}}}', problem: null },
    ])('$name -> $problem', ({ json, problem }) => {
      expect(inspectJson(JSON.parse(json), 32)).toBe(problem);
    });

    it('the parsed key really is an own property and the prototype is untouched', () => {
      const value = JSON.parse('{"__proto__":{"polluted":true}}');
      expect(Object.keys(value)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(inspectJson(value, 32)).toBe('forbidden-key');
    });

    it('reports whichever problem it meets first', () => {
      expect(inspectJson(JSON.parse('{"__proto__":{},"a":{"b":{"c":{}}}}'), 2)).toBe('forbidden-key');
      expect(inspectJson(JSON.parse('{"a":{"b":{"c":{}}},"__proto__":{}}'), 2)).toBe('too-deep');
    });
  });

  it.each([null, 0, 42, 'text', true, false, undefined])('a scalar (%p) has no problem', (value) => {
    expect(inspectJson(value, 1)).toBeNull();
  });
});
