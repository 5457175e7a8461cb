import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { Injectable, Module } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import * as ts from 'typescript';
import { HandlerRegistryService } from '../../src/messaging/handler-registry.service';
import { MessageHandler } from '../../src/messaging/message-handler.decorator';
import { COMMON_ERROR_CODES } from '../../src/protocol';
import { ClientMessageType } from '../../sdk/src/protocol';
import { startServer, TestServer } from '../support/test-app';

const ROOT = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// A host application's types, as a library user would add them: nested DTOs, arrays, own reply and errors.
class PointDto {
  @IsInt()
  x!: number;
}

class ShapeDto {
  @IsString()
  name!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PointDto)
  points!: PointDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => PointDto)
  origin?: PointDto;
}

@Injectable()
class HostHandlers {
  @MessageHandler('host.shape', ShapeDto, { replyType: 'shape.ok', errors: ['FORBIDDEN'] })
  shape() {
    return {};
  }
}

@Module({ providers: [HostHandlers] })
class HostModule {}

const HOST_TYPES = ['host.shape'];
/** Example types, loaded with EXAMPLES: documented in protocol.md, not built into the SDK. */
const EXAMPLE_TYPES = ['typing'];

type Schema = { [key: string]: unknown; properties?: Record<string, Schema>; required?: string[]; $ref?: string };
interface Doc {
  channels: Record<string, { address: string; messages: Record<string, unknown> }>;
  operations: Record<string, { action: string; messages: { $ref: string }[]; reply?: { messages: { $ref: string }[] }; 'x-reply-type'?: string; 'x-error-codes'?: string[] }>;
  components: { messages: Record<string, { name: string; payload: Schema }>; schemas: Record<string, Schema> };
}

/** A client type as the document states it. */
interface TypeContract {
  reply: string;
  /** name -> required */
  fields: Map<string, boolean>;
  errors: string[];
}

const messageOf = (doc: Doc, ref: string) => doc.components.messages[ref.split('/').pop()!];
const resolve = (doc: Doc, schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);
const fieldsOf = (schema: Schema) => new Map(Object.keys(schema.properties ?? {}).map((name) => [name, (schema.required ?? []).includes(name)]));

function clientTypes(doc: Doc): Map<string, TypeContract> {
  const types = new Map<string, TypeContract>();
  for (const operation of Object.values(doc.operations)) {
    if (operation.action !== 'receive') continue;
    const request = messageOf(doc, operation.messages[0].$ref);
    const [reply, error] = operation.reply!.messages.map((m) => messageOf(doc, m.$ref));
    const data = request.payload.properties!.data;
    const codes = (error.payload.properties!.data.properties!.code as { enum: string[] }).enum;
    types.set(request.name, { reply: reply.name, fields: fieldsOf(resolve(doc, data)), errors: codes.filter((c) => !COMMON_ERROR_CODES.includes(c as never)) });
  }
  return types;
}

function serverEvents(doc: Doc): Map<string, Map<string, boolean>> {
  const events = new Map<string, Map<string, boolean>>();
  for (const operation of Object.values(doc.operations)) {
    if (operation.action !== 'send') continue;
    const message = messageOf(doc, operation.messages[0].$ref);
    events.set(message.name, fieldsOf(message.payload.properties!.data));
  }
  return events;
}

/** The rows of the markdown table whose header row starts with `header`, as cells. */
function markdownTable(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) throw new Error(`no table with the header ${header}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((cell) => cell.trim()));
  }
  return rows;
}

/** "`room`, `since?`" -> room required, since optional; "(none)" -> no field. Only each item's first `name`. */
function fieldsCell(cell: string): Map<string, boolean> {
  const names = [...cell.matchAll(/(?:^|,\s*)`([^`]+)`/g)].map(([, name]) => name);
  return new Map(names.map((name) => (name.endsWith('?') ? [name.slice(0, -1), false] : [name, true])));
}

