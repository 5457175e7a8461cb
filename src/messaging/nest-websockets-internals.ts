import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA, PARAM_ARGS_METADATA } from '@nestjs/websockets/constants';
import { WsParamtype } from '@nestjs/websockets/enums/ws-paramtype.enum';
import { WsParamsFactory } from '@nestjs/websockets/factories/ws-params-factory';
import type { ParamsFactory } from '@nestjs/core/helpers/external-context-creator';
import { installedVersion } from '../internals/installed-version';

/**
 * The one file that reads what @nestjs/websockets' decorators record (`@SubscribeMessage`,
 * `@MessageBody`, `@ConnectedSocket`), so a host's gateway written as Nest's docs show is
 * dispatched by HandlerRegistryService on our endpoint. Nest reads these in its socket module,
 * which needs a WebSocket adapter per application and opens one server per gateway; @nestjs/websockets
 * exports the keys only from its internal entry. src/messaging/nest-websockets-internals.spec.ts
 * applies the real decorators and fails when what they record changes.
 *
 * Checked against @nestjs/websockets 12.1.1 (constants.js, utils/param.utils.js,
 * decorators/subscribe-message.decorator.js, factories/ws-params-factory.js).
 */
export const NEST_WEBSOCKETS_CHECKED_VERSION = '12.1.1';

/** ExternalContextCreator's metadata key and params factory for a @SubscribeMessage method's parameters. */
export const WS_PARAMS_METADATA = PARAM_ARGS_METADATA;
export const wsParamsFactory: ParamsFactory = new WsParamsFactory() as ParamsFactory;

/** The message type a @SubscribeMessage method handles; undefined when the method has none. */
export function subscribedMessageType(method: Function): string | undefined {
  if (Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method) !== true) return undefined;
  const type: unknown = Reflect.getMetadata(MESSAGE_METADATA, method);
  if (typeof type !== 'string') {
    throw new Error(`@nestjs/websockets ${installedVersion('@nestjs/websockets')}: @SubscribeMessage recorded no string message (src/messaging/nest-websockets-internals.ts)`);
  }
  return type;
}

/** Where @MessageBody() sits among a method's parameters, and the property it picks (undefined: the whole body). */
export interface MessageBodyParameter {
  index: number;
  property?: string;
}

export function messageBodyParameter(target: Function, methodName: string): MessageBodyParameter | undefined {
  const params = (Reflect.getMetadata(PARAM_ARGS_METADATA, target, methodName) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const key = Object.keys(params).find((k) => k.split(':')[0] === String(WsParamtype.PAYLOAD));
  if (key === undefined) return undefined;
  const { index, data } = params[key];
  return { index, property: typeof data === 'string' ? data : undefined };
}
