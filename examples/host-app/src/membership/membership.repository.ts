import { Injectable } from '@nestjs/common';

/** Who belongs to which conversation: a database table in a real application, a Map here. */
@Injectable()
export class MembershipRepository {
  private readonly members = new Map<string, ReadonlySet<string>>([
    ['conversation:1', new Set(['alice', 'bob'])],
    ['conversation:2', new Set(['bob', 'carol'])],
  ]);

  /** Async like a query would be; the room authorizer awaits it. */
  async isMember(userId: string, conversation: string): Promise<boolean> {
    return this.members.get(conversation)?.has(userId) ?? false;
  }
}
