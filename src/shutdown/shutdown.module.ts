import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { RegistryModule } from '../registry/registry.module';
import { DrainService } from './drain.service';

/** The drain on shutdown, and whether it has begun: the upgrade refuses and readiness fails from then on. */
@Module({ imports: [RegistryModule, DeliveryModule], providers: [DrainService], exports: [DrainService] })
export class ShutdownModule {}
