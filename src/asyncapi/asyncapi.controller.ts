import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AsyncApiService } from './asyncapi.service';

/** The WebSocket protocol as AsyncAPI 3, next to the admin API's OpenAPI (/docs-json); public, like it. */
@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  constructor(private readonly asyncApi: AsyncApiService) {}

  @Get('asyncapi.json')
  document() {
    return this.asyncApi.document;
  }
}
