import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, Reflector } from '@nestjs/core';

import { ServerMessageType } from '../protocol';
import { Session } from '../registry/session';
import { MESSAGE_HANDLER, MessageHandlerOptions } from './message-handler.decorator';

export interface RegisteredHandler {
  type: string;
  dto: new () => object;
  replyType: string;
  /** The method wrapped with its guards and interceptors. */
  invoke: (session: Session, payload: object) => Promise<unknown>;
}

/**
 * Finds every @MessageHandler method in the application, built-in or from a user's module, and
 * wraps it with Nest's guards and interceptors, so all types are dispatched the same way.
 */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
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
    const invoke = this.contextCreator.create(
      instance,
      method,
      methodName,
      undefined,
      undefined,
      undefined,
      undefined,
      { guards: true, interceptors: true, filters: false },
      'ws',
    );
    this.handlers.set(options.type, {
      type: options.type,
      dto: options.dto,
      replyType: options.replyType ?? ServerMessageType.Ack,
      invoke,
    });
  }
}
