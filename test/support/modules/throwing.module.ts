import { CanActivate, Injectable, Module, UseGuards } from '@nestjs/common';
import { IsString } from 'class-validator';
import { MessageHandler } from '../../../src/messaging/message-handler.decorator';
import { Session } from '../../../src/registry/session';

class EchoDto {
  @IsString()
  text!: string;
}

@Injectable()
class DenyAllGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** Test-only message types: a handler that throws, one that rejects, and one behind a guard. */
@Injectable()
export class TestHandlers {
  @MessageHandler('test.throw', EchoDto)
  throwing(): never {
    throw new Error('secret internal detail');
  }

  @MessageHandler('test.reject', EchoDto)
  async rejecting(): Promise<never> {
    throw new Error('secret async detail');
  }

  @MessageHandler('test.echo', EchoDto)
  echo(session: Session, { text }: EchoDto) {
    return { text, userId: session.userId };
  }

  @UseGuards(DenyAllGuard)
  @MessageHandler('test.guarded', EchoDto)
  guarded() {
    return { reached: true };
  }
}

@Module({ providers: [TestHandlers] })
export class TestHandlersModule {}
