import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { loadTransformerMetadata } from './class-transformer-internals';

/** class-transformer's decorator metadata (@Type, @Transform, @Expose, @Exclude): a private read, see that file. */
const transformerStorage = loadTransformerMetadata();

/**
 * The class-validator decorators the fast checker evaluates itself (by calling the decorator's own
 * constraint, so the verdict is class-validator's): what the built-in DTOs use. A DTO with any
 * other decorator is validated by class-validator alone.
 */
const FAST_CONSTRAINTS = new Set(['isString', 'isLength', 'matches', 'isInt', 'min', 'max', 'isBoolean', 'isPresent']);

type Dto = new () => object;

interface Check {
  validate: (value: unknown, args: ValidationArguments) => unknown;
  validateIf?: (object: object, value: unknown) => boolean;
  /** Reused for every call: class-validator's arguments, filled in per value. */
  args: ValidationArguments;
}

interface PropertyRule {
  name: string;
  /** @IsOptional and @ValidateIf: the property is validated only when all of them hold. */
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: Check[];
  /** @ValidateNested with @Type: the nested DTO's shape. */
  nested?: DtoShape;
}

/**
 * What a DTO accepts, read once from class-validator's and class-transformer's metadata: the
 * property names (for the unknown-key check), the nested DTOs (to walk into them), and, when every
 * decorator is one the fast checker knows, the rules to check a payload without class-transformer
 * and class-validator.
 */
export class DtoShape {
  /** Accepted property names, in a prototype-less object: `toString` or `constructor` are not in it. */
  readonly accepted: Record<string, true> = Object.create(null) as Record<string, true>;
  readonly names: string[];
  /** Property -> nested DTO shape, for @ValidateNested properties with a @Type. */
  readonly nested = new Map<string, DtoShape>();
  /** Null when the DTO uses something the fast checker does not evaluate. */
  private rules: PropertyRule[] | null = [];

  private constructor(readonly dto: Dto) {
    this.names = [];
  }

  private static readonly cache = new WeakMap<Dto, DtoShape>();

  static of(dto: Dto): DtoShape {
    let shape = DtoShape.cache.get(dto);
    if (!shape) {
      shape = new DtoShape(dto);
      // Cached before it is filled in, so a DTO that nests itself terminates.
      DtoShape.cache.set(dto, shape);
      shape.read();
    }
    return shape;
  }

  /** Whether payloads of this DTO are checked without class-validator when they are valid. */
  get fast(): boolean {
    return this.rules !== null;
  }

  /**
   * The DTO instance for `data` when it passes every rule, undefined when it does not or when the
   * DTO has no fast rules: then class-validator decides, and says why.
   */
  tryBuild(data: Record<string, unknown>): object | undefined {
    const rules = this.rules;
    if (rules === null) return undefined;
    const instance = new this.dto() as Record<string, unknown>;
    for (const key in data) {
      if (this.accepted[key] !== true) return undefined;
      instance[key] = data[key];
    }
    for (const rule of rules) {
      const value = instance[rule.name];
      let validate = true;
      for (const condition of rule.conditions) if (!condition(instance, value)) validate = false;
      if (!validate) continue;
      for (const check of rule.checks) {
        if (check.validateIf && !check.validateIf(instance, value)) continue;
        check.args.value = value;
        check.args.object = instance;
        const ok = check.validate(value, check.args);
        if (!ok || ok instanceof Promise) return undefined;
      }
      if (rule.nested && value !== undefined) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
        const child = rule.nested.tryBuild(value as Record<string, unknown>);
        if (child === undefined) return undefined;
        instance[rule.name] = child;
      }
    }
    return instance;
  }

  private read(): void {
    const storage = getMetadataStorage();
    const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(this.dto, '', false, false, undefined));
    const transformerFree =
      transformerStorage.getStrategy(this.dto) === 'none' && transformerStorage.getExposedMetadatas(this.dto).length === 0 && transformerStorage.getExcludedMetadatas(this.dto).length === 0;
    if (!transformerFree) this.rules = null;
    for (const name of Object.keys(grouped)) {
      this.names.push(name);
      this.accepted[name] = true;
      const nested = this.nestedType(grouped[name]);
      if (nested) this.nested.set(name, DtoShape.of(nested));
      const rule = this.rule(name, grouped[name], nested);
      if (rule === null) this.rules = null;
      else this.rules?.push(rule);
    }
  }

  private nestedType(metadatas: ValidationMetadata[]): Dto | undefined {
    if (!metadatas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION)) return undefined;
    const type = transformerStorage.findTypeMetadata(this.dto, metadatas[0].propertyName);
    if (!type || type.options?.discriminator) return undefined;
    try {
      const nested = type.typeFunction() as unknown;
      return typeof nested === 'function' && nested !== Object ? (nested as Dto) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The fast rule for one property, or null when one of its decorators is not supported. */
  private rule(name: string, metadatas: ValidationMetadata[], nested: Dto | undefined): PropertyRule | null {
    if (transformerStorage.findTransformMetadatas(this.dto, name, TransformationType.PLAIN_TO_CLASS).length > 0) return null;
    const rule: PropertyRule = { name, conditions: [], checks: [] };
    for (const m of metadatas) {
      if (m.each) return null;
      if (m.type === ValidationTypes.WHITELIST) continue;
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        rule.conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
      } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        if (!nested) return null;
        rule.nested = DtoShape.of(nested);
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && m.name !== undefined && FAST_CONSTRAINTS.has(m.name)) {
        const constraints = getMetadataStorage().getTargetValidatorConstraints(m.constraintCls);
        if (constraints.length !== 1 || constraints[0].async) return null;
        const instance = constraints[0].instance as { validate: Check['validate'] };
        rule.checks.push({
          validate: instance.validate.bind(instance),
          validateIf: m.validateIf,
          args: { targetName: this.dto.name, property: name, object: {}, value: undefined, constraints: m.constraints },
        });
      } else {
        return null;
      }
    }
    // A nested DTO that is itself not fast makes this one not fast either.
    if (rule.nested && !rule.nested.fast) return null;
    return rule;
  }
}
