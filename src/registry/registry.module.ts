import { Module } from '@nestjs/common';
import { ConnectionRegistry } from './connection-registry.service';

@Module({ providers: [ConnectionRegistry], exports: [ConnectionRegistry] })
export class RegistryModule {}
