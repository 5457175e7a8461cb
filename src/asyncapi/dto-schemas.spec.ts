import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsPresent } from '../messaging/dto/validators';
import { EmptyDto } from '../messaging/dto/empty.dto';
import { DtoSchemas } from './dto-schemas';

class Node {
  @IsString()
  label!: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Node)
  children?: Node[];

  @IsPresent()
  value!: unknown;

  /** Nested without @Type: the server does not walk into it, the schema says any value. */
  @IsOptional()
  @ValidateNested()
  loose?: object;
}

const otherNode = () => {
  // Another class called Node (a host's DTO named like one of ours).
  class Node {
    @IsString()
    other!: string;
  }
  return Node;
};

describe('DtoSchemas', () => {
  it('names nested DTOs, nesting itself included, and refuses unknown properties', () => {
    const schemas = new DtoSchemas();
    expect(schemas.ref(Node)).toEqual({ $ref: '#/components/schemas/Node' });
    expect(schemas.schemas).toEqual({
      Node: {
        type: 'object',
        properties: {
          label: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
          value: { description: 'any JSON value, null included' },
          loose: {},
        },
        required: ['label', 'value'],
        additionalProperties: false,
      },
    });
  });

  it('describes a DTO with no property as an empty object', () => {
    const schemas = new DtoSchemas();
    schemas.ref(EmptyDto);
    expect(schemas.schemas.EmptyDto).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('gives a second class of the same name its own entry', () => {
    const schemas = new DtoSchemas();
    schemas.ref(Node);
    expect(schemas.ref(otherNode())).toEqual({ $ref: '#/components/schemas/Node_2' });
    expect(schemas.ref(Node)).toEqual({ $ref: '#/components/schemas/Node' });
    expect(schemas.schemas.Node_2.properties).toEqual({ other: { type: 'string' } });
  });
});
