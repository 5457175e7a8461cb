import { Global, Module } from '@nestjs/common';
import { RevocationList } from './revocation-list.service';

/** Global: the upgrade verifier and the admin API share the one list. */
@Global()
@Module({ providers: [RevocationList], exports: [RevocationList] })
export class RevocationModule {}
