import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { loadTransformerMetadata } from '../messaging/class-transformer-internals';
import { DtoShape } from '../messaging/dto-shape';
import { JsonSchema } from '../protocol';

type Dto = new () => object;

export const SCHEMAS_POINTER = '#/components/schemas/';

const OPTIONS = {
  // @Type(() => Nested): the class a @ValidateNested property holds (the same storage dto-shape.ts reads).
  classTransformerMetadataStorage: loadTransformerMetadata() as MetadataStorage,
  refPointerPrefix: SCHEMAS_POINTER,
  // @IsPresent (messaging/dto/validators.ts): any JSON value; the default would name the design type, Object.
  additionalConverters: { isPresent: { description: 'any JSON value, null included' } },
};

/**
 * The JSON Schemas of message DTOs, from their class-validator decorators
 * (class-validator-jsonschema), under unique names for `components.schemas`. Nested DTOs
 * (@ValidateNested with @Type, one or an array of them) get their own entry and a `$ref`; the
 * server refuses properties a DTO does not declare, nested ones included, so every object schema
 * says `additionalProperties: false`.
 */
export class DtoSchemas {
  /** By name, for `components.schemas`. */
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly names = new Map<Dto, string>();

  /** `{$ref}` to the DTO's schema, registering it (and the DTOs it nests) on first use. */
  ref(dto: Dto): JsonSchema {
    return { $ref: SCHEMAS_POINTER + this.register(dto) };
  }

  private register(dto: Dto): string {
    const known = this.names.get(dto);
    if (known !== undefined) return known;
    // Two DTO classes may share a name (a host's RoomDto): the second one gets a suffix.
    let name = dto.name || 'Dto';
    for (let n = 2; name in this.schemas; n++) name = `${dto.name || 'Dto'}_${n}`;
    this.names.set(dto, name);
    this.schemas[name] = {}; // reserved before the nested DTOs, so a DTO that nests itself terminates
    this.schemas[name] = this.build(dto);
    return name;
  }

  private build(dto: Dto): JsonSchema {
    const generated = targetConstructorToSchema(dto, OPTIONS) as JsonSchema;
    const properties = { ...((generated.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    const shape = DtoShape.of(dto);
    for (const name of Object.keys(properties)) {
      const nested = shape.nested.get(name);
      // The library names the nested class; ours may carry a suffix. A $ref the server does not
      // walk into (no @Type) is an object the library could not describe: any value.
      properties[name] = replaceRefs(properties[name], nested ? this.ref(nested.dto) : undefined);
    }
    return { ...generated, type: 'object', properties, additionalProperties: false };
  }
}

/** The schema with every `{$ref}` in it replaced by `ref` (by `{}`, any value, without one). */
function replaceRefs(schema: unknown, ref: JsonSchema | undefined): JsonSchema {
  if (Array.isArray(schema)) return schema.map((item) => replaceRefs(item, ref)) as unknown as JsonSchema;
  if (schema === null || typeof schema !== 'object') return schema as JsonSchema;
  if ('$ref' in schema) return ref ?? {};
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, replaceRefs(value, ref)]));
}
