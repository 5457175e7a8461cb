import { MemoryWebhookQueue } from '../../src/webhooks/webhook-queue.memory';
import { describeWebhookQueueContract } from './webhook-queue.contract';

describeWebhookQueueContract('memory', (webhook, metrics) => new MemoryWebhookQueue(webhook, metrics, () => undefined), { concurrent: false });
