import { InMemoryRevocationStore } from '../../src/revocation/revocation-store.memory';
import { describeRevocationStoreContract } from './revocation-store.contract';

describeRevocationStoreContract('in memory', async () => new InMemoryRevocationStore());