const firstCode = (cell: string) => /^`([^`]+)`/.exec(cell)?.[1] ?? cell;
const codesCell = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map(([, code]) => code);
const describeFields = (fields: Map<string, boolean>) =>
  [...fields].map(([name, required]) => `${name}${required ? '' : '?'}`).sort().join(', ') || '(none)';

/** Where the docs/protocol.md tables and the document disagree, one line per disagreement. */
function protocolDocDrift(markdown: string, doc: Doc, ignoredTypes: string[]): string[] {
  const problems: string[] = [];
  const served = clientTypes(doc);
  const rows = new Map(markdownTable(markdown, '| type | `data` fields').map((cells) => [firstCode(cells[0]), cells]));
  for (const [type, contract] of served) {
    if (ignoredTypes.includes(type)) continue;
    const row = rows.get(type);
    if (!row) {
      problems.push(`protocol.md section 3 has no row for \`${type}\`, which the server registers`);
      continue;
    }
    const [, fieldCell, replyCell, errorCell] = row;
    if (describeFields(fieldsCell(fieldCell)) !== describeFields(contract.fields)) {
      problems.push(`protocol.md row \`${type}\`: data fields ${describeFields(fieldsCell(fieldCell))}, the server's: ${describeFields(contract.fields)}`);
    }
    if (firstCode(replyCell) !== contract.reply) problems.push(`protocol.md row \`${type}\`: reply ${replyCell}, the server's: ${contract.reply}`);
    if (codesCell(errorCell).sort().join(', ') !== [...contract.errors].sort().join(', ')) {
      problems.push(`protocol.md row \`${type}\`: errors ${errorCell}, the server's: ${contract.errors.join(', ') || '-'}`);
    }
  }
  for (const type of rows.keys()) if (!served.has(type)) problems.push(`protocol.md section 3 has a row for \`${type}\`, which the server does not register`);

  const events = serverEvents(doc);
  const eventRows = new Map(markdownTable(markdown, '| type | Sent to | data |').map((cells) => [firstCode(cells[0]), cells]));
  for (const [type, fields] of events) {
    if (type === 'welcome' || type === 'error') continue; // sections 2 and 4
    const row = eventRows.get(type);
    if (!row) problems.push(`protocol.md 3.10 has no row for the event \`${type}\``);
    else if (describeFields(fieldsCell(row[2])) !== describeFields(new Map([...fields].map(([name]) => [name, true])))) {
      problems.push(`protocol.md 3.10 row \`${type}\`: data ${describeFields(fieldsCell(row[2]))}, the server's: ${[...fields.keys()].sort().join(', ')}`);
    }
  }
  // `typing` is the example's event: an extension's events are not declared to the server.
  for (const type of eventRows.keys()) if (!events.has(type) && !EXAMPLE_TYPES.includes(type)) problems.push(`protocol.md 3.10 has a row for \`${type}\`, which src/protocol does not declare`);
  return problems;
}

/**
 * The data fields the SDK sends with each built-in type: `this.request(ClientMessageType.X, data)`
 * calls in sdk/src/realtime-client.ts, read with the TypeScript parser (no type checking). `data`
 * is an object literal, a conditional between literals, or a variable initialised with one and
 * given more properties by `variable.name = ...` in the same function.
 */
