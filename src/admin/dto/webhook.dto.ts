import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { PageQueryDto } from './page.dto';

export class FailedWebhookQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Dead letters to skip (newest first)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class WebhookEventParamDto {
  @ApiProperty({ description: 'The event id (`id` in the body, `X-Webhook-Id`)', example: '0b0a4c8e-5d4a-4c38-9a55-1d1f6f0f8c1e' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9-]+$/, { message: 'id must be an event id' })
  id!: string;
}

export class WebhookEventView {
  @ApiProperty({ description: 'The same on every attempt: receivers de-duplicate on it' }) id!: string;
  @ApiProperty({ enum: ['connection.opened', 'connection.closed', 'room.joined', 'room.left'] }) type!: string;
  @ApiProperty({ description: 'Milliseconds since the epoch' }) ts!: number;
  @ApiProperty({ description: 'NODE_ID of the node it happened on' }) node!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class FailedWebhookView {
  @ApiProperty({ type: WebhookEventView }) event!: WebhookEventView;
  @ApiProperty({ description: 'POSTs made' }) attempts!: number;
  @ApiProperty({ example: 'retry: 500', description: 'The last attempt: `rejected: <4xx>`, `retry: <5xx>`, `retry: no answer (...)`' }) reason!: string;
  @ApiProperty({ description: 'ISO 8601: when it was given up' }) failedAt!: string;
}

/** The dead-letter list, newest first: ask again with `offset` += `limit` while items come back. */
export class FailedWebhookPage {
  @ApiProperty({ type: [FailedWebhookView] }) items!: FailedWebhookView[];
  @ApiProperty({ description: 'Dead letters kept in all (at most WEBHOOK_FAILED_MAX)' }) total!: number;
}

export class RetriedCount {
  @ApiProperty({ description: 'Dead letters queued again, each with fresh attempts' }) retried!: number;
}
