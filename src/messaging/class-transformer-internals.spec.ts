import 'reflect-metadata';
import { Exclude, Expose, Transform, TransformationType, Type } from 'class-transformer';
import { CLASS_TRANSFORMER_CHECKED_VERSION, loadTransformerMetadata } from './class-transformer-internals';

// These tests fail when an upgrade of class-transformer changes what
// src/messaging/class-transformer-internals.ts reads: then re-check cjs/storage.js, adapt the
// adapter, and re-measure (docs/performance.md, "Library internals we read, and why").

class Inner {
  a = '';
}

class Decorated {
  @Type(() => Inner)
  inner?: Inner;

  @Transform(({ value }) => String(value))
  transformed?: string;

  @Expose()
  exposed?: string;

  @Exclude()
  excluded?: string;
}

@Exclude()
class ExcludeAll {}

class Plain {
  a?: string;
}

describe('class-transformer internals (src/messaging/class-transformer-internals.ts)', () => {
  it('runs against the class-transformer version the adapter was checked against', () => {
    expect((require('class-transformer/package.json') as { version: string }).version).toBe(CLASS_TRANSFORMER_CHECKED_VERSION);
  });

  it("is the storage the installed package's decorators write to", () => {
    const storage = loadTransformerMetadata();
    const type = storage.findTypeMetadata(Decorated, 'inner');
    expect(type.typeFunction()).toBe(Inner);
    expect(storage.findTransformMetadatas(Decorated, 'transformed', TransformationType.PLAIN_TO_CLASS)).toHaveLength(1);
    expect(storage.getExposedMetadatas(Decorated).map((m) => m.propertyName)).toEqual(['exposed']);
    expect(storage.getExcludedMetadatas(Decorated).map((m) => m.propertyName)).toEqual(['excluded']);
    expect(storage.getStrategy(ExcludeAll)).toBe('excludeAll');
  });

  it('sees nothing on an undecorated class', () => {
    const storage = loadTransformerMetadata();
    expect(storage.getStrategy(Plain)).toBe('none');
    expect(storage.findTypeMetadata(Plain, 'a')).toBeUndefined();
    expect(storage.findTransformMetadatas(Plain, 'a', TransformationType.PLAIN_TO_CLASS)).toEqual([]);
  });

  it('throws, naming class-transformer and its version, when the storage moved or changed', () => {
    const named = /^class-transformer 0\.\d+\.\d+: .*class-transformer 0\.5\.1;/;
    expect(() => loadTransformerMetadata(() => require('class-transformer/cjs/no-such-file'))).toThrow(named);
    expect(() => loadTransformerMetadata(() => ({}))).toThrow(/cjs\/storage exports no defaultMetadataStorage/);
    expect(() => loadTransformerMetadata(() => ({ defaultMetadataStorage: { getStrategy() {} } }))).toThrow(
      /defaultMetadataStorage has no getExposedMetadatas, getExcludedMetadatas, findTypeMetadata, findTransformMetadatas/,
    );
  });
});