function sdkRequests(source: string): Map<string, Set<string>> {
  const file = ts.createSourceFile('realtime-client.ts', source, ts.ScriptTarget.Latest, true);
  const requests = new Map<string, Set<string>>();
  const literalFields = (node: ts.Node, scope: ts.Node): string[] => {
    if (ts.isObjectLiteralExpression(node)) return node.properties.map((p) => p.name?.getText() ?? '').filter(Boolean);
    if (ts.isConditionalExpression(node)) return [...literalFields(node.whenTrue, scope), ...literalFields(node.whenFalse, scope)];
    if (ts.isIdentifier(node)) {
      const fields: string[] = [];
      const visit = (n: ts.Node) => {
        if (ts.isVariableDeclaration(n) && n.name.getText() === node.text && n.initializer) fields.push(...literalFields(n.initializer, scope));
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.expression.getText() === node.text) {
          fields.push(n.left.name.text);
        }
        ts.forEachChild(n, visit);
      };
      visit(scope);
      return fields;
    }
    throw new Error(`sdkRequests: cannot read the data of ${node.getText()}`);
  };
  const visit = (node: ts.Node, scope: ts.Node) => {
    const inner = ts.isFunctionLike(node) ? node : scope;
    if (ts.isCallExpression(node) && node.expression.getText() === 'this.request') {
      const [type, data] = node.arguments;
      const name = /^ClientMessageType\.(\w+)$/.exec(type?.getText() ?? '')?.[1];
      if (name) {
        const value = ClientMessageType[name as keyof typeof ClientMessageType];
        const fields = requests.get(value) ?? new Set<string>();
        if (data) for (const field of literalFields(data, inner)) fields.add(field);
        requests.set(value, fields);
      }
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(file, file);
  return requests;
}

describe('/docs/asyncapi.json', () => {
  let server: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    server = await startServer({ EXAMPLES: 'typing' }, [HostModule]);
    const response = await fetch(`${server.httpUrl}/docs/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    doc = (await response.json()) as Doc;
  });
  afterAll(() => server.close());

  /** The parser's errors (severity 0), one line each; warnings and hints ("use 3.1.0") are not. */
  const parserErrors = async (document: unknown) => {
    const { diagnostics } = await new Parser().parse(document as never);
    return diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
  };

  it('is a valid AsyncAPI 3.0 document (the official parser reports no error)', async () => {
    expect((doc as unknown as { asyncapi: string }).asyncapi).toBe('3.0.0');
    expect(await parserErrors(doc)).toEqual([]);
  });

  it('is checked for real: the parser refuses a broken copy', async () => {
    const broken = structuredClone(doc);
    broken.operations['receive.ping'].action = 'publish';
    broken.components.messages['room.join'].payload.properties!.data = { $ref: '#/components/schemas/NoSuchDto' };
    const errors = await parserErrors(broken);
    expect(errors.some((e) => e.includes('operations.receive.ping.action'))).toBe(true);
    expect(errors.some((e) => e.includes('NoSuchDto'))).toBe(true);
  });

  it('has one channel, at WS_PATH', () => {
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([server.config.wsPath]);
  });

  it('lists exactly the registered types, each with its reply type and error codes', () => {
    const registry = server.app.get(HandlerRegistryService);
    const served = clientTypes(doc);
    expect([...served.keys()].sort()).toEqual(registry.types().sort());
    for (const type of registry.types()) {
      const handler = registry.get(type)!;
      expect({ type, reply: served.get(type)!.reply, errors: served.get(type)!.errors }).toEqual({ type, reply: handler.replyType, errors: [...handler.errors] });
    }
    expect(served.get('host.shape')).toMatchObject({ reply: 'shape.ok', errors: ['FORBIDDEN'] });
  });

  it("gives every error frame the common codes, and data the DTO's schema: nested DTOs and arrays, unknown properties refused", () => {
    const error = doc.components.messages['room.join.error'].payload.properties!.data.properties!.code;
    expect(error).toEqual({ type: 'string', enum: [...COMMON_ERROR_CODES, 'FORBIDDEN', 'UNAVAILABLE'] });
    const schemas = doc.components.schemas;
    expect(schemas.ShapeDto).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        points: { type: 'array', items: { $ref: '#/components/schemas/PointDto' } },
        origin: { $ref: '#/components/schemas/PointDto' },
      },
      required: ['name', 'points'],
      additionalProperties: false,
    });
    expect(schemas.PointDto).toEqual({ type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false });
    expect(schemas.RoomJoinDto.properties!.since).toEqual({ $ref: '#/components/schemas/StreamPositionDto' });
  });

  it('agrees with the tables of docs/protocol.md (section 3 and 3.10), row by row', () => {
    expect(protocolDocDrift(read('docs/protocol.md'), doc, HOST_TYPES)).toEqual([]);
  });

  it('catches a protocol.md row that disagrees (the check can fail)', () => {
    const broken = read('docs/protocol.md')
      .replace('| `room.leave` | `room` | `ack` | - |', '| `room.leave` | `room`, `reason?` | `pong` | - |')
      .replace('| `ping` | (none) | `pong` | - |\n', '');
    expect(protocolDocDrift(broken, doc, HOST_TYPES)).toEqual([
      'protocol.md section 3 has no row for `ping`, which the server registers',
      'protocol.md row `room.leave`: data fields reason?, room, the server\'s: room',
      'protocol.md row `room.leave`: reply `pong`, the server\'s: ack',
    ]);
  });

  it("matches the SDK: its ClientMessageType is exactly the built-in types, and each request's data fields are the DTO's", () => {
    const builtIn = [...clientTypes(doc).keys()].filter((type) => !HOST_TYPES.includes(type) && !EXAMPLE_TYPES.includes(type));
    expect(Object.values(ClientMessageType).sort()).toEqual(builtIn.sort());
    const sent = sdkRequests(read('sdk/src/realtime-client.ts'));
    expect([...sent.keys()].sort()).toEqual(builtIn.sort());
    const problems: string[] = [];
    for (const [type, fields] of sent) {
      const contract = clientTypes(doc).get(type)!.fields;
      for (const field of fields) if (!contract.has(field)) problems.push(`the SDK sends ${type} with \`${field}\`, which the server refuses`);
      for (const [field, required] of contract) if (required && !fields.has(field)) problems.push(`the SDK sends ${type} without the required \`${field}\``);
    }
    expect(problems).toEqual([]);
  });

  it('catches an SDK request whose fields the server would refuse (the check can fail)', () => {
    const sent = sdkRequests('class C { f(room: string) { return this.request(ClientMessageType.RoomLeave, { room, why: 1 }); } }');
    expect(sent).toEqual(new Map([['room.leave', new Set(['room', 'why'])]]));
  });
});
