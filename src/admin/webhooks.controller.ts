import { Controller, Get, HttpCode, Inject, NotFoundException, Optional, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { WEBHOOK_QUEUE, WebhookQueue } from '../webhooks/webhook-queue';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { PAGE_LIMIT_DEFAULT } from './dto/page.dto';
import { FailedWebhookPage, FailedWebhookQueryDto, RetriedCount, WebhookEventParamDto } from './dto/webhook.dto';

const OFF = 'webhooks are off: no WEBHOOK_URL';

/**
 * The webhook dead-letter list (docs/webhooks.md): events given up after WEBHOOK_MAX_ATTEMPTS or
 * refused (4xx). With Redis it is the cluster's (BullMQ's failed set): any node answers for all.
 */
@AdminApi('admin: webhooks')
@Controller('admin/webhooks/failed')
@ApiNotFoundResponse({ type: ErrorView, description: 'Webhooks are off (no WEBHOOK_URL), or no dead letter has that id' })
@ApiServiceUnavailableResponse({ type: ErrorView, description: 'Redis unreachable; retry' })
export class WebhooksController {
  constructor(
    @Optional() @Inject(WEBHOOK_QUEUE) private readonly queue: WebhookQueue | null,
    @InjectPinoLogger(WebhooksController.name) private readonly logger: PinoLogger,
  ) {}

  @Get()
  @ApiOkResponse({ type: FailedWebhookPage, description: 'Dead letters, newest first' })
  @ApiValidationResponse()
  async list(@Query() { limit = PAGE_LIMIT_DEFAULT, offset = 0 }: FailedWebhookQueryDto): Promise<FailedWebhookPage> {
    const page = await this.call(() => this.on().failed(offset, limit));
    return { total: page.total, items: page.items.map((f) => ({ ...f, failedAt: new Date(f.failedAt).toISOString() })) };
  }

  @Post('retry')
  @HttpCode(200)
  @ApiOkResponse({ type: RetriedCount, description: 'Every dead letter is queued again, with fresh attempts' })
  async retryAll(@AdminActor() actor: string): Promise<RetriedCount> {
    const retried = await this.call(() => this.on().retryAll());
    this.logger.info({ actor, retried }, 'admin: webhook dead letters retried');
    return { retried };
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: RetriedCount, description: 'Queued again, with fresh attempts (`retried` is 1)' })
  @ApiValidationResponse()
  async retry(@Param() { id }: WebhookEventParamDto, @AdminActor() actor: string): Promise<RetriedCount> {
    if (!(await this.call(() => this.on().retry(id)))) throw new NotFoundException('no dead letter with that id');
    this.logger.info({ actor, eventId: id }, 'admin: webhook dead letter retried');
    return { retried: 1 };
  }

  private on(): WebhookQueue {
    if (!this.queue) throw new NotFoundException(OFF);
    return this.queue;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof NotFoundException) throw err;
      this.logger.error({ err }, 'admin: webhook queue unavailable');
      throw new ServiceUnavailableException('the webhook queue is unavailable (Redis unreachable); retry');
    }
  }
}
