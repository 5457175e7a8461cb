import { BullMqWebhookQueue } from '../../src/webhooks/webhook-queue.redis';
import { describeWebhookQueueContract } from './webhook-queue.contract';
import { fresh } from './fresh';
import { redisFixture } from './redis-fixture';

const redis = redisFixture();

describeWebhookQueueContract(
  'BullMQ on Redis',
  (webhook, metrics) =>
    new BullMqWebhookQueue({ mode: 'single', url: redis.server().url }, webhook, metrics, () => undefined, { name: fresh('webhooks').replace(/[:.]/g, '-'), countEveryMs: 50 }), { concurrent: true });
