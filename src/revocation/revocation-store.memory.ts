import { Revocation, RevocationStore } from './revocation-store';
import { RevokedTokens } from './revoked-tokens';

/** One node: nothing to share; the revocations are kept as the node's RevokedTokens keeps them. */
export class InMemoryRevocationStore implements RevocationStore {
  readonly sharedAcrossNodes = false;
  private readonly revoked = new RevokedTokens();

  async add(revocation: Revocation): Promise<void> {
    this.revoked.revoke(revocation);
  }

  async active(): Promise<Revocation[]> {
    return this.revoked.active();
  }
}
