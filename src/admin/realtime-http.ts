import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { RealtimeError, RealtimeErrorCode } from '../realtime/realtime-error';

const STATUS: Record<RealtimeErrorCode, new (message: string) => HttpException> = {
  INVALID_ROOM: BadRequestException,
  INVALID_USER: BadRequestException,
  INVALID_BODY: BadRequestException,
  INVALID_CODE: BadRequestException,
  INVALID_PAGE: BadRequestException,
  PAYLOAD_TOO_LARGE: PayloadTooLargeException,
  NOT_FOUND: NotFoundException,
  UNAVAILABLE: ServiceUnavailableException,
};

/** A RealtimeService call's answer, or its RealtimeError as the HTTP status the admin API documents. */
export async function http<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof RealtimeError) throw new STATUS[err.code](err.message);
    throw err;
  }
}
