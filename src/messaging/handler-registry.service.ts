import { Injectable, OnModuleInit } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, Reflector } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { ActivityInterceptor } from './activity.interceptor';
import { ErrorCode, ServerMessageType } from '../protocol';
import { Session } from '../registry/session';
import { EmptyDto } from './dto/empty.dto';
import { MESSAGE_HANDLER, MessageHandlerOptions } from './message-handler.decorator';
import { globalEnhancersOf } from './nest-internals';
import { messageBodyParameter, subscribedMessageType, WS_PARAMS_METADATA, wsParamsFactory } from './nest-websockets-internals';
import { preparePayloadValidator } from './payload-validator';
import { REALTIME_GATEWAY } from './websocket-gateway.decorator';

export interface RegisteredHandler {
  type: string;
  dto: new () => object;
  replyType: string;
  /** The codes the handler itself answers (its decorator's `errors`), besides COMMON_ERROR_CODES. */
  errors: readonly ErrorCode[];
  /** The method wrapped with its guards and interceptors. */
  invoke: (session: Session, payload: object) => Promise<unknown>;
  /** `direct`: no guard or interceptor applies but ActivityInterceptor, whose job invoke does inline. */
  via: 'direct' | 'nest';
  /** `Class.method`, for error messages. */
  source: string;
}

/** How a method's arguments are built: `(session, dto)` for @MessageHandler, from its parameter decorators for @SubscribeMessage. */
type Arguments = 'session-and-dto' | 'decorated';

/** Classes whose design type says nothing about the body: a @MessageBody() parameter needs a DTO class. */
const NOT_A_DTO: Function[] = [Object, String, Number, Boolean, Array];

/** ExternalContextCreator.create's options for a message handler: guards and interceptors, no exception filters (dispatch turns errors into error frames). */
const WS_ENHANCERS: NonNullable<Parameters<ExternalContextCreator['create']>[7]> = { guards: true, interceptors: true, filters: false };

/**
 * Finds every @MessageHandler method in the application, built-in or from a user's module, and
 * every @SubscribeMessage method of a class marked @WebSocketGateway() (ours), and wraps each with
 * Nest's guards and interceptors, so all types are dispatched the same way.
 *
 * Nest's wrapper (ExternalContextCreator: guards, interceptors, an rxjs chain per call) costs about
 * as much as the handler itself, so a handler to which no guard and no interceptor applies except
 * the global ActivityInterceptor is called directly, recording the activity the way the
 * interceptor does. A handler that declares @UseGuards or @UseInterceptors (on its class or
 * method), or any other global guard or interceptor, keeps Nest's wrapper.
 */
@Injectable()
export class HandlerRegistryService implements OnModuleInit {
  private readonly handlers = new Map<string, RegisteredHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly contextCreator: ExternalContextCreator,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      const gateway = Reflect.getMetadata(REALTIME_GATEWAY, instance.constructor) === true;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const options = this.reflector.get<MessageHandlerOptions | undefined>(MESSAGE_HANDLER, method);
        if (options) this.register(instance, method, methodName, options, 'session-and-dto');
        const subscription = gateway ? subscriptionOf(instance, method, methodName) : undefined;
        if (subscription) this.register(instance, method, methodName, subscription, 'decorated');
      }
    }
  }

  get(type: string): RegisteredHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  private register(instance: object, method: (...args: unknown[]) => unknown, methodName: string, options: MessageHandlerOptions, args: Arguments): void {
    const source = `${instance.constructor.name}.${methodName}`;
    const existing = this.handlers.get(options.type);
    if (existing) throw new Error(`Two handlers for message type "${options.type}": ${existing.source} and ${source}`);
    preparePayloadValidator(options.dto);
    const direct = args === 'session-and-dto' && !this.declaresEnhancers(instance, method) && this.onlyActivityIsGlobal();
    const invoke = direct ? directInvoker(instance, method) : this.nestInvoker(instance, method, methodName, args);
    this.handlers.set(options.type, {
      type: options.type,
      dto: options.dto,
      replyType: options.replyType ?? ServerMessageType.Ack,
      errors: options.errors ?? [],
      invoke,
      via: direct ? 'direct' : 'nest',
      source,
    });
  }

  private declaresEnhancers(instance: object, method: Function): boolean {
    const declared = (key: string) => [method, instance.constructor].some((target) => ((Reflect.getMetadata(key, target) as unknown[] | undefined) ?? []).length > 0);
    return declared(GUARDS_METADATA) || declared(INTERCEPTORS_METADATA);
  }

  /** Whether the global enhancers are ActivityInterceptor alone (throws when Nest's internals changed: nest-internals.ts). */
  private onlyActivityIsGlobal(): boolean {
    const global = globalEnhancersOf(this.contextCreator);
    return (
      global.guards.length === 0 &&
      global.requestScopedGuards.length === 0 &&
      global.requestScopedInterceptors.length === 0 &&
      global.interceptors.every((i) => i instanceof ActivityInterceptor)
    );
  }

  /** The method wrapped by Nest with its guards and interceptors, in the 'ws' context. */
  private nestInvoker(instance: object, method: (...args: unknown[]) => unknown, methodName: string, args: Arguments): RegisteredHandler['invoke'] {
    // @MessageHandler: no parameter decorators, Nest passes (session, payload) through.
    const metadataKey = args === 'decorated' ? WS_PARAMS_METADATA : undefined;
    const paramsFactory = args === 'decorated' ? wsParamsFactory : undefined;
    const contextId = undefined; // static (singleton) handlers only: onModuleInit skips request-scoped ones
    const inquirerId = undefined;
    return this.contextCreator.create(instance, method, methodName, metadataKey, paramsFactory, contextId, inquirerId, WS_ENHANCERS, 'ws');
  }
}

/** The handler called as ExternalContextCreator would with ActivityInterceptor alone: the same result, rejection for a throw. */
function directInvoker(instance: object, method: (...args: unknown[]) => unknown): RegisteredHandler['invoke'] {
  return (session, payload) => {
    session.lastActivityAt = Date.now();
    try {
      const result = method.call(instance, session, payload);
      return isObservable(result) ? lastValueFrom(result) : Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** A @SubscribeMessage method as a message type: the DTO is its @MessageBody() parameter's class (none: no data). */
function subscriptionOf(instance: object, method: Function, methodName: string): MessageHandlerOptions | undefined {
  const type = subscribedMessageType(method);
  if (type === undefined) return undefined;
  const where = `${instance.constructor.name}.${methodName}`;
  const body = messageBodyParameter(instance.constructor, methodName);
  if (!body) return { type, dto: EmptyDto };
  if (body.property !== undefined) throw new Error(`${where}: @MessageBody('${body.property}') is not supported; take the whole body as a DTO class`);
  const paramTypes = (Reflect.getMetadata('design:paramtypes', Object.getPrototypeOf(instance), methodName) ?? []) as Function[];
  const dto = paramTypes[body.index];
  if (typeof dto !== 'function' || NOT_A_DTO.includes(dto)) {
    throw new Error(`${where}: the @MessageBody() parameter needs a DTO class (class-validator decorators), so the body can be validated`);
  }
  return { type, dto: dto as new () => object };
}
