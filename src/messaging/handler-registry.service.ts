import { Injectable, OnModuleInit } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, Reflector } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { ActivityInterceptor } from './activity.interceptor';
import { ErrorCode, ServerMessageType } from '../protocol';
import { Session } from '../registry/session';
import { MESSAGE_HANDLER, MessageHandlerOptions } from './message-handler.decorator';
import { globalEnhancersOf } from './nest-internals';
import { preparePayloadValidator } from './payload-validator';

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
}

/** ExternalContextCreator.create's options for a message handler: guards and interceptors, no exception filters (dispatch turns errors into error frames). */
const WS_ENHANCERS: NonNullable<Parameters<ExternalContextCreator['create']>[7]> = { guards: true, interceptors: true, filters: false };

/**
 * Finds every @MessageHandler method in the application, built-in or from a user's module, and
 * wraps it with Nest's guards and interceptors, so all types are dispatched the same way.
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
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const options = this.reflector.get<MessageHandlerOptions | undefined>(MESSAGE_HANDLER, method);
        if (options) this.register(instance, method, methodName, options);
      }
    }
  }

  get(type: string): RegisteredHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  private register(instance: object, method: (...args: unknown[]) => unknown, methodName: string, options: MessageHandlerOptions): void {
    if (this.handlers.has(options.type)) {
      throw new Error(`Two handlers for message type "${options.type}" (${instance.constructor.name}.${methodName})`);
    }
    preparePayloadValidator(options.dto);
    const direct = !this.declaresEnhancers(instance, method) && this.onlyActivityIsGlobal();
    const invoke = direct ? directInvoker(instance, method) : this.nestInvoker(instance, method, methodName);
    this.handlers.set(options.type, {
      type: options.type,
      dto: options.dto,
      replyType: options.replyType ?? ServerMessageType.Ack,
      errors: options.errors ?? [],
      invoke,
      via: direct ? 'direct' : 'nest',
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
  private nestInvoker(instance: object, method: (...args: unknown[]) => unknown, methodName: string): RegisteredHandler['invoke'] {
    const metadataKey = undefined; // no parameter decorators: Nest passes (session, payload) through
    const paramsFactory = undefined;
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
