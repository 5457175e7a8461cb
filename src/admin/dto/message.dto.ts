import { ApiProperty } from '@nestjs/swagger';
import { IsPresent } from '../../messaging/dto/validators';
import type { DeliveryReceipt, PublishReceipt } from '../../realtime/realtime.types';

export class PublishBodyDto {
  @ApiProperty({ description: 'Any JSON value, delivered as the message body', example: { text: 'maintenance at 18:00' } })
  @IsPresent()
  body!: unknown;
}

export class PublishResult implements PublishReceipt {
  @ApiProperty() messageId!: string;
  @ApiProperty({ description: 'Milliseconds since the epoch' }) ts!: number;
  @ApiProperty({ description: "The message's offset in the room's stream" }) offset!: number;
  @ApiProperty({ description: "The stream's epoch" }) epoch!: string;
}

export class DeliveryResult implements DeliveryReceipt {
  @ApiProperty() messageId!: string;
  @ApiProperty({ description: 'Sessions on this node the frame was handed to' }) delivered!: number;
}
