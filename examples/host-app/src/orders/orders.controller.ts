import { Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { RealtimeService } from 'realtime-gateway';
import { OrdersRepository } from './orders.repository';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly realtime: RealtimeService,
  ) {}

  /** Marks the order shipped and tells its owner at once, on every socket the owner has open. */
  @Post(':id/ship')
  @HttpCode(200)
  async ship(@Param('id') id: string) {
    const order = this.orders.find(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    order.status = 'shipped';
    const notification = await this.realtime.sendToUser(order.userId, { orderId: order.id, status: order.status });
    return { order, notification };
  }
}
